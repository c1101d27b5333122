/* test_import.c - the roster and pairing-register imports over HTTP: CSV in UTF-8
 * and GB18030, XLSX, dry runs, re-imports that update, and every kind of bad
 * input refused with the row and field named and nothing written. */
#define _POSIX_C_SOURCE 200809L

#include "suites.h"

#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ROSTER "/api/v1/imports/roster"
#define PAIRINGS "/api/v1/imports/pairings"

/* The counts that show whether an import wrote anything. */
typedef struct {
	long long students, pairings, staff, households;
} counts;

static counts counts_now(const roster_demo *d)
{
	counts c = {roster_count(&d->aid, "students", NULL), roster_count(&d->aid, "pairings", NULL),
		    roster_count(&d->aid, "staff", NULL), roster_count(&d->aid, "households", NULL)};
	return c;
}

static void check_unchanged(const roster_demo *d, counts before, const char *what)
{
	counts after = counts_now(d);
	CHECK(after.students == before.students && after.pairings == before.pairings && after.staff == before.staff &&
	      after.households == before.households,
	      "%s wrote nothing: students %lld->%lld, pairings %lld->%lld, staff %lld->%lld, households %lld->%lld", what,
	      before.students, after.students, before.pairings, after.pairings, before.staff, after.staff,
	      before.households, after.households);
}

/* Uploads csv for real and expects 422 with an error on row/field mentioning needle; nothing written. */
static void refused_csv(const roster_demo *d, const char *path, const char *csv, long long row, const char *field,
			const char *needle, const char *what)
{
	counts before = counts_now(d);
	http_resp *r = roster_upload_csv(strcmp(path, PAIRINGS) ? &d->aid : &d->principal, path, csv);
	CHECK_ERROR(r, 422, "unprocessable", FIELD_ANY);
	CHECK(import_has_error(r, row, field, needle), "%s: an error on row %lld, field %s, mentioning %s: %.600s", what, row,
	      field, needle, r->body);
	http_resp_free(r);
	check_unchanged(d, before, what);
}

/* ---------------------------------------------------------------- bad input */

static void bad_format_and_encoding(const roster_demo *d)
{
	static const unsigned char png[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 0, 0, 0, 13};
	static const char latin1[] = "姓名,身份证号,学校,年级,类别\ncaf\xE9,x,y,z,w\n";
	counts before = counts_now(d);
	http_resp *r = roster_upload(&d->aid, ROSTER, "image/png", png, sizeof(png));
	CHECK_ERROR(r, 415, "unsupported_media_type", FIELD_ANY);
	http_resp_free(r);
	r = roster_upload(&d->aid, ROSTER, "text/csv", png, sizeof(png));
	CHECK_ERROR(r, 415, "unsupported_media_type", FIELD_ANY);
	http_resp_free(r);
	r = roster_upload(&d->aid, ROSTER, "application/json", "{\"a\":1}", 7);
	CHECK_ERROR(r, 415, "unsupported_media_type", FIELD_ANY);
	http_resp_free(r);
	r = roster_upload(&d->aid, ROSTER, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
			  "PK\x03\x04garbage", 11);
	CHECK_ERROR(r, 415, "unsupported_media_type", "file");
	http_resp_free(r);
	r = roster_upload(&d->aid, ROSTER, "text/csv", latin1, strlen(latin1));
	CHECK_ERROR(r, 422, "unprocessable", "file");
	CHECK(jstr(r->json, "error.message") && strstr(jstr(r->json, "error.message"), "GB18030") &&
	      strstr(jstr(r->json, "error.message"), "第 2 行"), "wrong encoding is named with its line: %s",
	      jstr(r->json, "error.message"));
	http_resp_free(r);
	check_unchanged(d, before, "refused formats and encodings");
}

static void bad_columns(const roster_demo *d)
{
	counts before = counts_now(d);
	http_resp *r = roster_upload_csv(&d->aid, ROSTER, "姓名,学校,年级,类别,备注\n张三,某校,三年级,建档立卡,\n");
	json_t *missing;
	CHECK_ERROR(r, 422, "unprocessable", "columns");
	missing = json_object_get(r->json, "missing_columns");
	CHECK(json_array_size(missing) == 1 && strstr(json_string_value(json_array_get(missing, 0)), "身份证号"),
	      "the missing 身份证号 column is named: %.300s", r->body);
	CHECK(strstr(jstr(r->json, "error.message"), "身份证号") != NULL, "the message names 身份证号");
	http_resp_free(r);
	r = roster_upload_csv(&d->aid, ROSTER, "这不是名单\n随便写点什么\n");
	CHECK_ERROR(r, 422, "unprocessable", "columns");
	http_resp_free(r);
	check_unchanged(d, before, "files without the required columns");
}

