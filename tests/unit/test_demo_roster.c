/* test_demo_roster.c - unit tests of the demo roster's plan (service/demo_roster.c)
 * on a county shaped like demo.c's (12 towns, 80 schools): sizes, valid and unique
 * ID numbers, birth dates that fit the grade, stages the school teaches, enrolment
 * histories, pairing coverage and split, home-visit coverage, determinism. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "demo.h"
#include "demo_roster.h"
#include "harness.h"
#include "idnum.h"
#include "roster.h"
#include "util.h"

#define TODAY "2026-11-23"
#define SEM_START "2026-09-01"

/* ------------------------------------------------------------ the county */

static const struct {
	const char *name;
	int urban, villages, nine_year;
} towns[] = {
	{"城关镇", 1, 2, 0}, {"新城街道", 1, 1, 0}, {"石桥镇", 0, 4, 0}, {"柳河镇", 0, 3, 1},
	{"白沙镇", 0, 4, 0}, {"龙泉镇", 0, 3, 0},   {"青山镇", 0, 3, 1}, {"马坪镇", 0, 4, 0},
	{"双河镇", 0, 4, 0}, {"高岭乡", 0, 2, 1},   {"杨柳乡", 0, 3, 0}, {"桃源乡", 0, 3, 0},
};

static void add_school(dr_county *c, int town, const char *name, unsigned stages, int boarding)
{
	dr_school *s = &c->schools[c->nschools];
	s->id = 1000 + (long long)c->nschools;
	s->town = town;
	s->stages = stages;
	s->boarding = boarding;
	snprintf(s->name, sizeof s->name, "%s", name);
	snprintf(s->principal, sizeof s->principal, "%s", c->nschools == 0 ? "周建国" : "");
	c->nschools++;
}

/* Stages: 学前 1, 小学 2, 初中 4, 高中 8, 中职 16, as demo.c builds them. */
static void build_county(dr_county *c)
{
	static const char *const villages[] = {"杨家湾", "李家庄", "王家坪", "张家沟", "刘家河", "陈家岭", "赵家坝",
					       "黄泥塘", "石门", "柏树坪", "大坪", "小河口", "桥头", "岔路口", "松林", "枣园",
					       "水口", "坪上", "何家寨", "梨树沟", "马鞍山", "龙潭", "白果树", "青石板",
					       "桂花", "凉水井", "观音堂", "三岔河", "长岭", "新田", "高桥", "月亮湾",
					       "茶园", "竹林湾", "罗家坝", "周家河", "鹿角", "清泉"};
	char name[160];
	size_t t, v = 0;
	int k;
	memset(c, 0, sizeof *c);
	c->bureau_id = 1;
	for (t = 0; t < sizeof towns / sizeof towns[0]; t++) {
		c->towns[t].id = 100 + (long long)t;
		c->towns[t].urban = towns[t].urban;
		snprintf(c->towns[t].name, sizeof c->towns[t].name, "%s", towns[t].name);
		c->ntowns++;
		snprintf(name, sizeof name, "%s中心小学", towns[t].name);
		add_school(c, (int)t, name, 2, !towns[t].urban && t % 2);
		snprintf(name, sizeof name, "%s中学", towns[t].name);
		add_school(c, (int)t, name, 4, !towns[t].urban);
		snprintf(name, sizeof name, "%s中心幼儿园", towns[t].name);
		add_school(c, (int)t, name, 1, 0);
		if (towns[t].nine_year) {
			snprintf(name, sizeof name, "%s九年一贯制学校", towns[t].name);
			add_school(c, (int)t, name, 6, 1);
		}
		for (k = 0; k < towns[t].villages; k++, v++) {
			if (v % 3 == 0)
				snprintf(name, sizeof name, "%s完全小学", villages[v]);
			else
				snprintf(name, sizeof name, "%s%s村小学", towns[t].name, villages[v]);
			add_school(c, (int)t, name, v % 4 == 0 ? 3 : 2, 0);
		}
	}
	add_school(c, -1, "桐岭县第一中学", 8, 1);
	add_school(c, -1, "桐岭县第二中学", 12, 1);
	add_school(c, -1, "桐岭县职业教育中心", 16, 1);
	add_school(c, -1, "桐岭县实验小学", 2, 0);
	add_school(c, -1, "桐岭县特殊教育学校", 6, 1);
	demo_roster_classify(c);
}

/* ------------------------------------------------------------ helpers */

static int active_on(const dr_pairing *p, const char *day)
{
	return strcmp(p->start, day) <= 0 && (!p->end[0] || strcmp(p->end, day) >= 0);
}

