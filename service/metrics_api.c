/* metrics_api.c - the /api/v1/metrics/... routes and /api/v1/charts/pairing-coverage.png:
 * parse the org and the period, call reports/metrics, answer. The org defaults
 * to the caller's scope root; an org outside the scope answers 404. "Today" is
 * req->today, never the clock. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "chart.h"
#include "handlers.h"
#include "metrics.h"
#include "roster.h"
#include "students.h"
#include "util.h"

/* The org of ?org_id= (default: the caller's scope root) within scope, and the
 * eligible categories. Returns 0, or the error status already set in res. */
static int metrics_org_and_mask(http_req *req, http_res *res, metrics_org *org, unsigned *mask)
{
	long long id = 0;
	db_status st;
	if (roster_query_id(req, res, "org_id", &id))
		return res->status;
	st = metrics_db_org(req->db, req->user.org_path, id ? id : req->user.org_id, org);
	if (st == DB_OK && mask)
		st = students_db_eligible_mask(req->db, mask);
	return st == DB_OK ? 0 : res_db_error(res, st);
}

/* ?date= (default today) into date[11]. */
static int metrics_date(http_req *req, http_res *res, char date[11])
{
	const char *v = NULL;
	if (roster_query_date(req, res, "date", &v))
		return res->status;
	str_copy(date, 11, v ? v : req->today);
	return 0;
}

/* ?method= of the coverage metrics (metrics_method): auto (default), join, scan
 * or reference. Every method gives the same numbers; the others are for tests
 * and benchmarks. */
static int metrics_method_of(http_req *req, http_res *res, metrics_method *out)
{
	static const char *const names[] = {"auto", "join", "scan", "reference", NULL};
	const char *v = req_query(req, "method");
	int i;
	*out = METRICS_AUTO;
	if (!v)
		return 0;
	for (i = 0; names[i]; i++)
		if (!strcmp(v, names[i])) {
			*out = (metrics_method)i;
			return 0;
		}
	return res_error(res, HTTP_bad_request, "method", "参数 method 应为 auto、join、scan 或 reference");
}

/* The earlier of two dates ("YYYY-MM-DD" compares as text). */
static const char *date_min(const char *a, const char *b)
{
	return strcmp(a, b) <= 0 ? a : b;
}

/* Names masked for the roles that do not need them; the read is audited. */
static int metrics_people(http_req *req, http_res *res, json_t *items, long long total, const paging *pg)
{
	int visible = roster_names_visible(req->user.role);
	db_status st;
	for (size_t i = 0; i < json_array_size(items); i++)
		roster_mask(json_array_get(items, i), "name", visible);
	if ((st = roster_audit_read(req, "student", json_array_size(items))) != DB_OK) {
		json_decref(items);
		return res_db_error(res, st);
	}
	return res_list(res, items, total, pg);
}

int metrics_pairing_coverage(http_req *req, http_res *res)
{
	metrics_table t = {0};
	char date[11], cats[256];
	unsigned mask;
	json_t *out;
	db_status st;
	if (metrics_org_and_mask(req, res, &t.org, &mask) || metrics_date(req, res, date) ||
	    metrics_method_of(req, res, &t.method))
		return res->status;
	if ((st = metrics_db_pairing_coverage(req->db, mask, date, &t)) != DB_OK) {
		metrics_table_release(&t);
		return res_db_error(res, st);
	}
	out = metrics_table_json(&t, "eligible", "paired", "unpaired");
	metrics_split_json(out, &t.split);
	roster_set_text(roster_categories, mask, cats, sizeof cats);
	json_object_set_new(out, "eligible_categories", roster_set_array(cats));
	metrics_table_release(&t);
	return res_json(res, HTTP_ok, out);
}

int metrics_unpaired(http_req *req, http_res *res)
{
	metrics_org org;
	char date[11];
	unsigned mask;
	json_t *items;
	long long total;
	paging pg;
	db_status st;
	if (metrics_org_and_mask(req, res, &org, &mask) || metrics_date(req, res, date) || req_paging(req, res, &pg))
		return res->status;
	st = metrics_db_unpaired(req->db, &org, mask, date, &pg, &items, &total);
	if (st != DB_OK)
		return res_db_error(res, st);
	if (metrics_people(req, res, items, total, &pg) == HTTP_ok)
		json_object_set_new(res->json, "date", json_string(date));
	return res->status;
}

/* ?semester=YYYY-1|2 (default: today's) and its as-of date: its last day, or
 * today while it runs. A semester that has not started is refused. */
