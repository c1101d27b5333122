/* test_metrics.c - the pairing metrics and the coverage chart against a small
 * roster with known answers, built through the roster API in a town of its own
 * (so the demo county's students do not change the figures). Today is 2026-11-23.
 *
 * Town 测试镇 with school A (小学), school B (小学, 初中, a long name) and school C
 * (no students); staff a1..a4 at A, b1, b2 at B. Pairings start 2026-09-01.
 *   s1 A 建档立卡        a1                    s7 B→A on 11-10 防返贫监测  b1
 *   s2 A 防返贫监测      a1 (from 03-01)       s8 B 建档立卡               b1
 *   s3 A 建档立卡,残疾   a2 and a3             s9 B 建档立卡, 辍学 (not enrolled)  b2
 *   s4 A 低保 (not eligible)  a4               s10 B 建档立卡 from 11-20   none
 *   s5 A 建档立卡        none                  s11 B 留守 (key, not eligible)
 *   s6 A 建档立卡,留守   a2 until 10-31
 * On 11-23: A 4 of 6 paired, B 1 of 2, town 5 of 8; unpaired s5, s6, s10; helpers
 * a1 (2), a2 (1), a3 (1), b1 (2): 一帮一 2, 一帮多 2, 多帮一 1 (s3), 6 pairs.
 * On 10-15: A 4 of 5 (s6 still paired, s7 at B), B 2 of 2 (s7, s8), town 6 of 7. */
#define _POSIX_C_SOURCE 200809L

#include "suites.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
	client admin;
	long long bureau, town, a, b, c, empty_town;
	long long s[12];                 /* s[1]..s[11] */
	long long a1, a2, a3, a4, b1, b2;
} roster;

/* ------------------------------------------------------------ fixtures */

/* POSTs body to path as the admin; returns the new id or -1 after a failed CHECK. */
static long long create(const roster *r, const char *path, json_t *body)
{
	return fixture_create(&r->admin, path, body);
}

static long long make_org(const roster *r, const char *kind, const char *name, long long parent, const char *code,
			  const char *stages)
{
	json_t *b = json_pack("{s:s, s:s, s:I}", "kind", kind, "name", name, "parent_id", (json_int_t)parent);
	if (code) {
		json_object_set_new(b, "code", json_string(code));
		json_object_set_new(b, "stages", json_pack("[s]", stages));
	}
	return create(r, "/api/v1/orgs", b);
}

