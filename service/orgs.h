/* orgs.h - the organisation tree: data access shared by the handlers, users
 * and the demo. */
#ifndef DUDAO_ORGS_H
#define DUDAO_ORGS_H

#include <jansson.h>
#include "db.h"
#include "http.h"

typedef struct {
	const char *kind;     /* bureau | town | school */
	const char *name;
	long long parent_id;  /* 0 for a root bureau */
	const char *code;     /* schools: 10 digits */
	const char *stages;   /* SET text, e.g. "小学,初中"; NULL keeps */
	int boarding;         /* -1 keeps */
} org_fields;

/* One org in scope as JSON, or DB_NOT_FOUND (also when outside scope_path). */
db_status orgs_db_get(db *d, const char *scope_path, long long id, json_t **out);
/* The name of the nearest bureau at or above org id (into name, n bytes), whatever
 * the caller's scope: the body a school answers to, as its documents name it. */
db_status orgs_db_bureau_name(db *d, long long id, char *name, size_t n);
/* The kind and path of an org in scope. kind needs 16 bytes, path 256. */
db_status orgs_db_kind(db *d, const char *scope_path, long long id, char *kind, char *path);
/* Orgs in scope matching the filters (kind, parent_id > 0, q in name or code). */
db_status orgs_db_list(db *d, const char *scope_path, const char *kind, long long parent_id,
		       const char *q, const paging *pg, json_t **items, long long *total);
/* Inserts an org below parent_path ("" for a root) and sets its path. */
db_status orgs_db_insert(db *d, const org_fields *f, const char *parent_path, long long *id);
/* Updates the fields that are set when the version matches; DB_CONFLICT when stale. */
db_status orgs_db_update(db *d, long long id, long long version, const org_fields *f);

#endif
