/* batch.c - running multi-row statements over many items in chunks of 256, 16 and 1. */
#include "batch.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

static const size_t batch_sizes[3] = {256, 16, 1};

/* The largest shape that fits in the items left; its index into sql[]. */
static int shape_for(size_t left)
{
	return left >= batch_sizes[0] ? 0 : left >= batch_sizes[1] ? 1 : 2;
}

/* Builds head + rows [from, from + rows) + tail into p. Returns the count. */
static size_t build(db_param *p, const db_param *head, size_t nhead, size_t per_row, const db_param *tail,
		    size_t ntail, size_t from, size_t rows, batch_row_fn fn, void *ctx)
{
	size_t i, k = nhead;
	if (nhead)
		memcpy(p, head, nhead * sizeof(db_param));
	for (i = 0; i < rows; i++, k += per_row)
		fn(ctx, from + i, p + k);
	if (ntail)
		memcpy(p + k, tail, ntail * sizeof(db_param));
	return k + ntail;
}

db_status batch_exec(db *d, const char *const sql[3], const db_param *head, size_t nhead, size_t per_row,
		     const db_param *tail, size_t ntail, size_t n, batch_row_fn fn, void *ctx)
{
	db_param *p = xmalloc((nhead + per_row * BATCH_MAX + ntail) * sizeof(db_param));
	size_t done = 0;
	db_status st = DB_OK;
	while (done < n && st == DB_OK) {
		int s = shape_for(n - done);
		size_t np = build(p, head, nhead, per_row, tail, ntail, done, batch_sizes[s], fn, ctx);
		st = db_exec(d, sql[s], p, np, NULL, NULL);
		done += batch_sizes[s];
	}
	free(p);
	return st;
}

db_status batch_insert_ids(db *d, const char *const sql[3], size_t per_row, size_t n, batch_row_fn fn, void *ctx,
			   long long step, long long *ids)
{
	db_param *p = xmalloc((per_row * BATCH_MAX + 1) * sizeof(db_param));
	size_t done = 0, k;
	db_status st = DB_OK;
	while (done < n && st == DB_OK) {
		int s = shape_for(n - done);
		size_t np = build(p, NULL, 0, per_row, NULL, 0, done, batch_sizes[s], fn, ctx);
		unsigned long long first = 0, affected = 0;
		st = db_exec(d, sql[s], p, np, &affected, &first);
		if (st == DB_OK && (affected != batch_sizes[s] || first == 0))
			st = DB_ERR; /* not the plain insert of every row this relies on */
		for (k = 0; st == DB_OK && k < batch_sizes[s]; k++)
			ids[done + k] = (long long)first + (long long)k * step;
		done += batch_sizes[s];
	}
	free(p);
	return st;
}

db_status batch_query(db *d, const char *const sql[3], const db_param *head, size_t nhead, size_t per_row,
		      size_t n, batch_row_fn fn, batch_rows_fn on_rows, void *ctx)
{
	db_param *p = xmalloc((nhead + per_row * BATCH_MAX) * sizeof(db_param));
	size_t done = 0;
	db_status st = DB_OK;
	while (done < n && st == DB_OK) {
		int s = shape_for(n - done);
		size_t np = build(p, head, nhead, per_row, NULL, 0, done, batch_sizes[s], fn, ctx);
		db_rows *r = NULL;
		if ((st = db_query(d, sql[s], p, np, &r)) == DB_OK)
			st = on_rows(ctx, r);
		db_rows_free(r);
		done += batch_sizes[s];
	}
	free(p);
	return st;
}
