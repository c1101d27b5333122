/* metrics_db.c - SQL for the pairing metrics (definitions in metrics.h). Each
 * metric is one aggregate statement over the enrolments at the org's schools,
 * grouped by the child of the org that a school lies under (read off the school's
 * materialized path) WITH ROLLUP for the totals: one pass whatever the number of
 * schools, never a query per school. Indexes it relies on: student_enrolments
 * (school_id, status, start_date, end_date, student_id) and pairings (student_id,
 * start_date, end_date, staff_id) from 005_metrics_indexes.sql, home_visits
 * (student_id, visit_date), the students' primary key, orgs (path), (parent_id). */
#include "metrics.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "roster.h"
#include "util.h"

/* Enrolments on a date at the schools under a path, of students with a category
 * in a mask. Parameters: date, date, mask, path. */
#define ENROLLED_JOIN                                                                              \
	" FROM orgs sc"                                                                            \
	" JOIN student_enrolments e ON e.school_id = sc.id AND e.status IN ('在校', '劝返复学')"   \
	" AND e.start_date <= ? AND (e.end_date IS NULL OR e.end_date >= ?)"                       \
	" JOIN students s ON s.id = e.student_id AND (s.categories & ?) <> 0"
#define IN_SCOPE " WHERE sc.path LIKE CONCAT(?, '%') AND sc.kind = 'school'"
#define ENROLLED_FROM ENROLLED_JOIN IN_SCOPE
/* ENROLLED_FROM with a row per helper active on a date, or one with NULL.
 * Parameters: date, date, mask, date, date, path. */
#define ENROLLED_FROM_LEFT_PAIRED                                                                  \
	ENROLLED_JOIN " LEFT JOIN pairings p ON p.student_id = e.student_id"                       \
	" AND p.start_date <= ? AND (p.end_date IS NULL OR p.end_date >= ?)" IN_SCOPE
/* The student has a pairing active on a date. Parameters: date, date. */
#define PAIRED_ON(student)                                                                         \
	"EXISTS (SELECT 1 FROM pairings p WHERE p.student_id = " student                          \
	" AND p.start_date <= ? AND (p.end_date IS NULL OR p.end_date >= ?))"
/* The student had a home visit in a period. Parameters: from, to. */
#define VISITED_IN(student)                                                                        \
	"EXISTS (SELECT 1 FROM home_visits v WHERE v.student_id = " student                       \
	" AND v.visit_date BETWEEN ? AND ?)"
/* The id of the child of the org at path that a school lies under, 0 for the
 * org itself (a number, not text: grouping on the VARCHAR path is slow).
 * Parameter: the org's path. */
#define CHILD_KEY "CAST(SUBSTRING_INDEX(SUBSTRING(sc.path, CHAR_LENGTH(?) + 1), '/', 1) AS UNSIGNED)"
#define STUDENT_COLUMNS                                                                            \
	"s.id AS student_id, s.name, s.gender, s.stage, s.grade, s.categories,"                    \
	" sc.id AS school_id, sc.name AS school_name"

static const char SQL_ORG[] =
	"SELECT o.id, o.kind, o.name, o.path FROM orgs o WHERE o.id = ? AND o.path LIKE CONCAT(?, '%')";
static const char SQL_CHILDREN[] =
	"SELECT o.id, o.kind, o.name FROM orgs o WHERE o.parent_id = ? ORDER BY o.kind = 'school', o.id";
/* path | date date mask date date path. One pass: every (child, eligible student,
 * helper or NULL), numbered per student and per helper, then per child and in
 * total (ROLLUP): students counted once, and on the total row the split: helpers
 * with one / several students, students with several helpers, pairs, the largest
 * load. The split assumes at most one enrolment per student on a date, which
 * students_db_enrol keeps (it closes the old one the day before the new opens). */
static const char SQL_COVERAGE[] =
	"SELECT t.child, COUNT(DISTINCT t.student_id), COUNT(DISTINCT IF(t.staff_id IS NULL, NULL, t.student_id)),"
	" SUM(t.staff_id IS NOT NULL AND t.staff_rn = 1 AND t.staff_n = 1),"
	" SUM(t.staff_id IS NOT NULL AND t.staff_rn = 1 AND t.staff_n > 1),"
	" SUM(t.student_rn = 1 AND t.helpers > 1), COUNT(t.staff_id), MAX(IF(t.staff_id IS NULL, 0, t.staff_n))"
	" FROM (SELECT b.child, b.student_id, b.staff_id,"
	" ROW_NUMBER() OVER (PARTITION BY b.student_id ORDER BY b.staff_id) AS student_rn,"
	" COUNT(b.staff_id) OVER (PARTITION BY b.student_id) AS helpers,"
	" ROW_NUMBER() OVER (PARTITION BY b.staff_id ORDER BY b.student_id) AS staff_rn,"
	" COUNT(*) OVER (PARTITION BY b.staff_id) AS staff_n"
	" FROM (SELECT DISTINCT " CHILD_KEY " AS child, e.student_id, p.staff_id" ENROLLED_FROM_LEFT_PAIRED ") b"
	") t GROUP BY t.child WITH ROLLUP";
