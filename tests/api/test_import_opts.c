/* test_import_opts.c - what an import request says besides the file: the
 * original file name from ?file_name= or the X-Filename header (as the import
 * page sends it), and dry_run echoed in every answer that carries the report,
 * the refusals of the whole file included. */
#define _POSIX_C_SOURCE 200809L

#include "suites.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ROSTER "/api/v1/imports/roster"
#define PAIRINGS "/api/v1/imports/pairings"
#define XLSX_TYPE "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

/* POSTs csv to path as c with an X-Filename header (NULL: none). Caller frees. */
static http_resp *upload_named(const client *c, const char *path, const char *csv, const char *x_filename)
{
	char cookie[200], csrf[200], name[1200];
	const char *h[5] = {cookie, csrf, "Content-Type: text/csv", NULL, NULL};
	snprintf(cookie, sizeof cookie, "Cookie: %s", c->cookie);
	snprintf(csrf, sizeof csrf, "X-CSRF-Token: %s", c->csrf);
	if (x_filename) {
		snprintf(name, sizeof name, "X-Filename: %s", x_filename);
		h[3] = name;
	}
	return http_do("POST", path, h, csv, strlen(csv));
}

/* The file_name of the newest roster import in the audit log, copied into out ("" when none). */
static void last_import_name(const roster_demo *d, char *out, size_t n)
{
	http_resp *r = api(&d->admin, "GET", "/api/v1/audit?entity=roster&per_page=1", NULL, NULL);
	const char *name = jstr(r->json, "items.0.after.file_name");
	CHECK(r->status == 200 && jstr(r->json, "items.0.action") && !strcmp(jstr(r->json, "items.0.action"), "import"),
	      "the newest roster audit entry is an import: %.300s", r->body);
	snprintf(out, n, "%s", name ? name : "");
	http_resp_free(r);
}

/* A real import of csv named by the header and/or the query; the audit log keeps want. */
static void named_import(const roster_demo *d, const char *csv, const char *query, const char *header,
			 const char *want, const char *what)
{
	char path[256], got[1024];
	http_resp *r;
	snprintf(path, sizeof path, "%s%s", ROSTER, query ? query : "");
	r = upload_named(&d->aid, path, csv, header);
	CHECK(r->status == 200 && json_is_false(json_object_get(r->json, "dry_run")), "%s: imported: %.300s", what,
	      r->body);
	http_resp_free(r);
	last_import_name(d, got, sizeof got);
	CHECK_STR(got, want, what);
}

static void file_names(const roster_demo *d)
{
	char id[19], csv[512], longname[700] = "";
	long long audits = fixture_total(&d->admin, "/api/v1/audit?entity=roster");
	http_resp *r;
	int i;
	roster_id_number("20160601", 961, id);
	snprintf(csv, sizeof csv, "姓名,身份证号,学校,年级,类别\n名称甲,%s,%s,三年级,建档立卡\n", id, d->school_name);
	named_import(d, csv, NULL, "%E5%90%8D%E5%8D%95%20%E7%AC%AC2%E7%89%88.csv", "名单 第2版.csv",
		     "the X-Filename header, percent-encoded UTF-8, names the file");
	named_import(d, csv, "?file_name=%E6%9F%A5%E8%AF%A2.csv", "%E5%A4%B4.csv", "查询.csv",
		     "?file_name= wins over X-Filename");
	named_import(d, csv, "?file_name=", "%E5%A4%B4.csv", "头.csv", "an empty ?file_name= leaves the header");
	r = upload_named(&d->aid, ROSTER, csv, "%E5%90%8D%FF.csv");
	CHECK_ERROR(r, 400, "bad_request", "X-Filename");
	http_resp_free(r);
	for (i = 0; i < 201; i++)
		strcat(longname, "a");
	r = upload_named(&d->aid, ROSTER, csv, longname);
	CHECK_ERROR(r, 400, "bad_request", "X-Filename");
	http_resp_free(r);
	r = upload_named(&d->aid, ROSTER "?dry_run=1", csv, "a%00b.csv");
	CHECK_ERROR(r, 400, "bad_request", "X-Filename");
	http_resp_free(r);
	CHECK_INT(fixture_total(&d->admin, "/api/v1/audit?entity=roster"), audits + 3,
		  "three imports audited, none for a refused file name");
}

/* One refused upload: status, error field and dry_run as asked. */
static void refusal_echoes(const client *c, const char *path, int dry, const char *type, const char *body, size_t len,
			   int status, const char *field, const char *what)
{
	char url[128];
	http_resp *r;
	snprintf(url, sizeof url, "%s%s", path, dry ? "?dry_run=1" : "?dry_run=0");
	r = roster_upload(c, url, type, body, len);
	CHECK_ERROR(r, status, status == 415 ? "unsupported_media_type" : "unprocessable", field);
	CHECK(json_is_boolean(json_object_get(r->json, "dry_run")) &&
	      json_is_true(json_object_get(r->json, "dry_run")) == dry,
	      "%s %s (dry_run=%d): the answer says dry_run %s: %.200s", path, what, dry, dry ? "true" : "false", r->body);
	http_resp_free(r);
}

static void dry_run_echoed(const roster_demo *d)
{
	static const unsigned char png[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 0, 0, 0, 13};
	static const char latin1[] = "姓名,身份证号,学校,年级,类别\ncaf\xE9,x,y,z,w\n";
	static const char no_id[] = "姓名,学校,年级,类别\n张三,某校,三年级,建档立卡\n";
	static const char no_rows[] = "姓名,身份证号,学校,年级,类别\n";
	static const char pair_cols[] = "帮扶人,备注\n某某,无\n", pair_rows[] = "帮扶人,帮扶学生\n";
	static const char xlsx[] = "PK\x03\x04garbage";
	const char *paths[] = {ROSTER, PAIRINGS};
	const client *who[] = {&d->aid, &d->principal};
	int p, dry;
	for (p = 0; p < 2; p++)
		for (dry = 0; dry <= 1; dry++) {
			refusal_echoes(who[p], paths[p], dry, "image/png", (const char *)png, sizeof png, 415, "file",
				       "not a spreadsheet");
			refusal_echoes(who[p], paths[p], dry, XLSX_TYPE, xlsx, sizeof xlsx - 1, 415, "file",
				       "a damaged workbook");
			refusal_echoes(who[p], paths[p], dry, "text/csv", latin1, strlen(latin1), 422, "file",
				       "neither UTF-8 nor GB18030");
			refusal_echoes(who[p], paths[p], dry, "text/csv", p ? pair_cols : no_id,
				       strlen(p ? pair_cols : no_id), 422, "columns", "a required column missing");
			refusal_echoes(who[p], paths[p], dry, "text/csv", p ? pair_rows : no_rows,
				       strlen(p ? pair_rows : no_rows), 422, "file", "no data rows");
		}
}

void test_import_opts(void)
{
	roster_demo d;
	harness_group("import: file name and dry_run in every answer");
	if (!roster_schools(&d))
		return;
	file_names(&d);
	dry_run_echoed(&d);
}
