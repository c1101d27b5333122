/* test_settings.c - GET /api/v1/settings: the admin's rules as the service
 * applies them and as stored, for the admin and the bureau head only, and
 * never the install's secret (id_match_key) kept in the same table. */
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

void test_settings(void)
{
	static const char *const readers[] = {"admin", "juzhang", "duxue"};
	static const char *const others[] = {"xiaozhang", "zizhu"};
	client c;
	http_resp *r;
	size_t i;
	harness_group("settings: the admin's rules, read-only");
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
}
