/* metrics_db.c - SQL for the pairing metrics (definitions in metrics.h).
 * Coverage (pairing, home visits) streams ids into the counter of coverage.c
 * (metrics_method says how: a join by index for a town or a county, three
 * index-only scans for a province); the reference statements, one aggregate each
 * grouped by the child of the org that a school lies under (read off the school's
 * materialized path) WITH ROLLUP, stay as the tests' oracle. The lists are one
 * statement each. Indexes relied on: student_enrolments (school_id, status,
 * start_date, end_date, student_id) and pairings (student_id, start_date,
 * end_date, staff_id) from 005_metrics_indexes.sql, students (categories) from
 * 007_coverage_indexes.sql, home_visits (student_id, visit_date), the students'
 * primary key, orgs (path), (parent_id). */
#include "metrics.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "coverage.h"
#include "keymap.h"
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

/* ---- the counter's streams. Enrolled: date date path; with ELIGIBLE_JOIN: date date mask path. */
#define ENROLMENTS_IN_SCOPE                                                                        \
	" FROM orgs sc"                                                                            \
	" JOIN student_enrolments e ON e.school_id = sc.id AND e.status IN ('在校', '劝返复学')"   \
	" AND e.start_date <= ? AND (e.end_date IS NULL OR e.end_date >= ?)"
/* Sizes that choose between join and scan: the largest student id, the schools. */
static const char SQL_SIZES[] =
	"SELECT (SELECT COALESCE(MAX(id), 0) FROM students), (SELECT COUNT(*) FROM orgs WHERE kind = 'school')";
/* path: the schools in scope and their paths (the child they count under). */
static const char SQL_SCOPE_SCHOOLS[] =
	"SELECT sc.id, sc.path FROM orgs sc WHERE sc.path LIKE CONCAT(?, '%') AND sc.kind = 'school'";
/* scan: mask | date date | date date | from to. The students with no eligible
 * category (the few): an enrolled student not among them is eligible. */
static const char SQL_SCAN_INELIGIBLE[] = "SELECT id FROM students WHERE (categories & ?) = 0";
static const char SQL_SCAN_PAIRINGS[] =
	"SELECT student_id, staff_id FROM pairings WHERE start_date <= ? AND (end_date IS NULL OR end_date >= ?)"
	" ORDER BY student_id";
/* Every enrolment on the date, in one pass over the covering index (schools out of
 * scope are dropped in C: for a large scope one pass beats a look-up per school). */
static const char SQL_SCAN_ENROLLED[] =
	"SELECT school_id, student_id FROM student_enrolments WHERE status IN ('在校', '劝返复学')"
	" AND start_date <= ? AND (end_date IS NULL OR end_date >= ?)";
static const char SQL_SCAN_VISITED[] = "SELECT student_id FROM home_visits WHERE visit_date BETWEEN ? AND ?";
/* join: date date mask path | date date mask date date path | date date mask from to path */
static const char SQL_JOIN_ENROLLED[] = "SELECT e.school_id, e.student_id" ENROLLED_FROM;
static const char SQL_JOIN_PAIRINGS[] =
	"SELECT p.student_id, p.staff_id" ENROLLED_JOIN
	" JOIN pairings p ON p.student_id = e.student_id AND p.start_date <= ? AND (p.end_date IS NULL OR p.end_date >= ?)"
	IN_SCOPE " ORDER BY p.student_id";
static const char SQL_JOIN_VISITED[] =
	"SELECT DISTINCT v.student_id" ENROLLED_JOIN
	" JOIN home_visits v ON v.student_id = e.student_id AND v.visit_date BETWEEN ? AND ?" IN_SCOPE;

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

/* The reference statement of pairing coverage (the tests' oracle). */
static db_status pairing_coverage_reference(db *d, unsigned mask, const char *date, metrics_table *t)
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

