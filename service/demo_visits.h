/* demo_visits.h - the demo year of inspection, shared by demo_visits.c (who
 * visits which school when, and what they find) and demo_items.c (what then
 * happens to each rectification item). Dates are days since 1970-01-01. */
#ifndef DUDAO_DEMO_VISITS_H
#define DUDAO_DEMO_VISITS_H

#include <stddef.h>
#include <stdint.h>

#include "demo_internal.h"

#define DEMO_ITEMS 16          /* checklist items of the default template: GP1..GP8, ZZ1..ZZ8 */
#define DEMO_VISIT_FINDINGS 3  /* findings on one visit, at most */

/* A problem an inspector writes down: its checklist item, its severity and the
 * description ("{学期}" becomes the semester's name, e.g. 2026年秋季学期). */
enum { DEMO_NEEDS_BOARDING = 1, DEMO_NEEDS_COMPULSORY = 2, DEMO_NEEDS_PRIMARY = 4 };
typedef struct {
	int item;        /* index in demo_item_codes */
	int severity;    /* rect_severity */
	int needs;       /* DEMO_NEEDS_*: schools it can be found at */
	const char *text;
} demo_problem;

extern const char *const demo_item_codes[DEMO_ITEMS];
extern const demo_problem demo_problems[];
extern const size_t demo_nproblems;

/* What happens to an item after filing. */
typedef enum {
	FATE_AUTO,          /* chosen from its dates, like most items */
	FATE_OPEN,          /* nothing yet: within the deadline or overdue */
	FATE_SUBMITTED,     /* answered, waiting for the inspector */
	FATE_CLOSED,        /* answered by the deadline, then closed */
	FATE_CLOSED_LATE,   /* answered after the deadline, then closed */
	FATE_RETURNED,      /* answered, returned once, answered again, closed */
	FATE_REOPENED,      /* closed, then reopened by a 回头看 */
	FATE_EXTENDED,      /* an extension approved; answered after the original deadline, closed */
	FATE_EXTENDED_OPEN, /* an extension approved; open within the new deadline */
	FATE_EXT_PENDING,   /* an extension request waits for a decision */
	FATE_EXT_REFUSED    /* an extension refused; answered late, closed */
} demo_fate;

typedef struct {
	int problem;          /* index in demo_problems */
	demo_fate fate;
	int reopen_featured;  /* FATE_REOPENED: the featured 回头看 that reopens it */
	long long item_id;    /* the rectification item, once filed */
} demo_finding;

typedef struct {
	size_t school;        /* index in c->schools */
	long day;
	int kind;             /* index in visit_kinds */
	size_t inspector;     /* index in c->inspectors */
	int with_head;        /* 专项督导 led by the bureau head */
	int featured;         /* index in the featured visits, or -1 */
	int recheck_item;     /* a 回头看's 不符合 answer without a new finding (item index), or -1 */
	size_t nfindings;
	demo_finding f[DEMO_VISIT_FINDINGS];
	size_t seq;           /* order of planning: the last key of the sort */
	long long id;         /* once inserted */
} demo_visit;

/* The year being built: the plan, then the ids it got. */
typedef struct {
	demo_ctx *c;
	uint64_t rng;
	long today;
	long long template_id;
	long long item_ids[DEMO_ITEMS];   /* the template's items by demo_item_codes */
	demo_visit *v;                    /* sorted by date once planned */
	size_t nv, cap;
	long featured_plan[32];           /* featured index -> index in v */
	void *png, *jpeg;                 /* the photos, from libgd (gdFree) */
	int png_len, jpeg_len;
	long long photos[DEMO_MAX_SCHOOLS][2]; /* each school's answer photos, once uploaded */
} demo_year;

/* Adds an evidence file of the school, uploaded by user: the PNG (jpeg 0) or the
 * JPEG, named filename. *id receives its id. Returns 0, or -1 with c->err set. */
int demo_photo(demo_year *y, size_t school, long long user, int jpeg, const char *filename, long long *id);

/* demo_items.c: draws the photos (0, or -1 with c->err set) and frees them. */
int demo_photos_draw(demo_year *y);
void demo_photos_free(demo_year *y);
/* demo_items.c: plays the life of every filed item up to today through the
 * rectification layer. Returns 0, or -1 with c->err set. */
int demo_items_run(demo_year *y);

/* Small helpers of demo_visits.c. */
long demo_pick(uint64_t *rng, long lo, long hi);   /* in [lo, hi]; lo when hi < lo */
void demo_day_text(long day, char out[11]);

#endif