static void bad_rows(const roster_demo *d)
{
	char id1[19], id2[19], id3[19], csv[2048];
	roster_id_number("20150301", 901, id1);
	roster_id_number("20150302", 902, id2);
	roster_id_number("20150303", 903, id3);
	snprintf(csv, sizeof csv, "姓名,身份证号,学校,年级,类别,入学日期\n甲一,%s,%s,四年级,建档立卡,2019-09-01\n"
				  "甲二,%s,%s,四年级,建档立卡,\n", id1, d->school_name, id1, d->school_name);
	refused_csv(d, ROSTER, csv, 3, "id_number", "第 2 行", "an ID number twice in the file");
	snprintf(csv, sizeof csv, "姓名,身份证号,学校,年级,类别\n乙一,%s,%s,四年级,建档立卡\n乙二,%s,桃花源小学,四年级,建档立卡\n",
		 id2, d->school_name, id3);
	refused_csv(d, ROSTER, csv, 3, "school", "桃花源小学", "an unknown school");
	snprintf(csv, sizeof csv, "姓名,身份证号,学校,年级,类别,入学日期\n丙一,%s,%s,四年级,建档立卡,2019-02-30\n", id3,
		 d->school_name);
	refused_csv(d, ROSTER, csv, 2, "start_date", "2019-02-30", "a date that does not exist");
	snprintf(csv, sizeof csv, "姓名,身份证号,学校,年级,类别\n丁一,%.17s%c,%s,四年级,建档立卡\n", id3,
		 id3[17] == '0' ? '1' : '0', d->school_name);
	refused_csv(d, ROSTER, csv, 2, "id_number", "校验位", "a wrong check digit");
	snprintf(csv, sizeof csv, "姓名,身份证号,学校,年级,类别\n戊一,%s,%s,四年级,富裕户\n", id3, d->school_name);
	refused_csv(d, ROSTER, csv, 2, "categories", "富裕户", "an unknown category");
}

/* ---------------------------------------------------------------- good input */

/* Converts UTF-8 text to GB18030 bytes (malloc'd). */
static char *to_gb18030(const char *utf8, size_t *len)
{
	iconv_t cd = iconv_open("GB18030", "UTF-8");
	size_t in_left = strlen(utf8), out_left = in_left * 2 + 16;
	char *out = calloc(1, out_left), *in = (char *)utf8, *dst = out;
	iconv(cd, &in, &in_left, &dst, &out_left);
	iconv_close(cd);
	*len = (size_t)(dst - out);
	return out;
}

static void gb18030_roster(const roster_demo *d, char ids[3][19])
{
	char csv[2048], *gb;
	size_t len;
	long long before = roster_count(&d->aid, "students", NULL);
	http_resp *r;
	roster_id_number("20160401", 911, ids[0]);
	roster_id_number("20160402", 912, ids[1]);
	roster_id_number("20160403", 913, ids[2]);
	snprintf(csv, sizeof csv, "序号,姓名,性别,身份证号码,学校名称,年级,是否寄宿,户主姓名,家庭住址,学生类别,入学日期,特长\r\n"
				  "1,导入甲,男,%s,%s,三年级,否,导入户一,桃岭村1组,建档立卡、留守,2023/9/1,唱歌\r\n"
				  "2,导入乙,女,%s,%s,三年级,是,导入户一,桃岭村1组,建档立卡,2023年9月1日,\r\n"
				  "3,导入丙,男,%s,%s,二年级,否,导入户二,桃岭村2组,防返贫监测，低保,,\r\n",
		 ids[0], d->school_name, ids[1], d->school_name, ids[2], d->school_name);
	gb = to_gb18030(csv, &len);
	r = roster_upload(&d->aid, ROSTER "?dry_run=1", "text/csv", gb, len);
	CHECK_STATUS(r, 200);
	CHECK(jint(r->json, "added") == 3 && jstr(r->json, "encoding") && !strcmp(jstr(r->json, "encoding"), "GB18030"),
	      "the dry run of a GB18030 file: %.400s", r->body);
	CHECK(json_array_size(json_object_get(r->json, "unknown_columns")) == 1 &&
	      !strcmp(jstr(r->json, "unknown_columns.0"), "特长"), "the unknown column 特长 is reported");
	http_resp_free(r);
	CHECK_INT(roster_count(&d->aid, "students", NULL), before, "students after a dry run");
	r = roster_upload(&d->aid, ROSTER "?file_name=%E5%90%8D%E5%8D%95.csv", "text/csv", gb, len);
	CHECK_STATUS(r, 200);
	CHECK(jint(r->json, "added") == 3 && jint(r->json, "rejected") == 0, "GB18030 import adds 3: %.300s", r->body);
	http_resp_free(r);
	free(gb);
	CHECK_INT(roster_count(&d->aid, "students", NULL), before + 3, "students after the import");
	CHECK_INT(roster_count(&d->aid, "households", "q=%E5%AF%BC%E5%85%A5%E6%88%B7"), 2,
		  "two households (导入户一 shared by two students)");
}

