/* demo_roster_internal.h - the working state of the demo roster's planner,
 * shared by demo_roster.c (households and students) and demo_roster_help.c
 * (staff, pairings and home visits). Not for other modules. */
#ifndef DUDAO_DEMO_ROSTER_INTERNAL_H
#define DUDAO_DEMO_ROSTER_INTERNAL_H

#include "calendar.h"
#include "demo_roster.h"
#include "keymap.h"

#define DR_VILLAGES 16      /* villages (or 社区) per town */

/* Where a registered student is: studying in the county, outside it (县外就读),
 * transferred out (转出) or graduated (毕业). */
enum { DR_IN, DR_OUT, DR_MOVED, DR_GRADUATED };
/* Levels: the five stages, plus 高职 and 大学 outside the county (recorded as 中职,
 * the nearest stage the schema has). */
enum { DR_L_PRE, DR_L_PRIMARY, DR_L_JUNIOR, DR_L_SENIOR, DR_L_VOC, DR_L_HIGHER, DR_L_UNI, DR_LEVELS };

/* Category bits, in roster_categories order. */
enum {
	DR_C_POOR = 1u << 0, DR_C_WATCH = 1u << 1, DR_C_DIBAO = 1u << 2, DR_C_TEKUN = 1u << 3,
	DR_C_DISABLED = 1u << 4, DR_C_ORPHAN = 1u << 5, DR_C_LEFT = 1u << 6, DR_C_MIGRANT = 1u << 7
};
#define DR_C_KEY (DR_C_DISABLED | DR_C_LEFT) /* visited monthly */

typedef struct {
	char name[32];
	int school;             /* its village school, -1 when none */
	int community;          /* a 社区 of the county seat rather than a 村 */
} dr_village;

/* Per student, what the planner needs beyond the plan. */
typedef struct {
	unsigned char level, place, grade_index;
	unsigned char homebound;   /* 送教上门 */
	unsigned char dropout;     /* 辍学 then 劝返复学 */
	unsigned char unpaired;    /* left without a helper: the demo's gap */
	unsigned char extra;       /* has a second helper (多帮一) */
	unsigned char history;     /* an ended pairing: 0 none, 1 with a colleague, 2 with a teacher who left */
	int helper;                /* main helper (staff index), -1 */
	int pairing;               /* the main pairing (index), -1 */
} dr_scratch;

typedef struct {
	const dr_county *c;
	dr_plan *p;
	uint64_t rng;
	char today[11];
	long day_today;
	int year;                  /* the school year began on year-09-01 */
	long day_year, day_last_year; /* year-09-01 and the year before's, as day numbers */
	unsigned town_weight[DR_MAX_TOWNS], town_total; /* how many households live where */
	semester sem, prev;        /* this semester and the one before */
	dr_village villages[DR_MAX_TOWNS][DR_VILLAGES];
	size_t nvillages[DR_MAX_TOWNS];
	int *hh_village;           /* per household */
	dr_scratch *s;             /* per student */
	int first_staff[DR_MAX_SCHOOLS]; /* a school's first staff member (its principal) */
	int nactive[DR_MAX_SCHOOLS];     /* and how many active ones follow from there */
	int focus;                 /* xiaozhang's school */
	keymap *ids;               /* ID numbers and household keys in use */
	char *err;
	size_t errlen;
} dr_planner;

/* ---- shared helpers (demo_roster.c) ---- */
unsigned dr_rand(dr_planner *pl, unsigned n);
/* 1 with probability per_mille / 1000. */
int dr_chance(dr_planner *pl, unsigned per_mille);
/* "YYYY-MM-DD" of day number d into out[11]. */
void dr_day(long d, char *out);
/* The day number of year-month-day. */
long dr_date(int year, int month, int day);
/* The open enrolment's start (day number). */
long dr_enrolled_since(const dr_student *st);
/* Records a planner failure; returns -1. */
int dr_fail(dr_planner *pl, const char *what);
/* The stage (index in roster_stages) of a planner level. */
unsigned dr_level_stage(unsigned level);
/* A grade of stage (index in roster_stages) drawn at random, e.g. "三年级". */
const char *dr_stage_grade(dr_planner *pl, unsigned stage);

/* ---- schools (demo_roster_schools.c) ---- */
/* The first school of town t (index into the county's schools), or -1. */
int dr_first_of_town(const dr_county *c, int town);
/* The school student i attends, by stage, place, village and disability. */
int dr_student_school(dr_planner *pl, size_t i, int disabled);

/* ---- staff, pairings and visits (demo_roster_help.c) ---- */
/* Picks the students left unpaired, then the staff and pairings of every
 * school, the cadres' 多帮一, and ended pairings in the history. */
int dr_plan_pairings(dr_planner *pl);
/* Home visits of this semester and the one before. */
void dr_plan_visits(dr_planner *pl);

#endif
