/* routes.h - the one route table and its matcher. */
#ifndef DUDAO_ROUTES_H
#define DUDAO_ROUTES_H

#include <stddef.h>
#include "http.h"

typedef enum {
	BODY_NONE,   /* no body expected (a body is ignored) */
	BODY_JSON,   /* application/json object, at most cfg.max_body */
	BODY_RAW,    /* raw bytes (uploads), at most cfg.max_upload */
} body_kind;

typedef enum {
	ROUTE_NEEDS_DB = 0,
	ROUTE_OWN_DB = 1, /* the handler deals with an unavailable database itself (healthz) */
	ROUTE_IDEMPOTENT = 2, /* a creating request: honours the Idempotency-Key header (idempotency.c) */
	ROUTE_OFF_LOOP = 4,   /* may run for minutes (imports): in a thread and with a database connection
			       * of its own, so that the worker goes on answering its other connections */
	ROUTE_CACHED = 8,     /* a GET whose answer depends only on the caller, the date, the URI and the
			       * database: kept until the next write (readcache.h); an answer whose
			       * reading was audited (personal data) is never kept */
	ROUTE_GROUPED = 16,   /* a writing request whose handler checks it and leaves the writing to
			       * the worker, with the others of its kind read in the same turn of the
			       * loop (group.h); honours the Idempotency-Key header as ROUTE_IDEMPOTENT */
} route_flags;

typedef struct {
	const char *method;
	const char *pattern;    /* "/api/v1/users/{id}": {x} matches one path segment */
	http_handler handler;
	int roles;              /* ROLE_PUBLIC or a mask of role bits */
	body_kind body;
	int flags;
} route;

extern const route route_table[];
extern const size_t route_count;

/* Finds the route for method and path, filling req->params. When the path
 * matches but not the method, returns NULL and sets *path_known and allow
 * (e.g. "GET, POST"). */
const route *route_match(const char *method, const char *path, http_req *req,
			 int *path_known, char *allow, size_t allowlen);

#endif
