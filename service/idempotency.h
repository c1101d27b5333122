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

/* Reads the key and hashes the request into s: 1 with a key, 0 without, -1
 * after filling res with a 400 (idem_begin without the transaction). */
int idem_prepare(const http_req *req, http_res *res, idem_state *s);

/* Before the handler. Returns 0 to run it: with no key, or with a key, in a
 * transaction begun here (the handler's own db_begin/db_commit nest inside it).
 * Returns 1 when res is already the answer: 400 for a malformed key, or the
 * database error. Nothing is looked up yet: a retry runs the handler too. */
int idem_begin(http_req *req, http_res *res, idem_state *s);

/* After the handler: a 2xx answer is stored under the key and committed with
 * what the handler wrote. Otherwise (another answer, or the key already holds
 * one) everything is rolled back and, when the key holds an answer, res becomes
 * it: the first answer replayed (header Idempotent-Replayed: true), or 422 when
 * the key was used on another request. A try that another one with the same
 * key is running waits for it to end. When the commit fails, res becomes the
 * database error. */
void idem_finish(http_req *req, http_res *res, idem_state *s);

/* A request with a key (s from idem_prepare) refused before it wrote anything:
 * when the key holds an answer (a retry of a request that went through), res
 * becomes it, as in idem_finish. */
void idem_refused(http_req *req, http_res *res, const idem_state *s);

/* Requests written together (group.c): each with a key, its 2xx answer in res. */
typedef struct {
	const http_req *req;
	const http_res *res;
	const idem_state *s;
} idem_entry;
/* Stores the answers of e[0..n) under their keys inside the caller's
 * transaction; DB_CONFLICT when a key already held an answer (or was named
 * twice): the caller rolls back and answers each request on its own. */
db_status idem_store_many(db *d, const idem_entry *e, size_t n);
/* After the commit of idem_store_many: counts the n answers stored, now and then
 * purging expired keys. */
void idem_stored(db *d, size_t n);

#endif
