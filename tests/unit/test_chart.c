/* test_chart.c - chart layout: display widths, label wrapping (balanced, natural
 * breaks, never inside a character or a Latin word, truncation), value labels,
 * and the PNG itself: valid, deterministic, as wide as asked, taller with more bars. */
#include <stdlib.h>
#include <string.h>

#include "chart.h"
#include "harness.h"
#include "util.h"

/* Big-endian 32-bit integer at p. */
static unsigned be32(const unsigned char *p)
{
	return (unsigned)p[0] << 24 | (unsigned)p[1] << 16 | (unsigned)p[2] << 8 | p[3];
}

/* Every line of wrapped fits max_cols, and the lines put back together are the
 * label without the spaces at the breaks. */
static int wrap_ok(const char *label, const char *wrapped, int max_cols)
{
	char line[512], joined[1024] = "", want[1024] = "";
	const char *p = wrapped;
	size_t w = 0;
	while (*p) {
		size_t n = strcspn(p, "\n");
		snprintf(line, sizeof line, "%.*s", (int)n, p);
		if (chart_text_cols(line) > max_cols || !utf8_valid((const unsigned char *)line, n))
			return 0;
		strncat(joined, line, sizeof joined - strlen(joined) - 1);
		p += n + (p[n] == '\n');
	}
	for (const char *s = label; *s; s++)
		if (*s != ' ')
			want[w++] = *s;
	w = 0;
	for (const char *s = joined; *s; s++)
		if (*s != ' ')
			joined[w++] = *s;
	joined[w] = '\0';
	return strcmp(joined, want) == 0;
}

static void test_cols_and_format(void)
{
	char pct[16];
	CHECK(chart_text_cols("abc") == 3, "ASCII is one column a character");
	CHECK(chart_text_cols("城关镇") == 6, "Chinese is two columns a character");
	CHECK(chart_text_cols("No.2中学（分校）") == 16, "mixed text and full-width brackets");
	CHECK(chart_text_cols("\xe5\x9f") == -1, "a cut character is not UTF-8");
	chart_format_permille(963, pct);
	CHECK(!strcmp(pct, "96.3%"), "963 per mille is 96.3%% (%s)", pct);
	chart_format_permille(1000, pct);
	CHECK(!strcmp(pct, "100.0%"), "1000 per mille is 100.0%% (%s)", pct);
	chart_format_permille(-3, pct);
	CHECK(!strcmp(pct, "0.0%"), "below 0 is clamped (%s)", pct);
	chart_format_permille(1200, pct);
	CHECK(!strcmp(pct, "100.0%"), "above 1000 is clamped (%s)", pct);
}

static void test_wrap(void)
{
	static const char *const labels[] = {
		"桐岭县石桥镇杨家湾村民族团结九年一贯制实验学校", "桐岭县职业教育中心（原桐岭县第二职业高级中学、桐岭县农业广播电视学校）",
		"Tongling No.2 Middle School", "新城街道教管中心", "城关镇中心小学附属幼儿园（东校区）", "A-B-C-D-E-F-G-H-I-J-K"};
	char out[512];
	int n;
	n = chart_wrap_label("城关镇中心小学", 30, 3, out, sizeof out);
	CHECK(n == 1 && !strcmp(out, "城关镇中心小学"), "a short name stays on one line (%d: %s)", n, out);
	n = chart_wrap_label("桐岭县石桥镇杨家湾村民族团结九年一贯制实验学校", 30, 3, out, sizeof out);
	CHECK(n == 2 && !strcmp(out, "桐岭县石桥镇杨家湾村\n民族团结九年一贯制实验学校"),
	      "a long name breaks after the village, near the middle (%s)", out);
	n = chart_wrap_label("桐岭县职业教育中心（原桐岭县第二职业高级中学、桐岭县农业广播电视学校）", 30, 3, out, sizeof out);
	CHECK(n == 3 && !strncmp(out, "桐岭县职业教育中心\n（原", 31), "a bracket starts a new line (%s)", out);
	n = chart_wrap_label("Tongling No.2 Middle School", 20, 3, out, sizeof out);
	CHECK(n == 2 && !strcmp(out, "Tongling No.2\nMiddle School"), "Latin words stay whole (%s)", out);
	n = chart_wrap_label("石桥镇（一）（二）（三）（四）", 8, 5, out, sizeof out);
	CHECK(n == 5 && !strcmp(out, "石桥镇\n（一）\n（二）\n（三）\n（四）"),
	      "brackets stay with their contents, even if that takes a line more (%s)", out);
	n = chart_wrap_label("石桥镇（一）（二）（三）（四）", 8, 4, out, sizeof out);
	CHECK(n == 4 && !strcmp(out, "石桥镇\n（一）\n（二）\n（三）…"), "and are cut after one when out of lines (%s)", out);
	for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++)
		for (int cols = 8; cols <= 40; cols += 4) {
			n = chart_wrap_label(labels[i], cols, 10, out, sizeof out);
			CHECK(n > 0 && wrap_ok(labels[i], out, cols), "%s at %d columns: %s", labels[i], cols, out);
		}
}

