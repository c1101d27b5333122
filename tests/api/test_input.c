/* test_input.c - bodies the service must refuse, in the contract's order
 * (413, 415, UTF-8, malformed JSON, not an object, bad fields), and requests
 * without a session or with the wrong role. Each refusal must create nothing. */
#define _POSIX_C_SOURCE 200809L

#include "suites.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MIB (1024 * 1024)

/* A user body for POST /api/v1/users with display_name given raw (already JSON-quoted
 * content, may hold invalid bytes on purpose). Caller frees. */
static char *user_text(const char *username, const char *display_name, const char *role, long long org_id)
{
	size_t n = strlen(display_name) + 512;
	char *s = malloc(n);

	if (!s)
		abort();
	snprintf(s, n,
		 "{\"username\":\"%s\",\"display_name\":\"%s\",\"role\":\"%s\",\"org_id\":%lld,"
		 "\"password\":\"" DEMO_PASSWORD "\"}",
		 username, display_name, role, org_id);
	return s;
}

/* POSTs text as a user; CHECKs the error; CHECKs that no user named username exists. */
static void refused(const client *c, const client *admin, const char *username, const char *text,
		    const char *const *headers, int status, const char *code, const char *field)
{
	http_resp *r = api(c, "POST", "/api/v1/users", text, headers);

	CHECK_ERROR(r, status, code, field);
	http_resp_free(r);
	CHECK_INT(fixture_count_users(admin, username), 0, username);
}

/* The message of a malformed-JSON 400 names the line and then the column. */
static void malformed_json(const client *admin)
{
	const char *text = "{\n  \"username\": \"badjson_u\",\n  \"role\": \"aid_officer\",\n"
			   "  \"display_name\": \"abc\" \"def\"\n}";
	json_error_t err;
	json_t *j = json_loads(text, 0, &err);
	http_resp *r = api(admin, "POST", "/api/v1/users", text, NULL);
	const char *msg = jstr(r->json, "error.message");
	char line[16], col[16];
	const char *at_line;

	json_decref(j);
	snprintf(line, sizeof line, "%d", err.line);
	snprintf(col, sizeof col, "%d", err.column);
	CHECK_ERROR(r, 400, "bad_request", FIELD_ANY);
	at_line = msg ? strstr(msg, line) : NULL;
	CHECK(at_line && strstr(at_line + strlen(line), col),
	      "malformed JSON message names line %s and column %s: %s", line, col, msg ? msg : "(none)");
	http_resp_free(r);
	CHECK_INT(fixture_count_users(admin, "badjson_u"), 0, "users after malformed JSON");
}

/* Only application/json (charset allowed) is accepted: 415 otherwise, also with no Content-Type. */
static void content_type(const client *admin)
{
	static const char *const plain[] = {"Content-Type: text/plain", NULL};
	static const char *const form[] = {"Content-Type: application/x-www-form-urlencoded", NULL};
	static const char *const charset[] = {"Content-Type: application/json; charset=utf-8", NULL};
	char *text = user_text("ctype_u", "内容类型", "aid_officer", admin->org_id);
	http_resp *r;

	refused(admin, admin, "ctype_u", text, plain, 415, "unsupported_media_type", FIELD_ANY);
	refused(admin, admin, "ctype_u", text, form, 415, "unsupported_media_type", FIELD_ANY);
	/* no Content-Type at all */
	{
		char cookie[200], csrf[200];
		const char *h[3];
		http_resp *raw;

		snprintf(cookie, sizeof cookie, "Cookie: %s", admin->cookie);
		snprintf(csrf, sizeof csrf, "X-CSRF-Token: %s", admin->csrf);
		h[0] = cookie, h[1] = csrf, h[2] = NULL;
		raw = http_do("POST", "/api/v1/users", h, text, strlen(text));
		CHECK_ERROR(raw, 415, "unsupported_media_type", FIELD_ANY);
		http_resp_free(raw);
	}
	/* a charset parameter is allowed */
	r = api(admin, "POST", "/api/v1/users", text, charset);
	CHECK_STATUS(r, 201);
	http_resp_free(r);
	CHECK_INT(fixture_count_users(admin, "ctype_u"), 1, "users after a charset=utf-8 POST");
	free(text);
}

/* A user body of exactly size bytes, padded in display_name. Caller frees. */
static char *sized_body(const char *username, long long org_id, size_t size)
{
	char *shell = user_text(username, "", "aid_officer", org_id);
	size_t pad = size - strlen(shell);
	char *name = malloc(pad + 1), *text;

	if (!name)
		abort();
	memset(name, 'a', pad);
	name[pad] = '\0';
	text = user_text(username, name, "aid_officer", org_id);
	free(name);
	free(shell);
	return text;
}

