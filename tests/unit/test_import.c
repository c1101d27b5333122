/* test_import.c - header recognition (synonyms, notes in brackets, title rows,
 * missing and repeated columns), format sniffing and cell values. */
#include <string.h>

#include "harness.h"
#include "import.h"
#include "roster.h"

static void test_header_fields(void)
{
	char norm[64];
	import_header_normalize(" 身份证号码（18位）* ", norm, sizeof(norm));
	CHECK(!strcmp(norm, "身份证号码"), "normalized header (%s)", norm);
	CHECK(import_header_field(import_roster_columns, "姓名") == RF_NAME, "姓名");
	CHECK(import_header_field(import_roster_columns, "学生姓名") == RF_NAME, "学生姓名");
	CHECK(import_header_field(import_roster_columns, "身份证号码") == RF_ID, "身份证号码");
	CHECK(import_header_field(import_roster_columns, "*身份证号") == RF_ID, "a required-marker is dropped");
	CHECK(import_header_field(import_roster_columns, "学校名称") == RF_SCHOOL, "学校名称");
	CHECK(import_header_field(import_roster_columns, "学校标识码") == RF_SCHOOL_CODE, "学校标识码");
	CHECK(import_header_field(import_roster_columns, "户主姓名") == RF_HEAD, "户主姓名");
	CHECK(import_header_field(import_roster_columns, "学生类别") == RF_CATEGORIES, "学生类别");
	CHECK(import_header_field(import_roster_columns, "是否寄宿") == RF_BOARDING, "是否寄宿");
	CHECK(import_header_field(import_roster_columns, "入学日期：") == RF_START, "a trailing colon");
	CHECK(import_header_field(import_roster_columns, "序号") == IMPORT_IGNORED, "序号 is known and skipped");
	CHECK(import_header_field(import_roster_columns, "爱好") == IMPORT_UNKNOWN, "爱好 is unknown");
	CHECK(import_header_field(import_pairing_columns, "帮扶党员姓名") == PF_STAFF, "附件3's 帮扶党员姓名");
	CHECK(import_header_field(import_pairing_columns, "工作单位及职务") == PF_UNIT, "工作单位及职务");
	CHECK(import_header_field(import_pairing_columns, "帮扶学生姓名") == PF_STUDENT, "帮扶学生姓名");
	CHECK(import_header_field(import_pairing_columns, "所在年级") == PF_GRADE, "所在年级");
	CHECK(import_header_field(import_pairing_columns, "贫困原因") == PF_REASON, "贫困原因");
	CHECK(import_header_field(import_pairing_columns, "学生身份证号") == PF_STUDENT_ID, "学生身份证号");
}

typedef struct {
	int rows;
	unsigned long first;
	char name[32];
} seen;

static int on_data(void *ctx, const import_header *h, const sheet_row *row)
{
	seen *s = ctx;
	if (!s->rows++) {
		s->first = row->number;
		strncpy(s->name, import_cell(h, row, RF_NAME), sizeof(s->name) - 1);
	}
	return 0;
}

/* Feeds rows (cells separated by '|') to a reader over the roster columns. */
static int feed(import_reader *rd, const char *const *lines, size_t n)
{
	char buf[8][256], *cells[8][16];
	size_t i;
	for (i = 0; i < n; i++) {
		size_t k = 0;
		char *p;
		strncpy(buf[i], lines[i], sizeof(buf[i]) - 1);
		buf[i][sizeof(buf[i]) - 1] = '\0';
		for (p = strtok(buf[i], "|"); p && k < 16; p = strtok(NULL, "|"))
			cells[i][k++] = strcmp(p, "~") ? p : (char *)"";
		if (import_reader_row(rd, &(sheet_row){i + 1, k, cells[i]}))
			break;
	}
	return import_reader_finish(rd);
}

static void test_header_reader(void)
{
	const char *const good[] = {"桐岭县建档立卡学生名单", "~", "序号|姓名|身份证号|学校|年级|类别|爱好",
				    "1| 张三　|11010519491231002X|城关镇中心小学|三年级|建档立卡|~"};
	const char *const missing[] = {"姓名|学校|备注", "张三|某校|~"};
	const char *const twice[] = {"姓名|身份证号|学校|年级|类别|学生姓名"};
	import_report rep;
	import_reader rd;
	seen s = {0, 0, ""};

	import_report_init(&rep, 10, 10);
	import_reader_init(&rd, import_roster_columns, &rep, on_data, &s);
	CHECK(feed(&rd, good, 4) == 0 && rd.header.row == 3, "the header is found under a title row");
	CHECK(s.rows == 1 && s.first == 4 && !strcmp(s.name, "张三"), "data rows follow, cells trimmed (%s)", s.name);
	CHECK(json_array_size(rep.unknown_columns) == 1 &&
	      !strcmp(json_string_value(json_array_get(rep.unknown_columns, 0)), "爱好"), "爱好 is reported");
	import_report_release(&rep);

	import_report_init(&rep, 10, 10);
	import_reader_init(&rd, import_roster_columns, &rep, on_data, &s);
	CHECK(feed(&rd, missing, 2) == -1 && json_array_size(rep.missing_columns) == 3,
	      "身份证号, 年级 and 类别 are missing (%zu)", json_array_size(rep.missing_columns));
	CHECK(strstr(json_string_value(json_array_get(rep.missing_columns, 0)), "身份证号") != NULL,
	      "the missing column is named");
	import_report_release(&rep);

	import_report_init(&rep, 10, 10);
	import_reader_init(&rd, import_roster_columns, &rep, on_data, &s);
	CHECK(feed(&rd, twice, 1) == -1 && rep.errors_total == 1, "a repeated column is refused");
	import_report_release(&rep);
}

