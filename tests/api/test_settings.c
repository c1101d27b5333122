/* test_settings.c - GET /api/v1/settings: the admin's rules as the service
 * applies them and as stored, for the admin and the bureau head only, and
 * never the install's secret (id_match_key) kept in the same table; PATCH:
 * the admin's changes, all or nothing, applied at once and audited. */
#define _POSIX_C_SOURCE 200809L

#include "suites.h"

#include <stdio.h>
#include <string.h>

/* The rules of a fresh install (schema/002_settings.sql, DESIGN.md). */
static void check_defaults(const http_resp *r, const char *who)
{
	json_t *items = json_object_get(r->json, "items"), *it;
	size_t i, rules = 0;
	CHECK_INT(jint(r->json, "deadline_days.严重"), 7, "deadline_days.严重");
	CHECK_INT(jint(r->json, "deadline_days.较重"), 15, "deadline_days.较重");
	CHECK_INT(jint(r->json, "deadline_days.一般"), 30, "deadline_days.一般");
	CHECK_INT(jint(r->json, "escalate_days.提醒"), 1, "escalate_days.提醒");
	CHECK_INT(jint(r->json, "escalate_days.通报"), 15, "escalate_days.通报");
	CHECK_INT(jint(r->json, "escalate_days.约谈"), 30, "escalate_days.约谈");
	CHECK_INT(jint(r->json, "visits_per_semester"), 2, "visits_per_semester");
	CHECK(json_array_size(json_object_get(r->json, "eligible_categories")) == 2 &&
	      !strcmp(jstr(r->json, "eligible_categories.0"), "建档立卡") &&
	      !strcmp(jstr(r->json, "eligible_categories.1"), "防返贫监测"),
	      "%s: eligible_categories [建档立卡, 防返贫监测]: %.300s", who, r->body);
	json_array_foreach(items, i, it) {
		rules += jstr(it, "name") && jstr(it, "value") && jstr(it, "description") && jint(it, "version") >= 1 &&
			 is_utc_timestamp(jstr(it, "updated_at"));
	}
	CHECK(json_array_size(items) == 8 && rules == 8, "%s: the eight stored rules with name, value, description, "
	      "version, updated_at: %.600s", who, r->body);
	CHECK(!strstr(r->body, "id_match_key") && !json_has_key_like(r->json, "key"),
	      "%s: the ID-number matching key is never shown", who);
}

/* The stored version of rule name in a GET /settings answer, or 0. */
static long long version_of(const json_t *settings, const char *name)
{
	json_t *it;
	size_t i;
	json_array_foreach(json_object_get(settings, "items"), i, it)
		if (!strcmp(jstr(it, "name"), name))
			return jint(it, "version");
	return 0;
}

/* PATCH /settings with items [{name, value, version}] given as triples. */
static http_resp *patch(client *c, const char *n1, const char *v1, long long ver1, const char *n2, const char *v2,
			long long ver2)
{
	json_t *items = json_pack("[{s:s,s:s,s:I}]", "name", n1, "value", v1, "version", (json_int_t)ver1);
	if (n2)
		json_array_append_new(items, json_pack("{s:s,s:s,s:I}", "name", n2, "value", v2, "version", (json_int_t)ver2));
	return api_json(c, "PATCH", "/api/v1/settings", json_pack("{s:o}", "items", items));
}

/* Refused changes leave every rule as it was. */
static void patch_refused(client *admin, long long vs, long long vt)
{
	static const struct {
		const char *name, *value, *field;
	} bad[] = {
		{"deadline_days_严重", "0", "items[0].value"},   {"deadline_days_严重", "7天", "items[0].value"},
		{"deadline_days_严重", "+7", "items[0].value"},  {"visits_per_semester", "101", "items[0].value"},
		{"eligible_categories", "富裕", "items[0].value"}, {"id_match_key", "x", "items[0].name"},
		{"escalate_days_通报", "40", "items[0].value"},  {"escalate_days_提醒", "15", "items[0].value"},
	};
	http_resp *r;
	size_t i;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		r = patch(admin, bad[i].name, bad[i].value, strncmp(bad[i].name, "escalate", 8) ? vs : vt, NULL, NULL, 0);
		CHECK_ERROR(r, 400, "bad_request", bad[i].field);
		http_resp_free(r);
	}
	r = patch(admin, "deadline_days_严重", "9", vs, "deadline_days_严重", "8", vs);
	CHECK_ERROR(r, 400, "bad_request", "items[1].name");
	http_resp_free(r);
	/* the first would pass; the second is stale: nothing changes */
	r = patch(admin, "deadline_days_严重", "9", vs, "escalate_days_通报", "16", vt + 5);
	CHECK_ERROR(r, 409, "conflict", NULL);
	http_resp_free(r);
	r = api(admin, "GET", "/api/v1/settings", NULL, NULL);
	check_defaults(r, "after refused changes");
	http_resp_free(r);
}

