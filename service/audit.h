/* audit.h - the audit log: every write records who, when, from where, what,
 * before and after. Call inside the write's transaction. */
#ifndef DUDAO_AUDIT_H
#define DUDAO_AUDIT_H

#include "http.h"

/* Records action on entity/entity_id by the request's user. before and after
 * are borrowed and may be NULL. */
db_status audit_write(http_req *req, const char *action, const char *entity, long long entity_id,
		      json_t *before, json_t *after);

/* One entry of audit_write_many: action on entity/entity_id by req's user. */
typedef struct {
	http_req *req;
	const char *action, *entity;
	long long entity_id;
	json_t *before, *after;  /* borrowed, may be NULL */
} audit_entry;
/* Records n entries on d in as few statements as it can (requests written together, group.c). */
db_status audit_write_many(db *d, audit_entry *e, size_t n);

#endif
