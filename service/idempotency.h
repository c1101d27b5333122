/* idempotency.h - the Idempotency-Key header of creating requests: a retry
 * with the same key by the same user gets the first answer (same status and
 * body) and creates nothing new. The dispatcher calls idem_begin before and
 * idem_finish after the handler of a route flagged ROUTE_IDEMPOTENT. */
#ifndef DUDAO_IDEMPOTENCY_H
#define DUDAO_IDEMPOTENCY_H

#include "http.h"

#define IDEM_KEY_MAX 128

/* Reads the Idempotency-Key header into out: 1..128 printable ASCII characters.
 * Returns 1 when a key was sent, 0 when none, -1 after filling res with a 400. */
int idem_key(const http_req *req, http_res *res, char out[IDEM_KEY_MAX + 1]);

/* Before the handler. Returns 0 to run it (no key, or the key is now reserved
 * for this request), or 1 when res is already the answer: the stored first
 * answer (replayed, header Idempotent-Replayed: true), 422 for a key used on
 * another request, 409 while the first request is still being handled, 400 for
 * a malformed key, or the database error. */
int idem_begin(http_req *req, http_res *res);

/* After the handler: stores a 2xx answer under the reserved key, or releases the
 * key so that a retry after a refusal or an error runs again. Failures are logged. */
void idem_finish(http_req *req, const http_res *res);

#endif
