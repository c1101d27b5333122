/* fixtures.c - small helpers the test groups share: sign in, create a user,
 * count what a list returns (to show a rejected request changed nothing). */
#define _POSIX_C_SOURCE 200809L

#include "suites.h"

#include <stdio.h>
#include <stdlib.h>

int fixture_login(const char *username, client *c)
{
	int status = login(username, DEMO_PASSWORD, c);

	return CHECK(status == 201 && c->cookie[0] && c->csrf[0],
		     "login as %s: status %d, cookie %s, csrf %s", username, status,
		     c->cookie[0] ? "set" : "missing", c->csrf[0] ? "set" : "missing");
}

long long fixture_user(const client *admin, const char *username, const char *role,
		       long long org_id, const char *password)
{
	json_t *body = json_pack("{s:s, s:s, s:s, s:I, s:s}", "username", username, "display_name",
				 "测试用户", "role", role, "org_id", (json_int_t)org_id, "password", password);
	http_resp *r = api_json(admin, "POST", "/api/v1/users", body);
	long long id = -1;

	if (CHECK_STATUS(r, 201))
		id = jint(r->json, "id");
	CHECK(id > 0, "new user %s has an id", username);
	http_resp_free(r);
	return id;
}

long long fixture_create(const client *c, const char *path, json_t *body)
{
	http_resp *r = api_json(c, "POST", path, body);
	long long id = -1;
	if (CHECK_STATUS(r, 201))
		id = jint(r->json, "id");
	http_resp_free(r);
	return id;
}

long long fixture_total(const client *c, const char *path)
{
	http_resp *r = api(c, "GET", path, NULL, NULL);
	long long total = -1;

	if (CHECK_STATUS(r, 200))
		total = jint(r->json, "total");
	CHECK(total >= 0, "GET %s has an integer total", path);
	http_resp_free(r);
	return total;
}

/* GETs base?q=<q> and returns its total. */
static long long count_q(const client *c, const char *base, const char *q)
{
	char path[512];
	char *esc = url_escape(q);
	long long total;

	snprintf(path, sizeof path, "%s?q=%s", base, esc);
	total = fixture_total(c, path);
	free(esc);
	return total;
}

long long fixture_count_users(const client *admin, const char *q)
{
	return count_q(admin, "/api/v1/users", q);
}

long long fixture_count_orgs(const client *c, const char *q)
{
	return count_q(c, "/api/v1/orgs", q);
}

long long fixture_count_audit(const client *admin)
{
	return fixture_total(admin, "/api/v1/audit");
}
