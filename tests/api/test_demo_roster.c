/* test_demo_roster.c - the demo county's roster as the API shows it (today
 * 2026-11-23), read before other tests add students: sizes near the real
 * county's (4,895 students in 3,648 households, about 3,800 staff), pairing
 * coverage by town between 97% and 99.9% with students unpaired in every town,
 * xiaozhang's own unpaired list, home-visit coverage this semester, the 1:1 / 1:n
 * / n:1 split, the enrolment histories, and ID numbers never returned whole. */
#define _POSIX_C_SOURCE 200809L

#include "suites.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
	client aid, head, principal;
} people;

/* The total of /api/v1/<list> as c with one query parameter name=value (value escaped). */
static long long count_where(const client *c, const char *list, const char *name, const char *value)
{
	char query[256];
	char *v = url_escape(value);
	long long n;
	snprintf(query, sizeof query, "%s=%s", name, v);
	n = roster_count(c, list, query);
	free(v);
	return n;
}

/* n is within pct per cent of want. */
static int near(long long n, long long want, long long pct)
{
	return n >= want - want * pct / 100 && n <= want + want * pct / 100;
}

/* The length of the longest run of digits in s. */
static size_t longest_digits(const char *s)
{
	size_t best = 0, run = 0;
	for (; s && *s; s++) {
		run = isdigit((unsigned char)*s) ? run + 1 : 0;
		best = run > best ? run : best;
	}
	return best;
}

/* ------------------------------------------------------------ sizes */

static void sizes(const people *p)
{
	long long students = roster_count(&p->aid, "students", NULL), households = roster_count(&p->aid, "households", NULL);
	long long staff = roster_count(&p->aid, "staff", NULL);
	CHECK(near(students, 4900, 5), "about 4,900 registered students (%lld)", students);
	CHECK(near(households, 3650, 5), "about 3,650 households (%lld)", households);
	CHECK(near(staff, 3800, 5), "about 3,800 staff (%lld)", staff);
	CHECK(near(count_where(&p->aid, "students", "status", "县外就读"), 998, 5), "about 998 studying outside the county");
	CHECK(near(count_where(&p->aid, "students", "stage", "学前"), 766, 5), "about 766 in 学前 (718 in, 48 outside)");
	CHECK(near(count_where(&p->aid, "students", "stage", "高中"), 523, 5), "about 523 in 高中");
	CHECK(count_where(&p->aid, "students", "category", "残疾") >= 23, "at least the 23 disabled children taught at home");
	CHECK(count_where(&p->aid, "students", "category", "防返贫监测") > 100, "some 防返贫监测 households' children");
	CHECK(count_where(&p->aid, "students", "status", "转出") > 0 && count_where(&p->aid, "students", "status", "毕业") > 0,
	      "some transferred out (转出) and graduated (毕业)");
}

/* ------------------------------------------------------------ coverage */

/* Every demo row (a town or direct school with 34 or more eligible: the rows
 * other tests add are smaller) is between 97% and 99.9% paired, none complete. */
static void coverage_rows(const json_t *rows)
{
	json_t *row;
	size_t i, demo_rows = 0;
	json_array_foreach(rows, i, row) {
		long long eligible = jint(row, "eligible"), pm = jint(row, "coverage_permille");
		if (eligible < 34)
			continue;
		demo_rows++;
		CHECK(pm >= 970 && pm <= 999 && jint(row, "unpaired") > 0, "%s: %lld of %lld paired (%lld‰)", jstr(row, "name"),
		      jint(row, "paired"), eligible, pm);
	}
	CHECK(demo_rows >= 17, "the 12 towns and 5 direct schools have rows (%zu)", demo_rows);
}

static void coverage(const people *p)
{
	http_resp *r = api(&p->head, "GET", "/api/v1/metrics/pairing-coverage", NULL, NULL);
	if (CHECK_STATUS(r, 200)) {
		long long pm = jint(r->json, "totals.coverage_permille"), eligible = jint(r->json, "totals.eligible");
		CHECK(near(eligible, 3887, 3), "about 3,887 eligible students enrolled in the county (%lld)", eligible);
		CHECK(pm >= 970 && pm <= 999 && jint(r->json, "totals.unpaired") > 0,
		      "county coverage between 97%% and 99.9%% (%lld‰, %lld unpaired)", pm, jint(r->json, "totals.unpaired"));
		coverage_rows(json_object_get(r->json, "rows"));
		CHECK(jint(r->json, "split.one_to_one") > 0 && jint(r->json, "split.one_to_many") > 0 &&
			      jint(r->json, "split.many_to_one") > 0,
		      "1:1 %lld, 1:n %lld, n:1 %lld all present", jint(r->json, "split.one_to_one"),
		      jint(r->json, "split.one_to_many"), jint(r->json, "split.many_to_one"));
		CHECK(jint(r->json, "split.one_to_one") > 5 * jint(r->json, "split.one_to_many"), "一帮一 mostly");
		CHECK(jint(r->json, "students_per_helper.max") >= 2 && jint(r->json, "students_per_helper.max") <= 4,
		      "一帮多 of 2 to 4 students (max %lld)", jint(r->json, "students_per_helper.max"));
	}
	http_resp_free(r);
}

