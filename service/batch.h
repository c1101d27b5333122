/* batch.h - multi-row statements for bulk writes: one statement text per batch
 * size, each prepared once per connection, so n rows cost about n/256 round
 * trips. The SQL is made at compile time: BATCH_ROWS_256("(?,?)") is
 * "(?,?),(?,?),..." 256 times. The three-size functions take statements of 256,
 * 16 and 1 rows; the five-size ones (names ending in 5) also 64 and 4, so the
 * tail of a batch costs at most three statements of each smaller size instead
 * of up to fifteen. */
#ifndef DUDAO_BATCH_H
#define DUDAO_BATCH_H

#include <stddef.h>

#include "db.h"

#define BATCH_X2(s) s "," s
#define BATCH_X4(s) BATCH_X2(BATCH_X2(s))
#define BATCH_ROWS_4(s) BATCH_X4(s)
#define BATCH_ROWS_16(s) BATCH_X4(BATCH_X4(s))
#define BATCH_ROWS_64(s) BATCH_X4(BATCH_ROWS_16(s))
#define BATCH_ROWS_256(s) BATCH_ROWS_16(BATCH_ROWS_16(s))
#define BATCH_MAX 256

/* Fills the per_row parameters of item i into out. */
typedef void (*batch_row_fn)(void *ctx, size_t i, db_param *out);
/* Receives one result set of a batched query; the callee does not free r. */
typedef db_status (*batch_rows_fn)(void *ctx, const db_rows *r);

/* Runs sql[0] (256 rows), sql[1] (16) and sql[2] (1) over items [0, n): the
 * parameters are head, then per_row for each item, then tail. */
db_status batch_exec(db *d, const char *const sql[3], const db_param *head, size_t nhead, size_t per_row,
		     const db_param *tail, size_t ntail, size_t n, batch_row_fn fn, void *ctx);
/* The same with sql[0..4] of 256, 64, 16, 4 and 1 rows. */
db_status batch_exec5(db *d, const char *const sql[5], const db_param *head, size_t nhead, size_t per_row,
		      const db_param *tail, size_t ntail, size_t n, batch_row_fn fn, void *ctx);
/* Inserts items [0, n) with a plain multi-row INSERT (sql[0..2] as above, no
 * head or tail) and writes each item's new AUTO_INCREMENT id into ids: the
 * statement's first id plus step times the row's place. Only valid when the
 * server hands out consecutive ids to multi-row inserts (InnoDB
 * innodb_autoinc_lock_mode 0 or 1; step is auto_increment_increment). DB_ERR
 * when a statement did not insert every row or reported no id. */
db_status batch_insert_ids(db *d, const char *const sql[3], size_t per_row, size_t n, batch_row_fn fn, void *ctx,
			   long long step, long long *ids);
/* The same with sql[0..4] of 256, 64, 16, 4 and 1 rows. */
db_status batch_insert_ids5(db *d, const char *const sql[5], size_t per_row, size_t n, batch_row_fn fn, void *ctx,
			    long long step, long long *ids);
/* The same for a query; on_rows sees each chunk's result. */
db_status batch_query(db *d, const char *const sql[3], const db_param *head, size_t nhead, size_t per_row,
		      size_t n, batch_row_fn fn, batch_rows_fn on_rows, void *ctx);
/* A look-up where naming an item twice changes nothing (WHERE key IN (...)),
 * with sql[0..4] of 256, 64, 16, 4 and 1 rows: the tail goes in the smallest
 * statement that holds it, padded with the last item again, so n items cost
 * ceil(n / 256) statements. */
db_status batch_query_padded(db *d, const char *const sql[5], const db_param *head, size_t nhead, size_t per_row,
			     size_t n, batch_row_fn fn, batch_rows_fn on_rows, void *ctx);

#endif
