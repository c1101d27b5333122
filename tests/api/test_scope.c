/* test_scope.c - each user sees their scope org and what lies under it; anything
 * else answers 404 as if it did not exist. Admin (the bureau) sees the county. */
#define _POSIX_C_SOURCE 200809L

#include "suites.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* GETs path as c, CHECKs 200 and returns the body (new reference) or NULL. */
static json_t *get_list(const client *c, const char *path)
{
	http_resp *r = api(c, "GET", path, NULL, NULL);
	json_t *j = NULL;

	if (CHECK_STATUS(r, 200) && CHECK(json_is_array(json_object_get(r->json, "items")),
					  "GET %s has an items array", path))
		j = json_incref(r->json);
	http_resp_free(r);
	return j;
}

/* GETs /api/v1/orgs/<org_id> as c and CHECKs the status (404: the error shape too). */
static void expect_status(const client *c, long long org_id, int status, const char *who)
{
	char path[64];
	http_resp *r;

	snprintf(path, sizeof path, "/api/v1/orgs/%lld", org_id);
	r = api(c, "GET", path, NULL, NULL);
	if (status == 404)
		CHECK_ERROR(r, 404, "not_found", NULL);
	else
		CHECK(r->status == status, "%s GET %s: status %d, want %d", who, path, r->status, status);
	http_resp_free(r);
}

/* body with the decimal id replaced by "#" (a message may name the id it was asked for). */
static void without_id(const char *body, long long id, char *out, size_t outlen)
{
	char ids[24];
	size_t n, o = 0;

	snprintf(ids, sizeof ids, "%lld", id);
	n = strlen(ids);
	while (body && *body && o + 1 < outlen) {
		if (strncmp(body, ids, n) == 0) {
			out[o++] = '#';
			body += n;
		} else {
			out[o++] = *body++;
		}
	}
	out[o] = '\0';
}

/* Out of scope answers exactly as a record that does not exist. */
static void same_as_missing(const client *c, long long org_id)
{
	char path[64], a[1024], b[1024];
	http_resp *hidden, *missing;

	snprintf(path, sizeof path, "/api/v1/orgs/%lld", org_id);
	hidden = api(c, "GET", path, NULL, NULL);
	missing = api(c, "GET", "/api/v1/orgs/99999999", NULL, NULL);
	without_id(hidden->body, org_id, a, sizeof a);
	without_id(missing->body, 99999999, b, sizeof b);
	CHECK(hidden->status == missing->status && strcmp(a, b) == 0,
	      "out-of-scope org answers like a missing one: %d %s vs %d %s", hidden->status, a, missing->status, b);
	http_resp_free(hidden);
	http_resp_free(missing);
}

/* The path of org id in a list of orgs, or NULL. */
static const char *path_of(const json_t *items, long long id)
{
	json_t *item;
	size_t i;

	json_array_foreach(items, i, item)
		if (jint(item, "id") == id)
			return jstr(item, "path");
	return NULL;
}

/* The first school in all whose path does not start with prefix; NULL if none. */
static json_t *school_outside(const json_t *all, const char *prefix)
{
	json_t *item;
	size_t i;

	json_array_foreach(all, i, item) {
		const char *p = jstr(item, "path");

		if (jstr(item, "kind") && strcmp(jstr(item, "kind"), "school") == 0 && p &&
		    strncmp(p, prefix, strlen(prefix)) != 0 && jstr(item, "code"))
			return item;
	}
	return NULL;
}

/* How many orgs in items have a path under prefix. */
static size_t count_under(const json_t *items, const char *prefix)
{
	json_t *item;
	size_t i, n = 0;

	json_array_foreach(items, i, item)
		n += jstr(item, "path") && strncmp(jstr(item, "path"), prefix, strlen(prefix)) == 0;
	return n;
}

/* ?page= is >= 1 and ?per_page= is 1..500; anything else is a 400 naming the parameter. */
static void paging_refused(const client *admin)
{
	static const struct { const char *query, *field; } bad[] = {
		{"page=0", "page"}, {"page=abc", "page"}, {"per_page=0", "per_page"}, {"per_page=501", "per_page"},
	};

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char path[96];
		http_resp *r;

		snprintf(path, sizeof path, "/api/v1/orgs?%s", bad[i].query);
		r = api(admin, "GET", path, NULL, NULL);
		CHECK_ERROR(r, 400, "bad_request", bad[i].field);
		http_resp_free(r);
	}
}

/* The bureau sees every school; lists page by ?page= and ?per_page=. */
static void admin_sees_all(const client *admin)
{
	json_t *schools = get_list(admin, "/api/v1/orgs?kind=school&per_page=500");
	json_t *page1 = get_list(admin, "/api/v1/orgs?kind=school");
	json_t *page2 = get_list(admin, "/api/v1/orgs?kind=school&page=2&per_page=50");
	long long total = jint(schools, "total");

	CHECK(total >= 60 && total <= 100, "admin sees about 80 schools (total %lld)", total);
	CHECK_INT((long long)json_array_size(json_object_get(schools, "items")), total, "items with per_page=500");
	CHECK_INT((long long)json_array_size(json_object_get(page1, "items")), 50, "items on default page");
	CHECK_INT(jint(page1, "page"), 1, "default page");
	CHECK_INT(jint(page1, "per_page"), 50, "default per_page");
	CHECK_INT(jint(page1, "total"), total, "total on page 1");
	CHECK_INT((long long)json_array_size(json_object_get(page2, "items")), total - 50, "items on page 2");
	CHECK_INT(jint(page2, "page"), 2, "page 2 says page 2");
	CHECK(jint(page1, "items.0.id") != jint(page2, "items.0.id"), "page 2 starts elsewhere than page 1");
	json_decref(schools);
	json_decref(page1);
	json_decref(page2);
	paging_refused(admin);
}

