/* test_routes.c - the route matcher: placeholders, 404 versus 405, Allow. */
#include <string.h>

#include "harness.h"
#include "routes.h"

void test_routes(void)
{
	http_req req;
	char allow[128];
	int known;
	const route *r;

	memset(&req, 0, sizeof(req));
	r = route_match("GET", "/api/v1/users/42", &req, &known, allow, sizeof(allow));
	CHECK(r && !strcmp(r->pattern, "/api/v1/users/{id}"), "a placeholder matches one segment");
	CHECK(req.nparams == 1 && req_param_id(&req, 0) == 42, "the placeholder is captured");
	r = route_match("GET", "/api/v1/users/42/x", &req, &known, allow, sizeof(allow));
	CHECK(!r && !known, "extra segments do not match");
	r = route_match("PUT", "/api/v1/session", &req, &known, allow, sizeof(allow));
	CHECK(!r && known && strstr(allow, "POST") && strstr(allow, "DELETE"), "405 carries Allow: %s", allow);
	r = route_match("GET", "/api/v1/users/abc", &req, &known, allow, sizeof(allow));
	CHECK(r && req_param_id(&req, 0) == 0, "a non-numeric id reads as 0 (then 404)");
}
