/* routes.c - the route table: every API path, its handler, who may call it
 * and what body it takes. The OpenAPI document must list exactly these. */
#include "routes.h"

#include <stdio.h>
#include <string.h>

#include "handlers.h"

#define ADMIN ROLE_ADMIN
#define ANY ROLE_ANY
#define ROSTER_WRITERS (ROLE_ADMIN | ROLE_AID_OFFICER | ROLE_PRINCIPAL) /* keep students, staff, pairings */
#define VISITORS (ROLE_INSPECTOR | ROLE_BUREAU_HEAD)                /* visit schools, decide extensions */
#define VERIFIERS (ROLE_INSPECTOR | ROLE_BUREAU_HEAD | ROLE_ADMIN)   /* verify, close, reopen */
#define LEDGER_READERS (VERIFIERS | ROLE_PRINCIPAL)

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
	{"GET", "/api/v1/settings", settings_get, VERIFIERS, BODY_NONE, 0},
	{"PATCH", "/api/v1/settings", settings_update, ADMIN, BODY_JSON, 0},

	/* The roster: students, households, staff, pairings, home visits, imports (issue 3). */
	{"GET", "/api/v1/students", students_list, ANY, BODY_NONE, 0},
	{"POST", "/api/v1/students", students_create, ROSTER_WRITERS, BODY_JSON, ROUTE_IDEMPOTENT},
	{"GET", "/api/v1/students/{id}", students_get, ANY, BODY_NONE, 0},
	{"PATCH", "/api/v1/students/{id}", students_update, ROSTER_WRITERS, BODY_JSON, 0},
	{"POST", "/api/v1/students/{id}/enrolments", students_enrol, ROSTER_WRITERS, BODY_JSON, ROUTE_IDEMPOTENT},
	{"GET", "/api/v1/households", households_list, ANY, BODY_NONE, 0},
	{"GET", "/api/v1/households/{id}", households_get, ANY, BODY_NONE, 0},
	{"GET", "/api/v1/staff", staff_list, ANY, BODY_NONE, 0},
	{"POST", "/api/v1/staff", staff_create, ROSTER_WRITERS, BODY_JSON, ROUTE_IDEMPOTENT},
	{"GET", "/api/v1/staff/{id}", staff_get, ANY, BODY_NONE, 0},
	{"PATCH", "/api/v1/staff/{id}", staff_update, ROSTER_WRITERS, BODY_JSON, 0},
	{"GET", "/api/v1/pairings", pairings_list, ANY, BODY_NONE, 0},
	{"POST", "/api/v1/pairings", pairings_create, ROSTER_WRITERS, BODY_JSON, ROUTE_IDEMPOTENT},
	{"GET", "/api/v1/pairings/{id}", pairings_get, ANY, BODY_NONE, 0},
	{"PATCH", "/api/v1/pairings/{id}", pairings_update, ROSTER_WRITERS, BODY_JSON, 0},
	{"GET", "/api/v1/home-visits", home_visits_list, ANY, BODY_NONE, 0},
	{"POST", "/api/v1/home-visits", home_visits_create, ROSTER_WRITERS, BODY_JSON, ROUTE_IDEMPOTENT},
	{"POST", "/api/v1/imports/roster", imports_roster, ROLE_ADMIN | ROLE_AID_OFFICER, BODY_RAW, ROUTE_OFF_LOOP},
	{"POST", "/api/v1/imports/pairings", imports_pairings, ROSTER_WRITERS, BODY_RAW, ROUTE_OFF_LOOP},

	/* Visits and rectification (issue 4). Static paths before {id} ones. */
	{"GET", "/api/v1/templates", templates_list, ANY, BODY_NONE, 0},
	{"POST", "/api/v1/templates", templates_create, ADMIN, BODY_JSON, 0},
	{"GET", "/api/v1/templates/{id}", templates_get, ANY, BODY_NONE, 0},
	{"PUT", "/api/v1/templates/{id}", templates_update, ADMIN, BODY_JSON, 0},

	{"POST", "/api/v1/evidence", evidence_upload, ANY, BODY_RAW, ROUTE_IDEMPOTENT},
	{"GET", "/api/v1/evidence/{id}", evidence_get, ANY, BODY_NONE, 0},

	{"GET", "/api/v1/visits", visits_list, ANY, BODY_NONE, 0},
	{"POST", "/api/v1/visits", visits_create, VISITORS, BODY_JSON, ROUTE_IDEMPOTENT | ROUTE_GROUPED},
	{"GET", "/api/v1/visits/compliance", visits_compliance, VERIFIERS, BODY_NONE, 0},
	{"GET", "/api/v1/visits/{id}", visits_get, ANY, BODY_NONE, 0},
	{"PATCH", "/api/v1/visits/{id}", visits_update, VISITORS, BODY_JSON, 0},
	{"POST", "/api/v1/visits/{id}/file", visits_file, VISITORS, BODY_JSON, ROUTE_IDEMPOTENT},
	{"GET", "/api/v1/visits/{id}/report", visits_report, ANY, BODY_NONE, 0},

	{"GET", "/api/v1/rectifications", rect_list, ANY, BODY_NONE, ROUTE_CACHED},
	{"GET", "/api/v1/rectifications/ledger", rect_ledger, LEDGER_READERS, BODY_NONE, ROUTE_CACHED},
	{"GET", "/api/v1/rectifications/{id}", rect_get, ANY, BODY_NONE, 0},
	{"POST", "/api/v1/rectifications/{id}/answer", rect_answer, ROLE_PRINCIPAL, BODY_JSON, ROUTE_GROUPED},
	{"POST", "/api/v1/rectifications/{id}/return", rect_return, VERIFIERS, BODY_JSON, ROUTE_IDEMPOTENT},
	{"POST", "/api/v1/rectifications/{id}/close", rect_close, VERIFIERS, BODY_JSON, ROUTE_IDEMPOTENT},
	{"POST", "/api/v1/rectifications/{id}/reopen", rect_reopen, VERIFIERS, BODY_JSON, ROUTE_IDEMPOTENT},
	{"GET", "/api/v1/rectifications/{id}/extensions", rect_extensions_list, ANY, BODY_NONE, 0},
	{"POST", "/api/v1/rectifications/{id}/extensions", rect_extension_request, ROLE_PRINCIPAL, BODY_JSON,
	 ROUTE_IDEMPOTENT},
	{"POST", "/api/v1/rectifications/{id}/extensions/{eid}/approve", rect_extension_approve, VISITORS, BODY_JSON,
	 ROUTE_IDEMPOTENT},
	{"POST", "/api/v1/rectifications/{id}/extensions/{eid}/refuse", rect_extension_refuse, VISITORS, BODY_JSON,
	 ROUTE_IDEMPOTENT},

	{"GET", "/api/v1/inbox", inbox_get, ANY, BODY_NONE, ROUTE_CACHED},
	{"GET", "/api/v1/inbox/digest", inbox_digest, ANY, BODY_NONE, 0},

	/* Pairing metrics and the coverage chart (issue 3): everyone, within their scope; the
	 * coverage kept until the next write (a bureau's dashboard is read again and again; the
	 * lists of students are audited reads, never kept). */
	{"GET", "/api/v1/metrics/pairing-coverage", metrics_pairing_coverage, ANY, BODY_NONE, ROUTE_CACHED},
	{"GET", "/api/v1/metrics/unpaired", metrics_unpaired, ANY, BODY_NONE, 0},
	{"GET", "/api/v1/metrics/home-visit-coverage", metrics_home_visit_coverage, ANY, BODY_NONE, ROUTE_CACHED},
	{"GET", "/api/v1/metrics/key-students-unvisited", metrics_key_students_unvisited, ANY, BODY_NONE, 0},
	{"GET", "/api/v1/charts/pairing-coverage.png", charts_pairing_coverage, ANY, BODY_NONE, 0},
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
