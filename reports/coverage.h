/* coverage.h - counting the coverage metrics of metrics.h in C from streams of
 * ids, so that a province of millions of students costs a few index scans and
 * no join: the caller feeds who is paired (or visited), then every enrolment in
 * scope with the row (child of the org) it counts under; the counter keeps one
 * bit or byte per student id and per staff id. Pure: no SQL here (the scans are
 * in coverage_db.c).
 *
 * Per row, a student counts once in base however many of the row's schools they
 * are enrolled at, and once in the total whatever the rows; hit is counted for
 * the students of base that have the hit mark. The split (pairing coverage) is
 * over the distinct (staff, student) pairs fed whose student is in some row. */
#ifndef DUDAO_COVERAGE_H
#define DUDAO_COVERAGE_H

#include <stddef.h>

#include "metrics.h"

typedef struct coverage coverage;

/* Marks on a student. */
enum {
	COVERAGE_ELIGIBLE = 1, /* a category of the programme */
	COVERAGE_PAIRED = 2,   /* a pairing active on the date (home visits: part of base) */
	COVERAGE_HIT = 4,      /* paired (pairing coverage) or visited (home visits) */
	COVERAGE_INELIGIBLE = 8 /* no category of the programme (a scan of the few, not the many) */
};

/* A counter for nrows rows; an enrolment counts in base only for students that
 * carry every mark of required and none of excluded (0, 0: every enrolment fed
 * counts). Free with coverage_free. */
coverage *coverage_new(size_t nrows, unsigned required, unsigned excluded);
/* Makes room at once for student ids up to max_student and for npairs pairs
 * (a hint: saves growing the arrays while millions of ids arrive). */
void coverage_reserve(coverage *c, long long max_student, size_t npairs);
void coverage_free(coverage *c);

/* Adds marks (COVERAGE_*) to a student. */
void coverage_mark(coverage *c, long long student, unsigned marks);
/* Adds the marks of from to into (counters filled by scans run in parallel). */
void coverage_merge_marks(coverage *into, const coverage *from);
/* A pairing active on the date: marks the student COVERAGE_HIT and records the
 * pair for the split. Pairs must come grouped by student (ORDER BY student_id);
 * the same pair twice counts once. */
void coverage_pair(coverage *c, long long student, long long staff);
/* An enrolment in scope under row (0 .. nrows-1). Feed every enrolment after
 * every mark and pair. */
void coverage_enrolled(coverage *c, size_t row, long long student);

/* The counts: base and hit per row into t->rows[i] (t->nrows must be the nrows
 * given), the totals into t, and the split into t->split. */
void coverage_finish(coverage *c, metrics_table *t);

#endif