/* xiaozhang sees their own school's unpaired students, by name. */
static void principal_unpaired(const people *p)
{
	char query[64];
	http_resp *r = api(&p->principal, "GET", "/api/v1/metrics/unpaired", NULL, NULL);
	long long total = -1;
	if (CHECK_STATUS(r, 200)) {
		const char *name = jstr(r->json, "items.0.name");
		total = jint(r->json, "total");
		CHECK(total >= 4 && total <= 15, "xiaozhang's school has a few unpaired students (%lld)", total);
		CHECK(jint(r->json, "items.0.school_id") == p->principal.org_id, "on xiaozhang's own list");
		CHECK(name && !strstr(name, "*"), "the principal sees names (%s)", name ? name : "none");
	}
	http_resp_free(r);
	snprintf(query, sizeof query, "unpaired=1&school_id=%lld", p->principal.org_id);
	CHECK_INT(roster_count(&p->principal, "students", query), total, "the students list agrees");
}

/* Home visits: between 80% and 95% of paired students this semester, all three
 * kinds, and a few key students not yet visited this month. */
static void home_visits(const people *p)
{
	http_resp *r = api(&p->head, "GET", "/api/v1/metrics/home-visit-coverage", NULL, NULL);
	long long home = count_where(&p->aid, "home-visits", "kind", "入户"), phone = count_where(&p->aid, "home-visits", "kind", "电话");
	long long school = count_where(&p->aid, "home-visits", "kind", "到校");
	if (CHECK_STATUS(r, 200)) {
		long long pm = jint(r->json, "totals.coverage_permille");
		CHECK(pm >= 800 && pm <= 950 && jint(r->json, "totals.unvisited") > 0,
		      "home-visit coverage this semester between 80%% and 95%% (%lld‰)", pm);
	}
	http_resp_free(r);
	CHECK(home > phone && phone > school && school > 0, "入户 %lld mostly, 电话 %lld, 到校 %lld", home, phone, school);
	r = api(&p->head, "GET", "/api/v1/metrics/key-students-unvisited", NULL, NULL);
	if (CHECK_STATUS(r, 200)) {
		long long key = jint(r->json, "key_students"), gaps = jint(r->json, "total");
		CHECK(key > 500 && gaps > 0 && gaps * 10 < key, "key students %lld, a few unvisited this month (%lld)", key, gaps);
	}
	http_resp_free(r);
}

/* ------------------------------------------------------------ records */

/* The four brought back to school: 辍学 then 劝返复学 in their enrolments. */
static void dropouts(const people *p)
{
	char path[96];
	http_resp *r = api(&p->aid, "GET", "/api/v1/students?status=%E5%8A%9D%E8%BF%94%E5%A4%8D%E5%AD%A6", NULL, NULL);
	long long id = -1;
	if (CHECK_STATUS(r, 200)) {
		CHECK(jint(r->json, "total") >= 4, "students back at school after dropping out (%lld)", jint(r->json, "total"));
		id = jint(r->json, "items.0.id");
	}
	http_resp_free(r);
	snprintf(path, sizeof path, "/api/v1/students/%lld", id);
	r = api(&p->aid, "GET", path, NULL, NULL);
	if (CHECK_STATUS(r, 200))
		CHECK(json_array_size(json_object_get(r->json, "enrolments")) == 3 &&
			      !strcmp(jstr(r->json, "enrolments.1.status") ? jstr(r->json, "enrolments.1.status") : "", "辍学") &&
			      jstr(r->json, "enrolments.2.end_date") == NULL,
		      "在校, 辍学, then 劝返复学 still open: %.400s", r->body);
	http_resp_free(r);
}

/* Lists and a detail carry the last four characters at most: no run of 15 digits. */
static void ids_masked(const people *p)
{
	static const char *const paths[] = {"/api/v1/students?per_page=200", "/api/v1/households?per_page=200",
					    "/api/v1/pairings?per_page=200", "/api/v1/home-visits?per_page=200"};
	char path[96];
	size_t i;
	http_resp *r;
	long long id = -1;
	for (i = 0; i < sizeof paths / sizeof paths[0]; i++) {
		r = api(&p->aid, "GET", paths[i], NULL, NULL);
		if (CHECK_STATUS(r, 200)) {
			CHECK(longest_digits(r->body) < 15, "%s returns no whole ID number", paths[i]);
			if (i == 0) {
				id = jint(r->json, "items.0.id");
				CHECK(jstr(r->json, "items.0.id_last4") && strlen(jstr(r->json, "items.0.id_last4")) == 4,
				      "students carry id_last4");
			}
		}
		http_resp_free(r);
	}
	snprintf(path, sizeof path, "/api/v1/students/%lld", id);
	r = api(&p->aid, "GET", path, NULL, NULL);
	if (CHECK_STATUS(r, 200))
		CHECK(longest_digits(r->body) < 15 && !json_has_key_like(r->json, "hash") &&
			      !json_has_key_like(r->json, "id_number") && jint(r->json, "household.id") > 0,
		      "a student's detail: no whole ID number, a household: %.300s", r->body);
	http_resp_free(r);
}

void test_demo_roster(void)
{
	people p;
	harness_group("demo roster");
	if (!fixture_login("zizhu", &p.aid) || !fixture_login("juzhang", &p.head) ||
	    !fixture_login("xiaozhang", &p.principal))
		return;
	sizes(&p);
	coverage(&p);
	principal_unpaired(&p);
	home_visits(&p);
	dropouts(&p);
	ids_masked(&p);
}
