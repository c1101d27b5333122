/* test_users.c - admin writes to users and orgs: creation, the rules each
 * field follows, duplicates and stale versions. A refused write changes nothing. */
#define _POSIX_C_SOURCE 200809L

#include "suites.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The ids the tests hang off: the bureau, the first town, the first school. */
typedef struct {
	long long bureau, town, school;
} demo_orgs;

/* Finds them from the demo logins (admin, duxue, xiaozhang). Returns 1, or 0 after a failed CHECK. */
static int demo_orgs_find(const client *admin, demo_orgs *o)
{
	client duxue, xiaozhang;

	o->bureau = admin->org_id;
	o->town = fixture_login("duxue", &duxue) ? duxue.org_id : -1;
	o->school = fixture_login("xiaozhang", &xiaozhang) ? xiaozhang.org_id : -1;
	return CHECK(o->bureau > 0 && o->town > 0 && o->school > 0 && o->town != o->bureau,
		     "demo orgs: bureau %lld, town %lld, school %lld", o->bureau, o->town, o->school);
}

/* GETs base/id as c; caller frees. */
static http_resp *get_id(const client *c, const char *base, long long id)
{
	char path[128];

	snprintf(path, sizeof path, "%s/%lld", base, id);
	return api(c, "GET", path, NULL, NULL);
}

/* PATCHes base/id as c with body (taken); caller frees. */
static http_resp *patch_id(const client *c, const char *base, long long id, json_t *body)
{
	char path[128];

	snprintf(path, sizeof path, "%s/%lld", base, id);
	return api_json(c, "PATCH", path, body);
}

/* A valid POST /api/v1/users body; new reference. */
static json_t *user_body(const char *username, const char *role, long long org_id)
{
	return json_pack("{s:s, s:s, s:s, s:I, s:s}", "username", username, "display_name", "测试用户", "role",
			 role, "org_id", (json_int_t)org_id, "password", DEMO_PASSWORD);
}

/* POSTs a user (taking body) that must be refused with status, code and field;
 * as many users match its username afterwards as before. */
static void user_refused(const client *admin, json_t *body, int status, const char *code, const char *field)
{
	const char *name = json_string_value(json_object_get(body, "username"));
	char q[64];
	long long before;
	http_resp *r;

	snprintf(q, sizeof q, "%s", name ? name : "");
	before = fixture_count_users(admin, q);
	r = api_json(admin, "POST", "/api/v1/users", body);
	CHECK_ERROR(r, status, code, field);
	http_resp_free(r);
	CHECK_INT(fixture_count_users(admin, q), before, q);
}

/* The user api_user_a as created: every field of the contract, no password hash. */
static void check_user_shape(const json_t *u, const char *username, long long org_id)
{
	CHECK(jint(u, "id") > 0, "user has an id");
	CHECK_STR(jstr(u, "username"), username, "user username");
	CHECK_STR(jstr(u, "display_name"), "测试用户", "user display_name");
	CHECK_STR(jstr(u, "role"), "inspector", "user role");
	CHECK_INT(jint(u, "org_id"), org_id, "user org_id");
	CHECK(jstr(u, "org_name") && *jstr(u, "org_name"), "user has org_name");
	CHECK_STR(jstr(u, "phone"), "13800000000", "user phone");
	CHECK(json_is_true(json_object_get(u, "active")), "new user is active");
	CHECK_INT(jint(u, "version"), 1, "new user version");
	CHECK(is_utc_timestamp(jstr(u, "created_at")), "user created_at is a UTC timestamp");
	CHECK(!json_has_key_like(u, "password") && !json_has_key_like(u, "hash"), "user carries no password hash");
}

/* Creates api_user_a; returns its id or -1. */
static long long user_create(const client *admin, const demo_orgs *o)
{
	json_t *body = user_body("api_user_a", "inspector", o->town);
	http_resp *r;
	long long id = -1;
	client c;

	json_object_set_new(body, "phone", json_string("13800000000"));
	r = api_json(admin, "POST", "/api/v1/users", json_incref(body));
	if (CHECK_STATUS(r, 201)) {
		check_user_shape(r->json, "api_user_a", o->town);
		id = jint(r->json, "id");
	}
	http_resp_free(r);

	r = get_id(admin, "/api/v1/users", id);
	CHECK_STATUS(r, 200);
	check_user_shape(r->json, "api_user_a", o->town);
	http_resp_free(r);

	/* the same username again: 409, still one */
	r = api_json(admin, "POST", "/api/v1/users", body);
	CHECK_ERROR(r, 409, "conflict", FIELD_ANY);
	http_resp_free(r);
	CHECK_INT(fixture_count_users(admin, "api_user_a"), 1, "users named api_user_a after a duplicate");

	CHECK(login("api_user_a", DEMO_PASSWORD, &c) == 201, "the new user signs in with their password");
	CHECK_STR(c.role, "inspector", "new user's session role");
	return id;
}

