/* demo_roster_db.c - the demo step that grows the county's roster: it builds the
 * county as the planner sees it from the demo context (and the org names from the
 * database), plans the roster (demo_roster.c) and writes it with multi-row
 * statements (batch.h): about 30,000 rows in about 150 statements. Ids are given
 * explicitly, numbered on from the tables' largest, so the rows can refer to each
 * other without reading anything back. ID numbers are stored as the import
 * stores them: HMAC under settings.id_match_key and the last four characters. */
#include "demo_roster.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "batch.h"
#include "demo.h"
#include "idnum.h"
#include "roster.h"
#include "students.h"
#include "util.h"

static const char SQL_ORG_NAMES[] = "SELECT id, name FROM orgs WHERE path LIKE CONCAT(?, '%')";
static const char SQL_MAX_HOUSEHOLD[] = "SELECT COALESCE(MAX(id), 0) FROM households";
static const char SQL_MAX_STUDENT[] = "SELECT COALESCE(MAX(id), 0) FROM students";
static const char SQL_MAX_STAFF[] = "SELECT COALESCE(MAX(id), 0) FROM staff";

#define HH_ROW "(?,?,?,?,?)"
#define HH_INSERT(rows) "INSERT INTO households (id, bureau_id, hkey, head_name, address) VALUES " rows
static const char *const SQL_HH[BATCH_SIZES] = BATCH_SQL(HH_INSERT, HH_ROW);

#define ST_ROW "(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
#define ST_INSERT(rows)                                                                                       \
	"INSERT INTO students (id, bureau_id, school_id, name, gender, id_hash, id_last4, birth_date, grade, stage," \
	" boarding, household_id, categories, status, note) VALUES " rows
static const char *const SQL_ST[BATCH_SIZES] = BATCH_SQL(ST_INSERT, ST_ROW);

#define EN_ROW "(?,?,?,?,?)"
#define EN_INSERT(rows) "INSERT INTO student_enrolments (student_id, school_id, status, start_date, end_date) VALUES " rows
static const char *const SQL_EN[BATCH_SIZES] = BATCH_SQL(EN_INSERT, EN_ROW);

#define SF_ROW "(?,?,?,?,?,?,?)"
#define SF_INSERT(rows) "INSERT INTO staff (id, school_id, name, roles, position, phone, active) VALUES " rows
static const char *const SQL_SF[BATCH_SIZES] = BATCH_SQL(SF_INSERT, SF_ROW);

#define PR_ROW "(?,?,?,?,?)"
#define PR_INSERT(rows) "INSERT INTO pairings (staff_id, student_id, start_date, end_date, note) VALUES " rows
static const char *const SQL_PR[BATCH_SIZES] = BATCH_SQL(PR_INSERT, PR_ROW);

#define HV_ROW "(?,?,?,?,?)"
#define HV_INSERT(rows) "INSERT INTO home_visits (student_id, staff_id, visit_date, kind, note) VALUES " rows
static const char *const SQL_HV[BATCH_SIZES] = BATCH_SQL(HV_INSERT, HV_ROW);


/* What the row builders read: the plan, the ids it starts from, and the texts
 * that must outlive a batch (hashes, SET values). */
typedef struct {
	const dr_plan *p;
	const dr_county *c;
	long long hh_base, st_base, sf_base;
	unsigned char (*id_hash)[IDNUM_HASH_LEN];  /* per student */
	unsigned char (*hkey)[HOUSEHOLD_KEY_LEN];  /* per household */
	char categories[256][128];                 /* SET text by mask */
	char roles[16][64];
	int (*enrol)[2];                           /* (student, enrolment) in order */
	size_t nenrol;
} dr_writer;

/* ---------------------------------------------------------------- the county */

/* Org names under the bureau into the county's towns and schools. */
static db_status county_names(demo_ctx *c, dr_county *county)
{
	db_param p[] = {DP_STR(c->bureau.path)};
	db_rows *r;
	size_t i, k;
	db_status st = db_query(c->d, SQL_ORG_NAMES, p, DB_NPARAMS(p), &r);
	if (st != DB_OK)
		return st;
	for (i = 0; i < db_rows_count(r); i++) {
		long long id = db_rows_int(r, i, 0);
		const char *name = db_rows_str(r, i, 1);
		for (k = 0; k < county->ntowns; k++)
			if (county->towns[k].id == id)
				str_copy(county->towns[k].name, sizeof county->towns[k].name, name);
		for (k = 0; k < county->nschools; k++)
			if (county->schools[k].id == id)
				str_copy(county->schools[k].name, sizeof county->schools[k].name, name);
	}
	db_rows_free(r);
	return DB_OK;
}

/* A town centre's name without 教管中心 (before the schools are classified: a
 * village school's name begins with its town's). */