/* date date mask path | date date [| limit offset] */
static const char SQL_UNPAIRED_COUNT[] =
	"SELECT COUNT(*)" ENROLLED_FROM " AND NOT " PAIRED_ON("s.id");
static const char SQL_UNPAIRED[] =
	"SELECT " STUDENT_COLUMNS ENROLLED_FROM " AND NOT " PAIRED_ON("s.id")
	" ORDER BY sc.parent_id, sc.id, s.id LIMIT ? OFFSET ?";
/* path | from to | date date | date date mask path | date date */
static const char SQL_HOME_VISITS[] =
	"SELECT a.child, COUNT(DISTINCT a.student_id), COUNT(DISTINCT IF(a.visited, a.student_id, NULL))"
	" FROM (SELECT " CHILD_KEY " AS child, e.student_id, " VISITED_IN("e.student_id") " AS visited"
	ENROLLED_FROM " AND " PAIRED_ON("e.student_id") ") a GROUP BY a.child WITH ROLLUP";
/* from to | date date mask path */
static const char SQL_KEY_COUNT[] =
	"SELECT COUNT(DISTINCT e.student_id), COUNT(DISTINCT IF(" VISITED_IN("e.student_id") ", NULL, e.student_id))"
	ENROLLED_FROM;
/* date date mask path | from to | limit offset */
static const char SQL_KEY_UNVISITED[] =
	"SELECT " STUDENT_COLUMNS ", (SELECT MAX(v.visit_date) FROM home_visits v WHERE v.student_id = s.id)"
	" AS last_visit_date" ENROLLED_FROM " AND NOT " VISITED_IN("s.id")
	" ORDER BY sc.parent_id, sc.id, s.id LIMIT ? OFFSET ?";

db_status metrics_db_org(db *d, const char *scope_path, long long id, metrics_org *out)
{
	db_param p[] = {DP_INT(id), DP_STR(scope_path)};
	db_rows *r;
	db_status st = db_query_one(d, SQL_ORG, p, DB_NPARAMS(p), &r);
	if (st != DB_OK)
		return st;
	out->id = db_rows_int(r, 0, 0);
	str_copy(out->kind, sizeof out->kind, db_rows_str(r, 0, 1));
	str_copy(out->name, sizeof out->name, db_rows_str(r, 0, 2));
	str_copy(out->path, sizeof out->path, db_rows_str(r, 0, 3));
	db_rows_free(r);
	return DB_OK;
}

/* The rows of t: the org's children in order (towns, then schools), or the
 * school itself. Counts start at 0. */
static db_status table_rows(db *d, metrics_table *t)
{
	db_param p[] = {DP_INT(t->org.id)};
	db_rows *r;
	db_status st;
	if (!strcmp(t->org.kind, "school")) {
		t->rows = xcalloc(1, sizeof *t->rows);
		t->nrows = 1;
		t->rows[0].org_id = t->org.id;
		memcpy(t->rows[0].kind, t->org.kind, sizeof t->rows[0].kind);
		memcpy(t->rows[0].name, t->org.name, sizeof t->rows[0].name);
		return DB_OK;
	}
	if ((st = db_query(d, SQL_CHILDREN, p, DB_NPARAMS(p), &r)) != DB_OK)
		return st;
	t->nrows = db_rows_count(r);
	t->rows = xcalloc(t->nrows ? t->nrows : 1, sizeof *t->rows);
	for (size_t i = 0; i < t->nrows; i++) {
		t->rows[i].org_id = db_rows_int(r, i, 0);
		str_copy(t->rows[i].kind, sizeof t->rows[i].kind, db_rows_str(r, i, 1));
		str_copy(t->rows[i].name, sizeof t->rows[i].name, db_rows_str(r, i, 2));
	}
	db_rows_free(r);
	return DB_OK;
}

/* The split from the total row of SQL_COVERAGE (columns 3..7). */
static void split_fill(metrics_split *s, const db_rows *r, size_t row)
{
	s->one_to_one = db_rows_int(r, row, 3);
	s->one_to_many = db_rows_int(r, row, 4);
	s->many_to_one = db_rows_int(r, row, 5);
	s->pairs = db_rows_int(r, row, 6);
	s->load_max = db_rows_int(r, row, 7);
	s->helpers = s->one_to_one + s->one_to_many;
	metrics_split_finish(s);
}