/* The same file again is unchanged; a changed grade and status update, never duplicate. */
static void reimport(const roster_demo *d, char ids[3][19])
{
	char csv[1024], path[128];
	long long before = roster_count(&d->aid, "students", NULL), id;
	http_resp *r;
	snprintf(csv, sizeof csv, "姓名,身份证号,学校,年级,类别,就读状态\n导入甲,%s,%s,四年级,建档立卡、留守,在校\n"
				  "导入乙,%s,%s,三年级,建档立卡,转出\n", ids[0], d->school_name, ids[1], d->school_name);
	r = roster_upload_csv(&d->aid, ROSTER "?dry_run=1", csv);
	CHECK(jint(r->json, "changed") == 2 && jstr(r->json, "rows.0.changes.0.field") &&
	      !strcmp(jstr(r->json, "rows.0.changes.0.field"), "grade") && !strcmp(jstr(r->json, "rows.0.changes.0.to"), "四年级"),
	      "the dry run names the change: %.500s", r->body);
	http_resp_free(r);
	r = roster_upload_csv(&d->aid, ROSTER, csv);
	CHECK(r->status == 200 && jint(r->json, "changed") == 2 && jint(r->json, "added") == 0, "re-import: %.300s", r->body);
	http_resp_free(r);
	CHECK_INT(roster_count(&d->aid, "students", NULL), before, "students after a re-import");
	r = roster_upload_csv(&d->aid, ROSTER, csv);
	CHECK(r->status == 200 && jint(r->json, "unchanged") == 2, "the same file again is unchanged: %.200s", r->body);
	http_resp_free(r);
	snprintf(path, sizeof path, "/api/v1/students?id_number=%s", ids[1]);
	r = api(&d->aid, "GET", path, NULL, NULL);
	id = jint(r->json, "items.0.id");
	http_resp_free(r);
	snprintf(path, sizeof path, "/api/v1/students/%lld", id);
	r = api(&d->aid, "GET", path, NULL, NULL);
	CHECK(jstr(r->json, "status") && !strcmp(jstr(r->json, "status"), "转出") &&
	      json_array_size(json_object_get(r->json, "enrolments")) == 2 && jstr(r->json, "enrolments.1.end_date") == NULL,
	      "转出 on re-import opens a new enrolment: %.600s", r->body);
	http_resp_free(r);
}