/* The reference statement of home-visit coverage (the tests' oracle). */
static db_status home_visits_reference(db *d, unsigned mask, const char *from, const char *to, metrics_table *t)
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

/* ---------------------------------------------------------------- the counter's streams */

/* A coverage count under way: the counter, the schools in scope mapped to the
 * table's rows (value: row index + 1), the last school met (scans go school by
 * school) and the marks a stream of ids adds. */
typedef struct {
	coverage *cov;
	keymap *school_row;
	long long last_school;
	size_t last_row;
	unsigned marks;
	long long max_student;       /* the largest student id when the count began */
	int parallel;                /* scans at once: asked for, or METRICS_SCAN_MIN students */
} cov_run;

static int on_mark(void *ctx, const long long *v, size_t n)
{
	(void)n;
	coverage_mark(((cov_run *)ctx)->cov, v[0], ((cov_run *)ctx)->marks);
	return 0;
}

static int on_pair(void *ctx, const long long *v, size_t n)
{
	(void)n;
	coverage_pair(((cov_run *)ctx)->cov, v[0], v[1]);
	return 0;
}

/* An enrolment (school_id, student_id), counted under its school's row. */
static int on_enrolled(void *ctx, const long long *v, size_t n)
{
	cov_run *run = ctx;
	(void)n;
	if (v[0] != run->last_school) {
		long long *row = keymap_get(run->school_row, &v[0], sizeof(v[0]));
		run->last_school = v[0];
		run->last_row = row ? (size_t)*row : 0;
	}
	if (run->last_row)
		coverage_enrolled(run->cov, run->last_row - 1, v[1]);
	return 0;
}

/* The row of t that a school of path counts under: the child of t's org whose id
 * follows the org's path in the school's, or the org itself; 0 when none, else index + 1. */
static long long school_row(const metrics_table *t, const char *path)
{
	size_t k, n = strlen(t->org.path);
	long long child = strncmp(path, t->org.path, n) ? -1 : strtoll(path + n, NULL, 10);
	if (child == 0)
		child = t->org.id;
	for (k = 0; k < t->nrows; k++)
		if (t->rows[k].org_id == child)
			return (long long)k + 1;
	return 0;
}

/* Maps the schools in scope to t's rows; *n is how many there are. */
static db_status cov_schools(db *d, const metrics_table *t, keymap *map, long long *n)
{
	db_param p[] = {DP_STR(t->org.path)};
	db_rows *r;
	size_t i;
	int created;
	db_status st = db_query(d, SQL_SCOPE_SCHOOLS, p, DB_NPARAMS(p), &r);
	if (st != DB_OK)
		return st;
	for (i = 0; i < db_rows_count(r); i++) {
		long long id = db_rows_int(r, i, 0);
		*keymap_put(map, &id, sizeof(id), &created) = school_row(t, db_rows_str(r, i, 1));
	}
	*n = (long long)db_rows_count(r);
	db_rows_free(r);
	return DB_OK;
}

/* METRICS_AUTO's choice: scan when the scope holds a quarter of the schools or
 * more (a scan reads every student; the join reads the scope's, each at a few
 * look-ups' cost), or when its share of the students exceeds METRICS_SCAN_MIN. */
static db_status cov_method(db *d, metrics_method asked, long long scope_schools, metrics_method *out,
			    long long *max_student)
{
	db_rows *r;
	db_status st;
	if ((st = db_query_one(d, SQL_SIZES, NULL, 0, &r)) != DB_OK)
		return st;
	*max_student = db_rows_int(r, 0, 0);
	*out = asked;
	if (asked != METRICS_AUTO) {
		db_rows_free(r);
		return DB_OK;
	}
	*out = db_rows_int(r, 0, 1) > 0 && (scope_schools * 4 >= db_rows_int(r, 0, 1) ||
					     (double)db_rows_int(r, 0, 0) * (double)scope_schools /
						     (double)db_rows_int(r, 0, 1) > METRICS_SCAN_MIN)
		? METRICS_SCAN : METRICS_JOIN;
	db_rows_free(r);
	return DB_OK;
}

