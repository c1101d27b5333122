/* test_xlsx.c - the first sheet of tiny workbooks built here with libzip from XML
 * strings: shared strings with rich-text and phonetic runs, inline strings,
 * numbers, dates by built-in and custom formats (1900 and 1904 systems), cells
 * skipped by reference, and damaged or foreign packages. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "harness.h"
#include "xlsx_read.h"

#define NS "xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" " \
	   "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\""

/* Builds a zip in memory from {name, text} pairs ending in {NULL}; caller frees. */
static unsigned char *zip_build(const char *const files[][2], size_t *len)
{
	zip_error_t ze;
	zip_source_t *src = zip_source_buffer_create(NULL, 0, 0, &ze);
	zip_t *z;
	unsigned char *buf = NULL;
	size_t i;

	zip_source_keep(src);
	z = zip_open_from_source(src, ZIP_TRUNCATE, &ze);
	for (i = 0; files[i][0]; i++)
		zip_file_add(z, files[i][0], zip_source_buffer(z, files[i][1], strlen(files[i][1]), 0), ZIP_FL_ENC_UTF_8);
	zip_close(z);
	zip_source_open(src);
	zip_source_seek(src, 0, SEEK_END);
	*len = (size_t)zip_source_tell(src);
	zip_source_seek(src, 0, SEEK_SET);
	buf = malloc(*len);
	zip_source_read(src, buf, *len);
	zip_source_close(src);
	zip_source_free(src);
	return buf;
}

typedef struct {
	char out[2048];
} collect;

static int collect_row(void *ctx, const sheet_row *row)
{
	collect *c = ctx;
	size_t i, n = strlen(c->out);
	n += (size_t)snprintf(c->out + n, sizeof(c->out) - n, "%lu:", row->number);
	for (i = 0; i < row->ncells; i++)
		n += (size_t)snprintf(c->out + n, sizeof(c->out) - n, "%s%s", i ? "|" : "", row->cells[i]);
	snprintf(c->out + n, sizeof(c->out) - n, "\n");
	return 0;
}

static const char WORKBOOK[] = "<?xml version=\"1.0\"?><workbook " NS "><sheets>"
	"<sheet name=\"名单\" sheetId=\"1\" r:id=\"rId7\"/><sheet name=\"其他\" sheetId=\"2\" r:id=\"rId8\"/>"
	"</sheets></workbook>";
static const char WORKBOOK_1904[] = "<workbook " NS "><workbookPr date1904=\"1\"/><sheets>"
	"<sheet name=\"s\" sheetId=\"1\" r:id=\"rId7\"/></sheets></workbook>";
static const char RELS[] = "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
	"<Relationship Id=\"rId8\" Type=\"x\" Target=\"worksheets/sheet2.xml\"/>"
	"<Relationship Id=\"rId7\" Type=\"x\" Target=\"/xl/worksheets/first.xml\"/></Relationships>";
static const char STYLES[] = "<styleSheet " NS "><numFmts count=\"1\">"
	"<numFmt numFmtId=\"176\" formatCode=\"yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;\"/>"
	"<numFmt numFmtId=\"177\" formatCode=\"0.00E+00\"/></numFmts>"
	"<cellStyleXfs count=\"1\"><xf numFmtId=\"14\"/></cellStyleXfs>"
	"<cellXfs count=\"4\"><xf numFmtId=\"0\"/><xf numFmtId=\"14\"/><xf numFmtId=\"176\"/><xf numFmtId=\"177\"/>"
	"</cellXfs></styleSheet>";
static const char SST[] = "<sst " NS " count=\"4\" uniqueCount=\"4\">"
	"<si><t>姓名</t></si>"
	"<si><r><rPr><b/></rPr><t>入学</t></r><r><t xml:space=\"preserve\">日期</t></r></si>"
	"<si><t>张三</t><rPh sb=\"0\" eb=\"1\"><t>zhang</t></rPh></si>"
	"<si><t>line_x000D_</t></si></sst>";
static const char SHEET[] = "<worksheet " NS "><sheetData>"
	"<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>桐岭县学生名单</t></is></c></row>"
	"<row r=\"3\"><c r=\"A3\" t=\"s\"><v>0</v></c><c r=\"C3\" t=\"s\"><v>1</v></c><c r=\"D3\" t=\"str\"><v>公式</v></c></row>"
	"<row r=\"4\"><c r=\"A4\" t=\"s\"><v>2</v></c><c r=\"B4\"><v>3</v></c><c r=\"C4\" s=\"1\"><v>43709</v></c>"
	"<c r=\"D4\" s=\"2\"><v>43709.75</v></c><c r=\"E4\" t=\"b\"><v>1</v></c><c r=\"F4\"><v>0.1</v></c>"
	"<c r=\"G4\" s=\"3\"><v>4.3060220150301005E+17</v></c><c r=\"H4\" t=\"e\"><v>#N/A</v></c>"
	"<c r=\"I4\" s=\"1\"><v>60</v></c></row>"
	"<row r=\"5\"><c r=\"B5\" t=\"s\"><v>3</v></c><c r=\"C5\" s=\"1\"/></row>"
	"</sheetData></worksheet>";

