/* test_import_big.c - roster imports of more rows than one chunk of the import's
 * writer thread (256) and one multi-row statement: a bad row, a duplicate ID
 * number or a student out of the importer's scope found late in the file still
 * rejects the whole file with nothing written; a dry run writes nothing; a real
 * import adds every row with its household and enrolment; a re-import updates
 * every row by ID hash and a second one changes nothing. */
#define _POSIX_C_SOURCE 200809L

#include "suites.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ROSTER "/api/v1/imports/roster"
#define BIG_ROWS 1000 /* three full chunks and a tail of 232 */

/* The ID number of big-file student i (born in 2013, unlike the other tests' students). */
static void big_id(int i, char out[19])
{
	char birth[9];
	snprintf(birth, sizeof birth, "2013%02d%02d", i % 336 / 28 + 1, i % 28 + 1);
	roster_id_number(birth, 100 + i / 336, out);
}

/* A roster CSV of students [from, from + n) at school (name); category cat for
 * all; every two students share a household. bad_row > 0 gets an unknown
 * category on that file row (data rows start at row 2). malloc'd. */
static char *big_csv(const char *school, int from, int n, const char *cat, int bad_row)
{
	size_t cap = (size_t)n * 200 + 256, len;
	char *csv = malloc(cap), id[19];
	int i;
	len = (size_t)snprintf(csv, cap, "姓名,身份证号,学校,年级,类别,户主,家庭住址\n");
	for (i = from; i < from + n; i++) {
		big_id(i, id);
		len += (size_t)snprintf(csv + len, cap - len, "批量%04d,%s,%s,五年级,%s,户主%04d,批量村%d组\n", i, id, school,
					i - from + 2 == bad_row ? "富裕户" : cat, i / 2, i / 2);
	}
	return csv;
}

/* Uploads csv as c and expects 422 naming row, field and needle, with nothing written. */
static void big_refused(const roster_demo *d, const client *c, char *csv, long long row, const char *field,
			const char *needle, const char *what)
{
	long long students = roster_count(&d->aid, "students", NULL), households = roster_count(&d->aid, "households", NULL);
	http_resp *r = roster_upload_csv(c, ROSTER, csv);
	CHECK_ERROR(r, 422, "unprocessable", FIELD_ANY);
	CHECK(import_has_error(r, row, field, needle) && jint(r->json, "rejected") == 1,
	      "%s: one rejected row, the error on row %lld, field %s, mentioning %s: %.500s", what, row, field, needle, r->body);
	http_resp_free(r);
	CHECK_INT(roster_count(&d->aid, "students", NULL), students, "students after the refused file");
	CHECK_INT(roster_count(&d->aid, "households", NULL), households, "households after the refused file");
	free(csv);
}

/* A bad row or a duplicate after three chunks have gone to the writer. */
static void big_bad(const roster_demo *d)
{
	char *csv = big_csv(d->school_name, 0, BIG_ROWS, "建档立卡", BIG_ROWS + 1);
	char id[19];
	size_t len;
	big_refused(d, &d->aid, csv, BIG_ROWS + 1, "categories", "富裕户", "an unknown category on the last row");
	csv = big_csv(d->school_name, 0, BIG_ROWS, "建档立卡", 0);
	big_id(2, id);
	len = strlen(csv);
	csv = realloc(csv, len + 400);
	snprintf(csv + len, 400, "重复,%s,%s,五年级,低保,户主重复,重复村\n", id, d->school_name);
	big_refused(d, &d->aid, csv, BIG_ROWS + 2, "id_number", "第 4 行", "an ID number again after 1,000 rows");
}

