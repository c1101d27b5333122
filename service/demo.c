/* demo.c - the deterministic demo county (桐岭县): a bureau, its town centres and
 * schools, and a login per role, built step by step from one fixed-seed PRNG. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "demo.h"
#include "demo_internal.h"
#include "demo_roster.h"
#include "orgs.h"
#include "users.h"
#include "util.h"

static const char SQL_ORGS_ANY[] =
	"SELECT EXISTS (SELECT 1 FROM orgs)";
/* Inside the transaction: on an empty table this locks the gap, so a second
 * concurrent `dudao demo` waits and then finds the county already loaded. */
static const char SQL_ORGS_COUNT_LOCKED[] =
	"SELECT COUNT(*) FROM orgs FOR UPDATE";

#define DEMO_SEED 0x20260101D0DA0ULL
#define DEMO_COUNTY "桐岭县"
#define DEMO_CODE_PREFIX "214327"   /* 6 digits; the serial makes the other 4 */
#define DEMO_CODE_FIRST 1000        /* first serial; gaps of 1..19 keep codes below 10000 */
#define DEMO_NAME_MAX 160           /* bytes: names are at most 50 characters */

/* ---------------------------------------------------------------- the county */

typedef struct {
	const char *name;  /* with its 镇, 乡 or 街道 */
	int urban;         /* the county seat: day schools only */
	int villages;      /* village primary schools (村小, 完全小学) */
	int nine_year;     /* has a 九年一贯制学校 */
} demo_town_spec;

/* 12 towns: 36 town schools + 36 village schools + 3 nine-year schools = 75. */
static const demo_town_spec demo_town_specs[] = {
	{"城关镇", 1, 2, 0}, {"新城街道", 1, 1, 0}, {"石桥镇", 0, 4, 0},
	{"柳河镇", 0, 3, 1}, {"白沙镇", 0, 4, 0},   {"龙泉镇", 0, 3, 0},
	{"青山镇", 0, 3, 1}, {"马坪镇", 0, 4, 0},   {"双河镇", 0, 4, 0},
	{"高岭乡", 0, 2, 1}, {"杨柳乡", 0, 3, 0},   {"桃源乡", 0, 3, 0},
};

typedef struct {
	const char *suffix; /* after the county name */
	const char *stages;
	int boarding;
} demo_direct_spec;

/* Schools directly under the bureau (直属学校): 5, for 80 schools in all. */
static const demo_direct_spec demo_direct_specs[] = {
	{"第一中学", "高中", 1},
	{"第二中学", "初中,高中", 1},
	{"职业教育中心", "中职", 1},
	{"实验小学", "小学", 0},
	{"特殊教育学校", "小学,初中", 1},
};

/* Village names, used once each, in order. */
static const char *const demo_villages[] = {
	"杨家湾", "李家庄", "王家坪", "张家沟", "刘家河", "陈家岭", "赵家坝", "黄泥塘",
	"石门",   "柏树坪", "大坪",   "小河口", "桥头",   "岔路口", "松林",   "枣园",
	"水口",   "坪上",   "何家寨", "梨树沟", "马鞍山", "龙潭",   "白果树", "青石板",
	"桂花",   "凉水井", "观音堂", "三岔河", "长岭",   "新田",   "高桥",   "月亮湾",
	"茶园",   "竹林湾", "罗家坝", "周家河", "鹿角",   "清泉",   "铁炉",   "松柏",
};

/* ------------------------------------------------------------------- names */

/* The commonest surnames first: half of all draws come from the first ten. */
static const char *const demo_surnames[] = {
	"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周",
	"徐", "孙", "马", "朱", "胡", "郭", "何", "高", "林", "罗",
	"郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹",
	"彭", "曾", "肖", "田", "董", "袁", "潘", "蒋", "蔡", "余",
};

static const char *const demo_given2[] = {
	"建国", "秀英", "志强", "桂英", "建华", "玉兰", "国华", "秀兰", "明华", "海燕",
	"俊杰", "丽华", "晓燕", "红梅", "建军", "文静", "志刚", "春梅", "永红", "金凤",
	"德明", "玉梅", "国强", "淑珍", "卫东", "秀珍", "长青", "雪梅", "立新", "丽娟",
	"海波", "晓东", "建平", "小红", "振华", "艳红", "宏伟", "美玲", "建新", "晓梅",
	"文斌", "丽萍", "志勇", "慧敏", "光明", "秀云", "学军", "小燕", "国庆", "春燕",
	"世杰", "翠兰", "胜利", "晓丽", "跃进", "红霞", "明亮", "亚军", "永强", "凤英",
};

static const char *const demo_given1[] = {
	"伟", "芳", "磊", "静", "勇", "军", "杰", "娟", "涛", "敏",
	"霞", "强", "鹏", "辉", "燕", "斌", "丽", "刚", "平", "波",
};

