/* test_jsonw.c - the fast JSON writer gives exactly jansson's compact text. */
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "jsonw.h"

/* Compares jsonw_dumps with json_dumps for v (taken). */
static void same_as_jansson(json_t *v, const char *what)
{
	size_t len = 0;
	char *mine = jsonw_dumps(v, &len);
	char *ref = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
	CHECK(mine && ref && !strcmp(mine, ref), "%s: %s vs %s", what, mine ? mine : "(null)", ref ? ref : "(null)");
	CHECK(mine && len == strlen(mine), "%s: length", what);
	free(mine);
	free(ref);
	json_decref(v);
}

void test_jsonw(void)
{
	static const char with_nul[] = "a\0b";
	json_t *deep = json_array(), *big = json_array();
	int i;

	same_as_jansson(json_pack("{s:s,s:i,s:b,s:n,s:[]}", "name", "石桥镇赵家坝村小学", "n", -42, "ok", 1, "none",
				  "list"), "an object in insertion order");
	same_as_jansson(json_string("quote \" backslash \\ slash / tab \t nl \n cr \r bs \b ff \f bell \a esc \x1b del \x7f"),
			"escapes");
	same_as_jansson(json_stringn(with_nul, 3), "a NUL inside a string");
	same_as_jansson(json_pack("{s:f,s:f,s:f,s:f}", "a", 0.1, "b", 1e300, "c", -2.0, "d", 3.25), "reals");
	same_as_jansson(json_pack("{s:I,s:I}", "max", (json_int_t)9223372036854775807LL, "min",
				  (json_int_t)(-9223372036854775807LL - 1)), "64-bit integers");
	same_as_jansson(json_loads("[{},[],\"\",0,true,false,null,-0.5]", 0, NULL), "empty things");
	for (i = 0; i < 2000; i++)
		json_array_append_new(big, json_pack("{s:i,s:s}", "id", i, "t", "整改期限已过，需要约谈校长。"));
	same_as_jansson(big, "a buffer that grows many times");
	for (i = 0; i < 600; i++)
		deep = json_pack("[o]", deep);
	CHECK(jsonw_dumps(deep, NULL) == NULL, "nesting deeper than 512 is refused");
	json_decref(deep);
	CHECK(jsonw_dumps(NULL, NULL) == NULL, "NULL gives NULL");
}
