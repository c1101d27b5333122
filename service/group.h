/* group.h - requests written together: new visits, answers to items. The
 * handler of a route flagged ROUTE_GROUPED checks its request with reads and
 * leaves the writing to its worker (group_defer). Once the worker has run the
 * callbacks that were due in the same turn of its loop (the requests it read
 * then), it writes the ones set aside in one transaction: each kind of row for
 * all of them in one multi-row statement (the visits, their findings, their
 * items or the items' new states, the journal, the audit entries, the
 * Idempotency-Keys) and one commit (dispatch.c). On this box the database's work
 * per statement, not per row, bounds how many writes a second it takes (README,
 * Benchmarks).
 *
 * Each request is answered as if it had been written alone: when writing them
 * together fails (one is the retry of a stored Idempotency-Key, a key named
 * twice, an item changed since its handler read it or answered twice, a
 * deadlock, a lost connection), the transaction is rolled back and each request
 * is written again in a transaction of its own, with the usual Idempotency-Key
 * handling (idempotency.h). A lone request takes that path too. What a handler
 * checked before its request was set aside (the school in the caller's scope,
 * ...) is not checked again: the foreign keys and the items' versions hold what
 * must. */
#ifndef DUDAO_GROUP_H
#define DUDAO_GROUP_H

#include "http.h"
#include "idempotency.h"

typedef struct group_item group_item;

/* What requests of one route have in common. */
typedef struct group_kind {
	/* Writes items[0..n) inside the caller's transaction and fills each item's
	 * answer (action, entity_id, before, after, body, status); step is
	 * batch_id_step's. A stale version is DB_CONFLICT, as a key used before. */
	db_status (*write)(db *d, group_item **items, size_t n, long long step);
	void (*free_job)(void *job);
	const char *entity;       /* the audit's entity */
} group_kind;

struct group_item {
	http_req *req;
	http_res *res;
	const idem_state *idem;   /* key "" when the request sent none */
	/* the write's: */
	const char *action;       /* the audit's action */
	long long entity_id;
	json_t *before, *after;   /* owned: the audit's (before may be NULL) */
	json_t *body;             /* owned: the answer's body; NULL: after is */
	int status;               /* the answer's status */
};

/* Called by a ROUTE_GROUPED handler once the request is checked: job (owned from
 * now on) is what kind's write needs. Returns 0, the handler's return value. */
int group_defer(http_req *req, const group_kind *kind, void *job);

/* Writes items[0..n) (deferred requests of one kind; their req->job is set) on
 * d, which each req->db must be, and fills each res; step is batch_id_step's, 0
 * when unknown. Frees the jobs. Returns n when they were written together, 1
 * when each was written alone. */
size_t group_run(db *d, group_item **items, size_t n, long long step);

#endif
