/* test_rect_town_list.c - the open items of one town (state=open,reopened and
 * ?town=, the bureau's list) come from their own index (schema/009): the same
 * items in the same order, and the same total, as the general list gives for
 * state=open and state=reopened asked apart; every page of it; a reopened item
 * among them; a town not wholly in the caller's scope (a principal's) still
 * answers with the caller's items only; an unknown town with none. Lists are
 * written straight from the rows: an item of a list has the fields of GET
 * /rectifications/{id} and their values, for the town's list and others. */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rectify_fixtures.h"
#include "suites.h"

#define MAX_IDS 4096

/* GET path as c: the ids of the page in order into ids (from *n on), the total returned. */
static long long page_ids(const client *c, const char *path, long long *ids, size_t *n)
{
	http_resp *r = api(c, "GET", path, NULL, NULL);
	json_t *it;
	size_t i;
	long long total = r->status == 200 ? jint(r->json, "total") : -1;
	CHECK_STATUS(r, 200);
	json_array_foreach(json_object_get(r->json, "items"), i, it)
		if (*n < MAX_IDS)
			ids[(*n)++] = jint(it, "id");
	http_resp_free(r);
	return total;
}

/* The ids of every open or reopened item of town from the general list (one
 * state at a time); returns their number. */
static size_t general_ids(const client *c, long long town, long long *ids)
{
	static const char *const states[] = {"open", "reopened"};
	char path[160];
	size_t n = 0, k, pg;
	for (k = 0; k < 2; k++)
		for (pg = 1; pg < 50; pg++) {
			size_t before = n;
			snprintf(path, sizeof path, "/api/v1/rectifications?town=%lld&state=%s&per_page=100&page=%zu",
				 town, states[k], pg);
			page_ids(c, path, ids, &n);
			if (n - before < 100)
				break;
		}
	return n;
}

static int cmp_ll(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;
	return (x > y) - (x < y);
}

/* Every page of the town's open list together: the general list's items and total. */
static void same_items(const client *c, long long town)
{
	static long long fast[MAX_IDS], slow[MAX_IDS];
	char path[160];
	size_t nf = 0, ns, pg;
	long long total = -1;
	ns = general_ids(c, town, slow);
	for (pg = 1; pg < 50; pg++) {
		size_t before = nf;
		long long t;
		snprintf(path, sizeof path, "/api/v1/rectifications?town=%lld&state=open,reopened&per_page=30&page=%zu",
			 town, pg);
		t = page_ids(c, path, fast, &nf);
		if (pg == 1)
			total = t;
		if (nf - before < 30)
			break;
	}
	CHECK(ns > 0, "town %lld has open items (%zu)", town, ns);
	CHECK_INT(total, (long long)ns, "the town's open total equals the general list's open + reopened");
	CHECK_INT((long long)nf, (long long)ns, "every page together holds every open item of the town");
	qsort(slow, ns, sizeof slow[0], cmp_ll);
	{
		static long long sorted[MAX_IDS];
		size_t i, same = nf == ns;
		memcpy(sorted, fast, nf * sizeof fast[0]);
		qsort(sorted, nf, sizeof sorted[0], cmp_ll);
		for (i = 0; same && i < nf; i++)
			same = sorted[i] == slow[i];
		CHECK(same, "the same items as the general list");
	}
}

/* The order: deadline then id, as the general list sorts them. */
static void deadline_order(const client *c, long long town)
{
	char path[160];
	http_resp *r;
	json_t *it, *prev = NULL;
	size_t i, bad = 0;
	snprintf(path, sizeof path, "/api/v1/rectifications?town=%lld&state=reopened,open&per_page=500", town);
	r = api(c, "GET", path, NULL, NULL);
	CHECK_STATUS(r, 200);
	json_array_foreach(json_object_get(r->json, "items"), i, it) {
		const char *st = jstr(it, "state");
		if (strcmp(st, "open") && strcmp(st, "reopened"))
			bad++;
		if (prev) {
			int c2 = strcmp(jstr(prev, "deadline"), jstr(it, "deadline"));
			if (c2 > 0 || (c2 == 0 && jint(prev, "id") >= jint(it, "id")))
				bad++;
		}
		prev = it;
	}
	CHECK(i > 0 && bad == 0, "%zu items by deadline then id, all open or reopened (%zu out of order)", i, bad);
	http_resp_free(r);
}

