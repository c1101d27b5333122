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

/* What idem_begin found, for idem_finish: the key and the request's SHA-256. */
typedef struct {
	char key[IDEM_KEY_MAX + 1];
	char hash[65];
	int active;               /* a transaction was begun around the handler */
} idem_state;

/* Before the handler. Returns 0 to run it: with no key, or with a new key, in a
 * transaction begun here (the handler's own db_begin/db_commit nest inside it).
 * Returns 1 when res is already the answer: the stored first answer (replayed,
 * header Idempotent-Replayed: true), 422 for a key used on another request,
 * 400 for a malformed key, or the database error. */
int idem_begin(http_req *req, http_res *res, idem_state *s);

/* After the handler: a 2xx answer is stored under the key and committed with
 * what the handler wrote; any other answer rolls everything back, so that a
 * retry runs again. When another request with the same key committed first,
 * this one is rolled back and res becomes that request's answer. When the
 * commit fails, res becomes the database error. */
void idem_finish(http_req *req, http_res *res, idem_state *s);

#endif