/* Over 1 MiB is 413, before the content type is looked at; exactly 1 MiB is not over. */
static void too_large(const client *admin)
{
	static const char *const plain[] = {"Content-Type: text/plain", NULL};
	char *over = sized_body("big_u", admin->org_id, MIB + 1);
	char *exact = sized_body("big_u", admin->org_id, MIB);

	CHECK_INT((long long)strlen(over), MIB + 1, "size of the oversized body");
	refused(admin, admin, "big_u", over, NULL, 413, "payload_too_large", FIELD_ANY);
	/* size is checked before the content type */
	refused(admin, admin, "big_u", over, plain, 413, "payload_too_large", FIELD_ANY);
	/* exactly 1 MiB is not over: it reaches the field checks */
	refused(admin, admin, "big_u", exact, NULL, 400, "bad_request", "display_name");
	free(over);
	free(exact);
}

/* Invalid UTF-8 inside a JSON string is a 400. */
static void bad_utf8(const client *admin)
{
	static const char *const bad[] = {
		"ab\xff\xfe",     /* not UTF-8 at all */
		"\xc0\xaf",       /* overlong "/" */
		"\xed\xa0\x80",   /* a UTF-16 surrogate */
		"\xe6\xb5",       /* truncated 3-byte sequence */
	};

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char *text = user_text("utf8_u", bad[i], "aid_officer", admin->org_id);

		refused(admin, admin, "utf8_u", text, NULL, 400, "bad_request", FIELD_ANY);
		free(text);
	}
}

/* display_name is 1..50 characters (not bytes): 50 Chinese characters pass, 51 do not. */
static void display_name_length(const client *admin)
{
	char name[51 * 3 + 1] = "";
	char *text;
	http_resp *r;

	for (int i = 0; i < 51; i++)
		strcat(name, "督");
	text = user_text("long_name_u", name, "aid_officer", admin->org_id);
	refused(admin, admin, "long_name_u", text, NULL, 400, "bad_request", "display_name");
	free(text);

	text = user_text("long_name_u", "", "aid_officer", admin->org_id);
	refused(admin, admin, "long_name_u", text, NULL, 400, "bad_request", "display_name");
	free(text);

	name[50 * 3] = '\0';
	text = user_text("long_name_u", name, "aid_officer", admin->org_id);
	r = api(admin, "POST", "/api/v1/users", text, NULL);
	CHECK_STATUS(r, 201);
	CHECK_STR(jstr(r->json, "display_name"), name, "50-character display_name stored intact");
	http_resp_free(r);
	free(text);
}

/* Out of the role set, wrong types, and bodies that are not objects. */
static void bad_fields(const client *admin)
{
	char *text = user_text("enum_u", "枚举", "superuser", admin->org_id);
	char buf[512];

	refused(admin, admin, "enum_u", text, NULL, 400, "bad_request", "role");
	free(text);

	snprintf(buf, sizeof buf,
		 "{\"username\":\"enum_u\",\"display_name\":\"x\",\"role\":5,\"org_id\":%lld,\"password\":\"%s\"}",
		 admin->org_id, DEMO_PASSWORD);
	refused(admin, admin, "enum_u", buf, NULL, 400, "bad_request", "role");

	snprintf(buf, sizeof buf,
		 "{\"username\":\"enum_u\",\"display_name\":\"x\",\"role\":\"aid_officer\",\"org_id\":\"abc\","
		 "\"password\":\"%s\"}", DEMO_PASSWORD);
	refused(admin, admin, "enum_u", buf, NULL, 400, "bad_request", "org_id");

	refused(admin, admin, "enum_u", "[\"enum_u\"]", NULL, 400, "bad_request", NULL);
	refused(admin, admin, "enum_u", "\"enum_u\"", NULL, 400, "bad_request", NULL);
}

/* No session: 401. A principal on an admin-only route: 403. Neither creates anything. */
static void auth_and_role(const client *admin)
{
	char *text = user_text("intruder_u", "闯入", "aid_officer", admin->org_id);
	client principal;
	http_resp *r;

	r = api(NULL, "GET", "/api/v1/users", NULL, NULL);
	CHECK_ERROR(r, 401, "unauthorized", NULL);
	http_resp_free(r);
	refused(NULL, admin, "intruder_u", text, NULL, 401, "unauthorized", NULL);

	if (fixture_login("xiaozhang", &principal)) {
		r = api(&principal, "GET", "/api/v1/users", NULL, NULL);
		CHECK_ERROR(r, 403, "forbidden", NULL);
		http_resp_free(r);
		r = api(&principal, "GET", "/api/v1/audit", NULL, NULL);
		CHECK_ERROR(r, 403, "forbidden", NULL);
		http_resp_free(r);
		refused(&principal, admin, "intruder_u", text, NULL, 403, "forbidden", NULL);
	}
	free(text);
}

void test_input(void)
{
	client admin;

	harness_group("input");
	if (!fixture_login("admin", &admin))
		return;
	malformed_json(&admin);
	content_type(&admin);
	too_large(&admin);
	bad_utf8(&admin);
	display_name_length(&admin);
	bad_fields(&admin);
	auth_and_role(&admin);
}