static void xlsx_roster(const roster_demo *d)
{
	char id[19];
	const char *rows[] = {"姓名", "身份证号", "学校", "年级", "类别", "入学日期", "是否寄宿",
			      "表格甲", id, d->school_name, "五年级", "孤儿", "#45170", "否"};
	unsigned char *x;
	size_t len;
	http_resp *r;
	roster_id_number("20150505", 921, id);
	x = roster_xlsx(rows, 2, 7, &len);
	r = roster_upload(&d->aid, ROSTER, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", x, len);
	CHECK(r->status == 200 && jint(r->json, "added") == 1 && !strcmp(jstr(r->json, "format"), "XLSX"),
	      "an XLSX roster imports: %.400s", r->body);
	http_resp_free(r);
	free(x);
	{
		char q[96];
		snprintf(q, sizeof q, "/api/v1/students?id_number=%s", id);
		r = api(&d->aid, "GET", q, NULL, NULL);
	}
	if (CHECK_STATUS(r, 200) && CHECK_INT(jint(r->json, "total"), 1, "the XLSX student")) {
		char path[64];
		snprintf(path, sizeof path, "/api/v1/students/%lld", jint(r->json, "items.0.id"));
		http_resp_free(r);
		r = api(&d->aid, "GET", path, NULL, NULL);
		CHECK_STR(jstr(r->json, "enrolments.0.start_date"), "2023-09-01", "the date serial 45170 read as a date");
		CHECK_STR(jstr(r->json, "name"), "表格甲", "the inline string");
	}
	http_resp_free(r);
}

static void roles_and_audit(const roster_demo *d)
{
	http_resp *r = roster_upload_csv(&d->head, ROSTER, "姓名\n");
	CHECK_ERROR(r, 403, "forbidden", FIELD_ANY);
	http_resp_free(r);
	r = api(&d->admin, "GET", "/api/v1/audit?entity=roster&per_page=100", NULL, NULL);
	{
		json_t *e;
		size_t i, found = 0;
		json_array_foreach(json_object_get(r->json, "items"), i, e)
			found += jstr(e, "after.file_name") && !strcmp(jstr(e, "after.file_name"), "名单.csv") &&
				 jint(e, "after.added") == 3 && !strcmp(jstr(e, "action"), "import");
		CHECK(found == 1 && jint(r->json, "total") == 4, "every real import is audited once, with the file name and "
		      "counts (dry runs and refusals are not): %.500s", r->body);
	}
	http_resp_free(r);
}

/* ---------------------------------------------------------------- the pairing register */

static void pairing_register(const roster_demo *d)
{
	char csv[2048];
	long long staff = roster_count(&d->principal, "staff", NULL);
	http_resp *r;
	snprintf(csv, sizeof csv, "特困学生“点对点”结对帮扶登记表\n"
				  "帮扶党员姓名,工作单位及职务,帮扶学生姓名,家庭住址,所在年级,联系电话,贫困原因,备注\n"
				  "登记甲,%s 班主任,导入甲,桃岭村1组,四年级,13800000001,因病,每月家访\n"
				  "登记甲,%s 班主任,导入丙,桃岭村2组,二年级,13800000001,缺劳力,\n", d->school_name, d->school_name);
	r = roster_upload_csv(&d->principal, PAIRINGS, csv);
	CHECK(r->status == 200 && jint(r->json, "added") == 2 && jint(r->json, "staff_created") == 1,
	      "the register pairs two students with one new helper (一帮多): %.500s", r->body);
	http_resp_free(r);
	CHECK_INT(roster_count(&d->principal, "staff", NULL), staff + 1, "staff after the register");
	r = api(&d->principal, "GET", "/api/v1/staff?q=%E7%99%BB%E8%AE%B0%E7%94%B2", NULL, NULL);
	CHECK(jint(r->json, "items.0.active_pairings") == 2 && strstr(r->body, "\"roles\":[\"班主任\",\"党员\"]"),
	      "the helper's roles (班主任, and 党员 from the header) and load: %.400s", r->body);
	http_resp_free(r);
	r = roster_upload_csv(&d->principal, PAIRINGS, csv);
	CHECK(r->status == 200 && jint(r->json, "unchanged") == 2 && jint(r->json, "added") == 0,
	      "the same register again changes nothing: %.300s", r->body);
	http_resp_free(r);
}

static void pairing_register_bad(const roster_demo *d)
{
	char csv[1024];
	snprintf(csv, sizeof csv, "帮扶人,帮扶学生,开始日期,结束日期\n登记乙,导入乙,2026-09-01,2026-03-01\n");
	refused_csv(d, PAIRINGS, csv, 2, "end_date", "早于开始日期", "a pairing that ends before it starts");
	snprintf(csv, sizeof csv, "帮扶人,帮扶学生\n登记乙,查无此人\n");
	refused_csv(d, PAIRINGS, csv, 2, "student_name", "查无此人", "a student who is not there");
	snprintf(csv, sizeof csv, "帮扶人,帮扶学生,开始日期\n登记乙,导入乙,2026-02-30\n");
	refused_csv(d, PAIRINGS, csv, 2, "start_date", "2026-02-30", "a start date that does not exist");
}

void test_import(void)
{
	roster_demo d;
	char ids[3][19];
	harness_group("import: bad input");
	if (!roster_schools(&d))
		return;
	bad_format_and_encoding(&d);
	bad_columns(&d);
	bad_rows(&d);
	harness_group("import: roster");
	gb18030_roster(&d, ids);
	reimport(&d, ids);
	xlsx_roster(&d);
	roles_and_audit(&d);
	harness_group("import: pairing register");
	pairing_register(&d);
	pairing_register_bad(&d);
}
