/* pairings.h - data access for pairings (结对帮扶) and home visits (家访), shared by
 * the handlers (pairings.c) and the pairing import. A pairing or visit is in
 * scope when its student's current school is. */
#ifndef DUDAO_PAIRINGS_H
#define DUDAO_PAIRINGS_H

#include <jansson.h>

#include "db.h"
#include "http.h"

typedef struct {
	long long school_id, staff_id, student_id;
	const char *active_on;   /* pairings active on this date */
} pairing_filter;

typedef struct {
	long long school_id, staff_id, student_id;
	const char *from, *to;   /* visit_date range, inclusive */
	const char *kind;
} visit_filter;

/* One pairing in scope (student_name unmasked, active as of today), or DB_NOT_FOUND. */
db_status pairings_db_get(db *d, const char *scope, long long id, const char *today, json_t **out);
db_status pairings_db_list(db *d, const char *scope, const pairing_filter *f, const char *today,
			   const paging *pg, json_t **items, long long *total);
/* Pairings of the same staff and student, other than except_id, that share a day
 * with [start, end] (end NULL: open-ended), into *count. */
db_status pairings_db_overlaps(db *d, long long staff_id, long long student_id, const char *start,
			       const char *end, long long except_id, long long *count);
db_status pairings_db_insert(db *d, long long staff_id, long long student_id, const char *start,
			     const char *end, const char *note, long long *id);
/* Sets end_date (when end_given; NULL reopens) and note (when not NULL) if the
 * version matches; DB_CONFLICT when stale. */
db_status pairings_db_update(db *d, long long id, long long version, int end_given, const char *end,
			     const char *note);

db_status home_visits_db_get(db *d, const char *scope, long long id, json_t **out);
db_status home_visits_db_list(db *d, const char *scope, const visit_filter *f, const paging *pg,
			      json_t **items, long long *total);
db_status home_visits_db_insert(db *d, long long student_id, long long staff_id, const char *date,
				const char *kind, const char *note, long long user_id, long long *id);

#endif
