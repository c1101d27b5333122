/* coverage.c - the coverage counter of coverage.h: a byte of marks and the
 * first row per student id, the rows' counts, and the (student, staff) pairs for
 * the split. Arrays indexed by id grow as ids arrive, so the cost is one pass
 * over what is fed plus memory proportional to the largest id (a few MB for
 * millions of students). */
#include "coverage.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

#define COUNTED 0x80 /* internal mark: already counted in the total */

typedef struct {
	long long student;
	size_t row;
} cov_extra;

typedef struct {
	long long student, staff;
} cov_pair;

struct coverage {
	unsigned required, excluded;
	size_t nrows;
	long long *base, *hit;          /* per row */
	long long total_base, total_hit;
	unsigned char *marks;           /* per student id */
	uint32_t *first_row;            /* per student id: the first row counted + 1 */
	size_t cap;                     /* ids below cap have a slot in marks and first_row */
	cov_extra *extra;               /* enrolments of a counted student under another row */
	size_t nextra, capextra;
	cov_pair *pairs;                /* distinct within each student's run */
	size_t npairs, cappairs, run;   /* run: where the current student's pairs begin */
};

coverage *coverage_new(size_t nrows, unsigned required, unsigned excluded)
{
	coverage *c = xcalloc(1, sizeof(*c));
	c->required = required;
	c->excluded = excluded;
	c->nrows = nrows;
	c->base = xcalloc(nrows + 1, sizeof(long long));
	c->hit = xcalloc(nrows + 1, sizeof(long long));
	return c;
}

void coverage_free(coverage *c)
{
	if (!c)
		return;
	free(c->base);
	free(c->hit);
	free(c->marks);
	free(c->first_row);
	free(c->extra);
	free(c->pairs);
	free(c);
}

/* Makes room for student ids up to id; false for ids that cannot be indexed. */
static int reserve(coverage *c, long long id)
{
	size_t cap = c->cap ? c->cap : 4096;
	if (id < 0 || (unsigned long long)id >= SIZE_MAX / 8)
		return 0;
	if ((size_t)id < c->cap)
		return 1;
	while (cap <= (size_t)id)
		cap *= 2;
	c->marks = xrealloc(c->marks, cap);
	c->first_row = xrealloc(c->first_row, cap * sizeof(uint32_t));
	memset(c->marks + c->cap, 0, cap - c->cap);
	memset(c->first_row + c->cap, 0, (cap - c->cap) * sizeof(uint32_t));
	c->cap = cap;
	return 1;
}

void coverage_reserve(coverage *c, long long max_student, size_t npairs)
{
	reserve(c, max_student);
	if (npairs > c->cappairs) {
		c->cappairs = npairs;
		c->pairs = xrealloc(c->pairs, c->cappairs * sizeof(cov_pair));
	}
}

void coverage_mark(coverage *c, long long student, unsigned marks)
{
	if (reserve(c, student))
		c->marks[student] |= (unsigned char)marks;
}

void coverage_merge_marks(coverage *into, const coverage *from)
{
	size_t i;
	if (from->cap && !reserve(into, (long long)from->cap - 1))
		return;
	for (i = 0; i < from->cap; i++)
		into->marks[i] |= from->marks[i];
}

void coverage_pair(coverage *c, long long student, long long staff)
{
	size_t i;
	coverage_mark(c, student, COVERAGE_HIT);
	if (c->npairs > c->run && c->pairs[c->run].student != student)
		c->run = c->npairs;
	for (i = c->run; i < c->npairs; i++)
		if (c->pairs[i].staff == staff)
			return;
	if (c->npairs == c->cappairs) {
		c->cappairs = c->cappairs ? c->cappairs * 2 : 1024;
		c->pairs = xrealloc(c->pairs, c->cappairs * sizeof(cov_pair));
	}
	c->pairs[c->npairs].student = student;
	c->pairs[c->npairs++].staff = staff;
}

void coverage_enrolled(coverage *c, size_t row, long long student)
{
	unsigned char m;
	if (row >= c->nrows || !reserve(c, student))
		return;
	m = c->marks[student];
	if ((m & c->required) != c->required || (m & c->excluded))
		return;
	if (!c->first_row[student]) {
		c->first_row[student] = (uint32_t)row + 1;
		c->base[row]++;
		c->hit[row] += (m & COVERAGE_HIT) != 0;
		c->marks[student] = m | COUNTED;
		c->total_base++;
		c->total_hit += (m & COVERAGE_HIT) != 0;
		return;
	}
	if (c->first_row[student] == row + 1)
		return;
	if (c->nextra == c->capextra) {
		c->capextra = c->capextra ? c->capextra * 2 : 64;
		c->extra = xrealloc(c->extra, c->capextra * sizeof(cov_extra));
	}
	c->extra[c->nextra].student = student;
	c->extra[c->nextra++].row = row;
}

static int extra_cmp(const void *a, const void *b)
{
	const cov_extra *x = a, *y = b;
	if (x->student != y->student)
		return x->student < y->student ? -1 : 1;
	return x->row < y->row ? -1 : x->row > y->row;
}

/* Students enrolled under several rows count once more in each other row. */
static void extra_count(coverage *c)
{
	size_t i;
	if (c->nextra)
		qsort(c->extra, c->nextra, sizeof(cov_extra), extra_cmp);
	for (i = 0; i < c->nextra; i++) {
		const cov_extra *e = &c->extra[i];
		if (i && e->student == e[-1].student && e->row == e[-1].row)
			continue;
		c->base[e->row]++;
		c->hit[e->row] += (c->marks[e->student] & COVERAGE_HIT) != 0;
	}
}

/* Per helper, the number of counted students; then the split. */
static void split_count(coverage *c, metrics_split *s)
{
	uint32_t *load = NULL;
	size_t cap = 0, i, helpers = 0;
	memset(s, 0, sizeof(*s));
	for (i = 0; i < c->npairs; i++) {
		const cov_pair *p = &c->pairs[i];
		if (p->student >= (long long)c->cap || !(c->marks[p->student] & COUNTED) || p->staff < 0)
			continue;
		if ((size_t)p->staff >= cap) {
			size_t ncap = cap ? cap : 4096;
			while (ncap <= (size_t)p->staff)
				ncap *= 2;
			load = xrealloc(load, ncap * sizeof(uint32_t));
			memset(load + cap, 0, (ncap - cap) * sizeof(uint32_t));
			cap = ncap;
		}
		s->pairs++;
		load[p->staff]++;
		helpers = i > 0 && c->pairs[i - 1].student == p->student ? helpers + 1 : 1;
		s->many_to_one += helpers == 2;
	}
	for (i = 0; i < cap; i++) {
		s->one_to_one += load[i] == 1;
		s->one_to_many += load[i] > 1;
		if (load[i] > s->load_max)
			s->load_max = load[i];
	}
	s->helpers = s->one_to_one + s->one_to_many;
	metrics_split_finish(s);
	free(load);
}

void coverage_finish(coverage *c, metrics_table *t)
{
	size_t i;
	extra_count(c);
	for (i = 0; i < c->nrows && i < t->nrows; i++) {
		t->rows[i].base = c->base[i];
		t->rows[i].hit = c->hit[i];
	}
	t->base = c->total_base;
	t->hit = c->total_hit;
	split_count(c, &t->split);
}