/* The admin changes rules: they apply at once, versions move on, the change is
 * audited; then they are set back for the tests after this one. */
static void patch_rules(void)
{
	client admin, head;
	http_resp *r;
	long long vs, vt, vc;
	if (!fixture_login("admin", &admin) || !fixture_login("juzhang", &head))
		return;
	r = api(&admin, "GET", "/api/v1/settings", NULL, NULL);
	vs = version_of(r->json, "deadline_days_严重");
	vt = version_of(r->json, "escalate_days_通报");
	vc = version_of(r->json, "eligible_categories");
	http_resp_free(r);
	r = patch(&head, "deadline_days_严重", "10", vs, NULL, NULL, 0);
	CHECK_ERROR(r, 403, "forbidden", NULL);
	http_resp_free(r);
	patch_refused(&admin, vs, vt);

	r = patch(&admin, "deadline_days_严重", "10", vs, "escalate_days_通报", "20", vt);
	CHECK_STATUS(r, 200);
	CHECK_INT(jint(r->json, "deadline_days.严重"), 10, "the new deadline applies at once");
	CHECK_INT(jint(r->json, "escalate_days.通报"), 20, "the new threshold applies at once");
	CHECK_INT(version_of(r->json, "deadline_days_严重"), vs + 1, "the row's version moves on");
	http_resp_free(r);
	r = patch(&admin, "eligible_categories", "脱贫户、低保", vc, NULL, NULL, 0);
	CHECK_STATUS(r, 200);
	CHECK(json_array_size(json_object_get(r->json, "eligible_categories")) == 2 &&
	      !strcmp(jstr(r->json, "eligible_categories.1"), "低保"), "categories by their names: %.200s", r->body);
	http_resp_free(r);
	r = api(&admin, "GET", "/api/v1/audit?entity=settings", NULL, NULL);
	CHECK(r->json && jint(r->json, "total") >= 2 && strstr(r->body, "deadline_days_严重"),
	      "the changes are audited with the rows before and after");
	http_resp_free(r);

	r = patch(&admin, "deadline_days_严重", "7", vs + 1, "escalate_days_通报", "15", vt + 1);
	CHECK_STATUS(r, 200);
	http_resp_free(r);
	r = patch(&admin, "eligible_categories", "建档立卡,防返贫监测", vc + 1, NULL, NULL, 0);
	CHECK_STATUS(r, 200);
	check_defaults(r, "set back");
	http_resp_free(r);
}

void test_settings(void)
{
	static const char *const readers[] = {"admin", "juzhang", "duxue"};
	static const char *const others[] = {"xiaozhang", "zizhu"};
	client c;
	http_resp *r;
	size_t i;
	harness_group("settings: the admin's rules as read");
	for (i = 0; i < 3; i++) {
		if (!fixture_login(readers[i], &c))
			continue;
		r = api(&c, "GET", "/api/v1/settings", NULL, NULL);
		if (CHECK_STATUS(r, 200))
			check_defaults(r, readers[i]);
		http_resp_free(r);
		r = api(&c, "PUT", "/api/v1/settings", "{}", NULL);
		CHECK_ERROR(r, 405, "method_not_allowed", NULL);
		http_resp_free(r);
	}
	for (i = 0; i < 2; i++) {
		if (!fixture_login(others[i], &c))
			continue;
		r = api(&c, "GET", "/api/v1/settings", NULL, NULL);
		CHECK_ERROR(r, 403, "forbidden", NULL);
		http_resp_free(r);
	}
	r = api(NULL, "GET", "/api/v1/settings", NULL, NULL);
	CHECK_ERROR(r, 401, "unauthorized", NULL);
	http_resp_free(r);
	harness_group("settings: the admin changes them");
	patch_rules();
}
