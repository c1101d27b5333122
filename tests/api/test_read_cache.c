/* test_read_cache.c - lists, the ledger and the inbox are answered from memory
 * (service/readcache.c) until the next write: after an answer through the API,
 * the very next list, inbox and ledger show it; the same URI asked by two
 * principals gives each their own school; a kept answer is the one read; a
 * change made by hand in the database shows once the answers kept have aged
 * out (--cache-ms, 5 s by default), and not before: the answers are kept. A
 * school's pairing coverage, read before a pairing is made through the API,
 * counts it right after. */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <string.h>

#include "rectify_fixtures.h"
#include "server.h"
#include "suites.h"

/* GET path as c; the answer (caller frees), CHECKed to be 200. */
static http_resp *get_ok(const client *c, const char *path)
{
	http_resp *r = api(c, "GET", path, NULL, NULL);
	CHECK_STATUS(r, 200);
	return r;
}

/* The member of array (at key in r's JSON) whose id is id, or NULL. */
static json_t *find_id(const http_resp *r, const char *key, long long id)
{
	json_t *it;
	size_t i;
	json_array_foreach(json_object_get(r->json, key), i, it)
		if (jint(it, "id") == id)
			return it;
	return NULL;
}

/* Whether every item of the list answer r belongs to school (and there is one). */
static int all_of_school(const http_resp *r, long long school)
{
	json_t *items = json_object_get(r->json, "items"), *it;
	size_t i;
	json_array_foreach(items, i, it)
		if (jint(it, "school_id") != school)
			return 0;
	return json_array_size(items) > 0;
}

/* Lists, inbox and ledger read before an answer show it right after. */
static void write_then_read(const rx_world *w, long long item, const char *list)
{
	char ledger[160];
	http_resp *a, *b;
	long long ev = rx_evidence(&w->pc, 0);
	snprintf(ledger, sizeof ledger, "/api/v1/rectifications/ledger?school=%lld", w->school_c);

	a = get_ok(&w->pc, list);
	b = get_ok(&w->pc, list);
	CHECK(find_id(a, "items", item) != NULL, "the open list has the new item");
	CHECK(a->body_len == b->body_len && !memcmp(a->body, b->body, a->body_len),
	      "the same list asked twice: the same bytes");
	http_resp_free(a);
	http_resp_free(b);
	a = get_ok(&w->pc, "/api/v1/inbox");
	CHECK(find_id(a, "open", item) != NULL, "the principal's inbox has it");
	http_resp_free(a);
	a = get_ok(&w->head, ledger);
	CHECK_STR(jstr(find_id(a, "items", item), "state"), "open", "the ledger shows it open");
	http_resp_free(a);

	a = rx_act(&w->pc, item, "answer",
		   json_pack("{s:i,s:s,s:[I]}", "version", 1, "note", "已整改", "evidence_ids", (json_int_t)ev), NULL);
	CHECK_STATUS(a, 200);
	http_resp_free(a);

	a = get_ok(&w->pc, list);
	CHECK(find_id(a, "items", item) == NULL, "right after the answer, the open list no longer has it");
	http_resp_free(a);
	a = get_ok(&w->pc, "/api/v1/inbox");
	CHECK(find_id(a, "open", item) == NULL, "nor the principal's inbox");
	http_resp_free(a);
	a = get_ok(&w->head, ledger);
	CHECK_STR(jstr(find_id(a, "items", item), "state"), "submitted", "the ledger shows it submitted");
	http_resp_free(a);
}

/* One URI, two principals: each answer is the caller's own. */
static void callers_apart(const rx_world *w)
{
	static const char path[] = "/api/v1/rectifications?per_page=500";
	http_resp *a = get_ok(&w->pa, path), *c = get_ok(&w->pc, path), *a2 = get_ok(&w->pa, path);
	CHECK(all_of_school(a, w->school_a), "school A's principal sees school A's items");
	CHECK(all_of_school(c, w->school_c), "school C's principal, asking the same URI next, sees school C's");
	CHECK(all_of_school(a2, w->school_a), "and school A's principal again their own");
	http_resp_free(a);
	http_resp_free(c);
	http_resp_free(a2);
}