/* Starts a count: t's rows, the school map, the method. */
static db_status cov_start(db *d, metrics_table *t, cov_run *run, metrics_method *method)
{
	long long nschools = 0;
	db_status st = table_rows(d, t);
	memset(run, 0, sizeof(*run));
	run->school_row = keymap_new();
	if (st == DB_OK)
		st = cov_schools(d, t, run->school_row, &nschools);
	if (st == DB_OK)
		st = cov_method(d, t->method, nschools, method, &run->max_student);
	run->parallel = t->method == METRICS_SCAN || run->max_student >= METRICS_SCAN_MIN;
	return st;
}

/* Streams one statement's ids into the counter with fn, adding marks. */
static db_status cov_stream(db *d, cov_run *run, const char *sql, const db_param *p, size_t n, db_row_fn fn,
			    unsigned marks)
{
	run->marks = marks;
	return db_query_each(d, sql, p, n, fn, run);
}

static void cov_end(cov_run *run, metrics_table *t, db_status st)
{
	if (st == DB_OK)
		coverage_finish(run->cov, t);
	coverage_free(run->cov);
	keymap_free(run->school_row);
}

/* ---- METRICS_SCAN: the scans run at once, each on a connection of its own. */

/* Enrolments in scope gathered by a scan thread: (row, student) pairs. */
typedef struct {
	const cov_run *run;            /* its school map (read only) */
	long long last_school;
	size_t last_row;
	long long *students;
	uint32_t *rows;
	size_t n, cap;
} cov_enrolments;

static int on_gather(void *ctx, const long long *v, size_t n)
{
	cov_enrolments *g = ctx;
	(void)n;
	if (v[0] != g->last_school) {
		long long *row = keymap_get(g->run->school_row, &v[0], sizeof(v[0]));
		g->last_school = v[0];
		g->last_row = row ? (size_t)*row : 0;
	}
	if (!g->last_row)
		return 0;
	if (g->n == g->cap) {
		g->cap = g->cap ? g->cap * 2 : 65536;
		g->students = xrealloc(g->students, g->cap * sizeof(long long));
		g->rows = xrealloc(g->rows, g->cap * sizeof(uint32_t));
	}
	g->students[g->n] = v[1];
	g->rows[g->n++] = (uint32_t)(g->last_row - 1);
	return 0;
}

/* One scan: a statement, its parameters and where its rows go. */
typedef struct {
	const char *sql;
	db_param p[2];
	size_t np;
	db_row_fn fn;
	void *ctx;
	db *conn;                      /* a sibling connection, or NULL */
	db_status st;
	pthread_t tid;
} cov_job;

static void *job_main(void *arg)
{
	cov_job *j = arg;
	j->st = db_query_each(j->conn, j->sql, j->p, j->np, j->fn, j->ctx);
	return NULL;
}

/* Runs the jobs at once, each on a connection of its own opened beside d, when
 * parallel is set (else opening connections costs more than it saves); a job
 * without a connection (or thread) runs on d after the others. */
static db_status cov_parallel(db *d, cov_job *jobs, size_t n, int parallel)
{
	db_status st = DB_OK;
	size_t i;
	for (i = 0; i < n; i++) {
		jobs[i].conn = parallel ? db_open_sibling(d) : NULL;
		if (jobs[i].conn && pthread_create(&jobs[i].tid, NULL, job_main, &jobs[i]) != 0) {
			db_close(jobs[i].conn);
			jobs[i].conn = NULL;
		}
	}
	for (i = 0; i < n; i++) {
		if (jobs[i].conn) {
			pthread_join(jobs[i].tid, NULL);
			db_close(jobs[i].conn);
		} else {
			jobs[i].st = db_query_each(d, jobs[i].sql, jobs[i].p, jobs[i].np, jobs[i].fn, jobs[i].ctx);
		}
		if (st == DB_OK)
			st = jobs[i].st;
	}
	return st;
}

