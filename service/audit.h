/* audit.h - the audit log: every write records who, when, from where, what,
 * before and after. Call inside the write's transaction. */
#ifndef DUDAO_AUDIT_H
#define DUDAO_AUDIT_H

#include "http.h"

/* Records action on entity/entity_id by the request's user. before and after
 * are borrowed and may be NULL. */
db_status audit_write(http_req *req, const char *action, const char *entity, long long entity_id,
		      json_t *before, json_t *after);

#endif