/* PATCH with the current version works; the stale one is 409 and changes nothing. */
static void user_patch(const client *admin, long long id)
{
	http_resp *r;

	r = patch_id(admin, "/api/v1/users", id, json_pack("{s:i, s:s}", "version", 1, "display_name", "改过的名字"));
	CHECK_STATUS(r, 200);
	CHECK_STR(jstr(r->json, "display_name"), "改过的名字", "patched display_name");
	CHECK_INT(jint(r->json, "version"), 2, "version after PATCH");
	http_resp_free(r);

	r = patch_id(admin, "/api/v1/users", id, json_pack("{s:i, s:s}", "version", 1, "display_name", "不该生效"));
	CHECK_ERROR(r, 409, "conflict", FIELD_ANY);
	http_resp_free(r);

	/* a principal must sit at a school: api_user_a is at a town */
	r = patch_id(admin, "/api/v1/users", id, json_pack("{s:i, s:s}", "version", 2, "role", "principal"));
	CHECK_ERROR(r, 400, "bad_request", "org_id");
	http_resp_free(r);

	r = get_id(admin, "/api/v1/users", id);
	CHECK_STR(jstr(r->json, "display_name"), "改过的名字", "display_name after refused PATCHes");
	CHECK_STR(jstr(r->json, "role"), "inspector", "role after refused PATCH");
	CHECK_INT(jint(r->json, "version"), 2, "version after refused PATCHes");
	http_resp_free(r);
}

/* A principal sits at a school; username and password rules; ?role= filters. */
static void user_rules(const client *admin, const demo_orgs *o)
{
	json_t *b;
	http_resp *r;

	user_refused(admin, user_body("api_princ_bad", "principal", o->town), 400, "bad_request", "org_id");
	user_refused(admin, user_body("api_princ_bad", "principal", o->bureau), 400, "bad_request", "org_id");
	r = api_json(admin, "POST", "/api/v1/users", user_body("api_princ_ok", "principal", o->school));
	CHECK_STATUS(r, 201);
	http_resp_free(r);

	user_refused(admin, user_body("AB", "inspector", o->town), 400, "bad_request", "username");
	user_refused(admin, user_body("bad name", "inspector", o->town), 400, "bad_request", "username");
	user_refused(admin, user_body("abcdefghijklmnopqrstuvwxyz0123456", "inspector", o->town), 400, "bad_request",
		     "username");
	b = user_body("short_pw_u", "inspector", o->town);
	json_object_set_new(b, "password", json_string("short"));
	user_refused(admin, b, 400, "bad_request", "password");

	/* ?role= filters */
	r = api(admin, "GET", "/api/v1/users?role=principal&per_page=500", NULL, NULL);
	if (CHECK_STATUS(r, 200)) {
		json_t *item;
		size_t i, wrong = 0;

		json_array_foreach(json_object_get(r->json, "items"), i, item)
			wrong += !jstr(item, "role") || strcmp(jstr(item, "role"), "principal") != 0;
		CHECK(wrong == 0, "?role=principal returned %zu users of another role", wrong);
		CHECK(jint(r->json, "total") >= 60, "one principal per demo school (total %lld)", jint(r->json, "total"));
		CHECK(!json_has_key_like(r->json, "password"), "user list carries no password hash");
	}
	http_resp_free(r);
}

/* ---- orgs ---------------------------------------------------------------- */

/* A POST /api/v1/orgs body for a school (code omitted when NULL); new reference. */
static json_t *school_body(const char *name, long long parent, const char *code)
{
	json_t *b = json_pack("{s:s, s:s, s:I, s:[s,s], s:b}", "kind", "school", "name", name, "parent_id",
			      (json_int_t)parent, "stages", "小学", "初中", "boarding", 1);

	if (code)
		json_object_set_new(b, "code", json_string(code));
	return b;
}

/* POSTs an org that must be refused; as many orgs match its name afterwards as before. */
static void org_refused(const client *admin, json_t *body, int status, const char *code, const char *field)
{
	const char *name = json_string_value(json_object_get(body, "name"));
	char q[256];
	long long before;
	http_resp *r;

	snprintf(q, sizeof q, "%s", name ? name : "");
	before = fixture_count_orgs(admin, q);
	r = api_json(admin, "POST", "/api/v1/orgs", body);
	CHECK_ERROR(r, status, code, field);
	http_resp_free(r);
	CHECK_INT(fixture_count_orgs(admin, q), before, q);
}

