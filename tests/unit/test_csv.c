/* test_csv.c - CSV decoding (UTF-8 with and without BOM, GB18030, neither) and
 * RFC 4180 parsing (quotes, doubled quotes, line breaks in fields, CRLF, tabs). */
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "harness.h"

/* Collects rows as "n:a|b|c" lines, to compare with one string. */
typedef struct {
	char out[1024];
	int stop_after;
	int seen;
} collect;

static int collect_row(void *ctx, const sheet_row *row)
{
	collect *c = ctx;
	size_t i, n = strlen(c->out);
	n += (size_t)snprintf(c->out + n, sizeof(c->out) - n, "%lu:", row->number);
	for (i = 0; i < row->ncells; i++)
		n += (size_t)snprintf(c->out + n, sizeof(c->out) - n, "%s%s", i ? "|" : "", row->cells[i]);
	snprintf(c->out + n, sizeof(c->out) - n, "\n");
	return ++c->seen == c->stop_after;
}

static void expect_parse(const char *text, const char *want, const char *what)
{
	collect c = {"", 0, 0};
	char err[256] = "";
	int rc = csv_parse(text, strlen(text), collect_row, &c, err, sizeof(err));
	CHECK(rc == SHEET_OK && !strcmp(c.out, want), "%s: rc %d, got [%s] want [%s] %s", what, rc, c.out, want, err);
}

static void test_csv_parse(void)
{
	collect c = {"", 2, 0};
	char err[256] = "";
	int rc;
	expect_parse("姓名,年级\n张三,三年级\n", "1:姓名|年级\n2:张三|三年级\n", "plain LF");
	expect_parse("a,b\r\nc,d", "1:a|b\n2:c|d\n", "CRLF and no final line end");
	expect_parse("\"x,y\",\"say \"\"hi\"\"\"\n", "1:x,y|say \"hi\"\n", "quoted separators and doubled quotes");
	expect_parse("\"line1\r\nline2\",z\nnext,row\n", "1:line1\r\nline2|z\n2:next|row\n",
		     "a line break inside quotes stays in one row");
	expect_parse("a,,c\n,\n", "1:a||c\n2:|\n", "empty fields");
	expect_parse("a,", "1:a|\n", "a trailing separator at the very end");
	expect_parse("a\tb\tc\n1\t2\t3\n", "1:a|b|c\n2:1|2|3\n", "tab-separated (Excel's text export)");
	expect_parse("a\rb\r", "1:a\n2:b\n", "old Mac line ends");
	expect_parse("a,b\n\nc,d\n", "1:a|b\n2:\n3:c|d\n", "a blank line keeps its row number");
	rc = csv_parse("a,\"open\nb,c\n", strlen("a,\"open\nb,c\n"), collect_row, &c, err, sizeof(err));
	CHECK(rc == SHEET_DAMAGED && strstr(err, "第 1 行"), "an unclosed quote names its row: rc %d, %s", rc, err);
	memset(&c, 0, sizeof(c));
	c.stop_after = 2;
	rc = csv_parse("1\n2\n3\n", 6, collect_row, &c, err, sizeof(err));
	CHECK(rc == SHEET_STOPPED && c.seen == 2, "the callback stops the parse (rc %d, seen %d)", rc, c.seen);
}

static void test_csv_decode(void)
{
	/* "姓名,年级\n张三,三年级\n" in GBK */
	static const unsigned char gbk[] = {0xD0, 0xD5, 0xC3, 0xFB, ',', 0xC4, 0xEA, 0xBC, 0xB6, '\n', 0xD5, 0xC5,
					    0xC8, 0xFD, ',', 0xC8, 0xFD, 0xC4, 0xEA, 0xBC, 0xB6, '\n'};
	static const unsigned char bom[] = "\xEF\xBB\xBF姓名\n";
	static const unsigned char neither[] = "ok,ok\nbad\xFF\xFE,x\n";
	static const unsigned char utf16[] = {0xFF, 0xFE, 'a', 0, ',', 0, 'b', 0};
	const char *text, *enc;
	size_t len;
	char *owned = NULL, err[300];
	int rc;

	rc = csv_decode(gbk, sizeof(gbk), &text, &len, &owned, &enc, err, sizeof(err));
	CHECK(rc == 0 && owned && !strcmp(enc, "GB18030") && len == strlen("姓名,年级\n张三,三年级\n") &&
	      !memcmp(text, "姓名,年级\n张三,三年级\n", len), "GBK bytes are converted to UTF-8 (rc %d)", rc);
	free(owned);
	rc = csv_decode(bom, sizeof(bom) - 1, &text, &len, &owned, &enc, err, sizeof(err));
	CHECK(rc == 0 && !owned && len == strlen("姓名\n") && !strncmp(text, "姓名", 6) &&
	      !strcmp(enc, "UTF-8 (BOM)"), "a BOM is dropped and the text used in place");
	rc = csv_decode((const unsigned char *)"a,b\n", 4, &text, &len, &owned, &enc, err, sizeof(err));
	CHECK(rc == 0 && !owned && !strcmp(enc, "UTF-8"), "plain UTF-8 is used in place");
	rc = csv_decode(neither, sizeof(neither) - 1, &text, &len, &owned, &enc, err, sizeof(err));
	CHECK(rc == -1 && strstr(err, "第 2 行") && strstr(err, "GB18030"),
	      "bytes that are neither UTF-8 nor GB18030 are refused naming the line: %s", err);
	rc = csv_decode(utf16, sizeof(utf16), &text, &len, &owned, &enc, err, sizeof(err));
	CHECK(rc == -1 && strstr(err, "UTF-16"), "UTF-16 is named: %s", err);
}

void test_csv(void)
{
	test_csv_parse();
	test_csv_decode();
}
