/* demo_internal.h - what the steps of the demo county share: the context that
 * holds the ids each step created (orgs, schools, logins, inspectors), the
 * error helper and the user builder of demo.c, and the steps that live in
 * their own files. Only the demo_*.c files include this. */
#ifndef DUDAO_DEMO_INTERNAL_H
#define DUDAO_DEMO_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "db.h"

#define DEMO_MAX_TOWNS 16
#define DEMO_MAX_SCHOOLS 128
#define DEMO_MAX_INSPECTORS 8
#define DEMO_PATH_MAX 64
#define DEMO_DIRECT ((size_t)-1)    /* a school's town index when it is under the bureau */
#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

typedef struct {
	long long id;
	char path[DEMO_PATH_MAX];  /* "/1/5/" */
} demo_org;

typedef struct {
	demo_org org;
	size_t town;               /* index into towns, or DEMO_DIRECT */
	char code[11];
	char principal[32];        /* display name of its principal */
	const char *stages;        /* "学前,小学", ...: a static string */
	int boarding;
	long long principal_user;  /* the id of its login p<code> */
} demo_school;

/* The role logins of docs/api-foundation.md, in the order demo.c creates them. */
enum { DEMO_LOGIN_ADMIN, DEMO_LOGIN_HEAD, DEMO_LOGIN_INSPECTOR, DEMO_LOGIN_AID, DEMO_LOGIN_PRINCIPAL,
       DEMO_NLOGINS };

/* What the steps have built so far; later steps (students, staff, visits,
 * payouts) read the ids and codes from here. A step that creates records other
 * steps need adds its fields at the end. */
typedef struct {
	db *d;
	char *err;
	size_t errlen;
	uint64_t rng;
	char today[11];              /* the bureau's date the county is built around */
	unsigned code_serial;        /* the last school code's serial */
	size_t village_next;         /* next unused entry of the village names */
	char password_hash[128];
	demo_org bureau;
	demo_org towns[DEMO_MAX_TOWNS];
	size_t ntowns;
	demo_school schools[DEMO_MAX_SCHOOLS];
	size_t nschools;
	long long logins[DEMO_NLOGINS];          /* user ids of the role logins */
	long long inspectors[DEMO_MAX_INSPECTORS]; /* duxue, duxue2, ...: demo_visits.c */
	size_t ninspectors;
} demo_ctx;

/* Records why the load failed in c->err; returns -1 for the caller to pass up. */
int demo_fail(demo_ctx *c, const char *what, const char *name, db_status s);

/* Adds a user with the shared demo password; *id (may be NULL) receives its id.
 * Returns 0, or -1 with c->err set. */
int demo_add_user(demo_ctx *c, const char *username, const char *display_name, const char *role,
		  long long org_id, long long *id);

/* ---- steps kept in their own files; each returns 0, or -1 with c->err set ---- */

/* demo_visits.c: the inspectors duxue2..duxue5, each for a group of towns. */
int demo_step_inspectors(demo_ctx *c);
/* demo_visits.c: a year of visits before c->today and their rectification items. */
int demo_step_visits(demo_ctx *c);

#endif