/* The dry run, the import, the re-import that changes every row, and once more. */
static void big_import(const roster_demo *d)
{
	long long students = roster_count(&d->aid, "students", NULL), households = roster_count(&d->aid, "households", NULL);
	char *csv = big_csv(d->school_name, 0, BIG_ROWS, "建档立卡", 0), q[96], id[19];
	http_resp *r = roster_upload_csv(&d->aid, ROSTER "?dry_run=1", csv);
	CHECK(r->status == 200 && jint(r->json, "added") == BIG_ROWS && json_array_size(json_object_get(r->json, "rows")) == 200,
	      "the dry run of 1,000 rows: %.300s", r->body);
	http_resp_free(r);
	CHECK_INT(roster_count(&d->aid, "students", NULL), students, "students after the dry run");
	r = roster_upload_csv(&d->aid, ROSTER, csv);
	CHECK(r->status == 200 && jint(r->json, "added") == BIG_ROWS && jint(r->json, "changed") == 0,
	      "1,000 rows imported: %.300s", r->body);
	http_resp_free(r);
	free(csv);
	CHECK_INT(roster_count(&d->aid, "students", NULL), students + BIG_ROWS, "students after the import");
	CHECK_INT(roster_count(&d->aid, "households", NULL), households + BIG_ROWS / 2, "households after the import");
	big_id(BIG_ROWS - 1, id);
	snprintf(q, sizeof q, "/api/v1/students?id_number=%s", id);
	r = api(&d->aid, "GET", q, NULL, NULL);
	CHECK(jint(r->json, "total") == 1 && jstr(r->json, "items.0.name") && !strcmp(jstr(r->json, "items.0.name"), "批量0999"),
	      "the last row's student, found by ID number: %.300s", r->body);
	http_resp_free(r);
	csv = big_csv(d->school_name, 0, BIG_ROWS, "建档立卡、留守", 0);
	r = roster_upload_csv(&d->aid, ROSTER, csv);
	CHECK(r->status == 200 && jint(r->json, "changed") == BIG_ROWS && jint(r->json, "added") == 0,
	      "the re-import changes every row: %.300s", r->body);
	http_resp_free(r);
	r = roster_upload_csv(&d->aid, ROSTER, csv);
	CHECK(r->status == 200 && jint(r->json, "unchanged") == BIG_ROWS, "the same file again changes nothing: %.300s",
	      r->body);
	http_resp_free(r);
	free(csv);
	CHECK_INT(roster_count(&d->aid, "students", NULL), students + BIG_ROWS, "students after the re-imports");
}

/* An aid officer of one school names, on row 302, a student now at another school. */
static void big_out_of_scope(const roster_demo *d)
{
	char path[64], *csv, id[19];
	client school_aid;
	http_resp *r;
	size_t len;
	if (fixture_user(&d->admin, "bigaid", "aid_officer", d->school, DEMO_PASSWORD) < 0 ||
	    !fixture_login("bigaid", &school_aid))
		return;
	snprintf(path, sizeof path, "/api/v1/orgs/%lld", d->other);
	r = api(&d->admin, "GET", path, NULL, NULL);
	csv = big_csv(jstr(r->json, "name") ? jstr(r->json, "name") : "?", BIG_ROWS, 1, "低保", 0);
	http_resp_free(r);
	r = roster_upload_csv(&d->aid, ROSTER, csv);
	CHECK(r->status == 200 && jint(r->json, "added") == 1, "a student at the other school: %.300s", r->body);
	http_resp_free(r);
	free(csv);
	csv = big_csv(d->school_name, BIG_ROWS + 1, 300, "建档立卡", 0);
	big_id(BIG_ROWS, id);
	len = strlen(csv);
	csv = realloc(csv, len + 400);
	snprintf(csv + len, 400, "批量转入,%s,%s,五年级,低保,户主转入,转入村\n", id, d->school_name);
	big_refused(d, &school_aid, csv, 302, "id_number", "管辖范围以外", "a student out of scope after 300 rows");
}

void test_import_big(void)
{
	roster_demo d;
	harness_group("import: roster files of several chunks");
	if (!roster_schools(&d))
		return;
	big_bad(&d);
	big_import(&d);
	big_out_of_scope(&d);
}