/* A principal asking for the town of their school gets their own school's open items. */
static void narrower_scope(const rx_world *w)
{
	char path[160];
	http_resp *r;
	json_t *it;
	size_t i, other = 0;
	snprintf(path, sizeof path, "/api/v1/rectifications?town=%lld&state=open,reopened&per_page=500", w->town);
	r = api(&w->pb, "GET", path, NULL, NULL);
	CHECK_STATUS(r, 200);
	json_array_foreach(json_object_get(r->json, "items"), i, it)
		other += jint(it, "school_id") != w->school_b;
	CHECK(other == 0 && jint(r->json, "total") == (long long)i,
	      "a principal's town list holds their school's %zu items only (%zu of others)", i, other);
	http_resp_free(r);
	r = api(&w->head, "GET", "/api/v1/rectifications?town=99999999&state=open,reopened", NULL, NULL);
	CHECK(r->status == 200 && jint(r->json, "total") == 0 && json_array_size(json_object_get(r->json, "items")) == 0,
	      "an unknown town has no items: %.200s", r->body);
	http_resp_free(r);
}

/* A reopened item is listed with the open ones, at its deadline. */
static void with_reopened(const client *head)
{
	http_resp *r = api(head, "GET", "/api/v1/rectifications?state=reopened&per_page=1", NULL, NULL);
	long long town = jint(r->json, "items.0.town_id"), id = jint(r->json, "items.0.id");
	char path[160];
	size_t n = 0, i;
	static long long ids[MAX_IDS];
	http_resp_free(r);
	if (!CHECK(town > 0 && id > 0, "the demo has a reopened item in a town"))
		return;
	snprintf(path, sizeof path, "/api/v1/rectifications?town=%lld&state=open,reopened&per_page=500", town);
	page_ids(head, path, ids, &n);
	for (i = 0; i < n && ids[i] != id; i++)
		;
	CHECK(i < n, "reopened item %lld is in its town's open list", id);
	same_items(head, town);
	deadline_order(head, town);
}

/* Each item of the list at path equals the item's GET answer, field by field, and
 * has every field of it but the detail-only ones. */
static void list_is_get(const client *c, const char *path)
{
	static const char *const detail_only[] = {"finding_evidence_ids", "pending_extension", "extensions", "journal"};
	http_resp *r = api(c, "GET", path, NULL, NULL);
	json_t *it, *v;
	const char *key;
	size_t i, k, bad = 0, n = 0;
	CHECK_STATUS(r, 200);
	json_array_foreach(json_object_get(r->json, "items"), i, it) {
		json_t *full = rx_item(c, jint(it, "id"));
		if (i >= 8 || !full)
			break;
		json_object_foreach(it, key, v)
			if (!json_equal(v, json_object_get(full, key)))
				bad += !CHECK(0, "%s: item %lld field %s as GET has it", path, jint(it, "id"), key);
		for (k = 0; k < sizeof detail_only / sizeof detail_only[0]; k++)
			json_object_del(full, detail_only[k]);
		CHECK_INT((long long)json_object_size(it), (long long)json_object_size(full), "list item fields = GET fields");
		json_decref(full);
		n++;
	}
	CHECK(n > 0 && bad == 0, "%zu items of %s read as GET reads them", n, path);
	http_resp_free(r);
}

void test_rect_town_list(void)
{
	const rx_world *w = rx_setup();
	harness_group("rectification: the open items of a town, from their own index");
	if (!w)
		return;
	same_items(&w->head, w->town);
	deadline_order(&w->head, w->town);
	narrower_scope(w);
	with_reopened(&w->head);
	{
		char path[160];
		snprintf(path, sizeof path, "/api/v1/rectifications?town=%lld&state=open,reopened&per_page=8", w->town);
		list_is_get(&w->head, path);
		list_is_get(&w->head, "/api/v1/rectifications?state=closed&per_page=8");
		list_is_get(&w->head, "/api/v1/rectifications?state=submitted&per_page=8&page=2");
		list_is_get(&w->head, "/api/v1/rectifications?overdue=1&per_page=8");
		list_is_get(&w->pb, "/api/v1/rectifications?per_page=8");
	}
}
