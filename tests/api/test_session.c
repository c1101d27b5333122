/* test_session.c - signing in and out, throttling of failed logins, CSRF on
 * cookie writes, and bearer tokens for scripts. */
#define _POSIX_C_SOURCE 200809L

#include "suites.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WRONG_PASSWORD "Wrong@2026x"

/* The session cookie: dudao_session=<64 hex>; Path=/; HttpOnly; SameSite=Strict. */
static void check_login_cookie(const http_resp *r)
{
	const char *sc = resp_header(r, "Set-Cookie");
	char value[80] = "";

	CHECK(sc != NULL, "login sets a cookie");
	if (!sc)
		return;
	if (strncmp(sc, "dudao_session=", 14) == 0)
		snprintf(value, sizeof value, "%.*s", (int)strcspn(sc + 14, ";"), sc + 14);
	CHECK(is_hex(value, 64), "cookie dudao_session is 64 hex characters: %s", sc);
	CHECK(strstr(sc, "HttpOnly") != NULL, "cookie is HttpOnly: %s", sc);
	CHECK(strstr(sc, "SameSite=Strict") != NULL, "cookie is SameSite=Strict: %s", sc);
	CHECK(strstr(sc, "Path=/") != NULL, "cookie has Path=/: %s", sc);
}

/* The body of POST and GET /api/v1/session for the demo admin. */
static void check_session_body(const json_t *j, const char *what)
{
	char label[128];

	snprintf(label, sizeof label, "%s user.username", what);
	CHECK_STR(jstr(j, "user.username"), "admin", label);
	snprintf(label, sizeof label, "%s user.role", what);
	CHECK_STR(jstr(j, "user.role"), "admin", label);
	snprintf(label, sizeof label, "%s user.org_kind", what);
	CHECK_STR(jstr(j, "user.org_kind"), "bureau", label);
	CHECK(jint(j, "user.id") > 0 && jint(j, "user.org_id") > 0, "%s has user.id and user.org_id", what);
	CHECK(jstr(j, "user.display_name") && jstr(j, "user.org_name"), "%s has display_name and org_name", what);
	CHECK(!json_has_key_like(j, "password"), "%s carries no password field", what);
	CHECK(is_hex(jstr(j, "csrf_token"), 64), "%s csrf_token is 64 hex", what);
	CHECK(is_utc_timestamp(jstr(j, "expires_at")), "%s expires_at is YYYY-MM-DDTHH:MM:SSZ (%s)", what,
	      jstr(j, "expires_at") ? jstr(j, "expires_at") : "missing");
}

/* Sign in, read the session, log out (with the CSRF token), and the cookie is dead. */
static void login_logout(void)
{
	http_resp *r = login_resp("admin", DEMO_PASSWORD);
	client c, no_csrf;
	const char *sc;

	CHECK_STATUS(r, 201);
	check_login_cookie(r);
	check_session_body(r->json, "POST /api/v1/session");
	http_resp_free(r);

	if (!fixture_login("admin", &c))
		return;
	r = api(&c, "GET", "/api/v1/session", NULL, NULL);
	CHECK_STATUS(r, 200);
	check_session_body(r->json, "GET /api/v1/session");
	CHECK_STR(jstr(r->json, "csrf_token"), c.csrf, "GET session returns the login's csrf_token");
	http_resp_free(r);

	/* logging out is a cookie write: it needs the CSRF token too */
	no_csrf = c;
	no_csrf.csrf[0] = '\0';
	r = api(&no_csrf, "DELETE", "/api/v1/session", NULL, NULL);
	CHECK_ERROR(r, 403, "forbidden", "X-CSRF-Token");
	http_resp_free(r);
	r = api(&c, "GET", "/api/v1/session", NULL, NULL);
	CHECK(r->status == 200, "session survives a logout without CSRF token (status %d)", r->status);
	http_resp_free(r);

	r = api(&c, "DELETE", "/api/v1/session", NULL, NULL);
	CHECK_STATUS(r, 204);
	sc = resp_header(r, "Set-Cookie");
	CHECK(sc && strncmp(sc, "dudao_session=", 14) == 0 &&
	      (strstr(sc, "Max-Age=0") || strstr(sc, "1970")),
	      "logout clears the cookie (Set-Cookie: %s)", sc ? sc : "none");
	http_resp_free(r);

	r = api(&c, "GET", "/api/v1/session", NULL, NULL);
	CHECK_ERROR(r, 401, "unauthorized", NULL);
	http_resp_free(r);

	r = api(NULL, "GET", "/api/v1/session", NULL, NULL);
	CHECK_ERROR(r, 401, "unauthorized", NULL);
	http_resp_free(r);
}