/* Enrolled in the county today: the open enrolment is 在校 or 劝返复学. */
static int enrolled(const dr_student *st)
{
	const dr_enrolment *e = &st->enrol[st->nenrol - 1];
	return (e->status == 0 || e->status == 3) && strcmp(e->start, TODAY) <= 0;
}

static int row_of(const dr_county *c, int school)
{
	return c->schools[school].town >= 0 ? c->schools[school].town : DR_MAX_TOWNS + school;
}

/* ------------------------------------------------------------ checks */

static void test_pure_helpers(void)
{
	char id[19], name[32];
	uint64_t s = 5;
	demo_id_number("430629", "2015-03-01", 123, id);
	CHECK(strlen(id) == 18 && idnum_check(id, TODAY) == IDNUM_OK, "a generated ID number is valid: %s", id);
	CHECK(!strcmp(idnum_gender(id), "男"), "an odd serial is a man");
	demo_id_number("430629", "2015-03-01", 124, id);
	CHECK(!strcmp(idnum_gender(id), "女") && idnum_check(id, TODAY) == IDNUM_OK, "an even one a woman");
	CHECK(demo_child_name(&s, "王", 1, name, sizeof name) == 0 && !strncmp(name, "王", 3) &&
		      (utf8_chars(name) == 2 || utf8_chars(name) == 3),
	      "a child's name after the surname: %s", name);
	CHECK(demo_child_name(&s, "王", 0, name, 5) == -1, "a too-small buffer is refused");
}

static void test_classify(const dr_county *c)
{
	CHECK(c->schools[0].kind == DR_CENTRE_PRIMARY && c->schools[1].kind == DR_MIDDLE &&
		      c->schools[2].kind == DR_KINDERGARTEN,
	      "town schools classified");
	CHECK(c->schools[3].kind == DR_VILLAGE && !strcmp(c->schools[3].village, "杨家湾"), "杨家湾完全小学 serves 杨家湾 (%s)",
	      c->schools[3].village);
	CHECK(c->schools[4].kind == DR_VILLAGE && !strcmp(c->schools[4].village, "李家庄"), "城关镇李家庄村小学 serves 李家庄 (%s)",
	      c->schools[4].village);
	CHECK(c->schools[c->nschools - 1].kind == DR_SPECIAL && c->schools[c->nschools - 3].kind == DR_VOCATIONAL &&
		      c->schools[c->nschools - 5].kind == DR_HIGH && c->schools[c->nschools - 2].kind == DR_CITY_PRIMARY,
	      "direct schools classified");
}

/* Age on 31 August of the school year (年满 N 周岁 by then) against the grade's
 * usual age, or a year older. */
static int age_fits(const dr_student *st)
{
	static const struct { const char *grade; int age; } ages[] = {
		{"小班", 3}, {"中班", 4}, {"大班", 5}, {"一年级", 6}, {"二年级", 7}, {"三年级", 8}, {"四年级", 9},
		{"五年级", 10}, {"六年级", 11}, {"七年级", 12}, {"八年级", 13}, {"九年级", 14}, {"高一", 15},
		{"高二", 16}, {"高三", 17}, {"中职一年级", 15}, {"中职二年级", 16}, {"中职三年级", 17},
		{"高职一年级", 18}, {"高职二年级", 19}, {"高职三年级", 20}, {"大学一年级", 18}, {"大学二年级", 19},
		{"大学三年级", 20}, {"大学四年级", 21}};
	int ref = st->status == 4 ? 2025 : 2026, age;
	size_t i;
	age = ref - atoi(st->birth) - (strcmp(st->birth + 5, "08-31") > 0 ? 1 : 0);
	for (i = 0; i < sizeof ages / sizeof ages[0]; i++)
		if (!strcmp(ages[i].grade, st->grade))
			return age == ages[i].age || age == ages[i].age + 1;
	return 0;
}