/* The jobs at once (the last gathers the enrolments); then the marks of
 * runs[1..nruns-1] merged into runs[0]'s counter and the enrolments fed to it. */
static db_status cov_scan(db *d, cov_run *runs, size_t nruns, cov_job *jobs, size_t n)
{
	cov_enrolments g = {&runs[0], 0, 0, NULL, NULL, 0, (size_t)runs[0].max_student + 1};
	size_t i;
	db_status st;
	g.students = xmalloc(g.cap * sizeof(long long));
	g.rows = xmalloc(g.cap * sizeof(uint32_t));
	jobs[n - 1].fn = on_gather;
	jobs[n - 1].ctx = &g;
	st = cov_parallel(d, jobs, n, runs[0].parallel);
	for (i = 1; st == DB_OK && i < nruns; i++)
		coverage_merge_marks(runs[0].cov, runs[i].cov);
	for (i = 0; st == DB_OK && i < g.n; i++)
		coverage_enrolled(runs[0].cov, g.rows[i], g.students[i]);
	for (i = 1; i < nruns; i++)
		coverage_free(runs[i].cov);
	free(g.students);
	free(g.rows);
	return st;
}

/* A job for a marks scan into runs[k], with a counter of its own. */
static void cov_marks_job(cov_job *j, cov_run *runs, size_t k, const char *sql, db_param a, db_param b,
			  size_t np, db_row_fn fn, unsigned marks)
{
	runs[k].cov = runs[k].cov ? runs[k].cov : coverage_new(0, 0, 0);
	coverage_reserve(runs[k].cov, runs[0].max_student, 0);
	runs[k].marks = marks;
	*j = (cov_job){.sql = sql, .p = {a, b}, .np = np, .fn = fn, .ctx = &runs[k]};
}

/* Pairing coverage from the three scans (METRICS_SCAN). */
static db_status pairing_scan(db *d, unsigned mask, const char *date, metrics_table *t, cov_run *run)
{
	cov_run runs[2] = {*run, {0}};
	cov_job jobs[3];
	db_status st;
	runs[0].cov = coverage_new(t->nrows, 0, COVERAGE_INELIGIBLE);
	coverage_reserve(runs[0].cov, run->max_student, (size_t)run->max_student + 1);
	cov_marks_job(&jobs[0], runs, 1, SQL_SCAN_INELIGIBLE, DP_INT(mask), DP_NULL, 1, on_mark, COVERAGE_INELIGIBLE);
	cov_marks_job(&jobs[1], runs, 0, SQL_SCAN_PAIRINGS, DP_STR(date), DP_STR(date), 2, on_pair, 0);
	jobs[2] = (cov_job){.sql = SQL_SCAN_ENROLLED, .p = {DP_STR(date), DP_STR(date)}, .np = 2};
	st = cov_scan(d, runs, 2, jobs, 3);
	run->cov = runs[0].cov;
	return st;
}

/* Pairing coverage from the joins of the enrolments in scope (METRICS_JOIN). */
static db_status pairing_join(db *d, unsigned mask, const char *date, metrics_table *t, cov_run *run)
{
	const char *path = t->org.path;
	db_param p[] = {DP_STR(date), DP_STR(date), DP_INT(mask), DP_STR(date), DP_STR(date), DP_STR(path)};
	db_param e[] = {DP_STR(date), DP_STR(date), DP_INT(mask), DP_STR(path)};
	db_status st;
	run->cov = coverage_new(t->nrows, 0, 0);
	if ((st = cov_stream(d, run, SQL_JOIN_PAIRINGS, p, DB_NPARAMS(p), on_pair, 0)) != DB_OK)
		return st;
	return cov_stream(d, run, SQL_JOIN_ENROLLED, e, DB_NPARAMS(e), on_enrolled, 0);
}