/* A deadline changed by hand shows after the kept answer aged out, not before. */
static void hand_change(const rx_world *w, long long item, const char *list)
{
	http_resp *r = get_ok(&w->pc, list);
	const char *before = jstr(find_id(r, "items", item), "deadline");
	char was[16];
	snprintf(was, sizeof was, "%s", before ? before : "");
	http_resp_free(r);
	if (!CHECK(*was && strcmp(was, "2027-01-31"), "the item is listed with its deadline (%s)", was) ||
	    server_item_deadline(item, "2027-01-31") != 0)
		return;
	r = get_ok(&w->pc, list);
	CHECK_STR(jstr(find_id(r, "items", item), "deadline"), was, "right after, the kept list still has the old deadline");
	http_resp_free(r);
	harness_sleep_ms(5100);
	r = get_ok(&w->pc, list);
	CHECK_STR(jstr(find_id(r, "items", item), "deadline"), "2027-01-31", "5 s later the list has the new one");
	http_resp_free(r);
}

/* The paired count of school in its pairing coverage, read as c (-1 when not 200). */
static long long paired_of(const client *c, long long school)
{
	char path[120];
	http_resp *r;
	long long n;
	snprintf(path, sizeof path, "/api/v1/metrics/pairing-coverage?org_id=%lld", school);
	r = get_ok(c, path);
	n = r->status == 200 ? jint(r->json, "totals.paired") : -1;
	http_resp_free(r);
	return n;
}

/* Coverage read, a pairing made through the API, coverage read again: one more paired. */
static void coverage_after_pairing(void)
{
	roster_demo d;
	char path[120];
	http_resp *r;
	long long student, staff, before;
	if (!roster_schools(&d))
		return;
	snprintf(path, sizeof path, "/api/v1/metrics/unpaired?org_id=%lld&per_page=1", d.school);
	r = get_ok(&d.admin, path);
	student = r->status == 200 ? jint(r->json, "items.0.student_id") : 0;
	http_resp_free(r);
	before = paired_of(&d.admin, d.school);
	if (!CHECK(student > 0 && before >= 0, "an unpaired student and the coverage of the school") ||
	    (staff = fixture_create(&d.admin, "/api/v1/staff",
			     json_pack("{s:I, s:s, s:[s]}", "school_id", (json_int_t)d.school, "name", "缓存测试老师",
				       "roles", "班主任"))) < 0 ||
	    fixture_create(&d.admin, "/api/v1/pairings",
		    json_pack("{s:I, s:I, s:s}", "staff_id", (json_int_t)staff, "student_id", (json_int_t)student,
			      "start_date", "2026-11-01")) < 0)
		return;
	CHECK_INT(paired_of(&d.admin, d.school), before + 1, "right after the pairing, the coverage counts it");
}

void test_read_cache(void)
{
	const rx_world *w = rx_setup();
	json_t *v;
	long long ids[2];
	char list[160];
	harness_group("read cache: lists kept until the next write");
	if (!w)
		return;
	v = rx_filed_visit(&w->inspector, w->school_c, "2026-11-21", "专项督导",
			   json_pack("[o,o]", rx_finding(w, 9, "一般", "资助公示未张贴", NULL),
				     rx_finding(w, 10, "较重", "家访记录缺页", NULL)));
	if (!CHECK(v && rx_visit_items(v, ids, 2) == 2, "a visit to school C made two items")) {
		json_decref(v);
		return;
	}
	json_decref(v);
	snprintf(list, sizeof list, "/api/v1/rectifications?school=%lld&state=open&per_page=500", w->school_c);
	write_then_read(w, ids[0], list);
	callers_apart(w);
	hand_change(w, ids[1], list);
	coverage_after_pairing();
}