static void test_students(const dr_county *c, const dr_plan *p)
{
	size_t i, bad_id = 0, bad_age = 0, bad_stage = 0, bad_cat = 0, bad_enrol = 0, dropouts = 0, home = 0, in = 0;
	char **ids = calloc(p->nstudents, sizeof *ids);
	for (i = 0; i < p->nstudents; i++) {
		const dr_student *st = &p->students[i];
		char birth[11];
		int k;
		idnum_birth_date(st->id, birth);
		bad_id += idnum_check(st->id, TODAY) != IDNUM_OK || strcmp(birth, st->birth) ||
			  strcmp(idnum_gender(st->id), roster_genders[st->gender]) || strncmp(st->id, DR_REGION, 6);
		bad_age += !age_fits(st);
		bad_stage += !(c->schools[st->school].stages & (1u << st->stage));
		bad_cat += !(st->categories & 3u);
		for (k = 0; k < st->nenrol; k++)
			bad_enrol += (k + 1 < st->nenrol && (!st->enrol[k].end[0] ||
				       date_to_days(st->enrol[k].end) + 1 != date_to_days(st->enrol[k + 1].start))) ||
				     strcmp(st->enrol[k].start, TODAY) > 0;
		bad_enrol += st->enrol[st->nenrol - 1].end[0] != '\0' || st->status != st->enrol[st->nenrol - 1].status;
		dropouts += st->nenrol == 3 && st->enrol[1].status == 2 && st->status == 3;
		home += !strcmp(st->note, "送教上门") && (st->categories & 16u) && c->schools[st->school].kind == DR_SPECIAL;
		in += enrolled(st);
		ids[i] = (char *)st->id;
	}
	qsort(ids, p->nstudents, sizeof *ids, (int (*)(const void *, const void *))strcmp);
	for (i = 1; i < p->nstudents; i++)
		bad_id += !strcmp(ids[i - 1], ids[i]) ? 1 : 0;
	free(ids);
	CHECK(p->nstudents == 4895 && p->nhouseholds == 3648, "4,895 students in 3,648 households (%zu, %zu)", p->nstudents,
	      p->nhouseholds);
	CHECK(in == 3887, "3,887 enrolled in the county (%zu)", in);
	CHECK(bad_id == 0, "valid, unique ID numbers of region %s matching birth date and gender (%zu bad)", DR_REGION, bad_id);
	CHECK(bad_age == 0, "birth dates fit the grade (%zu bad)", bad_age);
	CHECK(bad_stage == 0, "every school teaches its students' stage (%zu bad)", bad_stage);
	CHECK(bad_cat == 0, "every student is 建档立卡 or 防返贫监测 (%zu bad)", bad_cat);
	CHECK(bad_enrol == 0, "enrolment histories are contiguous, end open and not in the future (%zu bad)", bad_enrol);
	CHECK(dropouts == 4, "4 students went 辍学 then 劝返复学 (%zu)", dropouts);
	CHECK(home == 23, "23 disabled children taught at home by the special school (%zu)", home);
}

/* Siblings share a household, its town and their surname mostly. */
static void test_households(const dr_plan *p)
{
	size_t *n = calloc(p->nhouseholds, sizeof *n), i, shared = 0, bad = 0;
	for (i = 0; i < p->nstudents; i++)
		n[p->students[i].household]++;
	for (i = 0; i < p->nhouseholds; i++) {
		shared += n[i] >= 2;
		bad += n[i] == 0 || !strstr(p->households[i].address, "组") || utf8_chars(p->households[i].head) < 2;
	}
	free(n);
	CHECK(bad == 0, "every household has a child, a head and an address with its 组 (%zu bad)", bad);
	CHECK(shared > 900 && shared < 1300, "about 1,084 households with siblings (%zu)", shared);
}

/* Coverage by row (towns, then direct schools) and the split, as metrics_db.c counts them. */
static void test_pairings(const dr_county *c, const dr_plan *p)
{
	size_t eligible[DR_MAX_TOWNS + DR_MAX_SCHOOLS] = {0}, paired[DR_MAX_TOWNS + DR_MAX_SCHOOLS] = {0};
	size_t *helpers = calloc(p->nstudents, sizeof *helpers), *load = calloc(p->nstaff, sizeof *load);
	size_t i, unpaired = 0, focus = 0, one = 0, many = 0, multi = 0, ended = 0, bad = 0, rows_off = 0, r;
	for (i = 0; i < p->npairings; i++) {
		const dr_pairing *pr = &p->pairings[i];
		bad += strcmp(pr->start, TODAY) > 0 || (pr->end[0] && strcmp(pr->end, pr->start) < 0);
		ended += pr->end[0] != '\0';
		if (active_on(pr, TODAY) && enrolled(&p->students[pr->student])) {
			helpers[pr->student]++;
			load[pr->staff]++;
			bad += !p->staff[pr->staff].active;
		}
	}
	for (i = 0; i < p->nstudents; i++) {
		if (!enrolled(&p->students[i]))
			continue;
		r = (size_t)row_of(c, p->students[i].school);
		eligible[r]++;
		paired[r] += helpers[i] > 0;
		unpaired += helpers[i] == 0;
		focus += helpers[i] == 0 && p->students[i].school == 0;
		multi += helpers[i] > 1;
	}
	for (i = 0; i < p->nstaff; i++) {
		one += load[i] == 1;
		many += load[i] > 1;
	}
	for (r = 0; r < DR_MAX_TOWNS + DR_MAX_SCHOOLS; r++)
		rows_off += eligible[r] && (paired[r] * 1000 < eligible[r] * 970 || paired[r] == eligible[r]);
	CHECK(bad == 0, "pairings start by today, end after they start, active ones have active staff (%zu bad)", bad);
	CHECK(unpaired >= 30 && unpaired <= 50 && focus >= 4, "a few dozen unpaired (%zu), %zu at xiaozhang's school", unpaired,
	      focus);
	CHECK(rows_off == 0, "every town and direct school between 97%% and 99.9%% paired (%zu rows off)", rows_off);
	CHECK(one > 2500 && many > 100 && multi > 20 && one > 5 * many,
	      "一帮一 mostly (%zu), some 一帮多 (%zu), a few 多帮一 (%zu)", one, many, multi);
	CHECK(ended > 50, "ended pairings in the history (%zu)", ended);
	CHECK(p->nstaff > 3650 && p->nstaff < 3950, "about 3,800 staff (%zu)", p->nstaff);
	free(helpers);
	free(load);
}

