/* test_auth_cache.c - who a session or token stands for is kept for a few
 * seconds (service/auth.c), but a change made through the API applies to the
 * very next request: a new role (403 for the token where the old role was
 * allowed; the user's sessions end), a user deactivated (401), a logout (401). Each
 * request before the change is made first, so that the old answer is cached. */
#define _POSIX_C_SOURCE 200809L

#include "suites.h"

#include <stdio.h>
#include <string.h>

/* GET path as c: the status. */
static int status_of(const client *c, const char *path)
{
	http_resp *r = api(c, "GET", path, NULL, NULL);
	int st = r->status;
	http_resp_free(r);
	return st;
}

/* PATCHes user id with body (taken) as admin; returns the new version or -1. */
static long long patch_user(const client *admin, long long id, json_t *body)
{
	char path[64];
	http_resp *r;
	long long v;
	snprintf(path, sizeof path, "/api/v1/users/%lld", id);
	r = api_json(admin, "PATCH", path, body);
	v = r->status == 200 ? jint(r->json, "version") : -1;
	CHECK_STATUS(r, 200);
	http_resp_free(r);
	return v;
}

/* A new inspector at the bureau, signed in (session) and with a token. */
static long long cached_user(const client *admin, client *session, client *token)
{
	http_resp *r = api_json(admin, "POST", "/api/v1/users",
				json_pack("{s:s, s:s, s:s, s:I, s:s}", "username", "cache_user", "display_name", "缓存测试",
					  "role", "inspector", "org_id", (json_int_t)admin->org_id, "password",
					  DEMO_PASSWORD));
	long long id = r->status == 201 ? jint(r->json, "id") : -1;
	CHECK_STATUS(r, 201);
	http_resp_free(r);
	if (id < 0 || !CHECK(login("cache_user", DEMO_PASSWORD, session) == 201, "cache_user signs in"))
		return -1;
	r = api_json(session, "POST", "/api/v1/tokens", json_pack("{s:s}", "name", "缓存测试"));
	CHECK_STATUS(r, 201);
	memset(token, 0, sizeof *token);
	snprintf(token->bearer, sizeof token->bearer, "%s", jstr(r->json, "token") ? jstr(r->json, "token") : "");
	http_resp_free(r);
	return id;
}

void test_auth_cache(void)
{
	client admin, session, token, other;
	long long id, version;
	harness_group("auth: callers kept, changes through the API applied at once");
	if (!CHECK(login("admin", DEMO_PASSWORD, &admin) == 201, "admin signs in") ||
	    (id = cached_user(&admin, &session, &token)) < 0)
		return;
	/* inspectors read the settings; aid officers may not */
	CHECK_INT(status_of(&token, "/api/v1/settings"), 200, "the token's inspector reads the settings");
	CHECK_INT(status_of(&session, "/api/v1/settings"), 200, "the session's inspector reads the settings");
	version = patch_user(&admin, id, json_pack("{s:i, s:s}", "version", 1, "role", "aid_officer"));
	CHECK_INT(status_of(&token, "/api/v1/settings"), 403, "right after the role changed, the token is an aid officer");
	CHECK_INT(status_of(&session, "/api/v1/settings"), 401, "and the user's session has ended");
	CHECK_INT(status_of(&token, "/api/v1/tokens"), 200, "the token still works");
	patch_user(&admin, id, json_pack("{s:I, s:b}", "version", (json_int_t)version, "active", 0));
	CHECK_INT(status_of(&token, "/api/v1/tokens"), 401, "right after deactivation the token is refused");
	if (!CHECK(login("cache_user", DEMO_PASSWORD, &session) != 201, "a deactivated user cannot sign in"))
		return;
	/* a logout ends the session for the next request */
	if (!CHECK(login("admin", DEMO_PASSWORD, &other) == 201, "admin signs in again"))
		return;
	CHECK_INT(status_of(&other, "/api/v1/tokens"), 200, "the second session works");
	{
		http_resp *r = api(&other, "DELETE", "/api/v1/session", NULL, NULL);
		CHECK_STATUS(r, 204);
		http_resp_free(r);
	}
	CHECK_INT(status_of(&other, "/api/v1/tokens"), 401, "right after logout the session is refused");
	CHECK_INT(status_of(&admin, "/api/v1/tokens"), 200, "the first session is untouched");
}