static int metrics_semester(http_req *req, http_res *res, semester *s, char as_of[11])
{
	const char *code = req_query(req, "semester");
	if (code ? semester_from_code(code, s) : semester_of(req->today, s))
		return res_error(res, HTTP_bad_request, "semester", "参数 semester 应为 YYYY-1（春季）或 YYYY-2（秋季）");
	if (strcmp(s->start, req->today) > 0)
		return res_error(res, HTTP_bad_request, "semester", "%s尚未开始", s->name);
	str_copy(as_of, 11, date_min(s->end, req->today));
	return 0;
}

int metrics_home_visit_coverage(http_req *req, http_res *res)
{
	metrics_table t = {0};
	semester sem;
	char as_of[11];
	unsigned mask;
	json_t *out;
	db_status st;
	if (metrics_org_and_mask(req, res, &t.org, &mask) || metrics_semester(req, res, &sem, as_of) ||
	    metrics_method_of(req, res, &t.method))
		return res->status;
	if ((st = metrics_db_home_visits(req->db, mask, sem.start, as_of, &t)) != DB_OK) {
		metrics_table_release(&t);
		return res_db_error(res, st);
	}
	out = metrics_table_json(&t, "paired", "visited", "unvisited");
	json_object_set_new(out, "semester", json_pack("{s:s, s:s, s:s, s:s}", "code", sem.code, "name", sem.name,
						       "start", sem.start, "end", sem.end));
	metrics_table_release(&t);
	return res_json(res, HTTP_ok, out);
}

/* ?month=YYYY-MM (default: today's) as its first day and its as-of date (its
 * last day, or today while it runs). A month that has not started is refused. */
static int metrics_month(http_req *req, http_res *res, char from[11], char to[11])
{
	const char *m = req_query(req, "month");
	char first[16], end[11];
	snprintf(first, sizeof first, "%.7s-01", m ? m : req->today);
	if ((m && strlen(m) != 7) || month_of(first, from, end))
		return res_error(res, HTTP_bad_request, "month", "参数 month 应为 YYYY-MM");
	if (strcmp(from, req->today) > 0)
		return res_error(res, HTTP_bad_request, "month", "%.7s 尚未开始", from);
	str_copy(to, 11, date_min(end, req->today));
	return 0;
}

int metrics_key_students_unvisited(http_req *req, http_res *res)
{
	metrics_org org;
	char from[11], to[11];
	json_t *items;
	long long total, key_students;
	paging pg;
	db_status st;
	if (metrics_org_and_mask(req, res, &org, NULL) || metrics_month(req, res, from, to) ||
	    req_paging(req, res, &pg))
		return res->status;
	st = metrics_db_key_unvisited(req->db, &org, from, to, &pg, &items, &total, &key_students);
	if (st != DB_OK)
		return res_db_error(res, st);
	if (metrics_people(req, res, items, total, &pg) == HTTP_ok) {
		json_object_set_new(res->json, "month", json_stringn(from, 7));
		json_object_set_new(res->json, "from", json_string(from));
		json_object_set_new(res->json, "as_of", json_string(to));
		json_object_set_new(res->json, "key_students", json_integer(key_students));
	}
	return res->status;
}

/* Draws t as a PNG into res. */
static int chart_respond(http_res *res, const metrics_table *t)
{
	unsigned char *png = NULL;
	char *body;
	int len = 0;
	if (t->nrows == 0)
		return res_error(res, HTTP_unprocessable, "org_id", "该单位下没有学校，无法绘图");
	if (t->nrows > CHART_MAX_BARS)
		return res_error(res, HTTP_unprocessable, "org_id", "下级单位过多（%zu 个，最多 %d 个），请选择下一级单位",
				 t->nrows, CHART_MAX_BARS);
	if (metrics_coverage_chart(t, &png, &len))
		return res_error(res, HTTP_internal_error, NULL, "图表生成失败");
	body = xmalloc((size_t)len);
	memcpy(body, png, (size_t)len);
	chart_free(png);
	res_header(res, "Cache-Control", "private, no-cache");
	return res_body(res, HTTP_ok, "image/png", body, (size_t)len);
}

int charts_pairing_coverage(http_req *req, http_res *res)
{
	metrics_table t = {0};
	char date[11];
	unsigned mask;
	db_status st;
	if (metrics_org_and_mask(req, res, &t.org, &mask) || metrics_date(req, res, date))
		return res->status;
	st = metrics_db_pairing_coverage(req->db, mask, date, &t);
	if (st == DB_OK)
		chart_respond(res, &t);
	else
		res_db_error(res, st);
	metrics_table_release(&t);
	return res->status;
}