/* Home-visit coverage this semester, and key students unvisited this month. */
static void test_visits(const dr_plan *p)
{
	unsigned char *visited = calloc(p->nstudents, 1), *month = calloc(p->nstudents, 1), *paired = calloc(p->nstudents, 1);
	size_t i, base = 0, hit = 0, key = 0, gaps = 0, bad = 0;
	for (i = 0; i < p->npairings; i++)
		if (active_on(&p->pairings[i], TODAY))
			paired[p->pairings[i].student] = 1;
	for (i = 0; i < p->nvisits; i++) {
		const dr_visit *v = &p->visits[i];
		bad += strcmp(v->date, TODAY) > 0 || v->kind > 2 || !v->note;
		visited[v->student] |= strcmp(v->date, SEM_START) >= 0;
		month[v->student] |= strcmp(v->date, "2026-11-01") >= 0;
	}
	for (i = 0; i < p->nstudents; i++) {
		if (!enrolled(&p->students[i]))
			continue;
		base += paired[i];
		hit += paired[i] && visited[i];
		key += (p->students[i].categories & (16u | 64u)) != 0;
		gaps += (p->students[i].categories & (16u | 64u)) && !month[i];
	}
	CHECK(bad == 0, "visits dated by today with a kind and a note (%zu bad)", bad);
	CHECK(base && hit * 100 >= base * 80 && hit * 100 <= base * 95, "home-visit coverage this semester %zu of %zu", hit, base);
	CHECK(key > 500 && gaps > 0 && gaps * 10 < key, "key students %zu, a few unvisited this month (%zu)", key, gaps);
	free(visited);
	free(month);
	free(paired);
}

/* The same seed and today give the same plan; another seed another. */
static void test_determinism(const dr_county *c, const dr_plan *p)
{
	dr_plan q;
	char err[200];
	size_t i;
	int same;
	demo_roster_plan(c, TODAY, 42, &q, err, sizeof err);
	same = q.nstudents == p->nstudents && q.nvisits == p->nvisits && q.npairings == p->npairings &&
	       !memcmp(q.students, p->students, p->nstudents * sizeof *p->students);
	for (i = 0; same && i < p->nvisits; i++)
		same = q.visits[i].student == p->visits[i].student && q.visits[i].staff == p->visits[i].staff &&
		       !strcmp(q.visits[i].date, p->visits[i].date) && q.visits[i].kind == p->visits[i].kind;
	CHECK(same, "the same seed and today give the same plan");
	demo_roster_plan_free(&q);
	demo_roster_plan(c, TODAY, 43, &q, err, sizeof err);
	CHECK(q.nstudents == p->nstudents && strcmp(q.students[0].id, p->students[0].id), "another seed, other people");
	demo_roster_plan_free(&q);
	CHECK(demo_roster_plan(c, "2026-02-30", 42, &q, err, sizeof err) == -1 && strstr(err, "today"),
	      "a bad today is refused: %s", err);
	demo_roster_plan_free(&q);
}

void test_demo_roster(void)
{
	static dr_county c;
	dr_plan p;
	char err[200] = "";
	int rc;
	test_pure_helpers();
	build_county(&c);
	test_classify(&c);
	rc = demo_roster_plan(&c, TODAY, 42, &p, err, sizeof err);
	CHECK(rc == 0, "the plan: %s", err);
	if (rc != 0) {
		demo_roster_plan_free(&p);
		return;
	}
	test_students(&c, &p);
	test_households(&p);
	test_pairings(&c, &p);
	test_visits(&p);
	test_determinism(&c, &p);
	demo_roster_plan_free(&p);
}
