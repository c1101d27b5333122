/* test_coverage.c - the coverage counter (reports/coverage.c) on hand-made
 * streams: a student counts once per row and once in the total, the marks that
 * admit a student to base, the hits, and the split over distinct pairs of
 * counted students. The SQL that feeds it is checked against the reference
 * statements in tests/api/test_coverage.c. */
#include <string.h>

#include "coverage.h"
#include "harness.h"

/* A table of n rows (ids 1..n) with nothing counted. */
static void table_init(metrics_table *t, metrics_row *rows, size_t n)
{
	memset(t, 0, sizeof(*t));
	memset(rows, 0, n * sizeof(*rows));
	for (size_t i = 0; i < n; i++)
		rows[i].org_id = (long long)i + 1;
	t->rows = rows;
	t->nrows = n;
}

/* Pairing coverage: students 1..6 in two rows.
 *   1 row 0, helpers 10 and 11 (11 twice: one pair)   4 row 1, ineligible, helper 10
 *   2 row 0 and row 1 (moved that day), helper 10     5 row 1, no helper
 *   3 row 0 twice (two enrolments), no helper         6 not enrolled, helper 12
 * Base: row 0 {1,2,3}, row 1 {2,5}, total {1,2,3,5}; hits: 1, 2. Pairs of counted
 * students: (1,10) (1,11) (2,10): helper 10 has two, 11 one; student 1 has two. */
static void test_pairing(void)
{
	metrics_row rows[2];
	metrics_table t;
	coverage *c = coverage_new(2, 0, COVERAGE_INELIGIBLE);
	table_init(&t, rows, 2);
	coverage_mark(c, 4, COVERAGE_INELIGIBLE);
	coverage_pair(c, 1, 10);
	coverage_pair(c, 1, 11);
	coverage_pair(c, 1, 11);
	coverage_pair(c, 2, 10);
	coverage_pair(c, 4, 10);
	coverage_pair(c, 6, 12);
	coverage_enrolled(c, 0, 1);
	coverage_enrolled(c, 0, 2);
	coverage_enrolled(c, 1, 2);
	coverage_enrolled(c, 0, 3);
	coverage_enrolled(c, 0, 3);
	coverage_enrolled(c, 1, 4);
	coverage_enrolled(c, 1, 5);
	coverage_enrolled(c, 5, 5); /* a row out of range is ignored */
	coverage_finish(c, &t);
	coverage_free(c);
	CHECK(rows[0].base == 3 && rows[0].hit == 2, "row 0: 3 eligible, 2 paired (%lld, %lld)", rows[0].base, rows[0].hit);
	CHECK(rows[1].base == 2 && rows[1].hit == 1, "row 1: the moved student and one more (%lld, %lld)", rows[1].base,
	      rows[1].hit);
	CHECK(t.base == 4 && t.hit == 2, "the total counts each student once (%lld, %lld)", t.base, t.hit);
	CHECK(t.split.pairs == 3 && t.split.helpers == 2, "3 distinct pairs of counted students, 2 helpers (%lld, %lld)",
	      t.split.pairs, t.split.helpers);
	CHECK(t.split.one_to_one == 1 && t.split.one_to_many == 1 && t.split.many_to_one == 1 && t.split.load_max == 2,
	      "一帮一 1, 一帮多 1, 多帮一 1, the largest load 2");
	CHECK(t.split.load_mean_x100 == 150, "1.50 students per helper (%lld)", t.split.load_mean_x100);
}

/* Home visits: base needs the paired mark, not ineligible; hit is visited. Ids
 * far apart make the counter grow; marks merged from another counter count. */
static void test_home_visits(void)
{
	metrics_row rows[1];
	metrics_table t;
	coverage *c = coverage_new(1, COVERAGE_PAIRED, COVERAGE_INELIGIBLE);
	coverage *visits = coverage_new(0, 0, 0);
	table_init(&t, rows, 1);
	coverage_reserve(c, 100, 0);
	coverage_mark(c, 7, COVERAGE_PAIRED);
	coverage_mark(c, 9, COVERAGE_PAIRED);
	coverage_mark(c, 9, COVERAGE_INELIGIBLE);
	coverage_mark(c, 5000000, COVERAGE_PAIRED);
	coverage_mark(visits, 7, COVERAGE_HIT);
	coverage_mark(visits, 8, COVERAGE_HIT);
	coverage_merge_marks(c, visits);
	coverage_free(visits);
	coverage_enrolled(c, 0, 7);
	coverage_enrolled(c, 0, 8);  /* visited but not paired */
	coverage_enrolled(c, 0, 9);  /* paired but not eligible */
	coverage_enrolled(c, 0, 5000000);
	coverage_enrolled(c, 0, -1); /* not an id: ignored */
	coverage_finish(c, &t);
	coverage_free(c);
	CHECK(t.base == 2 && t.hit == 1, "2 paired eligible students, 1 visited (%lld, %lld)", t.base, t.hit);
	CHECK(rows[0].base == 2 && rows[0].hit == 1, "the row agrees with the total");
	CHECK(t.split.pairs == 0 && t.split.helpers == 0, "no pairs fed: no split");
}

void test_coverage(void)
{
	test_pairing();
	test_home_visits();
}