static void county_town_names(dr_county *county)
{
	size_t t, n, k = strlen("教管中心");
	for (t = 0; t < county->ntowns; t++) {
		n = strlen(county->towns[t].name);
		if (n > k && !strcmp(county->towns[t].name + n - k, "教管中心"))
			county->towns[t].name[n - k] = '\0';
	}
}

/* The county seat: the town whose 中学 is a day school (demo.c boards every rural one). */
static void county_urban(dr_county *county)
{
	size_t s;
	for (s = 0; s < county->nschools; s++)
		if (county->schools[s].town >= 0 && county->schools[s].kind == DR_MIDDLE)
			county->towns[county->schools[s].town].urban = !county->schools[s].boarding;
}

/* The county from the demo context: ids, towns, stages, boarding, principals. */
static int county_build(demo_ctx *c, dr_county *county)
{
	size_t i;
	db_status st;
	memset(county, 0, sizeof *county);
	county->bureau_id = c->bureau.id;
	for (i = 0; i < c->ntowns && i < DR_MAX_TOWNS; i++, county->ntowns++)
		county->towns[i].id = c->towns[i].id;
	for (i = 0; i < c->nschools && i < DR_MAX_SCHOOLS; i++, county->nschools++) {
		dr_school *s = &county->schools[i];
		s->id = c->schools[i].org.id;
		s->town = c->schools[i].town == DEMO_DIRECT ? -1 : (int)c->schools[i].town;
		s->stages = roster_set_mask(roster_stages, c->schools[i].stages);
		s->boarding = c->schools[i].boarding;
		str_copy(s->principal, sizeof s->principal, c->schools[i].principal);
	}
	if ((st = county_names(c, county)) != DB_OK)
		return demo_fail(c, "reading", "the county's org names", st);
	county_town_names(county);
	demo_roster_classify(county);
	county_urban(county);
	return 0;
}

/* ---------------------------------------------------------------- rows */

static void household_row(void *ctx, size_t i, db_param *p)
{
	const dr_writer *w = ctx;
	const dr_household *h = &w->p->households[i];
	p[0] = DP_INT(w->hh_base + (long long)i + 1);
	p[1] = DP_INT(w->c->bureau_id);
	p[2] = DP_BLOB(w->hkey[i], HOUSEHOLD_KEY_LEN);
	p[3] = DP_STR(h->head);
	p[4] = DP_STR(h->address);
}

static void student_row(void *ctx, size_t i, db_param *p)
{
	const dr_writer *w = ctx;
	const dr_student *st = &w->p->students[i];
	p[0] = DP_INT(w->st_base + (long long)i + 1);
	p[1] = DP_INT(w->c->bureau_id);
	p[2] = DP_INT(w->c->schools[st->school].id);
	p[3] = DP_STR(st->name);
	p[4] = DP_STR(roster_genders[st->gender]);
	p[5] = DP_BLOB(w->id_hash[i], IDNUM_HASH_LEN);
	p[6] = DP_STR(st->id + IDNUM_LEN - 4);
	p[7] = DP_STR(st->birth);
	p[8] = DP_STR(st->grade);
	p[9] = DP_STR(roster_stages[st->stage]);
	p[10] = DP_INT(st->boarding);
	p[11] = DP_INT(w->hh_base + st->household + 1);
	p[12] = DP_STR(w->categories[st->categories & 255]);
	p[13] = DP_STR(roster_statuses[st->status]);
	p[14] = DP_STR(st->note);
}

static void enrolment_row(void *ctx, size_t i, db_param *p)
{
	const dr_writer *w = ctx;
	int s = w->enrol[i][0];
	const dr_enrolment *e = &w->p->students[s].enrol[w->enrol[i][1]];
	p[0] = DP_INT(w->st_base + s + 1);
	p[1] = DP_INT(w->c->schools[e->school].id);
	p[2] = DP_STR(roster_statuses[e->status]);
	p[3] = DP_STR(e->start);
	p[4] = e->end[0] ? DP_STR(e->end) : DP_NULL;
}

static void staff_row(void *ctx, size_t i, db_param *p)
{
	const dr_writer *w = ctx;
	const dr_staff *sf = &w->p->staff[i];
	p[0] = DP_INT(w->sf_base + (long long)i + 1);
	p[1] = DP_INT(sf->org_id);
	p[2] = DP_STR(sf->name);
	p[3] = DP_STR(w->roles[sf->roles & 15]);
	p[4] = DP_STR(sf->position);
	p[5] = sf->phone[0] ? DP_STR(sf->phone) : DP_NULL;
	p[6] = DP_INT(sf->active);
}

