/* openapi.c - serves the OpenAPI 3 document kept in service/openapi.json.
 * tests/api checks it against the route table in both directions. */
#include <stdio.h>

#include "app.h"
#include "handlers.h"
#include "static.h"

int openapi_get(http_req *req, http_res *res)
{
	char path[1200];
	size_t len = 0;
	char *doc;
	snprintf(path, sizeof(path), "%s/service/openapi.json", req->app->cfg.root);
	doc = file_read(path, &len);
	if (!doc)
		return res_error(res, HTTP_internal_error, NULL, "OpenAPI 文档缺失");
	return res_body(res, HTTP_ok, "application/json; charset=utf-8", doc, len);
}