/* A wrong password and an unknown user get the same 401 and no cookie. */
static void wrong_password(void)
{
	static const char *const who[] = {"juzhang", "no_such_user_x"};

	for (size_t i = 0; i < 2; i++) {
		http_resp *r = login_resp(who[i], WRONG_PASSWORD);

		CHECK_ERROR(r, 401, "unauthorized", NULL);
		CHECK_STR(jstr(r->json, "error.message"), "用户名或密码错误", "wrong login message");
		CHECK(resp_header(r, "Set-Cookie") == NULL, "a failed login (%s) sets no cookie", who[i]);
		http_resp_free(r);
	}
}

/* 5 failures for one user name, then 429 even with the right password.
 * A dedicated user, so other tests are not throttled. */
static void throttling(const client *admin)
{
	client other;
	http_resp *r;
	const char *ra;
	long long id = fixture_user(admin, "lockout_u", "aid_officer", admin->org_id, DEMO_PASSWORD);

	if (id <= 0)
		return;
	for (int i = 0; i < 5; i++) {
		r = login_resp("lockout_u", WRONG_PASSWORD);
		CHECK(r->status == 401, "failed login %d of 5 answers 401 (got %d)", i + 1, r->status);
		http_resp_free(r);
	}
	r = login_resp("lockout_u", DEMO_PASSWORD);
	CHECK_ERROR(r, 429, "too_many_requests", NULL);
	ra = resp_header(r, "Retry-After");
	CHECK(ra && atoi(ra) > 0 && atoi(ra) <= 15 * 60, "429 has Retry-After in 1..900 s (got %s)", ra ? ra : "none");
	CHECK(resp_header(r, "Set-Cookie") == NULL, "a throttled login sets no cookie");
	http_resp_free(r);

	/* throttling is per user name: another user still signs in */
	CHECK(login("juzhang", DEMO_PASSWORD, &other) == 201, "juzhang signs in while lockout_u is throttled");
}

/* 20 failures from one address, whatever the user names, then 429 for everyone from
 * it, even with the right password. From 127.0.0.2, so the other tests keep signing in. */
static void ip_throttling(void)
{
	client c;
	http_resp *r;
	const char *ra;
	int failures = 0;

	http_set_source("127.0.0.2");
	for (int i = 0; i < 20; i++) {
		char name[32];

		snprintf(name, sizeof name, "nobody_%02d", i);
		r = login_resp(name, WRONG_PASSWORD);
		failures += r->status == 401;
		http_resp_free(r);
	}
	CHECK_INT(failures, 20, "401s for 20 unknown users from 127.0.0.2");
	r = login_resp("juzhang", DEMO_PASSWORD);
	CHECK_ERROR(r, 429, "too_many_requests", NULL);
	ra = resp_header(r, "Retry-After");
	CHECK(ra && atoi(ra) > 0 && atoi(ra) <= 15 * 60, "429 by address has Retry-After (got %s)", ra ? ra : "none");
	http_resp_free(r);
	http_set_source(NULL);
	CHECK(login("juzhang", DEMO_PASSWORD, &c) == 201, "juzhang still signs in from 127.0.0.1");
}

/* A cookie POST without (or with a wrong) X-CSRF-Token is refused and creates nothing. */
static void csrf(const client *admin)
{
	static const char *const tokens[] = {"", "0000000000000000000000000000000000000000000000000000000000000000"};
	json_t *body = json_pack("{s:s, s:s, s:s, s:I, s:s}", "username", "csrf_victim", "display_name", "跨站",
				 "role", "aid_officer", "org_id", (json_int_t)admin->org_id, "password", DEMO_PASSWORD);

	for (size_t i = 0; i < 2; i++) {
		client c = *admin;
		http_resp *r;

		snprintf(c.csrf, sizeof c.csrf, "%s", tokens[i]);
		r = api_json(&c, "POST", "/api/v1/users", json_incref(body));
		CHECK_ERROR(r, 403, "forbidden", "X-CSRF-Token");
		http_resp_free(r);
		CHECK_INT(fixture_count_users(admin, "csrf_victim"), 0, "users named csrf_victim after a refused POST");
	}
	/* the same request with the token goes through: the refusal was the token */
	{
		http_resp *r = api_json(admin, "POST", "/api/v1/users", body);

		CHECK_STATUS(r, 201);
		http_resp_free(r);
		CHECK_INT(fixture_count_users(admin, "csrf_victim"), 1, "users named csrf_victim after a good POST");
	}
}