uint64_t demo_rand_next(uint64_t *state)
{
	uint64_t z = (*state += 0x9E3779B97F4A7C15ULL);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

unsigned demo_rand_below(uint64_t *state, unsigned n)
{
	return (unsigned)(demo_rand_next(state) % n);
}

int demo_person_name(uint64_t *state, char *out, size_t outlen)
{
	unsigned pool = demo_rand_below(state, 2) ? 10 : COUNT(demo_surnames);
	const char *surname = demo_surnames[demo_rand_below(state, pool)];
	const char *given;
	int n;

	if (demo_rand_below(state, 100) < 15)
		given = demo_given1[demo_rand_below(state, COUNT(demo_given1))];
	else
		given = demo_given2[demo_rand_below(state, COUNT(demo_given2))];
	n = snprintf(out, outlen, "%s%s", surname, given);
	return n < 0 || (size_t)n >= outlen ? -1 : 0;
}

void demo_school_code(unsigned serial, char out[11])
{
	snprintf(out, 11, "%s%04u", DEMO_CODE_PREFIX, serial % 10000);
}

/* ----------------------------------------------------------------- context */

/* demo_ctx, demo_org and demo_school are in demo_internal.h. An org to insert. code is NULL for bureaus and towns. */
typedef struct {
	const char *kind;
	const char *name;
	const char *code;
	const char *stages;
	int boarding;
} demo_org_spec;

static const char *demo_status_text(db_status s)
{
	switch (s) {
	case DB_DUPLICATE: return "duplicate key";
	case DB_UNAVAILABLE: return "database unavailable";
	case DB_CONFLICT: return "lock conflict";
	default: return "database error (see log)";
	}
}

int demo_fail(demo_ctx *c, const char *what, const char *name, db_status s)
{
	snprintf(c->err, c->errlen, "%s %s failed: %s", what, name, demo_status_text(s));
	return -1;
}

/* ---------------------------------------------------------------- builders */

/* Inserts an org under parent (NULL: the root) through the orgs layer, which sets its path. */
static int demo_add_org(demo_ctx *c, const demo_org *parent, const demo_org_spec *o, demo_org *out)
{
	org_fields f = {.kind = o->kind, .name = o->name, .parent_id = parent ? parent->id : 0,
			.code = o->code, .stages = o->stages, .boarding = o->boarding};
	db_status s = orgs_db_insert(c->d, &f, parent ? parent->path : "", &out->id);
	int n;

	if (s != DB_OK)
		return demo_fail(c, "adding org", o->name, s);
	n = snprintf(out->path, sizeof(out->path), "%s%lld/", parent ? parent->path : "/", out->id);
	if (n < 0 || (size_t)n >= sizeof(out->path))
		return demo_fail(c, "setting the path of", o->name, DB_ERR);
	return 0;
}

/* Adds a school under town (or DEMO_DIRECT) with the next school code and a
 * principal's name; it joins c->schools. */
static int demo_add_school(demo_ctx *c, size_t town, const char *name, const char *stages,
			   int boarding)
{
	demo_school *sc;
	demo_org_spec o = {"school", name, NULL, stages, boarding};

	if (c->nschools == DEMO_MAX_SCHOOLS)
		return demo_fail(c, "adding school", name, DB_ERR);
	sc = &c->schools[c->nschools];
	sc->town = town;
	sc->stages = stages;
	sc->boarding = boarding;
	c->code_serial += 1 + demo_rand_below(&c->rng, 19);
	demo_school_code(c->code_serial, sc->code);
	o.code = sc->code;
	if (demo_person_name(&c->rng, sc->principal, sizeof(sc->principal)) != 0)
		return demo_fail(c, "naming the principal of", name, DB_ERR);
	if (demo_add_org(c, town == DEMO_DIRECT ? &c->bureau : &c->towns[town], &o, &sc->org) != 0)
		return -1;
	c->nschools++;
	return 0;
}

/* Joins up to three parts into a name; -1 (and the error set) if it does not fit. */
static int demo_name(demo_ctx *c, char out[DEMO_NAME_MAX], const char *a, const char *b,
		     const char *d)
{
	int n = snprintf(out, DEMO_NAME_MAX, "%s%s%s", a, b, d);
	if (n < 0 || n >= DEMO_NAME_MAX)
		return demo_fail(c, "naming", a, DB_ERR);
	return 0;
}

/* Adds one village school: 「石桥镇杨家湾村小学」 or 「杨家湾完全小学」; a quarter
 * of them also keep a preschool class (附设学前班). */
static int demo_add_village_school(demo_ctx *c, size_t town)
{
	const char *village, *stages;
	char name[DEMO_NAME_MAX];
	int rc;

	if (c->village_next == COUNT(demo_villages))
		return demo_fail(c, "naming a village school in", demo_town_specs[town].name, DB_ERR);
	village = demo_villages[c->village_next++];
	if (demo_rand_below(&c->rng, 3) == 0)
		rc = demo_name(c, name, village, "完全小学", "");
	else
		rc = demo_name(c, name, demo_town_specs[town].name, village, "村小学");
	if (rc != 0)
		return -1;
	stages = demo_rand_below(&c->rng, 4) == 0 ? "学前,小学" : "小学";
	return demo_add_school(c, town, name, stages, 0);
}

/* Adds a town's schools: 中心小学 first (the first town's is xiaozhang's), then
 * 中学, 中心幼儿园, the 九年一贯制学校 if any, and the village schools.
 * Rural 中学 and 九年一贯制 board, and about half the rural 中心小学. */
static int demo_add_town_schools(demo_ctx *c, size_t t)
{
	const demo_town_spec *ts = &demo_town_specs[t];
	char name[DEMO_NAME_MAX];
	int i, centre_boards = !ts->urban && demo_rand_below(&c->rng, 2);

	if (demo_name(c, name, ts->name, "中心小学", "") || demo_add_school(c, t, name, "小学", centre_boards))
		return -1;
	if (demo_name(c, name, ts->name, "中学", "") || demo_add_school(c, t, name, "初中", !ts->urban))
		return -1;
	if (demo_name(c, name, ts->name, "中心幼儿园", "") || demo_add_school(c, t, name, "学前", 0))
		return -1;
	if (ts->nine_year && (demo_name(c, name, ts->name, "九年一贯制学校", "") ||
			      demo_add_school(c, t, name, "小学,初中", 1)))
		return -1;
	for (i = 0; i < ts->villages; i++)
		if (demo_add_village_school(c, t) != 0)
			return -1;
	return 0;
}

int demo_add_user(demo_ctx *c, const char *username, const char *display_name, const char *role,
		  long long org_id, long long *id)
{
	user_fields f = {.username = username, .display_name = display_name, .role = role,
			 .org_id = org_id, .password_hash = c->password_hash, .active = 1};
	long long new_id = 0;
	db_status s = users_db_insert(c->d, &f, &new_id);
	if (id)
		*id = new_id;
	return s == DB_OK ? 0 : demo_fail(c, "adding user", username, s);
}

/* The first school created in town t, or NULL. */
static const demo_school *demo_first_school_of(const demo_ctx *c, size_t t)
{
	size_t i;
	for (i = 0; i < c->nschools; i++)
		if (c->schools[i].town == t)
			return &c->schools[i];
	return NULL;
}

/* ------------------------------------------------------------------- steps */

static int demo_step_bureau(demo_ctx *c)
{
	demo_org_spec o = {"bureau", DEMO_COUNTY "教育局", NULL, "", 0};
	return demo_add_org(c, NULL, &o, &c->bureau);
}

static int demo_step_towns(demo_ctx *c)
{
	char name[DEMO_NAME_MAX];
	size_t t;

	for (t = 0; t < COUNT(demo_town_specs) && t < DEMO_MAX_TOWNS; t++) {
		demo_org_spec o = {"town", name, NULL, "", 0};
		if (demo_name(c, name, demo_town_specs[t].name, "教管中心", "") != 0 ||
		    demo_add_org(c, &c->bureau, &o, &c->towns[t]) != 0)
			return -1;
		c->ntowns = t + 1;
	}
	return 0;
}

static int demo_step_town_schools(demo_ctx *c)
{
	size_t t;
	for (t = 0; t < c->ntowns; t++)
		if (demo_add_town_schools(c, t) != 0)
			return -1;
	return 0;
}

static int demo_step_direct_schools(demo_ctx *c)
{
	char name[DEMO_NAME_MAX];
	size_t i;

	for (i = 0; i < COUNT(demo_direct_specs); i++) {
		const demo_direct_spec *ds = &demo_direct_specs[i];
		if (demo_name(c, name, DEMO_COUNTY, ds->suffix, "") != 0 ||
		    demo_add_school(c, DEMO_DIRECT, name, ds->stages, ds->boarding) != 0)
			return -1;
	}
	return 0;
}

/* Where a role login's scope lies. */
enum { DEMO_AT_BUREAU, DEMO_AT_FIRST_TOWN, DEMO_AT_FIRST_SCHOOL };

/* The role logins of docs/api-foundation.md, in the order of DEMO_LOGIN_*. */
static const struct {
	const char *username;
	const char *role;
	int at;
} demo_logins[] = {
	{"admin", "admin", DEMO_AT_BUREAU},
	{"juzhang", "bureau_head", DEMO_AT_BUREAU},
	{"duxue", "inspector", DEMO_AT_FIRST_TOWN},
	{"zizhu", "aid_officer", DEMO_AT_BUREAU},
	{"xiaozhang", "principal", DEMO_AT_FIRST_SCHOOL},
};

/* Adds the role logins; xiaozhang is the principal of the first town's first
 * school, so it carries that principal's name. */
static int demo_add_role_logins(demo_ctx *c)
{
	const demo_school *first = demo_first_school_of(c, 0);
	char person[32];
	long long org;
	size_t i;

	if (!first)
		return demo_fail(c, "finding", "the first school of the first town", DB_NOT_FOUND);
	for (i = 0; i < COUNT(demo_logins); i++) {
		const char *name = person;
		if (demo_logins[i].at == DEMO_AT_FIRST_SCHOOL) {
			name = first->principal;
			org = first->org.id;
		} else {
			org = demo_logins[i].at == DEMO_AT_FIRST_TOWN ? c->towns[0].id : c->bureau.id;
			if (demo_person_name(&c->rng, person, sizeof(person)) != 0)
				return demo_fail(c, "naming", demo_logins[i].username, DB_ERR);
		}
		if (demo_add_user(c, demo_logins[i].username, name, demo_logins[i].role, org, &c->logins[i]) != 0)
			return -1;
	}
	return 0;
}

/* The role logins, then one principal per school, named p<school code>. */
static int demo_step_users(demo_ctx *c)
{
	char username[16];
	size_t i;

	if (demo_add_role_logins(c) != 0)
		return -1;
	for (i = 0; i < c->nschools; i++) {
		const demo_school *sc = &c->schools[i];
		snprintf(username, sizeof(username), "p%s", sc->code);
		if (demo_add_user(c, username, sc->principal, "principal", sc->org.id,
				  &c->schools[i].principal_user) != 0)
			return -1;
	}
	return 0;
}

/* In order; each adds one kind of record. Students, staff, visits and payouts go
 * after users, reading the ids kept in demo_ctx. */
static const struct {
	const char *name;
	int (*run)(demo_ctx *c);
} demo_steps[] = {
	{"bureau", demo_step_bureau},
	{"towns", demo_step_towns},
	{"town schools", demo_step_town_schools},
	{"direct schools", demo_step_direct_schools},
	{"users", demo_step_users},
	{"inspectors", demo_step_inspectors},
	{"visits", demo_step_visits},
	{"roster", demo_step_roster},
};

/* ------------------------------------------------------------------ loading */

int demo_is_loaded(db *d)
{
	long long any = 0;
	if (db_query_int(d, SQL_ORGS_ANY, NULL, 0, &any) != DB_OK)
		return -1;
	return any ? 1 : 0;
}

/* Runs every step inside the open transaction. Returns 0, 1 (someone loaded the
 * county meanwhile) or -1 with c->err set. */
static int demo_run_steps(demo_ctx *c)
{
	long long orgs = 0;
	db_status s = db_query_int(c->d, SQL_ORGS_COUNT_LOCKED, NULL, 0, &orgs);
	size_t i;

	if (s != DB_OK)
		return demo_fail(c, "counting", "orgs", s);
	if (orgs > 0)
		return 1;
	for (i = 0; i < COUNT(demo_steps); i++)
		if (demo_steps[i].run(c) != 0)
			return -1;
	return 0;
}

/* Hashes the password, then runs the steps in one transaction. */
static int demo_build(demo_ctx *c)
{
	db_status s;
	int rc;

	if (auth_password_hash(DEMO_PASSWORD, c->password_hash, sizeof(c->password_hash)) != 0) {
		snprintf(c->err, c->errlen, "hashing the demo password failed");
		return -1;
	}
	if ((s = db_begin(c->d)) != DB_OK)
		return demo_fail(c, "starting", "the transaction", s);
	rc = demo_run_steps(c);
	if (rc != 0) {
		db_rollback(c->d);
		return rc;
	}
	if ((s = db_commit(c->d)) != DB_OK) {
		db_rollback(c->d);
		return demo_fail(c, "committing", "the demo county", s);
	}
	return 0;
}

int demo_load(db *d, const char *today, char *err, size_t errlen)
{
	demo_ctx *c;
	int rc;

	if (!today || !date_valid(today)) {
		snprintf(err, errlen, "today (%s) is not a valid date", today ? today : "none");
		return -1;
	}
	if ((rc = demo_is_loaded(d)) != 0) {
		if (rc < 0)
			snprintf(err, errlen, "reading orgs failed");
		return rc;
	}
	c = xcalloc(1, sizeof(*c));
	c->d = d;
	c->err = err;
	c->errlen = errlen;
	c->rng = DEMO_SEED;
	str_copy(c->today, sizeof(c->today), today);
	c->code_serial = DEMO_CODE_FIRST;
	rc = demo_build(c);
	free(c);
	return rc;
}
