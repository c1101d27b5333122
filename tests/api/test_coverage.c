/* test_coverage.c - the coverage metrics give the same answer by every method
 * (?method=join, scan, auto) as by the reference statement that the figures of
 * test_metrics.c were checked against. Runs last, over everything the earlier
 * groups built (the demo county, the metrics town with its moves, ended pairings
 * and a drop-out, the roster and import tests' students): for the bureau, each
 * of its towns and the schools of the busiest town, on dates before, during and
 * after the moves, and home visits for two semesters. */
#define _POSIX_C_SOURCE 200809L

#include "suites.h"

#include <stdio.h>
#include <string.h>

static const char *const methods[] = {"join", "scan", "auto"};

/* GETs path?org_id=org&<param>&method=method as c; the JSON (new reference) or NULL. */
static json_t *coverage_get(const client *c, const char *route, long long org, const char *param, const char *method)
{
	char path[256];
	http_resp *r;
	json_t *out = NULL;
	snprintf(path, sizeof(path), "/api/v1/metrics/%s?org_id=%lld&%s&method=%s", route, org, param, method);
	r = api(c, "GET", path, NULL, NULL);
	if (CHECK_STATUS(r, 200))
		out = json_incref(r->json);
	http_resp_free(r);
	return out;
}

/* Every method answers exactly as the reference for one org and period.
 * Returns the reference's total base (eligible or paired), or -1. */
static long long methods_agree(const client *c, const char *route, long long org, const char *param)
{
	json_t *ref = coverage_get(c, route, org, param, "reference"), *got;
	long long base;
	size_t i;
	if (!ref)
		return -1;
	for (i = 0; i < sizeof(methods) / sizeof(methods[0]); i++) {
		got = coverage_get(c, route, org, param, methods[i]);
		CHECK(got && json_equal(got, ref), "%s org %lld %s: method=%s answers as the reference", route, org, param,
		      methods[i]);
		json_decref(got);
	}
	base = jint(ref, !strcmp(route, "pairing-coverage") ? "totals.eligible" : "totals.paired");
	json_decref(ref);
	return base;
}

/* The org ids of the rows of the bureau's coverage, and the town with the most eligible. */
static size_t bureau_rows(const client *c, long long bureau, long long *ids, size_t cap, long long *busiest)
{
	json_t *j = coverage_get(c, "pairing-coverage", bureau, "date=2026-11-23", "reference"), *row;
	size_t i, n = 0;
	long long most = -1;
	*busiest = 0;
	json_array_foreach(jpath(j, "rows"), i, row) {
		if (n < cap)
			ids[n++] = jint(row, "org_id");
		if (!strcmp(jstr(row, "kind"), "town") && jint(row, "eligible") > most) {
			most = jint(row, "eligible");
			*busiest = jint(row, "org_id");
		}
	}
	json_decref(j);
	return n;
}

void test_coverage(void)
{
	static const char *const dates[] = {"date=2026-03-01", "date=2026-10-15", "date=2026-11-10", "date=2026-11-23"};
	long long ids[128], town_rows[128], town;
	size_t n, nt, i, k;
	client head;
	http_resp *r;
	harness_group("coverage: every method agrees with the reference");
	if (!CHECK(login("juzhang", DEMO_PASSWORD, &head) == 201, "juzhang signs in"))
		return;
	CHECK(methods_agree(&head, "pairing-coverage", head.org_id, "date=2026-11-23") > 0,
	      "the bureau has eligible students to count");
	n = bureau_rows(&head, head.org_id, ids, 128, &town);
	CHECK(town > 0, "a town with eligible students");
	for (k = 0; k < sizeof(dates) / sizeof(dates[0]); k++) {
		methods_agree(&head, "pairing-coverage", head.org_id, dates[k]);
		for (i = 0; i < n; i++)
			methods_agree(&head, "pairing-coverage", ids[i], dates[k]);
	}
	nt = bureau_rows(&head, town, town_rows, 128, &(long long){0});
	for (i = 0; i < nt; i++)
		methods_agree(&head, "pairing-coverage", town_rows[i], "date=2026-11-23");
	methods_agree(&head, "home-visit-coverage", head.org_id, "semester=2026-2");
	methods_agree(&head, "home-visit-coverage", head.org_id, "semester=2026-1");
	for (i = 0; i < n; i++)
		methods_agree(&head, "home-visit-coverage", ids[i], "semester=2026-2");
	r = api(&head, "GET", "/api/v1/metrics/pairing-coverage?method=fastest", NULL, NULL);
	CHECK_ERROR(r, 400, "bad_request", "method");
	http_resp_free(r);
}
