/* health.c - GET /healthz: the process, the database and the schema version.
 * Answers 503 while the database is unreachable; the worker reconnects by itself. */
#include "app.h"
#include "handlers.h"
#include "migrate.h"

#define DUDAO_VERSION "0.1.0"

int health_get(http_req *req, http_res *res)
{
	long long version = 0;
	db_status st = db_ensure(req->db);
	int ok;

	if (st == DB_OK)
		st = migrate_current_version(req->db, &version);
	ok = st == DB_OK;
	return res_json(res, ok ? HTTP_ok : HTTP_unavailable,
			json_pack("{s:s,s:s,s:I,s:s,s:i,s:s}", "status", ok ? "ok" : "unavailable",
				  "database", ok ? "ok" : "unavailable", "schema_version",
				  (json_int_t)version, "version", DUDAO_VERSION, "workers",
				  req->app->cfg.workers, "today", req->today));
}