static void pairing_row(void *ctx, size_t i, db_param *p)
{
	const dr_writer *w = ctx;
	const dr_pairing *pr = &w->p->pairings[i];
	p[0] = DP_INT(w->sf_base + pr->staff + 1);
	p[1] = DP_INT(w->st_base + pr->student + 1);
	p[2] = DP_STR(pr->start);
	p[3] = pr->end[0] ? DP_STR(pr->end) : DP_NULL;
	p[4] = DP_STR(pr->note);
}

static void visit_row(void *ctx, size_t i, db_param *p)
{
	const dr_writer *w = ctx;
	const dr_visit *v = &w->p->visits[i];
	p[0] = DP_INT(w->st_base + v->student + 1);
	p[1] = DP_INT(w->sf_base + v->staff + 1);
	p[2] = DP_STR(v->date);
	p[3] = DP_STR(roster_visit_kinds[v->kind]);
	p[4] = DP_STR(v->note);
}

/* ---------------------------------------------------------------- writing */

/* Hashes, SET texts, the flat list of enrolments and the first ids. */
static db_status writer_prepare(db *d, dr_writer *w)
{
	unsigned char key[256];
	size_t keylen = 0, i;
	int k;
	db_status st = students_db_id_key(d, key, sizeof key, &keylen);
	if (st != DB_OK || (st = db_query_int(d, SQL_MAX_HOUSEHOLD, NULL, 0, &w->hh_base)) != DB_OK ||
	    (st = db_query_int(d, SQL_MAX_STUDENT, NULL, 0, &w->st_base)) != DB_OK ||
	    (st = db_query_int(d, SQL_MAX_STAFF, NULL, 0, &w->sf_base)) != DB_OK)
		return st;
	w->id_hash = xmalloc((w->p->nstudents + 1) * sizeof *w->id_hash);
	w->hkey = xmalloc((w->p->nhouseholds + 1) * sizeof *w->hkey);
	w->enrol = xmalloc((3 * w->p->nstudents + 1) * sizeof *w->enrol);
	for (i = 0; i < w->p->nstudents; i++) {
		idnum_hash(key, keylen, w->p->students[i].id, w->id_hash[i]);
		for (k = 0; k < w->p->students[i].nenrol; k++, w->nenrol++) {
			w->enrol[w->nenrol][0] = (int)i;
			w->enrol[w->nenrol][1] = k;
		}
	}
	for (i = 0; i < w->p->nhouseholds; i++)
		household_key(w->p->households[i].head, w->p->households[i].address, w->hkey[i]);
	for (i = 0; i < 256; i++)
		roster_set_text(roster_categories, (unsigned)i, w->categories[i], sizeof w->categories[i]);
	for (i = 0; i < 16; i++)
		roster_set_text(roster_staff_roles, (unsigned)i, w->roles[i], sizeof w->roles[i]);
	return DB_OK;
}

static db_status writer_run(db *d, dr_writer *w)
{
	const dr_plan *p = w->p;
	db_status st = writer_prepare(d, w);
	if (st == DB_OK)
		st = batch_exec(d, SQL_HH, NULL, 0, 5, NULL, 0, p->nhouseholds, household_row, w);
	if (st == DB_OK)
		st = batch_exec(d, SQL_ST, NULL, 0, 15, NULL, 0, p->nstudents, student_row, w);
	if (st == DB_OK)
		st = batch_exec(d, SQL_EN, NULL, 0, 5, NULL, 0, w->nenrol, enrolment_row, w);
	if (st == DB_OK)
		st = batch_exec(d, SQL_SF, NULL, 0, 7, NULL, 0, p->nstaff, staff_row, w);
	if (st == DB_OK)
		st = batch_exec(d, SQL_PR, NULL, 0, 5, NULL, 0, p->npairings, pairing_row, w);
	if (st == DB_OK)
		st = batch_exec(d, SQL_HV, NULL, 0, 5, NULL, 0, p->nvisits, visit_row, w);
	return st;
}

int demo_step_roster(demo_ctx *c)
{
	dr_county *county = xcalloc(1, sizeof *county);
	dr_writer *w = xcalloc(1, sizeof *w);
	dr_plan plan;
	db_status st = DB_OK;
	int rc = county_build(c, county);

	memset(&plan, 0, sizeof plan);
	if (rc == 0)
		rc = demo_roster_plan(county, c->today, demo_rand_next(&c->rng), &plan, c->err, c->errlen);
	if (rc == 0) {
		w->p = &plan;
		w->c = county;
		if ((st = writer_run(c->d, w)) != DB_OK)
			rc = demo_fail(c, "writing", "the roster", st);
	}
	free(w->id_hash);
	free(w->hkey);
	free(w->enrol);
	free(w);
	demo_roster_plan_free(&plan);
	free(county);
	return rc;
}
