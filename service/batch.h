/* batch.h - multi-row statements for bulk writes: one statement text per batch
 * size (256, 64, 16, 8, 4, 2 and 1 rows), each prepared once per connection, so
 * n rows cost about n/256 round trips, the tail of a batch at most three
 * statements of 64 and of 16 rows and one of each smaller size, and a handful of
 * rows (requests written together, group.c) one or two statements. The SQL is
 * made at compile time: BATCH_SQL(WRAP, "(?,?)") is the seven statements
 * WRAP("(?,?),(?,?),...") of 256, 64, 16, 8, 4, 2 and 1 rows, WRAP being a
 * macro that puts the rows in place. */
#ifndef DUDAO_BATCH_H
#define DUDAO_BATCH_H

#include <stddef.h>

#include "db.h"

#define BATCH_X2(s) s "," s
#define BATCH_X4(s) BATCH_X2(BATCH_X2(s))
#define BATCH_ROWS_4(s) BATCH_X4(s)
#define BATCH_ROWS_8(s) BATCH_X2(BATCH_X4(s))
#define BATCH_ROWS_16(s) BATCH_X4(BATCH_X4(s))
#define BATCH_ROWS_64(s) BATCH_X4(BATCH_ROWS_16(s))
#define BATCH_ROWS_256(s) BATCH_ROWS_16(BATCH_ROWS_16(s))
#define BATCH_MAX 256
#define BATCH_SIZES 7
#define BATCH_SQL(wrap, row) \
	{wrap(BATCH_ROWS_256(row)), wrap(BATCH_ROWS_64(row)), wrap(BATCH_ROWS_16(row)), wrap(BATCH_ROWS_8(row)), \
	 wrap(BATCH_ROWS_4(row)), wrap(BATCH_X2(row)), wrap(row)}
/* The one-row statement of a BATCH_SQL. */
#define BATCH_ONE(sql) ((sql)[BATCH_SIZES - 1])

/* Fills the per_row parameters of item i into out. */
typedef void (*batch_row_fn)(void *ctx, size_t i, db_param *out);
/* Receives one result set of a batched query; the callee does not free r. */
typedef db_status (*batch_rows_fn)(void *ctx, const db_rows *r);

/* Runs the statements of sql (BATCH_SQL) over items [0, n): the parameters are
 * head, then per_row for each item, then tail. */
db_status batch_exec(db *d, const char *const sql[BATCH_SIZES], const db_param *head, size_t nhead, size_t per_row,
		     const db_param *tail, size_t ntail, size_t n, batch_row_fn fn, void *ctx);
/* batch_exec, and *affected receives the rows the statements reported changed. */
db_status batch_exec_affected(db *d, const char *const sql[BATCH_SIZES], size_t per_row, size_t n, batch_row_fn fn,
			      void *ctx, unsigned long long *affected);
/* An UPDATE ... WHERE key IN (...) where naming a row twice changes nothing,
 * padded as batch_query_padded (head first); *affected receives the rows it
 * changed, each counted once however often it was named. */
db_status batch_update_padded(db *d, const char *const sql[BATCH_SIZES], const db_param *head, size_t nhead,
			      size_t per_row, size_t n, batch_row_fn fn, void *ctx, unsigned long long *affected);
/* The step between the ids of one multi-row INSERT when the server numbers its
 * rows consecutively (InnoDB innodb_autoinc_lock_mode 0 or 1: the step is
 * auto_increment_increment), else 0: batch_insert_ids may not be used. */
db_status batch_id_step(db *d, long long *step);
/* Inserts items [0, n) with a plain multi-row INSERT (no head or tail) and
 * writes each item's new AUTO_INCREMENT id into ids: the statement's first id
 * plus step times the row's place, step being batch_id_step's; with step 0 (the
 * server does not number a statement's rows consecutively) one row per statement.
 * DB_ERR when a statement did not insert every row or reported no id. */
db_status batch_insert_ids(db *d, const char *const sql[BATCH_SIZES], size_t per_row, size_t n, batch_row_fn fn,
			   void *ctx, long long step, long long *ids);
/* Links owner to n distinct ids (1 <= n <= max, max <= BATCH_LINKS_MAX) in one
 * statement: sql is an INSERT ... SELECT ?, x.id FROM ... WHERE x.id IN (...)
 * whose max id placeholders follow the owner's; a shorter list is padded with
 * its first id again (IN names it once). DB_ERR when an id was not there to link. */
#define BATCH_LINKS_MAX 20
db_status batch_links(db *d, const char *sql, long long owner, const long long *ids, size_t n, size_t max);
/* The same for a query; on_rows sees each chunk's result. */
db_status batch_query(db *d, const char *const sql[BATCH_SIZES], const db_param *head, size_t nhead, size_t per_row,
		      size_t n, batch_row_fn fn, batch_rows_fn on_rows, void *ctx);
/* A look-up where naming an item twice changes nothing (WHERE key IN (...)):
 * the tail goes in the smallest statement that holds it, padded with the last
 * item again, so n items cost ceil(n / 256) statements. */
db_status batch_query_padded(db *d, const char *const sql[BATCH_SIZES], const db_param *head, size_t nhead,
			     size_t per_row, size_t n, batch_row_fn fn, batch_rows_fn on_rows, void *ctx);

#endif
