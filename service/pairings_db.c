/* pairings_db.c - SQL for pairings and home visits, scoped through the student's school. */
#include "pairings.h"

#define PAIRING_COLUMNS                                                                              \
	"p.id, p.staff_id, t.name AS staff_name, t.position AS staff_position, p.student_id,"           \
	" s.name AS student_name, s.school_id, o.name AS school_name, s.grade, p.start_date, p.end_date," \
	" (p.start_date <= ? AND (p.end_date IS NULL OR p.end_date >= ?)) AS active, p.note, p.version,"  \
	" p.created_at, p.updated_at"
#define PAIRING_FROM                                                                                  \
	" FROM pairings p JOIN students s ON s.id = p.student_id JOIN orgs o ON o.id = s.school_id"     \
	" JOIN staff t ON t.id = p.staff_id"
static const char SQL_PAIRING_GET[] =
	"SELECT " PAIRING_COLUMNS PAIRING_FROM " WHERE p.id = ? AND o.path LIKE CONCAT(?, '%')";
#define PAIRING_WHERE                                                                                 \
	PAIRING_FROM " WHERE o.path LIKE CONCAT(?, '%') AND (? IS NULL OR s.school_id = ?)"              \
	" AND (? IS NULL OR p.staff_id = ?) AND (? IS NULL OR p.student_id = ?)"                         \
	" AND (? IS NULL OR (p.start_date <= ? AND (p.end_date IS NULL OR p.end_date >= ?)))"
static const char SQL_PAIRING_LIST[] =
	"SELECT " PAIRING_COLUMNS PAIRING_WHERE " ORDER BY s.school_id, s.name, p.start_date, p.id LIMIT ? OFFSET ?";
static const char SQL_PAIRING_COUNT[] = "SELECT COUNT(*)" PAIRING_WHERE;
static const char SQL_PAIRING_OVERLAPS[] =
	"SELECT COUNT(*) FROM pairings WHERE staff_id = ? AND student_id = ? AND id <> ?"
	" AND (end_date IS NULL OR end_date >= ?) AND (? IS NULL OR start_date <= ?)";
static const char SQL_PAIRING_INSERT[] =
	"INSERT INTO pairings (staff_id, student_id, start_date, end_date, note) VALUES (?, ?, ?, ?, ?)";
static const char SQL_PAIRING_UPDATE[] =
	"UPDATE pairings SET end_date = IF(?, ?, end_date), note = COALESCE(?, note), version = version + 1,"
	" updated_at = UTC_TIMESTAMP() WHERE id = ? AND version = ?";
static const char SQL_PAIRING_EXISTS[] = "SELECT id FROM pairings WHERE id = ?";

#define VISIT_COLUMNS                                                                                 \
	"v.id, v.student_id, s.name AS student_name, s.school_id, o.name AS school_name, v.staff_id,"   \
	" t.name AS staff_name, v.visit_date, v.kind, v.note, v.created_by, v.created_at"
#define VISIT_FROM                                                                                    \
	" FROM home_visits v JOIN students s ON s.id = v.student_id JOIN orgs o ON o.id = s.school_id"  \
	" JOIN staff t ON t.id = v.staff_id"
static const char SQL_VISIT_GET[] =
	"SELECT " VISIT_COLUMNS VISIT_FROM " WHERE v.id = ? AND o.path LIKE CONCAT(?, '%')";
#define VISIT_WHERE                                                                                   \
	VISIT_FROM " WHERE o.path LIKE CONCAT(?, '%') AND (? IS NULL OR s.school_id = ?)"                \
	" AND (? IS NULL OR v.staff_id = ?) AND (? IS NULL OR v.student_id = ?)"                         \
	" AND (? IS NULL OR v.visit_date >= ?) AND (? IS NULL OR v.visit_date <= ?)"                     \
	" AND (? IS NULL OR v.kind = ?)"
static const char SQL_VISIT_LIST[] =
	"SELECT " VISIT_COLUMNS VISIT_WHERE " ORDER BY v.visit_date DESC, v.id DESC LIMIT ? OFFSET ?";
static const char SQL_VISIT_COUNT[] = "SELECT COUNT(*)" VISIT_WHERE;
static const char SQL_VISIT_INSERT[] =
	"INSERT INTO home_visits (student_id, staff_id, visit_date, kind, note, created_by) VALUES (?, ?, ?, ?, ?, ?)";

/* Runs a one-row query and returns the row as JSON. */
static db_status one_object(db *d, const char *sql, const db_param *p, size_t n, json_t **out)
{
	db_rows *r;
	db_status st = db_query_one(d, sql, p, n, &r);
	if (st != DB_OK)
		return st;
	*out = db_rows_object(r, 0);
	db_rows_free(r);
	return DB_OK;
}