/* Spreads rollup rows (child id, base, hit; the NULL child is the total row)
 * over t; child 0 is the org itself. */
static void table_fill(metrics_table *t, const db_rows *r)
{
	for (size_t i = 0; i < db_rows_count(r); i++) {
		long long id = db_rows_int(r, i, 0);
		if (!db_rows_str(r, i, 0)) {
			t->base = db_rows_int(r, i, 1);
			t->hit = db_rows_int(r, i, 2);
			if (db_rows_columns(r) >= 8)
				split_fill(&t->split, r, i);
			continue;
		}
		id = id ? id : t->org.id;
		for (size_t k = 0; k < t->nrows; k++)
			if (t->rows[k].org_id == id) {
				t->rows[k].base = db_rows_int(r, i, 1);
				t->rows[k].hit = db_rows_int(r, i, 2);
			}
	}
}

/* Runs a rollup statement and fills t's rows and totals. */
static db_status table_query(db *d, const char *sql, const db_param *p, size_t n, metrics_table *t)
{
	db_rows *r;
	db_status st = table_rows(d, t);
	if (st != DB_OK || (st = db_query(d, sql, p, n, &r)) != DB_OK)
		return st;
	table_fill(t, r);
	db_rows_free(r);
	return DB_OK;
}

db_status metrics_db_pairing_coverage(db *d, unsigned mask, const char *date, metrics_table *t)
{
	const char *path = t->org.path;
	db_param p[] = {DP_STR(path), DP_STR(date), DP_STR(date), DP_INT(mask), DP_STR(date), DP_STR(date),
			DP_STR(path)};
	str_copy(t->date, sizeof t->date, date);
	memset(&t->split, 0, sizeof t->split);
	return table_query(d, SQL_COVERAGE, p, DB_NPARAMS(p), t);
}

/* Turns each item's categories into an array. */
static void items_categories(json_t *items)
{
	for (size_t i = 0; i < json_array_size(items); i++)
		roster_set_to_array(json_array_get(items, i), "categories");
}

db_status metrics_db_unpaired(db *d, const metrics_org *org, unsigned mask, const char *date,
			      const paging *pg, json_t **items, long long *total)
{
	db_param p[] = {DP_STR(date), DP_STR(date), DP_INT(mask), DP_STR(org->path), DP_STR(date), DP_STR(date),
			DP_INT(pg->limit), DP_INT(pg->offset)};
	db_rows *r;
	db_status st = db_query_int(d, SQL_UNPAIRED_COUNT, p, 6, total);
	if (st != DB_OK || (st = db_query(d, SQL_UNPAIRED, p, DB_NPARAMS(p), &r)) != DB_OK)
		return st;
	*items = db_rows_array(r);
	db_rows_free(r);
	items_categories(*items);
	return DB_OK;
}

db_status metrics_db_home_visits(db *d, unsigned mask, const char *from, const char *to, metrics_table *t)
{
	const char *path = t->org.path;
	db_param p[] = {DP_STR(path), DP_STR(from), DP_STR(to), DP_STR(to), DP_STR(to), DP_INT(mask),
			DP_STR(path), DP_STR(to), DP_STR(to)};
	str_copy(t->date, sizeof t->date, to);
	return table_query(d, SQL_HOME_VISITS, p, DB_NPARAMS(p), t);
}

db_status metrics_db_key_unvisited(db *d, const metrics_org *org, const char *from, const char *to,
				   const paging *pg, json_t **items, long long *total,
				   long long *key_students)
{
	unsigned key = roster_set_mask(roster_categories, "残疾,留守");
	db_param c[] = {DP_STR(from), DP_STR(to), DP_STR(to), DP_STR(to), DP_INT(key), DP_STR(org->path)};
	db_param p[] = {DP_STR(to), DP_STR(to), DP_INT(key), DP_STR(org->path), DP_STR(from), DP_STR(to),
			DP_INT(pg->limit), DP_INT(pg->offset)};
	db_rows *r;
	db_status st = db_query_one(d, SQL_KEY_COUNT, c, DB_NPARAMS(c), &r);
	if (st != DB_OK)
		return st;
	*key_students = db_rows_int(r, 0, 0);
	*total = db_rows_int(r, 0, 1);
	db_rows_free(r);
	if ((st = db_query(d, SQL_KEY_UNVISITED, p, DB_NPARAMS(p), &r)) != DB_OK)
		return st;
	*items = db_rows_array(r);
	db_rows_free(r);
	items_categories(*items);
	return DB_OK;
}
