/* test_demo_names.c - unit tests of the demo county's pure helpers: the PRNG,
 * personal names and school codes. Prints "N passed, N failed" last. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "demo.h"
#include "harness.h"
#include "util.h"

/* splitmix64 must match the published sequence, so the demo never drifts. */
static void test_rand(void)
{
	uint64_t s = 0, t = 42, u = 42;
	unsigned i, bad = 0;

	CHECK(demo_rand_next(&s) == 0xE220A8397B1DCDAFULL, "splitmix64(0) first output");
	CHECK(demo_rand_next(&s) == 0x6E789E6AA1B965F4ULL, "splitmix64(0) second output");
	for (i = 0; i < 1000; i++) {
		if (demo_rand_next(&t) != demo_rand_next(&u))
			bad++;
		if (demo_rand_below(&t, 7) >= 7)
			bad++;
		demo_rand_below(&u, 7);
	}
	CHECK(bad == 0, "same seed, same sequence; below(7) < 7 (%u bad)", bad);
}

/* Names are 2 or 3 Han characters (3 bytes each in UTF-8), and repeat with the seed. */
static void test_names(void)
{
	uint64_t a = 7, b = 7;
	char x[32], y[32], first[32] = "";
	unsigned i, two = 0, three = 0, bad = 0, same_as_first = 0;

	for (i = 0; i < 1000; i++) {
		size_t n;
		if (demo_person_name(&a, x, sizeof(x)) != 0 || demo_person_name(&b, y, sizeof(y)) != 0 ||
		    strcmp(x, y) != 0) {
			bad++;
			continue;
		}
		n = utf8_chars(x);
		if (!utf8_valid((const unsigned char *)x, strlen(x)) || strlen(x) != 3 * n)
			bad++;
		two += n == 2;
		three += n == 3;
		if (i == 0)
			strcpy(first, x);
		else
			same_as_first += strcmp(x, first) == 0;
	}
	CHECK(bad == 0, "names are valid, deterministic Han names (%u bad)", bad);
	CHECK(two > 50 && three > 500, "both one- and two-character given names (%u, %u)", two, three);
	CHECK(same_as_first < 20, "names vary (%u repeats of the first)", same_as_first);
	CHECK(demo_person_name(&a, x, 4) == -1, "a too-small buffer is refused");
}

/* Codes are 10 digits starting with 21, and distinct serials give distinct codes. */
static void test_codes(void)
{
	char c1[11], c2[11];
	unsigned i, bad = 0;

	demo_school_code(1001, c1);
	CHECK(strlen(c1) == 10 && strncmp(c1, "21", 2) == 0, "code %s has 10 digits, starts 21", c1);
	for (i = 1000; i < 9999; i++) {
		size_t k;
		demo_school_code(i, c1);
		demo_school_code(i + 1, c2);
		for (k = 0; k < 10; k++)
			bad += c1[k] < '0' || c1[k] > '9';
		bad += strlen(c1) != 10 || strcmp(c1, c2) >= 0;
	}
	CHECK(bad == 0, "codes are digits and increase with the serial (%u bad)", bad);
}

void test_demo_names(void)
{
	test_rand();
	test_names();
	test_codes();
}
