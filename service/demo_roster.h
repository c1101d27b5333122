/* demo_roster.h - the demo county's roster: registered students (sized on a real
 * county's 2019 figures, ../shared/data/README.md), their households, the staff
 * who help them, pairings (结对帮扶) and home visits (家访). demo_roster.c plans it
 * in memory, deterministically from a seed and today (pure, unit-tested);
 * demo_roster_db.c reads the county's schools and writes the plan with
 * multi-row statements (batch.h). */
#ifndef DUDAO_DEMO_ROSTER_H
#define DUDAO_DEMO_ROSTER_H

#include <stddef.h>
#include <stdint.h>

#include "db.h"
#include "demo_internal.h"

#define DR_MAX_TOWNS 16
#define DR_MAX_SCHOOLS 128
#define DR_REGION "430629" /* the fictional county's area code in ID numbers: no real county holds it */

/* What a school is to the roster, read off its name, stages and place (demo.c names them). */
typedef enum {
	DR_KINDERGARTEN,   /* 中心幼儿园 */
	DR_CENTRE_PRIMARY, /* 中心小学 */
	DR_MIDDLE,         /* a town's 中学 */
	DR_NINE_YEAR,      /* 九年一贯制学校 */
	DR_VILLAGE,        /* 村小学, 完全小学 (some with a preschool class) */
	DR_HIGH,           /* 第一中学, 第二中学 (direct) */
	DR_VOCATIONAL,     /* 职业教育中心 (direct) */
	DR_CITY_PRIMARY,   /* 实验小学 (direct) */
	DR_SPECIAL,        /* 特殊教育学校 (direct) */
	DR_OTHER
} dr_kind;

typedef struct {
	long long id;
	char name[64];           /* "石桥镇", without 教管中心 */
	int urban;               /* the county seat */
} dr_town;

typedef struct {
	long long id;
	int town;                /* index into towns; -1 directly under the bureau */
	unsigned stages;         /* bit i: roster_stages[i] */
	int boarding;
	dr_kind kind;            /* set by demo_roster_classify */
	char name[160];
	char village[64];        /* DR_VILLAGE: the village it serves ("杨家湾") */
	char principal[32];      /* may be empty */
} dr_school;

/* The county as the roster sees it. The first school of the first town is the
 * one whose principal logs in as xiaozhang. */
typedef struct {
	long long bureau_id;
	dr_town towns[DR_MAX_TOWNS];
	size_t ntowns;
	dr_school schools[DR_MAX_SCHOOLS];
	size_t nschools;
} dr_county;

/* ---- the plan: indexes refer to the plan's own arrays; dates "YYYY-MM-DD" ---- */

typedef struct {
	char head[32];           /* 户主 */
	char address[128];       /* 石桥镇杨家湾村3组 */
	int town;
	unsigned categories;     /* the household's share: bit i = roster_categories[i] */
	int unvisited;           /* no home visit this semester (the demo's gap) */
} dr_household;

typedef struct {
	int school;
	unsigned char status;    /* index in roster_statuses */
	char start[11], end[11]; /* end "" while open */
} dr_enrolment;

typedef struct {
	int household, school;
	char name[32], id[19], birth[11];
	const char *grade;
	unsigned char stage, status, gender; /* roster_stages, roster_statuses, roster_genders */
	int boarding;
	unsigned categories;
	char note[200];
	dr_enrolment enrol[3];   /* oldest first; the last one is open */
	int nenrol;
} dr_student;

typedef struct {
	long long org_id;        /* the school, town centre or bureau they work at */
	int school;              /* index into schools, -1 for a town centre or the bureau */
	char name[32];
	unsigned roles;          /* bit i: roster_staff_roles[i] */
	char position[64];
	char phone[12];          /* "" : none */
	int active;
} dr_staff;

typedef struct {
	int staff, student;
	char start[11], end[11]; /* end "" : open */
	const char *note;
} dr_pairing;

typedef struct {
	int student, staff;
	char date[11];
	unsigned char kind;      /* roster_visit_kinds */
	const char *note;
} dr_visit;

typedef struct {
	dr_household *households;
	dr_student *students;
	dr_staff *staff;
	dr_pairing *pairings;
	dr_visit *visits;
	size_t nhouseholds, nstudents, nstaff, npairings, nvisits;
	size_t cap_staff, cap_pairings, cap_visits;
} dr_plan;

/* Sets each school's kind (and village) from its name, stages and town. */
void demo_roster_classify(dr_county *c);

/* Plans the roster of county c as of today from seed: the same inputs give the
 * same plan. Returns 0, or -1 when the county lacks a school a stage needs (a
 * message in err). The caller releases out with demo_roster_plan_free either way. */
int demo_roster_plan(const dr_county *c, const char *today, uint64_t seed, dr_plan *out, char *err,
		     size_t errlen);
void demo_roster_plan_free(dr_plan *p);

/* A child's name of today's fashion (浩然, 欣怡, 梓萱…) after surname (one
 * character, UTF-8) into out. Returns 0, or -1 when out is too small. */
int demo_child_name(uint64_t *state, const char *surname, int female, char *out, size_t outlen);
/* A valid 18-character ID number: region (6 digits), birth date ("YYYY-MM-DD"),
 * serial (0..999; odd for a man), and the GB 11643 check character. */
void demo_id_number(const char *region, const char *birth, unsigned serial, char out[19]);

/* The demo step (demo_roster_db.c): plans the roster of the county in c around
 * c->today, from a seed drawn from c->rng, and writes it in the open transaction.
 * Returns 0, or -1 with c->err set. */
int demo_step_roster(demo_ctx *c);

#endif
