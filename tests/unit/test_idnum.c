/* test_idnum.c - 身份证号 checks (GB 11643), the facts it carries and its keyed hash. */
#include <string.h>

#include "harness.h"
#include "idnum.h"

static void test_idnum_valid(void)
{
	char out[IDNUM_LEN + 1], birth[11], last4[5];
	CHECK(idnum_check_char("11010519491231002") == 'X', "the standard's example ends in X");
	CHECK(idnum_check("11010519491231002X", "2026-11-23") == IDNUM_OK, "the standard's example is valid");
	CHECK(idnum_check("430602201309091112", NULL) == IDNUM_OK, "a second number (born 2013) is valid");
	CHECK(idnum_normalize(" 11010519491231002x ", out) == 0 && !strcmp(out, "11010519491231002X"),
	      "spaces go and a lowercase x becomes X (%s)", out);
	CHECK(idnum_normalize("'430602201309091112", out) == 0 && !strcmp(out, "430602201309091112"),
	      "Excel's text-marking quote is dropped");
	CHECK(idnum_normalize("4306022013090911120", out) == -1, "19 characters do not fit");
	idnum_birth_date("11010519491231002X", birth);
	CHECK(!strcmp(birth, "1949-12-31"), "birth date (%s)", birth);
	CHECK(!strcmp(idnum_gender("11010519491231002X"), "女"), "an even 17th digit is female");
	CHECK(!strcmp(idnum_gender("430602201309091112"), "男"), "an odd 17th digit is male");
	idnum_last4("11010519491231002X", last4);
	CHECK(!strcmp(last4, "002X"), "last four (%s)", last4);
}

static void test_idnum_invalid(void)
{
	CHECK(idnum_check("", NULL) == IDNUM_EMPTY, "empty");
	CHECK(idnum_check("4.30602E+17", NULL) == IDNUM_SCIENTIFIC, "Excel's scientific notation is named");
	CHECK(idnum_check("1101051949123100", NULL) == IDNUM_LENGTH, "16 characters");
	CHECK(idnum_check("11010519491231002Y", NULL) == IDNUM_CHARS, "Y is no check character");
	CHECK(idnum_check("1101051949123100AX", NULL) == IDNUM_CHARS, "a letter among the digits");
	CHECK(idnum_check("110105194912310021", NULL) == IDNUM_CHECKSUM, "a wrong check digit");
	CHECK(idnum_check("110105201902300014", NULL) == IDNUM_BIRTH, "30 February is no birth date");
	{
		char id[19] = "11010520300101001";
		id[17] = idnum_check_char(id);
		id[18] = '\0';
		CHECK(idnum_check(id, "2026-11-23") == IDNUM_BIRTH, "a birth date after today is refused");
		CHECK(idnum_check(id, NULL) == IDNUM_OK, "without today the same number passes");
	}
	CHECK(strstr(idnum_message(IDNUM_CHECKSUM), "校验位") != NULL, "the checksum message says 校验位");
}

static void test_idnum_hash(void)
{
	const unsigned char key[] = "0123456789abcdef0123456789abcdef", other[] = "another key";
	unsigned char a[IDNUM_HASH_LEN], b[IDNUM_HASH_LEN], c[IDNUM_HASH_LEN];
	idnum_hash(key, sizeof(key) - 1, "11010519491231002X", a);
	idnum_hash(key, sizeof(key) - 1, "11010519491231002X", b);
	CHECK(!memcmp(a, b, sizeof(a)), "the hash is deterministic");
	idnum_hash(other, sizeof(other) - 1, "11010519491231002X", c);
	CHECK(memcmp(a, c, sizeof(a)) != 0, "another install's key gives another hash");
	idnum_hash(key, sizeof(key) - 1, "430602201309091112", c);
	CHECK(memcmp(a, c, sizeof(a)) != 0, "another number gives another hash");
}

void test_idnum(void)
{
	test_idnum_valid();
	test_idnum_invalid();
	test_idnum_hash();
}
