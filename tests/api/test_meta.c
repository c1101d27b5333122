/* test_meta.c - the service describes itself: /healthz, the OpenAPI document
 * matches the route table (`dudao routes`), unknown paths 404, wrong methods 405. */
#define _POSIX_C_SOURCE 200809L

#include "server.h"
#include "suites.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* /healthz reports the database, the schema version and the worker count. */
static void healthz(void)
{
	http_resp *r = api(NULL, "GET", "/healthz", NULL, NULL);

	CHECK_STATUS(r, 200);
	CHECK_STR(jstr(r->json, "status"), "ok", "healthz status");
	CHECK_STR(jstr(r->json, "database"), "ok", "healthz database");
	CHECK(jint(r->json, "schema_version") >= 1, "healthz schema_version %lld >= 1",
	      jint(r->json, "schema_version"));
	CHECK(jstr(r->json, "version") && *jstr(r->json, "version"), "healthz has a version string");
	CHECK_INT(jint(r->json, "workers"), 2, "healthz workers (started with --workers 2)");
	CHECK(resp_header(r, "Content-Type") && strstr(resp_header(r, "Content-Type"), "application/json"),
	      "healthz Content-Type is application/json");
	http_resp_free(r);
}

/* A path of the OpenAPI document as the full request path: the first
 * server URL that is a bare path ("/api/v1") prefixes it, when there is one. */
static const char *server_prefix(const json_t *doc)
{
	const char *url = jstr(doc, "servers.0.url");

	return url && url[0] == '/' && url[1] ? url : "";
}

static void lower(char *s)
{
	for (; *s; s++)
		*s = (char)tolower((unsigned char)*s);
}

/* Is (method, path) documented? method lowercase. */
static int documented(const json_t *doc, const char *method, const char *path)
{
	const json_t *paths = json_object_get(doc, "paths");
	const char *prefix = server_prefix(doc);
	size_t n = strlen(prefix);

	if (json_object_get(json_object_get(paths, path), method))
		return 1;
	return n && strncmp(path, prefix, n) == 0 &&
	       json_object_get(json_object_get(paths, path + n), method) != NULL;
}

/* Is (METHOD, path) a line of the routes listing? method lowercase. */
static int routed(const char *routes, const char *method, const char *path)
{
	char want[600], line[600];
	const char *p = routes;

	snprintf(want, sizeof want, "%s %s", method, path);
	lower(want);
	while (*p) {
		size_t n = strcspn(p, "\r\n");

		snprintf(line, sizeof line, "%.*s", (int)(n < sizeof line ? n : sizeof line - 1), p);
		lower(line);
		if (strcmp(line, want) == 0)
			return 1;
		p += n;
		p += strspn(p, "\r\n");
	}
	return 0;
}

/* Every route is documented. Returns the number of routes seen. */
static int routes_in_doc(const char *routes, const json_t *doc)
{
	const char *p = routes;
	int count = 0;

	while (*p) {
		size_t n = strcspn(p, "\r\n");
		char method[16], path[512];

		if (n && sscanf(p, "%15s %511s", method, path) == 2) {
			count++;
			lower(method);
			CHECK(documented(doc, method, path), "route %s %s is not in openapi.json paths", method, path);
		}
		p += n;
		p += strspn(p, "\r\n");
	}
	return count;
}

/* Every documented operation is a route. */
static void doc_in_routes(const char *routes, const json_t *doc)
{
	static const char *const verbs[] = {"get", "put", "post", "delete", "patch", "head", "options", "trace"};
	const char *prefix = server_prefix(doc), *path;
	json_t *item;

	json_object_foreach(json_object_get(doc, "paths"), path, item) {
		for (size_t i = 0; i < sizeof verbs / sizeof verbs[0]; i++) {
			char full[600];

			if (!json_object_get(item, verbs[i]))
				continue;
			snprintf(full, sizeof full, "%s%s", prefix, path);
			CHECK(routed(routes, verbs[i], path) || routed(routes, verbs[i], full),
			      "openapi.json documents %s %s but `dudao routes` has no such route", verbs[i], path);
		}
	}
}

/* The OpenAPI document and `dudao routes` list the same operations, both ways. */
static void openapi(void)
{
	http_resp *r = api(NULL, "GET", "/api/v1/openapi.json", NULL, NULL);
	char *routes = server_run_capture("routes");
	const char *version = jstr(r->json, "openapi");

	CHECK_STATUS(r, 200);
	CHECK(version && version[0] == '3', "openapi.json declares OpenAPI 3 (got %s)", version ? version : "nothing");
	CHECK(json_is_object(json_object_get(r->json, "paths")), "openapi.json has a paths object");
	CHECK(routes != NULL, "`dudao routes` runs and exits 0");
	if (routes && json_is_object(json_object_get(r->json, "paths"))) {
		int n = routes_in_doc(routes, r->json);

		CHECK(n >= 15, "`dudao routes` lists the foundation routes (%d lines)", n);
		doc_in_routes(routes, r->json);
		CHECK(routed(routes, "post", "/api/v1/session"), "routes include POST /api/v1/session");
		CHECK(routed(routes, "patch", "/api/v1/users/{id}"), "routes include PATCH /api/v1/users/{id}");
	}
	free(routes);
	http_resp_free(r);
}

/* Unknown paths are 404; a known path with another method is 405 with Allow. */
static void not_found_and_method(void)
{
	client admin;
	http_resp *r;
	const char *allow;

	r = api(NULL, "GET", "/api/v1/no-such-thing", NULL, NULL);
	CHECK_ERROR(r, 404, "not_found", NULL);
	http_resp_free(r);

	if (!fixture_login("admin", &admin))
		return;
	r = api(&admin, "GET", "/api/v1/no-such-thing/7", NULL, NULL);
	CHECK_ERROR(r, 404, "not_found", NULL);
	http_resp_free(r);

	r = api(&admin, "GET", "/api/v1/orgs/99999999", NULL, NULL);
	CHECK_ERROR(r, 404, "not_found", NULL);
	http_resp_free(r);

	/* /api/v1/orgs answers GET and POST only */
	r = api(&admin, "PUT", "/api/v1/orgs", "{}", NULL);
	CHECK_ERROR(r, 405, "method_not_allowed", NULL);
	allow = resp_header(r, "Allow");
	CHECK(allow && strstr(allow, "GET") && strstr(allow, "POST") && !strstr(allow, "PUT"),
	      "405 Allow header lists GET and POST, not PUT (got %s)", allow ? allow : "none");
	http_resp_free(r);

	r = api(NULL, "DELETE", "/healthz", NULL, NULL);
	CHECK_ERROR(r, 405, "method_not_allowed", NULL);
	allow = resp_header(r, "Allow");
	CHECK(allow && strstr(allow, "GET"), "405 on /healthz has Allow with GET (got %s)", allow ? allow : "none");
	http_resp_free(r);
}

void test_meta(void)
{
	harness_group("meta");
	healthz();
	openapi();
	not_found_and_method();
}
