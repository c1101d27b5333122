/* test_audit.c - every write leaves one audit entry (who, from where, before and
 * after, never a password hash); a refused request leaves none. */
#define _POSIX_C_SOURCE 200809L

#include "suites.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* GETs the audit entries of one user record (as admin); new reference or NULL. */
static json_t *user_audit(const client *admin, long long id)
{
	char path[128];
	http_resp *r;
	json_t *j = NULL;

	snprintf(path, sizeof path, "/api/v1/audit?entity=user&entity_id=%lld", id);
	r = api(admin, "GET", path, NULL, NULL);
	if (CHECK_STATUS(r, 200))
		j = json_incref(r->json);
	if (r->body)
		CHECK(!strstr(r->body, "$argon2"), "audit for user %lld shows no password hash", id);
	http_resp_free(r);
	return j;
}

/* The entry of a user create: who, from where, what; before null, after the user without hash. */
static void check_create_entry(const json_t *e, const client *admin, long long id)
{
	const json_t *after = json_object_get(e, "after");

	CHECK(jint(e, "id") > 0, "audit entry has an id");
	CHECK(jstr(e, "action") && *jstr(e, "action"), "audit entry has an action");
	CHECK_INT(jint(e, "user_id"), admin->user_id, "audit user_id is admin's");
	CHECK_STR(jstr(e, "username"), "admin", "audit username");
	CHECK_STR(jstr(e, "ip"), "127.0.0.1", "audit ip");
	CHECK_STR(jstr(e, "entity"), "user", "audit entity");
	CHECK_INT(jint(e, "entity_id"), id, "audit entity_id");
	CHECK(is_utc_timestamp(jstr(e, "at")), "audit at is YYYY-MM-DDTHH:MM:SSZ (got %s)",
	      jstr(e, "at") ? jstr(e, "at") : "nothing");
	CHECK(json_is_null(json_object_get(e, "before")), "a create has before null");
	CHECK(json_is_object(after), "a create has an after object");
	CHECK_STR(jstr(after, "username"), "audit_u1", "audit after.username");
	CHECK(!json_has_key_like(after, "password") && !json_has_key_like(after, "hash"),
	      "audit after holds no password or hash");
}

/* Creating a user adds exactly one entry, with the right content. Returns the user id. */
static long long audit_create(const client *admin)
{
	long long before = fixture_count_audit(admin), id;
	json_t *a;

	id = fixture_user(admin, "audit_u1", "aid_officer", admin->org_id, DEMO_PASSWORD);
	if (id <= 0)
		return -1;
	CHECK_INT(fixture_count_audit(admin), before + 1, "audit entries after one user create");
	a = user_audit(admin, id);
	CHECK_INT(jint(a, "total"), 1, "audit entries for the new user");
	check_create_entry(jpath(a, "items.0"), admin, id);
	json_decref(a);
	return id;
}

/* Refused writes of every kind add no entry. */
static void audit_refused(const client *admin)
{
	client no_csrf = *admin, principal;
	long long before;
	http_resp *r;
	json_t *dup = json_pack("{s:s, s:s, s:s, s:I, s:s}", "username", "audit_u1", "display_name", "重复",
				"role", "aid_officer", "org_id", (json_int_t)admin->org_id, "password", DEMO_PASSWORD);

	if (!fixture_login("xiaozhang", &principal)) { /* a login is a write: sign in before counting */
		json_decref(dup);
		return;
	}
	before = fixture_count_audit(admin);
	r = api_json(admin, "POST", "/api/v1/users", json_incref(dup));
	CHECK_ERROR(r, 409, "conflict", FIELD_ANY);
	http_resp_free(r);
	no_csrf.csrf[0] = '\0';
	r = api_json(&no_csrf, "POST", "/api/v1/users", json_incref(dup));
	CHECK_ERROR(r, 403, "forbidden", "X-CSRF-Token");
	http_resp_free(r);
	r = api_json(&principal, "POST", "/api/v1/users", json_incref(dup));
	CHECK_ERROR(r, 403, "forbidden", NULL);
	http_resp_free(r);
	json_object_set_new(dup, "username", json_string("audit_u2"));
	json_object_set_new(dup, "role", json_string("emperor"));
	r = api_json(admin, "POST", "/api/v1/users", dup);
	CHECK_ERROR(r, 400, "bad_request", "role");
	http_resp_free(r);
	r = api(admin, "POST", "/api/v1/orgs", "{\"kind\":", NULL);
	CHECK_ERROR(r, 400, "bad_request", FIELD_ANY);
	http_resp_free(r);
	CHECK_INT(fixture_count_audit(admin), before, "audit entries after five refused writes");
}

/* An update adds one entry holding the record before and after. */
static void audit_update(const client *admin, long long id)
{
	char path[64];
	http_resp *r;
	json_t *a, *e = NULL, *item;
	size_t i;

	snprintf(path, sizeof path, "/api/v1/users/%lld", id);
	r = api_json(admin, "PATCH", path, json_pack("{s:i, s:s}", "version", 1, "display_name", "审计改名"));
	CHECK_STATUS(r, 200);
	http_resp_free(r);
	a = user_audit(admin, id);
	CHECK_INT(jint(a, "total"), 2, "audit entries for the user after a PATCH");
	json_array_foreach(json_object_get(a, "items"), i, item)
		if (json_is_object(json_object_get(item, "before")))
			e = item;
	if (CHECK(e != NULL, "the PATCH's audit entry has a before object")) {
		CHECK_INT(jint(e, "before.version"), 1, "audit before.version");
		CHECK_INT(jint(e, "after.version"), 2, "audit after.version");
		CHECK_STR(jstr(e, "before.display_name"), "测试用户", "audit before.display_name");
		CHECK_STR(jstr(e, "after.display_name"), "审计改名", "audit after.display_name");
		CHECK(!json_has_key_like(e, "password") && !json_has_key_like(e, "hash"),
		      "audit before/after hold no password or hash");
	}
	json_decref(a);
}

/* Signing in and out are writes too; ?user_id= filters by who did it. */
static void audit_session(const client *admin)
{
	long long before = fixture_count_audit(admin);
	client z;
	char path[96];
	json_t *item;
	size_t i, wrong = 0;
	http_resp *r;

	if (!fixture_login("zizhu", &z))
		return;
	CHECK_INT(fixture_count_audit(admin), before + 1, "audit entries after a login");
	r = api(&z, "DELETE", "/api/v1/session", NULL, NULL);
	CHECK_STATUS(r, 204);
	http_resp_free(r);
	CHECK_INT(fixture_count_audit(admin), before + 2, "audit entries after a logout");

	snprintf(path, sizeof path, "/api/v1/audit?user_id=%lld&per_page=500", z.user_id);
	r = api(admin, "GET", path, NULL, NULL);
	CHECK_STATUS(r, 200);
	json_array_foreach(json_object_get(r->json, "items"), i, item)
		wrong += jint(item, "user_id") != z.user_id;
	CHECK(wrong == 0, "?user_id= returned %zu entries by someone else", wrong);
	CHECK(jint(r->json, "total") >= 2, "zizhu's login and logout are audited (total %lld)", jint(r->json, "total"));
	http_resp_free(r);
}

void test_audit(void)
{
	client admin;
	long long id;

	harness_group("audit");
	if (!fixture_login("admin", &admin))
		return;
	id = audit_create(&admin);
	audit_refused(&admin);
	if (id > 0)
		audit_update(&admin, id);
	audit_session(&admin);
}