static void test_wrap_limits(void)
{
	char out[512], small[8];
	int n = chart_wrap_label("桐岭县石桥镇杨家湾村民族团结九年一贯制实验学校", 10, 2, out, sizeof out);
	const char *last = strrchr(out, '\n');
	CHECK(n == 2 && last && chart_text_cols(last + 1) <= 10 && strstr(out, "…") &&
		      !strcmp(out + strlen(out) - strlen("…"), "…"),
	      "text that cannot fit ends with an ellipsis (%s)", out);
	CHECK(utf8_valid((const unsigned char *)out, strlen(out)), "a truncated label is still UTF-8");
	CHECK(chart_wrap_label("", 30, 3, out, sizeof out) == 0 && out[0] == '\0', "an empty label has no lines");
	CHECK(chart_wrap_label("石桥镇", 3, 3, out, sizeof out) == -1, "fewer than 4 columns is refused");
	CHECK(chart_wrap_label("\xff\xfe", 30, 3, out, sizeof out) == -1, "invalid UTF-8 is refused");
	CHECK(chart_wrap_label("桐岭县石桥镇中心小学", 30, 3, small, sizeof small) == -1, "a small buffer is refused");
}

/* Renders bars bars; returns the PNG (caller frees) and its IHDR size. */
static unsigned char *render(size_t bars, int width, int *len, unsigned *w, unsigned *h)
{
	chart_bar b[40];
	chart_hbar_spec spec = {"覆盖率", "截至 2026-11-23", b, bars, 1000, NULL, NULL, width};
	unsigned char *png = NULL;
	for (size_t i = 0; i < bars && i < 40; i++) {
		b[i].label = i % 3 ? "石桥镇中心小学" : "桐岭县石桥镇杨家湾村民族团结九年一贯制实验学校";
		b[i].permille = i % 4 == 3 ? CHART_NO_DATA : (int)(i * 97 % 1001);
		b[i].note = i % 2 ? "52/54 人" : NULL;
	}
	*w = *h = 0;
	if (chart_hbar(&spec, &png, len) == 0 && *len > 24) {
		*w = be32(png + 16);
		*h = be32(png + 20);
	}
	return png;
}

static void test_png(void)
{
	int l1 = 0, l2 = 0, l3 = 0;
	unsigned w1, h1, w2, h2, w3, h3;
	unsigned char *a = render(3, 0, &l1, &w1, &h1), *b = render(3, 0, &l2, &w2, &h2), *c = render(30, 640, &l3, &w3, &h3);
	chart_bar one = {"城关镇", 500, NULL};
	chart_hbar_spec bad = {"x", NULL, &one, 1, 1000, NULL, "/nonexistent/font.ttf", 0};
	unsigned char *png = NULL;
	int len = 0;
	CHECK(a && l1 > 1000 && !memcmp(a, "\x89PNG\r\n\x1a\n", 8) && !memcmp(a + 12, "IHDR", 4), "a PNG with its header");
	CHECK(w1 == 960 && h1 > 150 && h1 < 600, "default width 960, height fits 3 bars (%ux%u)", w1, h1);
	CHECK(b && l1 == l2 && !memcmp(a, b, (size_t)l1), "the same spec gives the same bytes");
	CHECK(c && w3 == 640 && h3 > h1 + 27 * 30, "30 bars are taller (%u) at the width asked (%u)", h3, w3);
	chart_free(a);
	chart_free(b);
	chart_free(c);
	CHECK(chart_hbar(&bad, &png, &len) == -1 && png == NULL, "a missing font fails cleanly");
	bad.font_path = NULL;
	bad.nbars = 0;
	CHECK(chart_hbar(&bad, &png, &len) == -1, "no bars is refused");
	bad.nbars = CHART_MAX_BARS + 1;
	CHECK(chart_hbar(&bad, &png, &len) == -1, "too many bars is refused");
}

void test_chart(void)
{
	test_cols_and_format();
	test_wrap();
	test_wrap_limits();
	test_png();
}