static void test_sniff(void)
{
	char err[256];
	int status;
	CHECK(import_sniff((const unsigned char *)"PK\x03\x04xx", 6, "text/csv", &status, err, sizeof(err)) == IMPORT_XLSX,
	      "PK\\3\\4 is XLSX whatever the type says");
	CHECK(import_sniff((const unsigned char *)"a,b\n", 4, "text/csv; charset=gbk", &status, err, sizeof(err)) ==
	      IMPORT_CSV, "text/csv with parameters");
	CHECK(import_sniff((const unsigned char *)"a,b\n", 4, NULL, &status, err, sizeof(err)) == IMPORT_CSV,
	      "no type: text is CSV");
	CHECK(import_sniff((const unsigned char *)"\x89PNG\r\n", 6, "text/csv", &status, err, sizeof(err)) == IMPORT_NONE &&
	      status == 415, "a PNG is refused with 415 even as text/csv");
	CHECK(import_sniff((const unsigned char *)"a,b\n", 4, "application/json", &status, err, sizeof(err)) ==
	      IMPORT_NONE && status == 415, "a JSON content type is refused");
	CHECK(import_sniff((const unsigned char *)"\xD0\xCF\x11\xE0", 4, NULL, &status, err, sizeof(err)) ==
	      IMPORT_NONE && strstr(err, ".xls"), "old .xls is named: %s", err);
	CHECK(import_sniff((const unsigned char *)"a,b\n", 4, IMPORT_XLSX_CONTENT_TYPE, &status, err, sizeof(err)) == IMPORT_NONE &&
	      status == 415, "an XLSX type over text is refused");
	CHECK(import_sniff((const unsigned char *)"", 0, "text/csv", &status, err, sizeof(err)) == IMPORT_NONE &&
	      status == 422, "an empty file is 422");
}

static void test_values(void)
{
	char d[11], bad[64];
	unsigned mask;
	int b;
	CHECK(import_parse_date("2019-09-01", d) == 0 && !strcmp(d, "2019-09-01"), "ISO date");
	CHECK(import_parse_date("2019/9/1", d) == 0 && !strcmp(d, "2019-09-01"), "slashes (%s)", d);
	CHECK(import_parse_date("2019年9月1日", d) == 0 && !strcmp(d, "2019-09-01"), "年月日 (%s)", d);
	CHECK(import_parse_date("2019.09.01 08:00:00", d) == 0 && !strcmp(d, "2019-09-01"), "dots and a time");
	CHECK(import_parse_date("20190901", d) == 0 && !strcmp(d, "2019-09-01"), "eight digits");
	CHECK(import_parse_date("2019年9月", d) == 0 && !strcmp(d, "2019-09-01"), "a month (%s)", d);
	CHECK(import_parse_date("2019-02-30", d) == -1, "30 February is refused");
	CHECK(import_parse_date("2019-09-", d) == -1 && import_parse_date("19-9-1", d) == -1 &&
	      import_parse_date("43709", d) == -1 && import_parse_date("明天", d) == -1, "malformed dates");
	CHECK(import_parse_bool("是", &b) == 0 && b == 1 && import_parse_bool("走读", &b) == 0 && b == 0 &&
	      import_parse_bool("TRUE", &b) == 0 && b == 1 && import_parse_bool("也许", &b) == -1, "yes and no");
	CHECK(!strcmp(import_parse_gender("男性"), "男") && !strcmp(import_parse_gender("F"), "女") &&
	      !import_parse_gender("未知"), "gender");
	CHECK(!strcmp(import_parse_stage("幼儿园"), "学前") && !strcmp(import_parse_stage("普通高中"), "高中") &&
	      !import_parse_stage("大学"), "stage");
	CHECK(!strcmp(import_stage_of_grade("三年级"), "小学") && !strcmp(import_stage_of_grade("初二"), "初中") &&
	      !strcmp(import_stage_of_grade("八年级"), "初中") && !strcmp(import_stage_of_grade("高一年级"), "高中") &&
	      !strcmp(import_stage_of_grade("大班"), "学前") && !strcmp(import_stage_of_grade("中职一年级"), "中职") &&
	      !import_stage_of_grade("研一"), "stage of grade");
	CHECK(!strcmp(import_parse_status("在读"), "在校") && !strcmp(import_parse_status("劝返"), "劝返复学") &&
	      !strcmp(import_parse_status("县外"), "县外就读") && !import_parse_status("休学"), "status");
	CHECK(import_parse_categories("脱贫户、留守儿童，低保/残疾; 随迁子女", &mask, bad, sizeof(bad)) == 0 &&
	      mask == (1u | 4u | 16u | 64u | 128u), "categories and separators (mask %u)", mask);
	CHECK(import_parse_categories("建档立卡、富裕户", &mask, bad, sizeof(bad)) == -1 && !strcmp(bad, "富裕户"),
	      "an unknown category is named (%s)", bad);
	CHECK(import_parse_categories("", &mask, bad, sizeof(bad)) == 0 && mask == 0, "no categories");
}

void test_import(void)
{
	test_header_fields();
	test_header_reader();
	test_sniff();
	test_values();
}