/* A valid 18-character ID number (GB 11643) for serial n: area 532128, born 2015-03-01. */
static void id_number(int n, char out[19])
{
	static const int weight[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
	int sum = 0;
	snprintf(out, 19, "53212820150301%03d", 900 + n);
	for (int i = 0; i < 17; i++)
		sum += (out[i] - '0') * weight[i];
	out[17] = "10X98765432"[sum % 11];
	out[18] = '\0';
}

/* A student of school with categories (comma list), enrolled from start in status. */
static long long make_student(const roster *r, int n, long long school, const char *name, const char *cats,
			      const char *start, const char *status)
{
	char id[19], list[128];
	json_t *arr = json_array();
	const char *p = cats;
	id_number(n, id);
	while (*p) {
		size_t k = strcspn(p, ",");
		snprintf(list, sizeof list, "%.*s", (int)k, p);
		json_array_append_new(arr, json_string(list));
		p += k + (p[k] == ',');
	}
	return create(r, "/api/v1/students",
		      json_pack("{s:I, s:s, s:s, s:s, s:s, s:o, s:s, s:s}", "school_id", (json_int_t)school, "name", name,
				"id_number", id, "grade", "三年级", "stage", "小学", "categories", arr, "start_date", start,
				"status", status));
}

static long long make_staff(const roster *r, long long school, const char *name)
{
	return create(r, "/api/v1/staff", json_pack("{s:I, s:s, s:[s]}", "school_id", (json_int_t)school, "name", name,
						   "roles", "班主任"));
}

static void pair(const roster *r, long long staff, long long student, const char *start, const char *end)
{
	json_t *b = json_pack("{s:I, s:I, s:s}", "staff_id", (json_int_t)staff, "student_id", (json_int_t)student,
			      "start_date", start);
	if (end)
		json_object_set_new(b, "end_date", json_string(end));
	CHECK(create(r, "/api/v1/pairings", b) > 0, "pairing %lld-%lld", staff, student);
}

static void visit(const roster *r, long long student, long long staff, const char *date, const char *kind)
{
	CHECK(create(r, "/api/v1/home-visits",
		     json_pack("{s:I, s:I, s:s, s:s}", "student_id", (json_int_t)student, "staff_id", (json_int_t)staff,
			       "visit_date", date, "kind", kind)) > 0,
	      "home visit of %lld on %s", student, date);
}

/* Moves student (version 1) to school from date. */
static void transfer(const roster *r, long long student, long long school, const char *date)
{
	char path[96];
	http_resp *resp;
	snprintf(path, sizeof path, "/api/v1/students/%lld/enrolments", student);
	resp = api_json(&r->admin, "POST", path,
			json_pack("{s:i, s:s, s:s, s:I}", "version", 1, "status", "在校", "date", date, "school_id",
				  (json_int_t)school));
	CHECK(resp->status == 200 || resp->status == 201, "transfer of %lld: status %d %s", student, resp->status,
	      resp->body ? resp->body : "");
	http_resp_free(resp);
}

static void build_orgs(roster *r)
{
	r->bureau = r->admin.org_id;
	r->town = make_org(r, "town", "测试镇教管中心", r->bureau, NULL, NULL);
	r->a = make_org(r, "school", "测试镇中心小学", r->town, "9900000001", "小学");
	r->b = make_org(r, "school", "测试镇杨家湾村民族团结九年一贯制实验学校", r->town, "9900000002", "小学");
	r->c = make_org(r, "school", "测试镇白果树村小学", r->town, "9900000003", "小学");
	r->empty_town = make_org(r, "town", "空白镇教管中心", r->bureau, NULL, NULL);
}

static void build_students(roster *r)
{
	long long *s = r->s;
	s[1] = make_student(r, 1, r->a, "蒋一帆", "建档立卡", "2026-09-01", "在校");
	s[2] = make_student(r, 2, r->a, "韦二妹", "防返贫监测", "2026-03-01", "在校");
	s[3] = make_student(r, 3, r->a, "覃三宝", "建档立卡,残疾", "2026-09-01", "在校");
	s[4] = make_student(r, 4, r->a, "蒙四海", "低保", "2026-09-01", "在校");
	s[5] = make_student(r, 5, r->a, "黎五洲", "建档立卡", "2026-09-01", "在校");
	s[6] = make_student(r, 6, r->a, "罗六顺", "建档立卡,留守", "2026-09-01", "在校");
	s[7] = make_student(r, 7, r->b, "潘七星", "防返贫监测", "2026-09-01", "在校");
	s[8] = make_student(r, 8, r->b, "莫八斗", "建档立卡", "2026-09-01", "在校");
	s[9] = make_student(r, 9, r->b, "卢九思", "建档立卡", "2026-09-01", "辍学");
	s[10] = make_student(r, 10, r->b, "石十全", "建档立卡", "2026-11-20", "在校");
	s[11] = make_student(r, 11, r->b, "杨十一", "留守", "2026-09-01", "在校");
	transfer(r, s[7], r->a, "2026-11-10");
}

static void build_pairings(roster *r)
{
	const long long *s = r->s;
	r->a1 = make_staff(r, r->a, "周老师");
	r->a2 = make_staff(r, r->a, "吴老师");
	r->a3 = make_staff(r, r->a, "郑老师");
	r->a4 = make_staff(r, r->a, "王老师");
	r->b1 = make_staff(r, r->b, "冯老师");
	r->b2 = make_staff(r, r->b, "陈老师");
	pair(r, r->a1, s[1], "2026-09-01", NULL);
	pair(r, r->a1, s[2], "2026-03-01", NULL);
	pair(r, r->a2, s[3], "2026-09-01", NULL);
	pair(r, r->a3, s[3], "2026-09-01", NULL);
	pair(r, r->a4, s[4], "2026-09-01", NULL);
	pair(r, r->a2, s[6], "2026-09-01", "2026-10-31");
	pair(r, r->b1, s[7], "2026-09-01", NULL);
	pair(r, r->b1, s[8], "2026-09-01", NULL);
	pair(r, r->b2, s[9], "2026-09-01", NULL);
	visit(r, s[1], r->a1, "2026-10-10", "入户");
	visit(r, s[2], r->a1, "2026-08-20", "入户");
	visit(r, s[3], r->a2, "2026-11-05", "电话");
	visit(r, s[5], r->a1, "2026-10-01", "入户");
	visit(r, s[6], r->a2, "2026-10-20", "入户");
	visit(r, s[8], r->b1, "2026-09-15", "到校");
	visit(r, s[11], r->b2, "2026-11-02", "入户");
}

static int build(roster *r)
{
	memset(r, 0, sizeof *r);
	if (!fixture_login("admin", &r->admin))
		return 0;
	build_orgs(r);
	if (!CHECK(r->town > 0 && r->a > 0 && r->b > 0 && r->c > 0 && r->empty_town > 0, "test orgs created"))
		return 0;
	build_students(r);
	for (int i = 1; i <= 11; i++)
		if (!CHECK(r->s[i] > 0, "student s%d created", i))
			return 0;
	build_pairings(r);
	return CHECK(r->a1 > 0 && r->a2 > 0 && r->a3 > 0 && r->a4 > 0 && r->b1 > 0 && r->b2 > 0, "staff created");
}

/* ------------------------------------------------------------ helpers */

/* GETs path?query as c; caller frees. */
static http_resp *get(const client *c, const char *fmt, ...) HARNESS_PRINTF(2, 3);
static http_resp *get(const client *c, const char *fmt, ...)
{
	char path[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(path, sizeof path, fmt, ap);
	va_end(ap);
	return api(c, "GET", path, NULL, NULL);
}

/* The row of org_id in a metrics answer, or NULL. */
static json_t *row_of(const json_t *j, long long org_id)
{
	json_t *rows = json_object_get(j, "rows"), *row;
	size_t i;
	json_array_foreach(rows, i, row)
		if (json_integer_value(json_object_get(row, "org_id")) == org_id)
			return row;
	return NULL;
}

/* Checks base/hit/miss and coverage_permille (-1: null) of obj. */
static void check_counts(const json_t *obj, const char *what, const char *keys[3], long long base, long long hit,
			 int permille)
{
	char label[160];
	json_t *pm = json_object_get(obj, "coverage_permille");
	snprintf(label, sizeof label, "%s %s", what, keys[0]);
	CHECK_INT(jint(obj, keys[0]), base, label);
	snprintf(label, sizeof label, "%s %s", what, keys[1]);
	CHECK_INT(jint(obj, keys[1]), hit, label);
	snprintf(label, sizeof label, "%s %s", what, keys[2]);
	CHECK_INT(jint(obj, keys[2]), base - hit, label);
	if (permille < 0)
		CHECK(obj && json_is_null(pm), "%s coverage_permille is null", what);
	else
		CHECK_INT(json_is_integer(pm) ? json_integer_value(pm) : -1, permille, what);
}

static const char *cov_keys[3] = {"eligible", "paired", "unpaired"};

/* ------------------------------------------------------------ coverage */

static void coverage_today(const roster *r)
{
	http_resp *resp = get(&r->admin, "/api/v1/metrics/pairing-coverage?org_id=%lld", r->town);
	if (!CHECK_STATUS(resp, 200))
		goto out;
	CHECK_STR(jstr(resp->json, "date"), "2026-11-23", "coverage defaults to today");
	CHECK_INT(jint(resp->json, "org.id"), r->town, "coverage org");
	CHECK_INT((long long)json_array_size(json_object_get(resp->json, "rows")), 3, "a town has a row per school");
	CHECK_INT(jint(resp->json, "rows.0.org_id"), r->a, "schools in creation order");
	check_counts(row_of(resp->json, r->a), "school A", cov_keys, 6, 4, 667);
	check_counts(row_of(resp->json, r->b), "school B", cov_keys, 2, 1, 500);
	check_counts(row_of(resp->json, r->c), "school C", cov_keys, 0, 0, -1);
	check_counts(json_object_get(resp->json, "totals"), "town", cov_keys, 8, 5, 625);
	CHECK_INT(jint(resp->json, "split.helpers"), 4, "helpers");
	CHECK_INT(jint(resp->json, "split.one_to_one"), 2, "一帮一 (a2, a3)");
	CHECK_INT(jint(resp->json, "split.one_to_many"), 2, "一帮多 (a1, b1)");
	CHECK_INT(jint(resp->json, "split.many_to_one"), 1, "多帮一 (s3)");
	CHECK_INT(jint(resp->json, "split.pairs"), 6, "pairs");
	CHECK_INT(jint(resp->json, "students_per_helper.mean_x100"), 150, "students per helper 1.50");
	CHECK_INT(jint(resp->json, "students_per_helper.max"), 2, "largest load");
	CHECK_STR(jstr(resp->json, "eligible_categories.0"), "建档立卡", "eligible categories");
	CHECK_STR(jstr(resp->json, "eligible_categories.1"), "防返贫监测", "eligible categories");
out:
	http_resp_free(resp);
}

/* On 10-15 the history counts: s7 was at B, s6 still paired, s10 not yet enrolled. */
static void coverage_past(const roster *r)
{
	http_resp *resp = get(&r->admin, "/api/v1/metrics/pairing-coverage?org_id=%lld&date=2026-10-15", r->town);
	if (CHECK_STATUS(resp, 200)) {
		CHECK_STR(jstr(resp->json, "date"), "2026-10-15", "coverage date");
		check_counts(row_of(resp->json, r->a), "school A on 10-15", cov_keys, 5, 4, 800);
		check_counts(row_of(resp->json, r->b), "school B on 10-15", cov_keys, 2, 2, 1000);
		check_counts(json_object_get(resp->json, "totals"), "town on 10-15", cov_keys, 7, 6, 857);
		CHECK_INT(jint(resp->json, "split.one_to_many"), 3, "一帮多 on 10-15 (a1, a2 with s3 and s6, b1)");
		CHECK_INT(jint(resp->json, "split.one_to_one"), 1, "一帮一 on 10-15 (a3)");
		CHECK_INT(jint(resp->json, "split.pairs"), 7, "pairs on 10-15");
	}
	http_resp_free(resp);
	resp = get(&r->admin, "/api/v1/metrics/pairing-coverage?org_id=%lld&date=2026-08-31", r->a);
	if (CHECK_STATUS(resp, 200)) {
		CHECK_INT((long long)json_array_size(json_object_get(resp->json, "rows")), 1, "a school has one row");
		check_counts(json_object_get(resp->json, "totals"), "school A on 08-31", cov_keys, 1, 1, 1000);
	}
	http_resp_free(resp);
}

/* The bureau sees the test town as one row among its towns and direct schools. */
static void coverage_bureau(const roster *r)
{
	client juzhang;
	http_resp *resp;
	if (!fixture_login("juzhang", &juzhang))
		return;
	resp = api(&juzhang, "GET", "/api/v1/metrics/pairing-coverage", NULL, NULL);
	if (CHECK_STATUS(resp, 200)) {
		json_t *totals = json_object_get(resp->json, "totals");
		CHECK_INT(jint(resp->json, "org.id"), r->bureau, "the default org is the caller's scope root");
		check_counts(row_of(resp->json, r->town), "the test town in the bureau", cov_keys, 8, 5, 625);
		check_counts(row_of(resp->json, r->empty_town), "an empty town", cov_keys, 0, 0, -1);
		CHECK(jint(totals, "eligible") >= 8 && jint(totals, "paired") >= 5, "bureau totals include the town");
		CHECK_STR(jstr(resp->json, "rows.0.kind"), "town", "towns come first");
	}
	http_resp_free(resp);
}

/* ------------------------------------------------------------ unpaired */

/* The ids of a list's items, in order, into ids (at most n); returns the count. */
static size_t item_ids(const json_t *j, long long *ids, size_t n)
{
	json_t *items = json_object_get(j, "items"), *it;
	size_t i;
	json_array_foreach(items, i, it)
		if (i < n)
			ids[i] = json_integer_value(json_object_get(it, "student_id"));
	return json_array_size(items) < n ? json_array_size(items) : n;
}

static void unpaired_list(const roster *r)
{
	long long ids[8] = {0}, audit_before = fixture_count_audit(&r->admin);
	http_resp *resp = get(&r->admin, "/api/v1/metrics/unpaired?org_id=%lld", r->town);
	if (CHECK_STATUS(resp, 200)) {
		CHECK_INT(jint(resp->json, "total"), 3, "unpaired in the town");
		CHECK(item_ids(resp->json, ids, 8) == 3 && ids[0] == r->s[5] && ids[1] == r->s[6] && ids[2] == r->s[10],
		      "unpaired: s5, s6 (school A), s10 (school B), in that order");
		CHECK_INT(jint(resp->json, "items.0.school_id"), r->a, "an item names its school");
		CHECK_STR(jstr(resp->json, "items.0.school_name"), "测试镇中心小学", "school name");
		CHECK_STR(jstr(resp->json, "items.1.categories.1"), "留守", "categories as an array");
		CHECK_STR(jstr(resp->json, "items.0.name"), "黎*洲", "the admin sees names masked");
		CHECK_STR(jstr(resp->json, "date"), "2026-11-23", "unpaired as of today");
	}
	http_resp_free(resp);
	CHECK_INT(fixture_count_audit(&r->admin), audit_before + 1, "reading the unpaired list is audited once");
	resp = get(&r->admin, "/api/v1/metrics/unpaired?org_id=%lld&per_page=2&page=2", r->town);
	if (CHECK_STATUS(resp, 200)) {
		CHECK_INT(jint(resp->json, "total"), 3, "total on page 2");
		CHECK(item_ids(resp->json, ids, 8) == 1 && ids[0] == r->s[10], "page 2 of 2 holds s10");
	}
	http_resp_free(resp);
	resp = get(&r->admin, "/api/v1/metrics/unpaired?org_id=%lld&date=2026-10-15", r->town);
	if (CHECK_STATUS(resp, 200))
		CHECK(jint(resp->json, "total") == 1 && item_ids(resp->json, ids, 8) == 1 && ids[0] == r->s[5],
		      "on 10-15 only s5 was unpaired");
	http_resp_free(resp);
}

/* The principal of school A: their school by default, full names, nothing else. */
static void unpaired_principal(const roster *r)
{
	client p;
	long long ids[8] = {0}, roster_total;
	char path[128];
	http_resp *resp;
	if (fixture_user(&r->admin, "mt_princ_a", "principal", r->a, DEMO_PASSWORD) < 0 ||
	    !fixture_login("mt_princ_a", &p))
		return;
	resp = api(&p, "GET", "/api/v1/metrics/unpaired", NULL, NULL);
	if (CHECK_STATUS(resp, 200)) {
		CHECK(jint(resp->json, "total") == 2 && item_ids(resp->json, ids, 8) == 2 && ids[0] == r->s[5] &&
			      ids[1] == r->s[6],
		      "the principal's default is their school: s5, s6");
		CHECK_STR(jstr(resp->json, "items.0.name"), "黎五洲", "the principal sees names");
	}
	http_resp_free(resp);
	snprintf(path, sizeof path, "/api/v1/students?school_id=%lld&unpaired=1", r->a);
	roster_total = fixture_total(&p, path);
	CHECK_INT(roster_total, 2, "the students list agrees on the unpaired of school A");
	resp = api(&p, "GET", "/api/v1/metrics/pairing-coverage", NULL, NULL);
	if (CHECK_STATUS(resp, 200))
		check_counts(json_object_get(resp->json, "totals"), "the principal's school", cov_keys, 6, 4, 667);
	http_resp_free(resp);
	resp = get(&p, "/api/v1/metrics/unpaired?org_id=%lld", r->b);
	CHECK_ERROR(resp, 404, "not_found", NULL);
	http_resp_free(resp);
	resp = get(&p, "/api/v1/metrics/pairing-coverage?org_id=%lld", r->town);
	CHECK_ERROR(resp, 404, "not_found", NULL);
	http_resp_free(resp);
	resp = get(&p, "/api/v1/charts/pairing-coverage.png?org_id=%lld", r->bureau);
	CHECK_ERROR(resp, 404, "not_found", NULL);
	http_resp_free(resp);
}

/* ------------------------------------------------------------ home visits */

static const char *visit_keys[3] = {"paired", "visited", "unvisited"};

static void home_visits(const roster *r)
{
	http_resp *resp = get(&r->admin, "/api/v1/metrics/home-visit-coverage?org_id=%lld", r->town);
	if (CHECK_STATUS(resp, 200)) {
		CHECK_STR(jstr(resp->json, "semester.code"), "2026-2", "today's semester");
		CHECK_STR(jstr(resp->json, "semester.start"), "2026-09-01", "semester start");
		CHECK_STR(jstr(resp->json, "date"), "2026-11-23", "a running semester is measured to today");
		/* paired on 11-23: A s1 s2 s3 s7, B s8; visited this semester: s1, s3, s8 (s2 in August, s5 unpaired) */
		check_counts(row_of(resp->json, r->a), "home visits A", visit_keys, 4, 2, 500);
		check_counts(row_of(resp->json, r->b), "home visits B", visit_keys, 1, 1, 1000);
		check_counts(json_object_get(resp->json, "totals"), "home visits town", visit_keys, 5, 3, 600);
	}
	http_resp_free(resp);
	resp = get(&r->admin, "/api/v1/metrics/home-visit-coverage?org_id=%lld&semester=2026-1", r->town);
	if (CHECK_STATUS(resp, 200)) {
		CHECK_STR(jstr(resp->json, "date"), "2026-08-31", "a past semester is measured to its last day");
		/* on 08-31 only s2 was enrolled and paired; its visit of 08-20 counts */
		check_counts(json_object_get(resp->json, "totals"), "spring 2026", visit_keys, 1, 1, 1000);
	}
	http_resp_free(resp);
	resp = get(&r->admin, "/api/v1/metrics/home-visit-coverage?org_id=%lld&semester=2027-1", r->town);
	CHECK_ERROR(resp, 400, "bad_request", "semester");
	http_resp_free(resp);
	resp = get(&r->admin, "/api/v1/metrics/home-visit-coverage?org_id=%lld&semester=2026-3", r->town);
	CHECK_ERROR(resp, 400, "bad_request", "semester");
	http_resp_free(resp);
}

/* Key students (残疾, 留守): s3, s6, s11. In November s3 and s11 were visited. */
static void key_students(const roster *r)
{
	long long ids[8] = {0};
	http_resp *resp = get(&r->admin, "/api/v1/metrics/key-students-unvisited?org_id=%lld", r->town);
	if (CHECK_STATUS(resp, 200)) {
		CHECK_STR(jstr(resp->json, "month"), "2026-11", "this month by default");
		CHECK_STR(jstr(resp->json, "as_of"), "2026-11-23", "measured to today");
		CHECK_INT(jint(resp->json, "key_students"), 3, "key students in the town");
		CHECK(jint(resp->json, "total") == 1 && item_ids(resp->json, ids, 8) == 1 && ids[0] == r->s[6],
		      "only s6 was not visited in November");
		CHECK_STR(jstr(resp->json, "items.0.last_visit_date"), "2026-10-20", "its last visit");
	}
	http_resp_free(resp);
	resp = get(&r->admin, "/api/v1/metrics/key-students-unvisited?org_id=%lld&month=2026-10", r->town);
	if (CHECK_STATUS(resp, 200)) {
		CHECK_STR(jstr(resp->json, "as_of"), "2026-10-31", "a past month is measured to its last day");
		CHECK(jint(resp->json, "total") == 2 && item_ids(resp->json, ids, 8) == 2 && ids[0] == r->s[3] &&
			      ids[1] == r->s[11],
		      "in October s3 and s11 were not visited");
	}
	http_resp_free(resp);
	resp = get(&r->admin, "/api/v1/metrics/key-students-unvisited?org_id=%lld&month=2026-12", r->town);
	CHECK_ERROR(resp, 400, "bad_request", "month");
	http_resp_free(resp);
	resp = get(&r->admin, "/api/v1/metrics/key-students-unvisited?org_id=%lld&month=2026-13", r->town);
	CHECK_ERROR(resp, 400, "bad_request", "month");
	http_resp_free(resp);
}

/* ------------------------------------------------------------ input and scope */

static void bad_input(const roster *r)
{
	static const char *const paths[] = {
		"/api/v1/metrics/pairing-coverage?date=2026-02-30", "/api/v1/metrics/pairing-coverage?org_id=abc",
		"/api/v1/metrics/unpaired?org_id=-3", "/api/v1/metrics/unpaired?per_page=0",
		"/api/v1/charts/pairing-coverage.png?date=20261123"};
	static const char *const fields[] = {"date", "org_id", "org_id", "per_page", "date"};
	client inspector;
	http_resp *resp;
	for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
		resp = api(&r->admin, "GET", paths[i], NULL, NULL);
		CHECK_ERROR(resp, 400, "bad_request", fields[i]);
		http_resp_free(resp);
	}
	resp = get(&r->admin, "/api/v1/metrics/pairing-coverage?org_id=%d", 999999999);
	CHECK_ERROR(resp, 404, "not_found", NULL);
	http_resp_free(resp);
	resp = api(NULL, "GET", "/api/v1/metrics/pairing-coverage", NULL, NULL);
	CHECK_ERROR(resp, 401, "unauthorized", NULL);
	http_resp_free(resp);
	if (!fixture_login("duxue", &inspector))
		return;
	resp = get(&inspector, "/api/v1/metrics/pairing-coverage?org_id=%lld", r->town);
	CHECK_ERROR(resp, 404, "not_found", NULL);
	http_resp_free(resp);
	resp = get(&inspector, "/api/v1/metrics/key-students-unvisited?org_id=%lld", r->a);
	CHECK_ERROR(resp, 404, "not_found", NULL);
	http_resp_free(resp);
}

/* ------------------------------------------------------------ chart */

static unsigned be32(const char *p)
{
	const unsigned char *u = (const unsigned char *)p;
	return (unsigned)u[0] << 24 | (unsigned)u[1] << 16 | (unsigned)u[2] << 8 | u[3];
}

/* GETs the chart of org as c: checks a PNG with its IHDR and returns its height (0 if not). */
static unsigned chart_height(const client *c, long long org, const char *what)
{
	http_resp *resp = get(c, "/api/v1/charts/pairing-coverage.png?org_id=%lld", org);
	const char *type = resp_header(resp, "Content-Type");
	unsigned w = 0, h = 0;
	if (CHECK_STATUS(resp, 200)) {
		CHECK(type && !strcmp(type, "image/png"), "%s: Content-Type %s", what, type ? type : "missing");
		CHECK(resp->body_len > 2000 && resp->body_len < 2000000, "%s: %zu bytes", what, resp->body_len);
		if (CHECK(resp->body_len > 24 && !memcmp(resp->body, "\x89PNG\r\n\x1a\n", 8) &&
				  !memcmp(resp->body + 12, "IHDR", 4),
			  "%s: PNG signature and IHDR", what)) {
			w = be32(resp->body + 16);
			h = be32(resp->body + 20);
		}
		CHECK(w == 960, "%s: 960 pixels wide (%u)", what, w);
	}
	http_resp_free(resp);
	return h;
}

static void chart(const roster *r)
{
	client juzhang;
	unsigned town = chart_height(&r->admin, r->town, "the town's chart"), school, bureau = 0;
	http_resp *resp;
	school = chart_height(&r->admin, r->a, "a school's chart");
	if (fixture_login("juzhang", &juzhang))
		bureau = chart_height(&juzhang, juzhang.org_id, "the bureau's chart");
	CHECK(school > 100 && town > school && bureau > town + 10 * 30,
	      "height grows with the bars: school %u, town (3 schools) %u, bureau (14 towns, 5 schools) %u", school,
	      town, bureau);
	resp = get(&r->admin, "/api/v1/charts/pairing-coverage.png?org_id=%lld", r->empty_town);
	CHECK_ERROR(resp, 422, "unprocessable", "org_id");
	http_resp_free(resp);
	resp = get(&r->admin, "/api/v1/charts/pairing-coverage.png?org_id=%lld&date=2026-10-15", r->town);
	CHECK(resp->status == 200 && resp->body_len > 2000, "a chart for a past date");
	http_resp_free(resp);
}

void test_metrics(void)
{
	roster r;
	harness_group("metrics");
	if (!build(&r))
		return;
	coverage_today(&r);
	coverage_past(&r);
	coverage_bureau(&r);
	unpaired_list(&r);
	unpaired_principal(&r);
	home_visits(&r);
	key_students(&r);
	bad_input(&r);
	chart(&r);
}
