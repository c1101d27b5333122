/* test_util.c - UTF-8 validation, character counts, blank text and calendar dates. */
#include <string.h>

#include "harness.h"
#include "util.h"

static void test_utf8(void)
{
	const unsigned char ok[] = "督导 ok", overlong[] = {0xC0, 0xAF}, surrogate[] = {0xED, 0xA0, 0x80};
	const unsigned char cut[] = {0xE7, 0x9D}, big[] = {0xF4, 0x90, 0x80, 0x80};
	CHECK(utf8_valid(ok, strlen((const char *)ok)), "Chinese text is valid UTF-8");
	CHECK(!utf8_valid(overlong, 2), "an overlong '/' is rejected");
	CHECK(!utf8_valid(surrogate, 3), "an encoded surrogate is rejected");
	CHECK(!utf8_valid(cut, 2), "a truncated sequence is rejected");
	CHECK(!utf8_valid(big, 4), "a code point past U+10FFFF is rejected");
	CHECK(utf8_chars("张三丰ab") == 5, "characters, not bytes, are counted");
	CHECK(str_blank("") && str_blank(" \t\r\n") && str_blank("\xe3\x80\x80 \xe3\x80\x80"),
	      "spaces, line breaks and ideographic spaces are blank");
	CHECK(!str_blank(" 无 ") && !str_blank("\xe3\x80\x81") && !str_blank("\xe3\x80"),
	      "any other character is not (、 U+3001, a cut sequence)");
}

static void test_dates(void)
{
	char out[11];
	CHECK(date_valid("2024-02-29"), "a leap day is a date");
	CHECK(!date_valid("2019-02-29"), "2019 has no 29 February");
	CHECK(!date_valid("2019-02-30"), "30 February is rejected");
	CHECK(!date_valid("1900-02-29"), "1900 was not a leap year");
	CHECK(date_valid("2000-02-29"), "2000 was a leap year");
	CHECK(!date_valid("2026-1-05") && !date_valid("2026-13-01") && !date_valid("20260105"),
	      "malformed dates are rejected");
	CHECK(date_to_days("1970-01-01") == 0, "the epoch is day 0");
	CHECK(date_to_days("2026-11-23") - date_to_days("2026-01-01") == 326, "day arithmetic");
	date_from_days(date_to_days("2024-02-28") + 2, out);
	CHECK(!strcmp(out, "2024-03-01"), "days back to a date across a leap day (%s)", out);
}

void test_util(void)
{
	char buf[4];
	test_utf8();
	test_dates();
	CHECK(str_copy(buf, sizeof(buf), "abcdef") == -1 && !strcmp(buf, "abc"), "str_copy truncates and says so");
}
