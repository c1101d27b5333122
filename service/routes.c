/* routes.c - the route table: every API path, its handler, who may call it
 * and what body it takes. The OpenAPI document must list exactly these. */
#include "routes.h"

#include <stdio.h>
#include <string.h>

#include "handlers.h"

#define ADMIN ROLE_ADMIN
#define ANY ROLE_ANY

const route route_table[] = {
	{"GET", "/healthz", health_get, ROLE_PUBLIC, BODY_NONE, ROUTE_OWN_DB},
	{"GET", "/api/v1/openapi.json", openapi_get, ROLE_PUBLIC, BODY_NONE, ROUTE_OWN_DB},

	{"POST", "/api/v1/session", session_create, ROLE_PUBLIC, BODY_JSON, 0},
	{"GET", "/api/v1/session", session_get, ANY, BODY_NONE, 0},
	{"DELETE", "/api/v1/session", session_delete, ANY, BODY_NONE, 0},

	{"GET", "/api/v1/tokens", tokens_list, ANY, BODY_NONE, 0},
	{"POST", "/api/v1/tokens", tokens_create, ANY, BODY_JSON, 0},
	{"DELETE", "/api/v1/tokens/{id}", tokens_delete, ANY, BODY_NONE, 0},

	{"GET", "/api/v1/orgs", orgs_list, ANY, BODY_NONE, 0},
	{"POST", "/api/v1/orgs", orgs_create, ADMIN, BODY_JSON, 0},
	{"GET", "/api/v1/orgs/{id}", orgs_get, ANY, BODY_NONE, 0},
	{"PATCH", "/api/v1/orgs/{id}", orgs_update, ADMIN, BODY_JSON, 0},

	{"GET", "/api/v1/users", users_list, ADMIN, BODY_NONE, 0},
	{"POST", "/api/v1/users", users_create, ADMIN, BODY_JSON, 0},
	{"GET", "/api/v1/users/{id}", users_get, ADMIN, BODY_NONE, 0},
	{"PATCH", "/api/v1/users/{id}", users_update, ADMIN, BODY_JSON, 0},

	{"GET", "/api/v1/audit", audit_list, ADMIN, BODY_NONE, 0},
};
const size_t route_count = sizeof(route_table) / sizeof(route_table[0]);

/* Matches path against pattern segment by segment; {x} takes one segment. */
static int pattern_match(const char *pattern, const char *path, http_req *req)
{
	size_t n = 0;
	while (*pattern && *path) {
		if (*pattern == '{') {
			const char *end = strchr(pattern, '}');
			size_t seg = strcspn(path, "/");
			if (!end || seg == 0 || seg >= sizeof(req->params[0]) || n >= 4)
				return 0;
			if (req) {
				memcpy(req->params[n], path, seg);
				req->params[n][seg] = '\0';
			}
			n++;
			pattern = end + 1;
			path += seg;
		} else if (*pattern++ != *path++) {
			return 0;
		}
	}
	if (*pattern || *path)
		return 0;
	if (req)
		req->nparams = n;
	return 1;
}

const route *route_match(const char *method, const char *path, http_req *req,
			 int *path_known, char *allow, size_t allowlen)
{
	size_t i, used = 0;
	*path_known = 0;
	allow[0] = '\0';
	for (i = 0; i < route_count; i++) {
		if (!pattern_match(route_table[i].pattern, path, NULL))
			continue;
		if (!strcmp(route_table[i].method, method)) {
			pattern_match(route_table[i].pattern, path, req);
			return &route_table[i];
		}
		*path_known = 1;
		used += (size_t)snprintf(allow + used, used < allowlen ? allowlen - used : 0, "%s%s",
					 used ? ", " : "", route_table[i].method);
		if (used >= allowlen)
			used = allowlen - 1;
	}
	return NULL;
}