db_status metrics_db_pairing_coverage(db *d, unsigned mask, const char *date, metrics_table *t)
{
	metrics_method method;
	cov_run run;
	db_status st;
	if (t->method == METRICS_REFERENCE)
		return pairing_coverage_reference(d, mask, date, t);
	str_copy(t->date, sizeof t->date, date);
	memset(&t->split, 0, sizeof t->split);
	if ((st = cov_start(d, t, &run, &method)) == DB_OK)
		st = method == METRICS_SCAN ? pairing_scan(d, mask, date, t, &run) : pairing_join(d, mask, date, t, &run);
	cov_end(&run, t, st);
	return st;
}

/* Home-visit coverage from the scans: eligible, paired on `to`, visited from..to. */
static db_status visits_scan(db *d, unsigned mask, const char *from, const char *to, metrics_table *t,
			     cov_run *run)
{
	cov_run runs[4] = {*run, {0}, {0}, {0}};
	cov_job jobs[4];
	db_status st;
	runs[0].cov = coverage_new(t->nrows, COVERAGE_PAIRED, COVERAGE_INELIGIBLE);
	coverage_reserve(runs[0].cov, run->max_student, 0);
	cov_marks_job(&jobs[0], runs, 1, SQL_SCAN_INELIGIBLE, DP_INT(mask), DP_NULL, 1, on_mark, COVERAGE_INELIGIBLE);
	cov_marks_job(&jobs[1], runs, 2, SQL_SCAN_PAIRINGS, DP_STR(to), DP_STR(to), 2, on_mark, COVERAGE_PAIRED);
	cov_marks_job(&jobs[2], runs, 3, SQL_SCAN_VISITED, DP_STR(from), DP_STR(to), 2, on_mark, COVERAGE_HIT);
	jobs[3] = (cov_job){.sql = SQL_SCAN_ENROLLED, .p = {DP_STR(to), DP_STR(to)}, .np = 2};
	st = cov_scan(d, runs, 4, jobs, 4);
	run->cov = runs[0].cov;
	return st;
}

/* Home-visit coverage from the joins of the enrolments in scope. */
static db_status visits_join(db *d, unsigned mask, const char *from, const char *to, metrics_table *t,
			     cov_run *run)
{
	const char *path = t->org.path;
	db_param p[] = {DP_STR(to), DP_STR(to), DP_INT(mask), DP_STR(to), DP_STR(to), DP_STR(path)};
	db_param v[] = {DP_STR(to), DP_STR(to), DP_INT(mask), DP_STR(from), DP_STR(to), DP_STR(path)};
	db_param e[] = {DP_STR(to), DP_STR(to), DP_INT(mask), DP_STR(path)};
	db_status st;
	run->cov = coverage_new(t->nrows, COVERAGE_PAIRED, 0);
	if ((st = cov_stream(d, run, SQL_JOIN_PAIRINGS, p, DB_NPARAMS(p), on_mark, COVERAGE_PAIRED)) != DB_OK ||
	    (st = cov_stream(d, run, SQL_JOIN_VISITED, v, DB_NPARAMS(v), on_mark, COVERAGE_HIT)) != DB_OK)
		return st;
	return cov_stream(d, run, SQL_JOIN_ENROLLED, e, DB_NPARAMS(e), on_enrolled, 0);
}

db_status metrics_db_home_visits(db *d, unsigned mask, const char *from, const char *to, metrics_table *t)
{
	metrics_method method;
	cov_run run;
	db_status st;
	if (t->method == METRICS_REFERENCE)
		return home_visits_reference(d, mask, from, to, t);
	str_copy(t->date, sizeof t->date, to);
	if ((st = cov_start(d, t, &run, &method)) == DB_OK)
		st = method == METRICS_SCAN ? visits_scan(d, mask, from, to, t, &run)
					    : visits_join(d, mask, from, to, t, &run);
	cov_end(&run, t, st);
	return st;
}