static void test_xlsx_read_rows(void)
{
	const char *const files[][2] = {{"[Content_Types].xml", "<Types/>"}, {"xl/workbook.xml", WORKBOOK},
					{"xl/_rels/workbook.xml.rels", RELS}, {"xl/styles.xml", STYLES},
					{"xl/sharedStrings.xml", SST}, {"xl/worksheets/first.xml", SHEET},
					{"xl/worksheets/sheet2.xml", "<worksheet/>"}, {NULL, NULL}};
	size_t len;
	unsigned char *zip = zip_build(files, &len);
	collect c = {""};
	char err[256] = "";
	int rc = xlsx_read(zip, len, collect_row, &c, err, sizeof(err));
	const char *want = "1:桐岭县学生名单\n"
			   "3:姓名||入学日期|公式\n"
			   "4:张三|3|2019-09-01|2019-09-01|TRUE|0.1|4.3060220150301e+17|#N/A|1900-02-29\n"
			   "5:|line\r|\n";
	CHECK(rc == SHEET_OK && !strcmp(c.out, want), "first sheet rows: rc %d %s\ngot:\n%s\nwant:\n%s", rc, err,
	      c.out, want);
	free(zip);
}

static void test_xlsx_1904(void)
{
	const char *const files[][2] = {
		{"xl/workbook.xml", WORKBOOK_1904}, {"xl/_rels/workbook.xml.rels", RELS},
		{"xl/styles.xml", STYLES},
		{"xl/worksheets/first.xml", "<worksheet " NS "><sheetData><row><c s=\"1\"><v>0</v></c>"
					    "<c><v>12</v></c></row></sheetData></worksheet>"},
		{NULL, NULL}};
	size_t len;
	unsigned char *zip = zip_build(files, &len);
	collect c = {""};
	char err[256] = "";
	int rc = xlsx_read(zip, len, collect_row, &c, err, sizeof(err));
	CHECK(rc == SHEET_OK && !strcmp(c.out, "1:1904-01-01|12\n"),
	      "1904 date system, no shared strings, rows and cells without references: rc %d [%s] %s", rc, c.out, err);
	free(zip);
}

static void expect_failure(const char *const files[][2], int want, const char *needle, const char *what)
{
	size_t len;
	unsigned char *zip = zip_build(files, &len);
	collect c = {""};
	char err[256] = "";
	int rc = xlsx_read(zip, len, collect_row, &c, err, sizeof(err));
	CHECK(rc == want && strstr(err, needle), "%s: rc %d, %s", what, rc, err);
	free(zip);
}

static void test_xlsx_bad(void)
{
	const char *const no_workbook[][2] = {{"word/document.xml", "<w/>"}, {NULL, NULL}};
	const char *const broken_sheet[][2] = {{"xl/workbook.xml", WORKBOOK}, {"xl/_rels/workbook.xml.rels", RELS},
					       {"xl/worksheets/first.xml", "<worksheet><sheetData><row>"}, {NULL, NULL}};
	const char *const bad_sst[][2] = {{"xl/workbook.xml", WORKBOOK}, {"xl/_rels/workbook.xml.rels", RELS},
					  {"xl/worksheets/first.xml", "<worksheet><sheetData><row><c t=\"s\"><v>9</v></c>"
								      "</row></sheetData></worksheet>"}, {NULL, NULL}};
	char err[256] = "";
	collect c = {""};
	CHECK(xlsx_read("not a zip at all", 16, collect_row, &c, err, sizeof(err)) == SHEET_BAD_FORMAT,
	      "bytes that are no zip are not a workbook");
	expect_failure(no_workbook, SHEET_BAD_FORMAT, "workbook", "a zip without a workbook (a .docx)");
	expect_failure(broken_sheet, SHEET_DAMAGED, "XML", "a worksheet cut short");
	expect_failure(bad_sst, SHEET_DAMAGED, "共享字符串", "a shared string that does not exist");
}

static void test_xlsx_helpers(void)
{
	char d[11];
	CHECK(xlsx_format_is_date("yyyy-mm-dd") && xlsx_format_is_date("[$-804]yyyy\"年\"m\"月\"d\"日\";@"),
	      "date formats are dates");
	CHECK(!xlsx_format_is_date("0.00E+00") && !xlsx_format_is_date("General") &&
	      !xlsx_format_is_date("\"day\"0") && !xlsx_format_is_date("[Red]0.00") && !xlsx_format_is_date("@"),
	      "number, text and literal formats are not");
	CHECK(xlsx_builtin_is_date(14) && xlsx_builtin_is_date(31) && xlsx_builtin_is_date(57) &&
	      !xlsx_builtin_is_date(0) && !xlsx_builtin_is_date(49), "built-in date formats");
	CHECK(xlsx_serial_to_date(1, 0, d) == 0 && !strcmp(d, "1900-01-01"), "serial 1 (%s)", d);
	CHECK(xlsx_serial_to_date(59, 0, d) == 0 && !strcmp(d, "1900-02-28"), "serial 59 (%s)", d);
	CHECK(xlsx_serial_to_date(61, 0, d) == 0 && !strcmp(d, "1900-03-01"), "serial 61 (%s)", d);
	CHECK(xlsx_serial_to_date(45000, 0, d) == 0 && !strcmp(d, "2023-03-15"), "serial 45000 (%s)", d);
	CHECK(xlsx_serial_to_date(-3, 0, d) == -1, "negative serials are no dates");
	CHECK(xlsx_column_of("A1") == 0 && xlsx_column_of("Z9") == 25 && xlsx_column_of("AB12") == 27 &&
	      xlsx_column_of("XFD1") == 16383 && xlsx_column_of("XFE1") == -1 && xlsx_column_of("12") == -1,
	      "cell references to columns");
}

void test_xlsx(void)
{
	test_xlsx_read_rows();
	test_xlsx_1904();
	test_xlsx_bad();
	test_xlsx_helpers();
}
