/* test_paired_today.c - GET /api/v1/students carries paired_today for each
 * student: a pairing active on today (started on or before it, not ended before
 * it), the definition the pairing list's active_on filter and the unpaired list use. */
#define _POSIX_C_SOURCE 200809L

#include "suites.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TODAY "2026-11-23"
#define MAX_IDS 4096

typedef struct {
	long long id[MAX_IDS];
	size_t n;
} id_set;

static int id_set_has(const id_set *s, long long id)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->id[i] == id)
			return 1;
	return 0;
}

/* Every page of path (which ends in a query) as c, calling fn on each item. Returns the items seen, -1 on error. */
static long long each_item(const client *c, const char *path, void (*fn)(const json_t *item, void *ctx), void *ctx)
{
	char url[300];
	long long seen = 0, total = 0;
	for (int page = 1; page <= 50; page++) {
		json_t *it;
		size_t i;
		http_resp *r;
		snprintf(url, sizeof url, "%s&per_page=500&page=%d", path, page);
		r = api(c, "GET", url, NULL, NULL);
		if (!CHECK_STATUS(r, 200)) {
			http_resp_free(r);
			return -1;
		}
		total = jint(r->json, "total");
		json_array_foreach(json_object_get(r->json, "items"), i, it) {
			fn(it, ctx);
			seen++;
		}
		http_resp_free(r);
		if (seen >= total || i == 0)
			break;
	}
	return seen;
}

static void add_student(const json_t *pairing, void *ctx)
{
	id_set *s = ctx;
	if (s->n < MAX_IDS && !id_set_has(s, jint(pairing, "student_id")))
		s->id[s->n++] = jint(pairing, "student_id");
}

typedef struct {
	const id_set *paired;
	long long yes, no, wrong, missing;
} tally;

static void check_student(const json_t *s, void *ctx)
{
	tally *t = ctx;
	json_t *v = json_object_get(s, "paired_today");
	if (!json_is_boolean(v)) {
		t->missing++;
		return;
	}
	if (json_is_true(v) != id_set_has(t->paired, jint(s, "id")))
		t->wrong++;
	if (json_is_true(v))
		t->yes++;
	else
		t->no++;
}

void test_paired_today(void)
{
	static id_set paired;
	client p;
	tally t = {&paired, 0, 0, 0, 0}, u = {&paired, 0, 0, 0, 0};
	char path[200];
	long long n;
	harness_group("roster: paired_today in the student list");
	if (!fixture_login("xiaozhang", &p))
		return;
	snprintf(path, sizeof path, "/api/v1/pairings?school_id=%lld&active_on=" TODAY, p.org_id);
	n = each_item(&p, path, add_student, &paired);
	CHECK(n > 0 && paired.n > 0, "the school has pairings active today: %lld pairings, %zu students", n, paired.n);
	snprintf(path, sizeof path, "/api/v1/students?school_id=%lld", p.org_id);
	n = each_item(&p, path, check_student, &t);
	CHECK(n > 0 && t.missing == 0, "every student of the list has a boolean paired_today (%lld missing of %lld)",
	      t.missing, n);
	CHECK(t.wrong == 0, "paired_today is true exactly for students with a pairing active today (%lld wrong of %lld)",
	      t.wrong, n);
	CHECK(t.yes > 0 && t.no > 0, "both paired (%lld) and unpaired (%lld) students are listed", t.yes, t.no);
	n = each_item(&p, "/api/v1/students?unpaired=1", check_student, &u);
	CHECK(n > 0 && u.yes == 0 && u.missing == 0 && u.wrong == 0,
	      "everyone on the unpaired list has paired_today false (%lld listed, %lld true)", n, u.yes);
}