/* School code is 10 digits; parents by kind; kind and stages from their sets; name length. */
static void org_rules(const client *admin, const demo_orgs *o)
{
	json_t *b;
	char long_name[51 * 3 + 1] = "";

	org_refused(admin, school_body("无代码学校", o->town, NULL), 400, "bad_request", "code");
	org_refused(admin, school_body("短代码学校", o->town, "12345"), 400, "bad_request", "code");
	org_refused(admin, school_body("字母代码学校", o->town, "12345abcde"), 400, "bad_request", "code");
	org_refused(admin, school_body("校下之校", o->school, "4399000009"), 400, "bad_request", "parent_id");
	org_refused(admin, json_pack("{s:s, s:s, s:I}", "kind", "town", "name", "镇下之镇", "parent_id",
				     (json_int_t)o->town), 400, "bad_request", "parent_id");
	org_refused(admin, json_pack("{s:s, s:s, s:I}", "kind", "college", "name", "大学城", "parent_id",
				     (json_int_t)o->bureau), 400, "bad_request", "kind");
	b = school_body("大学学段学校", o->town, "4399000008");
	json_object_set_new(b, "stages", json_pack("[s]", "大学"));
	org_refused(admin, b, 400, "bad_request", "stages");
	for (int i = 0; i < 51; i++)
		strcat(long_name, "校");
	org_refused(admin, school_body(long_name, o->town, "4399000007"), 400, "bad_request", "name");
}

/* Creates a school under the first town; returns its id or -1. */
static long long org_create(const client *admin, const demo_orgs *o)
{
	http_resp *r = get_id(admin, "/api/v1/orgs", o->town);
	json_t *stages = json_pack("[s,s]", "小学", "初中");
	char town_path[256], want_path[300];
	long long id = -1;

	snprintf(town_path, sizeof town_path, "%s", jstr(r->json, "path") ? jstr(r->json, "path") : "?");
	http_resp_free(r);

	r = api_json(admin, "POST", "/api/v1/orgs", school_body("接口测试学校", o->town, "4399000001"));
	if (CHECK_STATUS(r, 201))
		id = jint(r->json, "id");
	snprintf(want_path, sizeof want_path, "%s%lld/", town_path, id);
	CHECK_STR(jstr(r->json, "kind"), "school", "new org kind");
	CHECK_STR(jstr(r->json, "code"), "4399000001", "new org code");
	CHECK_INT(jint(r->json, "parent_id"), o->town, "new org parent_id");
	CHECK_STR(jstr(r->json, "path"), want_path, "new org path");
	CHECK(json_equal(json_object_get(r->json, "stages"), stages), "new org stages are [小学, 初中]");
	CHECK(json_is_true(json_object_get(r->json, "boarding")), "new org boarding true");
	CHECK_INT(jint(r->json, "version"), 1, "new org version");
	http_resp_free(r);
	json_decref(stages);

	/* the code is unique */
	org_refused(admin, school_body("同代码学校", o->town, "4399000001"), 409, "conflict", FIELD_ANY);
	return id;
}

/* PATCH with the current version works; a stale one is 409, a bad code 400, neither changes it. */
static void org_patch(const client *admin, long long id)
{
	http_resp *r;

	r = patch_id(admin, "/api/v1/orgs", id, json_pack("{s:i, s:s}", "version", 1, "name", "接口测试学校二"));
	CHECK_STATUS(r, 200);
	CHECK_INT(jint(r->json, "version"), 2, "org version after PATCH");
	http_resp_free(r);

	r = patch_id(admin, "/api/v1/orgs", id, json_pack("{s:i, s:s}", "version", 1, "name", "不该生效的名字"));
	CHECK_ERROR(r, 409, "conflict", FIELD_ANY);
	http_resp_free(r);

	r = patch_id(admin, "/api/v1/orgs", id, json_pack("{s:i, s:s}", "version", 2, "code", "123"));
	CHECK_ERROR(r, 400, "bad_request", "code");
	http_resp_free(r);

	r = get_id(admin, "/api/v1/orgs", id);
	CHECK_STR(jstr(r->json, "name"), "接口测试学校二", "org name after refused PATCHes");
	CHECK_STR(jstr(r->json, "code"), "4399000001", "org code after refused PATCH");
	CHECK_INT(jint(r->json, "version"), 2, "org version after refused PATCHes");
	http_resp_free(r);
}

void test_users(void)
{
	client admin;
	demo_orgs o;
	long long id;

	harness_group("users");
	if (!fixture_login("admin", &admin) || !demo_orgs_find(&admin, &o))
		return;
	id = user_create(&admin, &o);
	if (id > 0)
		user_patch(&admin, id);
	user_rules(&admin, &o);

	harness_group("orgs");
	org_rules(&admin, &o);
	id = org_create(&admin, &o);
	if (id > 0)
		org_patch(&admin, id);
}
