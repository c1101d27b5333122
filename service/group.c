/* group.c - creating requests written together (group.h). */
#include "group.h"

#include <stdlib.h>

#include "audit.h"
#include "log.h"
#include "util.h"

int group_defer(http_req *req, const group_kind *kind, void *job)
{
	req->job = job;
	req->job_kind = kind;
	return 0;
}

/* Forgets what the item's write and answer filled, before it is written again. */
static void item_clear(group_item *it)
{
	json_decref(it->before);
	json_decref(it->after);
	json_decref(it->body);
	it->before = it->after = it->body = NULL;
	it->action = NULL;
	it->entity_id = 0;
	it->status = 0;
	json_decref(it->res->json);
	it->res->json = NULL;
	it->res->status = HTTP_internal_error;
	it->req->audited = 0;
}

/* The answer its write made. */
static void item_answer(group_item *it)
{
	res_json(it->res, it->status, json_incref(it->body ? it->body : it->after));
}

/* Writes one item in a transaction of its own, as the handler of a
 * ROUTE_IDEMPOTENT route runs: with a key, idem_finish stores the answer and
 * commits, or rolls back and answers with the key's stored answer. Returns the
 * answer's status. */
static int run_alone(db *d, group_item *it, long long step)
{
	http_req *req = it->req;
	idem_state s = *it->idem;
	db_status st = db_begin(d);
	s.active = st == DB_OK && s.key[0];
	if (st == DB_OK)
		st = req->job_kind->write(d, &it, 1, step);
	if (st == DB_OK)
		st = audit_write(req, it->action, req->job_kind->entity, it->entity_id, it->before, it->after);
	if (st == DB_OK)
		item_answer(it);
	else
		res_db_error(it->res, st);
	if (s.active) {
		idem_finish(req, it->res, &s);
		return it->res->status;
	}
	if (st == DB_OK && (st = db_commit(d)) == DB_OK)
		return it->res->status;
	db_rollback(d);
	item_clear(it);
	return res_db_error(it->res, st);
}

/* Writes items[0..n) in one transaction; 0 when each is answered (committed,
 * or the commit failed), else -1 with everything rolled back before the commit
 * and each item as before. */
static int run_together(db *d, group_item **items, size_t n, long long step)
{
	const group_kind *k = items[0]->req->job_kind;
	audit_entry *audit = xcalloc(n, sizeof(*audit));
	idem_entry *keys = xcalloc(n, sizeof(*keys));
	size_t i, nkeys = 0;
	db_status st = db_begin(d);
	if (st == DB_OK)
		st = k->write(d, items, n, step);
	for (i = 0; st == DB_OK && i < n; i++) {
		group_item *it = items[i];
		audit[i] = (audit_entry){it->req, it->action, k->entity, it->entity_id, it->before, it->after};
		item_answer(it);
		if (it->idem->key[0])
			keys[nkeys++] = (idem_entry){it->req, it->res, it->idem};
	}
	if (st == DB_OK)
		st = audit_write_many(d, audit, n);
	if (st == DB_OK)
		st = idem_store_many(d, keys, nkeys);
	free(audit);
	free(keys);
	if (st == DB_OK) {
		/* a commit that fails may still have been made (the connection lost in
		 * it): each is answered with the error, never written again */
		if ((st = db_commit(d)) != DB_OK) {
			db_rollback(d);
			for (i = 0; i < n; i++) {
				item_clear(items[i]);
				res_db_error(items[i]->res, st);
			}
		} else {
			idem_stored(d, nkeys);
		}
		return 0;
	}
	/* a key already used, named twice, a deadlock...: each on its own tells which */
	log_info("%zu requests written together were rolled back (%s); writing each on its own", n,
		 st == DB_CONFLICT ? "an Idempotency-Key used before, or a stale version" : db_error(d));
	db_rollback(d);
	for (i = 0; i < n; i++)
		item_clear(items[i]);
	return -1;
}

/* How many times a request written alone is tried. A creating request ends in
 * 409 only when the database gave up its transaction (a deadlock between tries
 * of one Idempotency-Key, once the try that held the key rolled back): nothing
 * of it was written, and the next try writes it or finds the key's answer. An
 * answer to a stale version stays 409 on each try. */
#define ALONE_TRIES 3

size_t group_run(db *d, group_item **items, size_t n, long long step)
{
	size_t i, together = n;
	int tries;
	if (n < 2 || run_together(d, items, n, step) != 0)
		for (i = 0, together = 1; i < n; i++)
			for (tries = 1; run_alone(d, items[i], step) == HTTP_conflict && tries < ALONE_TRIES; tries++)
				item_clear(items[i]);
	for (i = 0; i < n; i++) {
		http_req *req = items[i]->req;
		req->job_kind->free_job(req->job);
		req->job = NULL;
		json_decref(items[i]->before);
		json_decref(items[i]->after);
		json_decref(items[i]->body);
		items[i]->before = items[i]->after = items[i]->body = NULL;
	}
	return together;
}