/* GET /api/v1/tokens: the item with id, or NULL (borrowed from r). */
static json_t *token_item(const http_resp *r, long long id)
{
	json_t *item;
	size_t i;

	json_array_foreach(json_object_get(r->json, "items"), i, item)
		if (jint(item, "id") == id)
			return item;
	return NULL;
}

/* Creates a token as admin and fills script with it. Returns the token id, or -1. */
static long long token_create(const client *admin, client *script)
{
	http_resp *r = api_json(admin, "POST", "/api/v1/tokens",
				json_pack("{s:s, s:i}", "name", "夜间导出脚本", "expires_days", 30));
	const char *token = jstr(r->json, "token");
	long long id = jint(r->json, "id");

	CHECK_STATUS(r, 201);
	CHECK(id > 0, "token has an id");
	CHECK_STR(jstr(r->json, "name"), "夜间导出脚本", "token name");
	CHECK(token && strlen(token) >= 32, "token is shown once (got %s)", token ? token : "nothing");
	CHECK(is_utc_timestamp(jstr(r->json, "created_at")) && is_utc_timestamp(jstr(r->json, "expires_at")),
	      "token created_at and expires_at are timestamps");
	memset(script, 0, sizeof *script);
	snprintf(script->bearer, sizeof script->bearer, "%s", token ? token : "");
	http_resp_free(r);
	return id;
}

/* Listed without the secret; usable without CSRF; only its owner revokes it; then 401. */
static void bearer_tokens(const client *admin)
{
	client script, juzhang, bogus;
	http_resp *r;
	json_t *item;
	long long id = token_create(admin, &script);

	if (id <= 0 || !script.bearer[0])
		return;
	r = api(admin, "GET", "/api/v1/tokens", NULL, NULL);
	CHECK_STATUS(r, 200);
	item = token_item(r, id);
	CHECK(item != NULL, "GET /api/v1/tokens lists the new token");
	CHECK(item && !json_object_get(item, "token"), "the token list does not show the token again");
	CHECK(item && json_is_null(json_object_get(item, "revoked_at")), "new token has revoked_at null");
	http_resp_free(r);

	/* a script writes with the bearer token and no CSRF header */
	r = api(&script, "GET", "/api/v1/users", NULL, NULL);
	CHECK_STATUS(r, 200);
	http_resp_free(r);
	r = api_json(&script, "POST", "/api/v1/users",
		     json_pack("{s:s, s:s, s:s, s:I, s:s}", "username", "made_by_token", "display_name", "脚本建的",
			       "role", "aid_officer", "org_id", (json_int_t)admin->org_id, "password", DEMO_PASSWORD));
	CHECK_STATUS(r, 201);
	http_resp_free(r);

	/* someone else's token is out of scope */
	if (fixture_login("juzhang", &juzhang)) {
		char path[64];

		snprintf(path, sizeof path, "/api/v1/tokens/%lld", id);
		r = api(&juzhang, "DELETE", path, NULL, NULL);
		CHECK_ERROR(r, 404, "not_found", NULL);
		http_resp_free(r);
		r = api(&script, "GET", "/api/v1/users", NULL, NULL);
		CHECK(r->status == 200, "token still works after another user's DELETE (status %d)", r->status);
		http_resp_free(r);

		r = api(admin, "DELETE", path, NULL, NULL);
		CHECK_STATUS(r, 204);
		http_resp_free(r);
	}
	r = api(&script, "GET", "/api/v1/users", NULL, NULL);
	CHECK_ERROR(r, 401, "unauthorized", NULL);
	http_resp_free(r);

	r = api(admin, "GET", "/api/v1/tokens", NULL, NULL);
	item = token_item(r, id);
	CHECK(item && is_utc_timestamp(jstr(item, "revoked_at")), "revoked token has a revoked_at timestamp");
	http_resp_free(r);

	memset(&bogus, 0, sizeof bogus);
	snprintf(bogus.bearer, sizeof bogus.bearer, "%s", "not-a-real-token");
	r = api(&bogus, "GET", "/api/v1/users", NULL, NULL);
	CHECK_ERROR(r, 401, "unauthorized", NULL);
	http_resp_free(r);
}

void test_session(void)
{
	client admin;

	harness_group("session");
	login_logout();
	wrong_password();
	if (!fixture_login("admin", &admin))
		return;
	throttling(&admin);
	ip_throttling();
	csrf(&admin);
	bearer_tokens(&admin);
}