/* A principal sees their school only. */
static void principal_sees_school(const char *username, const json_t *all, long long bureau)
{
	client p;
	json_t *list, *other;
	char prefix[256];

	if (!fixture_login(username, &p))
		return;
	list = get_list(&p, "/api/v1/orgs?per_page=500");
	CHECK_INT(jint(list, "total"), 1, "orgs a principal sees");
	CHECK_INT(jint(list, "items.0.id"), p.org_id, "the one org a principal sees is their school");
	json_decref(list);
	expect_status(&p, p.org_id, 200, username);
	snprintf(prefix, sizeof prefix, "%s", path_of(all, p.org_id) ? path_of(all, p.org_id) : "?");
	other = school_outside(all, prefix);
	if (CHECK(other != NULL, "there is a school outside %s's", username)) {
		expect_status(&p, jint(other, "id"), 404, username);
		same_as_missing(&p, jint(other, "id"));
	}
	expect_status(&p, bureau, 404, username);
}

/* An inspector scoped to the first town sees that town's subtree and nothing else. */
static void inspector_sees_town(const json_t *all, long long bureau)
{
	client d;
	json_t *list, *item, *other;
	const char *town_path;
	size_t i, outside = 0;

	if (!fixture_login("duxue", &d))
		return;
	town_path = path_of(all, d.org_id);
	if (!CHECK(town_path != NULL, "admin's list has duxue's town %lld", d.org_id))
		return;
	list = get_list(&d, "/api/v1/orgs?per_page=500");
	json_array_foreach(json_object_get(list, "items"), i, item)
		outside += !jstr(item, "path") || strncmp(jstr(item, "path"), town_path, strlen(town_path)) != 0;
	CHECK(outside == 0, "duxue sees %zu orgs outside %s", outside, town_path);
	CHECK_INT(jint(list, "total"), (long long)count_under(all, town_path), "orgs duxue sees (the town's subtree)");
	CHECK(path_of(json_object_get(list, "items"), d.org_id) != NULL, "duxue sees the town itself");
	json_decref(list);

	list = get_list(&d, "/api/v1/orgs?kind=town");
	CHECK_INT(jint(list, "total"), 1, "towns duxue sees");
	json_decref(list);

	other = school_outside(all, town_path);
	if (CHECK(other != NULL, "there is a school outside the first town"))
		expect_status(&d, jint(other, "id"), 404, "duxue");
	expect_status(&d, bureau, 404, "duxue");
}

/* The demo has one principal per school named p<code>: take one outside the first town. */
static void other_principal(const json_t *all, long long town, long long bureau)
{
	const char *town_path = path_of(all, town);
	json_t *school = town_path ? school_outside(all, town_path) : NULL;
	char username[32];

	if (!CHECK(school != NULL, "a demo school outside the first town"))
		return;
	snprintf(username, sizeof username, "p%s", jstr(school, "code"));
	principal_sees_school(username, all, bureau);
}

/* ?parent_id= lists exactly the children of that org. */
static void parent_filter(const client *admin, const json_t *all, long long town)
{
	char path[96];
	json_t *list, *item;
	size_t i, wrong = 0, want = 0;

	json_array_foreach(all, i, item)
		want += jint(item, "parent_id") == town;
	snprintf(path, sizeof path, "/api/v1/orgs?parent_id=%lld&per_page=500", town);
	list = get_list(admin, path);
	json_array_foreach(json_object_get(list, "items"), i, item)
		wrong += jint(item, "parent_id") != town;
	CHECK(wrong == 0, "?parent_id= returned %zu orgs with another parent", wrong);
	CHECK_INT(jint(list, "total"), (long long)want, "orgs under the first town");
	json_decref(list);
}

/* Reading is for everyone in scope; writing orgs is for admin only. */
static void inspector_cannot_write(const client *admin, long long town)
{
	client d;
	http_resp *r;

	if (!fixture_login("duxue", &d))
		return;
	r = api_json(&d, "POST", "/api/v1/orgs",
		     json_pack("{s:s, s:s, s:I, s:s}", "kind", "school", "name", "督学建的学校", "parent_id",
			       (json_int_t)town, "code", "4399000020"));
	CHECK_ERROR(r, 403, "forbidden", NULL);
	http_resp_free(r);
	CHECK_INT(fixture_count_orgs(admin, "督学建的学校"), 0, "orgs after a refused inspector POST");
}

void test_scope(void)
{
	client admin, duxue;
	json_t *all;

	harness_group("scope");
	if (!fixture_login("admin", &admin) || !fixture_login("duxue", &duxue))
		return;
	all = get_list(&admin, "/api/v1/orgs?per_page=500");
	if (!all)
		return;
	CHECK_INT((long long)json_array_size(json_object_get(all, "items")), jint(all, "total"),
		  "admin's per_page=500 list holds every org");
	admin_sees_all(&admin);
	principal_sees_school("xiaozhang", json_object_get(all, "items"), admin.org_id);
	inspector_sees_town(json_object_get(all, "items"), admin.org_id);
	other_principal(json_object_get(all, "items"), duxue.org_id, admin.org_id);
	parent_filter(&admin, json_object_get(all, "items"), duxue.org_id);
	inspector_cannot_write(&admin, duxue.org_id);
	json_decref(all);
}
