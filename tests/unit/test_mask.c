/* test_mask.c - 张*明 masking by character, not byte. */
#include <string.h>

#include "harness.h"
#include "mask.h"

static void expect(const char *in, const char *want)
{
	char out[64];
	int rc = mask_name(in, out, sizeof(out));
	CHECK(rc == 0 && !strcmp(out, want), "mask(%s) = %s, want %s", in, out, want);
}

void test_mask(void)
{
	char small[4];
	expect("张三明", "张*明");
	expect("张三", "张*");
	expect("欧阳小明", "欧*明");
	expect("王", "*");
	expect("", "");
	expect(" 李四 ", "李*");
	expect("买买提·艾力", "买*力");
	expect("Tom", "T*m");
	CHECK(mask_name("张三明", small, sizeof(small)) == -1 && !strcmp(small, "*"),
	      "too small a buffer gives \"*\", never a partial name");
}
