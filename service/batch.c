/* batch.c - running multi-row statements over many items in chunks of 256, 64,
 * 16, 8, 4, 2 and 1 rows, one round trip per chunk. */
#include "batch.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

/* The rows of each statement of a BATCH_SQL, largest first. */
static const size_t sizes[BATCH_SIZES] = {256, 64, 16, 8, 4, 2, 1};

/* The statement (index into sizes and sql[]) for the next chunk of the items
 * left: the largest that fits, or with pad the smallest that holds them all. */
static size_t shape_for(int pad, size_t left)
{
	size_t s = 0;
	if (pad && left < sizes[0]) {
		for (s = BATCH_SIZES - 1; s > 0 && sizes[s] < left; s--)
			;
		return s;
	}
	while (s + 1 < BATCH_SIZES && sizes[s] > left)
		s++;
	return s;
}

/* The parameters of the largest chunk of n items, the first: what one request's
 * few rows need, not BATCH_MAX rows' worth (tens of KB that malloc would take
 * from and give back to the system on each call). */
static db_param *params_for(int pad, size_t nhead, size_t per_row, size_t ntail, size_t n)
{
	return xmalloc((nhead + per_row * sizes[shape_for(pad, n)] + ntail + 1) * sizeof(db_param));
}

/* Builds head + rows [from, from + rows) + tail into p, rows past the last item
 * (n - 1) repeating it. Returns the count. */
static size_t build(db_param *p, const db_param *head, size_t nhead, size_t per_row, const db_param *tail,
		    size_t ntail, size_t from, size_t rows, size_t n, batch_row_fn fn, void *ctx)
{
	size_t i, k = nhead;
	if (nhead)
		memcpy(p, head, nhead * sizeof(db_param));
	for (i = 0; i < rows; i++, k += per_row)
		fn(ctx, from + i < n ? from + i : n - 1, p + k);
	if (ntail)
		memcpy(p + k, tail, ntail * sizeof(db_param));
	return k + ntail;
}

static db_status exec_chunks(db *d, int pad, const char *const sql[BATCH_SIZES], const db_param *head,
			     size_t nhead, size_t per_row, const db_param *tail, size_t ntail, size_t n, batch_row_fn fn,
			     void *ctx, unsigned long long *affected)
{
	db_param *p = params_for(pad, nhead, per_row, ntail, n);
	size_t done = 0;
	db_status st = DB_OK;
	while (done < n && st == DB_OK) {
		size_t s = shape_for(pad, n - done);
		size_t np = build(p, head, nhead, per_row, tail, ntail, done, sizes[s], n, fn, ctx);
		unsigned long long rows = 0;
		st = db_exec(d, sql[s], p, np, &rows, NULL);
		*affected += rows;
		done += sizes[s];
	}
	free(p);
	return st;
}

db_status batch_exec(db *d, const char *const sql[BATCH_SIZES], const db_param *head, size_t nhead, size_t per_row,
		     const db_param *tail, size_t ntail, size_t n, batch_row_fn fn, void *ctx)
{
	unsigned long long affected = 0;
	return exec_chunks(d, 0, sql, head, nhead, per_row, tail, ntail, n, fn, ctx, &affected);
}

db_status batch_exec_affected(db *d, const char *const sql[BATCH_SIZES], size_t per_row, size_t n, batch_row_fn fn,
			      void *ctx, unsigned long long *affected)
{
	*affected = 0;
	return exec_chunks(d, 0, sql, NULL, 0, per_row, NULL, 0, n, fn, ctx, affected);
}

db_status batch_update_padded(db *d, const char *const sql[BATCH_SIZES], const db_param *head, size_t nhead,
			      size_t per_row, size_t n, batch_row_fn fn, void *ctx, unsigned long long *affected)
{
	*affected = 0;
	return exec_chunks(d, 1, sql, head, nhead, per_row, NULL, 0, n, fn, ctx, affected);
}

db_status batch_id_step(db *d, long long *step)
{
	db_rows *r;
	db_status st = db_query_one(d, "SELECT @@innodb_autoinc_lock_mode, @@auto_increment_increment", NULL, 0, &r);
	if (st != DB_OK)
		return st;
	*step = db_rows_str(r, 0, 0) && db_rows_int(r, 0, 0) <= 1 ? db_rows_int(r, 0, 1) : 0;
	db_rows_free(r);
	return DB_OK;
}

db_status batch_insert_ids(db *d, const char *const sql[BATCH_SIZES], size_t per_row, size_t n, batch_row_fn fn,
			   void *ctx, long long step, long long *ids)
{
	db_param *p = params_for(0, 0, per_row, 0, n);
	size_t done = 0, k;
	db_status st = DB_OK;
	while (done < n && st == DB_OK) {
		/* without consecutive ids, one row per statement and its own id */
		size_t s = step > 0 ? shape_for(0, n - done) : BATCH_SIZES - 1;
		size_t np = build(p, NULL, 0, per_row, NULL, 0, done, sizes[s], n, fn, ctx);
		unsigned long long first = 0, affected = 0;
		st = db_exec(d, sql[s], p, np, &affected, &first);
		if (st == DB_OK && (affected != sizes[s] || first == 0))
			st = DB_ERR; /* not the plain insert of every row this relies on */
		for (k = 0; st == DB_OK && k < sizes[s]; k++)
			ids[done + k] = (long long)first + (long long)k * step;
		done += sizes[s];
	}
	free(p);
	return st;
}

static db_status query_chunks(db *d, int pad, const char *const *sql, const db_param *head, size_t nhead,
			      size_t per_row, size_t n, batch_row_fn fn, batch_rows_fn on_rows, void *ctx)
{
	db_param *p = params_for(pad, nhead, per_row, 0, n);
	size_t done = 0;
	db_status st = DB_OK;
	while (done < n && st == DB_OK) {
		size_t s = shape_for(pad, n - done);
		size_t np = build(p, head, nhead, per_row, NULL, 0, done, sizes[s], n, fn, ctx);
		db_rows *r = NULL;
		if ((st = db_query(d, sql[s], p, np, &r)) == DB_OK)
			st = on_rows(ctx, r);
		db_rows_free(r);
		done += sizes[s];
	}
	free(p);
	return st;
}

db_status batch_query(db *d, const char *const sql[BATCH_SIZES], const db_param *head, size_t nhead, size_t per_row,
		      size_t n, batch_row_fn fn, batch_rows_fn on_rows, void *ctx)
{
	return query_chunks(d, 0, sql, head, nhead, per_row, n, fn, on_rows, ctx);
}

db_status batch_query_padded(db *d, const char *const sql[BATCH_SIZES], const db_param *head, size_t nhead,
			     size_t per_row, size_t n, batch_row_fn fn, batch_rows_fn on_rows, void *ctx)
{
	return query_chunks(d, 1, sql, head, nhead, per_row, n, fn, on_rows, ctx);
}

db_status batch_links(db *d, const char *sql, long long owner, const long long *ids, size_t n, size_t max)
{
	db_param p[1 + BATCH_LINKS_MAX];
	unsigned long long linked = 0;
	size_t i;
	db_status st;
	if (n == 0 || n > max || max > BATCH_LINKS_MAX)
		return DB_ERR;
	p[0] = DP_INT(owner);
	for (i = 0; i < max; i++)
		p[1 + i] = DP_INT(ids[i < n ? i : 0]);
	st = db_exec(d, sql, p, 1 + max, &linked, NULL);
	return st == DB_OK && linked != n ? DB_ERR : st;
}
