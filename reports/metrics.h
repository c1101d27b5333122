/* metrics.h - the pairing (结对帮扶) metrics of DESIGN.md, "Metrics":
 *
 *  eligible on D      enrolled at a school on D (a student_enrolments row with that
 *                     school_id, status 在校 or 劝返复学, start_date <= D and end_date
 *                     NULL or >= D) with at least one category of the setting
 *                     eligible_categories (default 建档立卡, 防返贫监测).
 *  paired on D        has at least one pairing with start_date <= D and end_date NULL
 *                     or >= D. Three helpers still count once.
 *  coverage           paired eligible ÷ eligible, as per-mille integers (see
 *                     metrics_permille), NULL when nobody is eligible.
 *  helping pair       a distinct (staff, student) of a pairing active on D whose student
 *                     is eligible on D under the org; the helper may work anywhere.
 *  一帮一 one_to_one   helpers with exactly one student in such pairs;
 *  一帮多 one_to_many  helpers with two or more;
 *  多帮一 many_to_one  eligible paired students with two or more helpers.
 *  students per helper  pairs ÷ helpers (mean, x100, rounded) and the largest count.
 *  home-visit coverage (semester)  of the students eligible and paired on the as-of
 *                     date (the semester's last day, or today while it runs), those
 *                     with at least one home visit of any kind (入户, 电话, 到校) from the
 *                     semester's first day to the as-of date.
 *  key students (month)  students with category 残疾 or 留守 enrolled on the as-of date
 *                     (the month's last day, or today); unvisited = no home visit from
 *                     the month's first day to the as-of date.
 *
 * Counts are per child of the org: a bureau's towns and directly-run schools, a
 * town's schools, a school itself. A student enrolled at two schools on the same
 * day counts at each, and once in any total. The pure parts live in metrics.c,
 * the SQL in metrics_db.c. */
#ifndef DUDAO_METRICS_H
#define DUDAO_METRICS_H

#include <stddef.h>
#include <jansson.h>

#include "db.h"
#include "http.h"

#define METRICS_NAME_MAX 404 /* VARCHAR(100) of utf8mb4, with its NUL */

/* The org a metric is asked for, found within the caller's scope. */
typedef struct {
	long long id;
	char kind[8];      /* bureau | town | school */
	char name[METRICS_NAME_MAX];
	char path[256];
} metrics_org;

/* One child of the org (or the school itself) with its two counts. For
 * coverage: eligible and paired. For home visits: paired and visited. */
typedef struct {
	long long org_id;
	char kind[8];
	char name[METRICS_NAME_MAX];
	long long base, hit;
} metrics_row;

typedef struct {
	long long helpers, one_to_one, one_to_many, many_to_one, pairs, load_max;
	long long load_mean_x100; /* pairs * 100 / helpers, rounded half up; 0 without helpers */
} metrics_split;

/* How the coverage metrics are counted (all give the same numbers):
 *  AUTO       scan for a scope of a quarter of the schools or more, or of more than
 *             METRICS_SCAN_MIN students (estimated), else join
 *  JOIN       the enrolments in scope joined to their students and pairings by index
 *             and streamed to the counter: cost grows with the scope
 *  SCAN       three index-only scans (students without an eligible category, pairings
 *             active on the date, enrolments on the date) streamed to the counter,
 *             at once on connections of their own when asked for or from
 *             METRICS_SCAN_MIN students on (auto):
 *             the same cost for any scope, the fast way for a county or a province.
 *             Each scan reads a consistent snapshot of its own: a write committed
 *             while they run may be seen by one and not by another
 *  REFERENCE  the original single aggregate statement, kept as the tests' oracle */
typedef enum { METRICS_AUTO = 0, METRICS_JOIN, METRICS_SCAN, METRICS_REFERENCE } metrics_method;
#define METRICS_SCAN_MIN 150000

/* A metric by child with totals that count each student once. */
typedef struct {
	metrics_method method; /* in: how to count (METRICS_AUTO when zeroed) */
	metrics_org org;
	char date[11];         /* the as-of date */
	metrics_row *rows;     /* owned */
	size_t nrows;
	long long base, hit;   /* totals */
	metrics_split split;   /* pairing coverage only */
} metrics_table;

/* Frees the rows of t (t itself is the caller's). */
void metrics_table_release(metrics_table *t);

/* ---- pure helpers ---- */

/* part ÷ whole in per-mille, rounded half up, except that it is 1000 only when
 * part == whole and 0 only when part == 0 (99.96% is not "100%"). Returns -1 when
 * whole <= 0, and clamps part to 0..whole. */
int metrics_permille(long long part, long long whole);
/* Sets load_mean_x100 from pairs and helpers (pairs * 100 / helpers, half up). */
void metrics_split_finish(metrics_split *s);

/* ---- JSON and charts ---- */

/* {"org", "date", "rows": [{org_id, name, kind, <base_key>, <hit_key>, <miss_key>,
 * coverage_permille}], "totals": {...}}; miss = base - hit. New reference. */
json_t *metrics_table_json(const metrics_table *t, const char *base_key, const char *hit_key,
			   const char *miss_key);
/* Adds "split" and "students_per_helper" to a coverage JSON object. */
void metrics_split_json(json_t *obj, const metrics_split *s);
/* Draws coverage by child as a PNG (chart_hbar): title, as-of date and totals,
 * one bar per row. Returns 0, or -1 when the chart cannot be drawn. The caller
 * frees *png with chart_free. */
int metrics_coverage_chart(const metrics_table *t, unsigned char **png, int *len);

/* ---- SQL (metrics_db.c); scope is a path prefix, out of scope is DB_NOT_FOUND ---- */

/* The org id within scope_path. */
db_status metrics_db_org(db *d, const char *scope_path, long long id, metrics_org *out);
/* Pairing coverage on date by child of org, its totals and the split, counted
 * the way t->method says. mask holds the eligible categories
 * (students_db_eligible_mask). t->org must be set; the caller releases t. */
db_status metrics_db_pairing_coverage(db *d, unsigned mask, const char *date, metrics_table *t);
/* Eligible students under org without an active pairing on date, one item per
 * enrolment {student_id, name, gender, stage, grade, categories [..], school_id,
 * school_name}, ordered by town, school and student. Names are not masked here. */
db_status metrics_db_unpaired(db *d, const metrics_org *org, unsigned mask, const char *date,
			      const paging *pg, json_t **items, long long *total);
/* Home-visit coverage by child: base = eligible students paired on to, hit = those
 * with a home visit from..to, counted the way t->method says. t->org must be
 * set; t->date becomes to. */
db_status metrics_db_home_visits(db *d, unsigned mask, const char *from, const char *to,
				 metrics_table *t);
/* Key students (残疾, 留守) under org enrolled on `to` without a home visit from..to:
 * the page of them (as the unpaired list, plus last_visit_date, NULL when never
 * visited), their number, and the number of key students. Names not masked. */
db_status metrics_db_key_unvisited(db *d, const metrics_org *org, const char *from, const char *to,
				   const paging *pg, json_t **items, long long *total,
				   long long *key_students);

#endif