/* Runs a count and a page query with the same leading parameters. */
static db_status count_and_page(db *d, const char *count_sql, const char *list_sql, const db_param *p,
				size_t n_count, size_t n_list, json_t **items, long long *total)
{
	db_rows *r;
	db_status st = db_query_int(d, count_sql, p, n_count, total);
	if (st != DB_OK || (st = db_query(d, list_sql, p, n_list, &r)) != DB_OK)
		return st;
	*items = db_rows_array(r);
	db_rows_free(r);
	return DB_OK;
}

db_status pairings_db_get(db *d, const char *scope, long long id, const char *today, json_t **out)
{
	db_param p[] = {DP_STR(today), DP_STR(today), DP_INT(id), DP_STR(scope)};
	return one_object(d, SQL_PAIRING_GET, p, DB_NPARAMS(p), out);
}

db_status pairings_db_list(db *d, const char *scope, const pairing_filter *f, const char *today,
			   const paging *pg, json_t **items, long long *total)
{
	db_param p[] = {DP_STR(today), DP_STR(today), DP_STR(scope), db_param_id_or_null(f->school_id),
			db_param_id_or_null(f->school_id), db_param_id_or_null(f->staff_id),
			db_param_id_or_null(f->staff_id), db_param_id_or_null(f->student_id),
			db_param_id_or_null(f->student_id), DP_STR(f->active_on), DP_STR(f->active_on),
			DP_STR(f->active_on), DP_INT(pg->limit), DP_INT(pg->offset)};
	db_status st = db_query_int(d, SQL_PAIRING_COUNT, p + 2, 10, total);
	db_rows *r;
	if (st != DB_OK || (st = db_query(d, SQL_PAIRING_LIST, p, DB_NPARAMS(p), &r)) != DB_OK)
		return st;
	*items = db_rows_array(r);
	db_rows_free(r);
	return DB_OK;
}

db_status pairings_db_overlaps(db *d, long long staff_id, long long student_id, const char *start,
			       const char *end, long long except_id, long long *count)
{
	db_param p[] = {DP_INT(staff_id), DP_INT(student_id), DP_INT(except_id), DP_STR(start), DP_STR(end),
			DP_STR(end)};
	return db_query_int(d, SQL_PAIRING_OVERLAPS, p, DB_NPARAMS(p), count);
}

db_status pairings_db_insert(db *d, long long staff_id, long long student_id, const char *start,
			     const char *end, const char *note, long long *id)
{
	unsigned long long new_id = 0;
	db_param p[] = {DP_INT(staff_id), DP_INT(student_id), DP_STR(start), DP_STR(end), DP_STR(note ? note : "")};
	db_status st = db_exec(d, SQL_PAIRING_INSERT, p, DB_NPARAMS(p), NULL, &new_id);
	*id = (long long)new_id;
	return st;
}

db_status pairings_db_update(db *d, long long id, long long version, int end_given, const char *end,
			     const char *note)
{
	unsigned long long n = 0;
	long long found;
	db_param p[] = {DP_INT(end_given), DP_STR(end), DP_STR(note), DP_INT(id), DP_INT(version)};
	db_param e[] = {DP_INT(id)};
	db_status st = db_exec(d, SQL_PAIRING_UPDATE, p, DB_NPARAMS(p), &n, NULL);
	if (st != DB_OK || n > 0)
		return st;
	st = db_query_int(d, SQL_PAIRING_EXISTS, e, 1, &found);
	return st == DB_OK ? DB_CONFLICT : st;
}

db_status home_visits_db_get(db *d, const char *scope, long long id, json_t **out)
{
	db_param p[] = {DP_INT(id), DP_STR(scope)};
	return one_object(d, SQL_VISIT_GET, p, DB_NPARAMS(p), out);
}

db_status home_visits_db_list(db *d, const char *scope, const visit_filter *f, const paging *pg,
			      json_t **items, long long *total)
{
	db_param p[] = {DP_STR(scope), db_param_id_or_null(f->school_id), db_param_id_or_null(f->school_id),
			db_param_id_or_null(f->staff_id), db_param_id_or_null(f->staff_id),
			db_param_id_or_null(f->student_id), db_param_id_or_null(f->student_id), DP_STR(f->from),
			DP_STR(f->from), DP_STR(f->to), DP_STR(f->to), DP_STR(f->kind), DP_STR(f->kind),
			DP_INT(pg->limit), DP_INT(pg->offset)};
	return count_and_page(d, SQL_VISIT_COUNT, SQL_VISIT_LIST, p, 13, DB_NPARAMS(p), items, total);
}

db_status home_visits_db_insert(db *d, long long student_id, long long staff_id, const char *date,
				const char *kind, const char *note, long long user_id, long long *id)
{
	unsigned long long new_id = 0;
	db_param p[] = {DP_INT(student_id), DP_INT(staff_id), DP_STR(date), DP_STR(kind), DP_STR(note ? note : ""),
			db_param_id_or_null(user_id)};
	db_status st = db_exec(d, SQL_VISIT_INSERT, p, DB_NPARAMS(p), NULL, &new_id);
	*id = (long long)new_id;
	return st;
}
