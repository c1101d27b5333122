/* demo_roster.c - plans the demo county's registered students and their
 * households: how many at each stage in and outside the county (a real county's
 * 2019 figures, ../shared/data/README.md), the school each attends, names, valid
 * ID numbers, birth dates that match the grade, categories and enrolment
 * histories. Pure: a county, a seed and today in, a plan out. */
#include "demo_roster_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "demo.h"
#include "idnum.h"
#include "util.h"


/* ------------------------------------------------------------------ sizes */

/* The report: 4,895 registered students in 3,648 households. In the county 学前 718,
 * 义务教育 2,555, 高中 500, 中职 124; outside it 学前 48, 义务教育 62, 高中 23,
 * 中高职/大学 865. Here 6 of the 义务教育 have since transferred out (转出) and 4
 * of the 高中 graduated (毕业), which leaves 3,887 enrolled in the county. */
static const struct {
	unsigned char place, level;
	unsigned count;
} dr_quotas[] = {
	{DR_IN, DR_L_PRE, 718},     {DR_IN, DR_L_PRIMARY, 1700}, {DR_IN, DR_L_JUNIOR, 849},
	{DR_IN, DR_L_SENIOR, 496},  {DR_IN, DR_L_VOC, 124},      {DR_MOVED, DR_L_PRIMARY, 4},
	{DR_MOVED, DR_L_JUNIOR, 2}, {DR_GRADUATED, DR_L_SENIOR, 4},
	{DR_OUT, DR_L_PRE, 48},     {DR_OUT, DR_L_PRIMARY, 40},  {DR_OUT, DR_L_JUNIOR, 22},
	{DR_OUT, DR_L_SENIOR, 23},  {DR_OUT, DR_L_VOC, 300},     {DR_OUT, DR_L_HIGHER, 350},
	{DR_OUT, DR_L_UNI, 215},
};

/* Households by number of registered children: 3,648 of them, 4,895 children. */
static const unsigned dr_household_sizes[][2] = {{1, 2564}, {2, 936}, {3, 133}, {4, 15}};

#define DR_HOMEBOUND 23 /* disabled children taught at home (送教上门) by 23 teachers */
#define DR_DROPOUTS 4   /* 辍学, then 劝返复学 */

/* Grades of each level; age is the age reached by 31 August in the first of them. */
static const struct {
	const char *grades[6];
	unsigned char ngrades, stage, age;
} dr_levels[DR_LEVELS] = {
	{{"小班", "中班", "大班"}, 3, 0, 3},
	{{"一年级", "二年级", "三年级", "四年级", "五年级", "六年级"}, 6, 1, 6},
	{{"七年级", "八年级", "九年级"}, 3, 2, 12},
	{{"高一", "高二", "高三"}, 3, 3, 15},
	{{"中职一年级", "中职二年级", "中职三年级"}, 3, 4, 15},
	{{"高职一年级", "高职二年级", "高职三年级"}, 3, 4, 18},
	{{"大学一年级", "大学二年级", "大学三年级", "大学四年级"}, 4, 4, 18},
};

/* Where those outside the county study, by level (the note on the record). */
static const char *const dr_out_notes[DR_LEVELS] = {
	"随父母在外地上幼儿园", "随父母外出务工，在县外就读", "随父母外出务工，在县外就读", "在市区高中就读",
	"在市职业中专就读", "在省内高职院校就读", "在省内高校就读",
};

/* ------------------------------------------------------------------ names */

static const char *const dr_boys2[] = {
	"浩然", "子轩", "宇轩", "浩宇", "梓豪", "俊杰", "子墨", "一鸣", "思远", "嘉豪",
	"宇航", "博文", "天佑", "睿哲", "明轩", "皓轩", "铭泽", "子豪", "俊熙", "锦程",
	"晨阳", "泽宇", "家乐", "文博", "志豪", "梓睿", "雨泽", "子健", "浩轩", "宇杰",
};
static const char *const dr_boys1[] = {"浩", "宇", "杰", "涛", "鑫", "磊", "航", "阳", "凯", "昊"};
static const char *const dr_girls2[] = {
	"子涵", "欣怡", "梓萱", "诗涵", "雨涵", "可馨", "梓涵", "一诺", "欣妍", "语桐",
	"思琪", "佳怡", "雨欣", "紫萱", "若曦", "梦瑶", "雅琪", "心怡", "静怡", "欣悦",
	"诗琪", "梓琪", "晓彤", "雨桐", "佳琪", "思雨", "婉婷", "嘉怡", "芷若", "艺涵",
};
static const char *const dr_girls1[] = {"琪", "悦", "婷", "雪", "瑶", "萱", "妍", "倩", "媛", "洁"};

/* Villages (村) besides those with a school, and the county seat's 社区. */
static const char *const dr_village_pool[] = {
	"桃花", "青龙", "石板", "新华", "红星", "光明", "长坡", "枫树", "塘湾", "油茶",
	"金竹", "白岩", "双井", "牛角", "荷叶", "狮子", "黄土", "麻田", "樟树", "大塘",
	"杉木", "石坝", "洞口", "花园", "太平", "和平", "团结", "向阳", "东山", "西岭",
	"南冲", "北坡", "上坪", "下湾", "中岭", "高峰", "鸭塘", "龙井", "栗山", "竹园",
	"新屋", "老屋", "岩口", "沙坪", "泉塘", "桐木", "槐树", "梅子", "合心", "兴隆",
	"丰收", "联合", "新民", "五里", "七星", "九龙", "金鸡", "凤形", "玉泉", "宝塔",
};
static const char *const dr_community_pool[] = {
	"解放", "人民路", "东门", "西街", "南关", "北门", "站前", "滨河", "工业园", "文昌", "建设", "迎宾",
};

int demo_child_name(uint64_t *state, const char *surname, int female, char *out, size_t outlen)
{
	const char *given;
	int n;

	if (demo_rand_below(state, 100) < 12)
		given = female ? dr_girls1[demo_rand_below(state, COUNT(dr_girls1))]
			       : dr_boys1[demo_rand_below(state, COUNT(dr_boys1))];
	else
		given = female ? dr_girls2[demo_rand_below(state, COUNT(dr_girls2))]
			       : dr_boys2[demo_rand_below(state, COUNT(dr_boys2))];
	n = snprintf(out, outlen, "%s%s", surname, given);
	return n < 0 || (size_t)n >= outlen ? -1 : 0;
}

void demo_id_number(const char *region, const char *birth, unsigned serial, char out[19])
{
	snprintf(out, 19, "%.6s%.4s%.2s%.2s%03u", region, birth, birth + 5, birth + 8, serial % 1000u);
	out[17] = idnum_check_char(out);
	out[18] = '\0';
}

/* The first character of a UTF-8 name (the surname) into out[8]. */
static void surname_of(const char *name, char out[8])
{
	unsigned char b = (unsigned char)name[0];
	size_t n = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
	memcpy(out, name, n);
	out[n] = '\0';
}

/* ------------------------------------------------------------------ shared helpers */

unsigned dr_rand(dr_planner *pl, unsigned n)
{
	return n ? demo_rand_below(&pl->rng, n) : 0;
}

int dr_chance(dr_planner *pl, unsigned per_mille)
{
	return demo_rand_below(&pl->rng, 1000) < per_mille;
}

void dr_day(long d, char *out)
{
	date_from_days(d, out);
}

long dr_date(int year, int month, int day)
{
	char s[11];
	snprintf(s, sizeof s, "%04u-%02u-%02u", (unsigned)year % 10000u, (unsigned)month % 100u, (unsigned)day % 100u);
	return date_to_days(s);
}

long dr_enrolled_since(const dr_student *st)
{
	return date_to_days(st->enrol[st->nenrol - 1].start);
}

int dr_fail(dr_planner *pl, const char *what)
{
	snprintf(pl->err, pl->errlen, "planning the roster: %s", what);
	return -1;
}

unsigned dr_level_stage(unsigned level)
{
	return dr_levels[level].stage;
}

const char *dr_stage_grade(dr_planner *pl, unsigned stage)
{
	unsigned level = stage < DR_L_VOC ? stage : DR_L_VOC; /* the first five levels are the stages */
	return dr_levels[level].grades[dr_rand(pl, dr_levels[level].ngrades)];
}

/* ------------------------------------------------------------------ the planner */

static int planner_dates(dr_planner *pl, const char *today)
{
	char before[11];
	if (!today || !date_valid(today) || semester_of(today, &pl->sem) != 0)
		return dr_fail(pl, "today is not a date");
	str_copy(pl->today, sizeof pl->today, today);
	pl->day_today = date_to_days(today);
	pl->year = atoi(pl->sem.start) - (pl->sem.code[5] == '1');
	pl->day_year = dr_date(pl->year, 9, 1);
	pl->day_last_year = dr_date(pl->year - 1, 9, 1);
	dr_day(date_to_days(pl->sem.start) - 1, before);
	return semester_of(before, &pl->prev) == 0 ? 0 : dr_fail(pl, "no previous semester");
}

static void add_village(dr_planner *pl, int t, const char *name, int school, int community)
{
	dr_village *v;
	if (pl->nvillages[t] == DR_VILLAGES)
		return;
	v = &pl->villages[t][pl->nvillages[t]++];
	str_copy(v->name, sizeof v->name, name);
	v->school = school;
	v->community = community;
}

/* Every town's villages: those with a village school first; then 8 in all for a
 * rural town, 4 社区 more for the county seat. */
static void planner_villages(dr_planner *pl)
{
	const dr_county *c = pl->c;
	size_t i, t, next = 0, next_community = 0;
	for (i = 0; i < c->nschools; i++)
		if (c->schools[i].kind == DR_VILLAGE && c->schools[i].town >= 0)
			add_village(pl, c->schools[i].town, c->schools[i].village, (int)i, 0);
	for (t = 0; t < c->ntowns; t++) {
		size_t want = c->towns[t].urban ? pl->nvillages[t] + 4 : 8;
		while (pl->nvillages[t] < want && pl->nvillages[t] < DR_VILLAGES) {
			if (c->towns[t].urban)
				add_village(pl, (int)t, dr_community_pool[next_community++ % COUNT(dr_community_pool)], -1, 1);
			else
				add_village(pl, (int)t, dr_village_pool[next++ % COUNT(dr_village_pool)], -1, 0);
		}
	}
}

/* How many households live in town t, relatively: the county seat most. */
static unsigned town_weight(const dr_planner *pl, size_t t)
{
	const dr_county *c = pl->c;
	unsigned w = 12, urban_before = 0;
	size_t i;
	for (i = 0; i < t; i++)
		urban_before += (unsigned)c->towns[i].urban;
	if (c->towns[t].urban)
		return urban_before < 2 ? 40 - 10 * urban_before : 20;
	for (i = 0; i < c->nschools; i++)
		if (c->schools[i].town == (int)t)
			w += c->schools[i].kind == DR_VILLAGE || c->schools[i].kind == DR_NINE_YEAR ? 2 : 0;
	return w;
}

static void planner_towns(dr_planner *pl)
{
	size_t t;
	for (t = 0; t < pl->c->ntowns; t++) {
		pl->town_weight[t] = town_weight(pl, t);
		pl->town_total += pl->town_weight[t];
	}
}

static int pick_town(dr_planner *pl)
{
	unsigned r = dr_rand(pl, pl->town_total);
	size_t t;
	for (t = 0; t + 1 < pl->c->ntowns && r >= pl->town_weight[t]; t++)
		r -= pl->town_weight[t];
	return (int)t;
}

/* A village of town t; in the county seat three households in four live in a 社区. */
static int pick_village(dr_planner *pl, int t)
{
	unsigned total = 0, r;
	size_t v, n = pl->nvillages[t];
	for (v = 0; v < n; v++)
		total += pl->villages[t][v].community ? 3 : 1;
	r = dr_rand(pl, total);
	for (v = 0; v + 1 < n; v++) {
		unsigned w = pl->villages[t][v].community ? 3 : 1;
		if (r < w)
			break;
		r -= w;
	}
	return (int)v;
}

/* ------------------------------------------------------------------ households */

/* Mostly 建档立卡 (脱贫), some 防返贫监测; some also 低保, 特困供养, 孤儿; 留守 in the
 * villages, 随迁 in the county seat. */
static unsigned household_categories(dr_planner *pl, int urban)
{
	unsigned c = dr_chance(pl, 120) ? DR_C_WATCH : DR_C_POOR;
	if (dr_chance(pl, 180))
		c |= DR_C_DIBAO;
	if (dr_chance(pl, 8))
		c |= DR_C_ORPHAN | DR_C_TEKUN;
	else if (dr_chance(pl, 15))
		c |= DR_C_TEKUN;
	if (c & DR_C_ORPHAN)
		return c;
	if (dr_chance(pl, urban ? 80 : 380))
		c |= DR_C_LEFT;
	else if (dr_chance(pl, urban ? 260 : 5))
		c |= DR_C_MIGRANT;
	return c;
}

/* A head and address no other household has (they are the household's key). */
static int household_make(dr_planner *pl, size_t h)
{
	dr_household *hh = &pl->p->households[h];
	int t = pick_town(pl), v = pick_village(pl, t), n, created = 0, tries;
	const dr_village *vl = &pl->villages[t][v];
	char key[200]; /* head and address fit */
	for (tries = 0; !created && tries < 100; tries++) {
		if (demo_person_name(&pl->rng, hh->head, sizeof hh->head) != 0)
			return dr_fail(pl, "naming a household head");
		n = snprintf(hh->address, sizeof hh->address, "%s%s%s%u组", pl->c->towns[t].name, vl->name,
			     vl->community ? "社区" : "村", 1 + dr_rand(pl, 12));
		if (n < 0 || (size_t)n >= sizeof hh->address)
			return dr_fail(pl, "an address too long");
		n = snprintf(key, sizeof key, "%s|%s", hh->head, hh->address);
		keymap_put(pl->ids, key, n > 0 ? (size_t)n : 0, &created);
	}
	if (!created)
		return dr_fail(pl, "no free household head and address");
	hh->town = t;
	pl->hh_village[h] = v;
	hh->categories = household_categories(pl, pl->c->towns[t].urban);
	return 0;
}

/* Groups the (already shuffled) students into households of 1 to 4 children. */
static int plan_households(dr_planner *pl)
{
	dr_plan *p = pl->p;
	size_t total = 0, h = 0, i = 0, k, j;
	unsigned char *sizes;
	for (k = 0; k < COUNT(dr_household_sizes); k++)
		total += dr_household_sizes[k][1];
	sizes = xmalloc(total);
	for (k = 0; k < COUNT(dr_household_sizes); k++)
		for (j = 0; j < dr_household_sizes[k][1]; j++)
			sizes[h++] = (unsigned char)dr_household_sizes[k][0];
	for (h = total; h > 1; h--) {
		unsigned char tmp = sizes[h - 1];
		j = dr_rand(pl, (unsigned)h);
		sizes[h - 1] = sizes[j];
		sizes[j] = tmp;
	}
	p->households = xcalloc(total, sizeof *p->households);
	pl->hh_village = xcalloc(total, sizeof *pl->hh_village);
	p->nhouseholds = total;
	for (h = 0; h < total; h++) {
		if (household_make(pl, h) != 0)
			break;
		for (k = 0; k < sizes[h] && i < p->nstudents; k++)
			p->students[i++].household = (int)h;
	}
	free(sizes);
	return h < total ? -1 : i == p->nstudents ? 0 : dr_fail(pl, "household sizes do not add up");
}

/* ------------------------------------------------------------------ students: slots */

/* One slot per student in quota order, shuffled. */
static void plan_slots(dr_planner *pl)
{
	dr_plan *p = pl->p;
	size_t n = 0, i, k;
	for (k = 0; k < COUNT(dr_quotas); k++)
		n += dr_quotas[k].count;
	p->students = xcalloc(n, sizeof *p->students);
	pl->s = xcalloc(n, sizeof *pl->s);
	p->nstudents = n;
	for (k = 0, i = 0; k < COUNT(dr_quotas); k++)
		for (n = 0; n < dr_quotas[k].count; n++, i++) {
			pl->s[i].place = dr_quotas[k].place;
			pl->s[i].level = dr_quotas[k].level;
		}
	for (i = p->nstudents; i > 1; i--) {
		dr_scratch tmp = pl->s[i - 1];
		k = dr_rand(pl, (unsigned)i);
		pl->s[i - 1] = pl->s[k];
		pl->s[k] = tmp;
	}
	for (i = 0; i < p->nstudents; i++) {
		pl->s[i].helper = -1;
		pl->s[i].pairing = -1;
	}
}

/* 23 disabled children of 小学 or 初中 age in the county, taught at home. */
static void plan_homebound(dr_planner *pl)
{
	size_t n = 0, tries;
	for (tries = 0; n < DR_HOMEBOUND && tries < 1000000; tries++) {
		dr_scratch *sc = &pl->s[dr_rand(pl, (unsigned)pl->p->nstudents)];
		if (sc->place == DR_IN && !sc->homebound && (sc->level == DR_L_PRIMARY || sc->level == DR_L_JUNIOR)) {
			sc->homebound = 1;
			n++;
		}
	}
}

/* ------------------------------------------------------------------ students: the record */

static void enrol_add(dr_student *st, int school, unsigned char status, long from, long to)
{
	dr_enrolment *e = &st->enrol[st->nenrol++];
	e->school = school;
	e->status = status;
	dr_day(from, e->start);
	if (to >= 0)
		dr_day(to, e->end);
	else
		e->end[0] = '\0';
	st->status = status;
}

/* A grade the student's place allows: those who left began at least a year ago. */
static unsigned grade_index(dr_planner *pl, const dr_scratch *sc)
{
	unsigned n = dr_levels[sc->level].ngrades;
	if (sc->place == DR_MOVED)
		return 1 + dr_rand(pl, n - 1);
	if (sc->place == DR_GRADUATED)
		return n - 1;
	return dr_rand(pl, n);
}

/* A new ID number (region, birth date, serial with the gender's parity). */
static int unique_id(dr_planner *pl, dr_student *st)
{
	int tries, created;
	for (tries = 0; tries < 100; tries++) {
		demo_id_number(DR_REGION, st->birth, dr_rand(pl, 500) * 2 + (st->gender == 0), st->id);
		keymap_put(pl->ids, st->id, IDNUM_LEN, &created);
		if (created)
			return 0;
	}
	return dr_fail(pl, "no free ID number");
}

/* Grade, birth date (the grade's age by 31 August, 年满, one in twenty a year older),
 * gender, name after the household head's surname, and ID number. */
static int student_identity(dr_planner *pl, size_t i)
{
	dr_student *st = &pl->p->students[i];
	dr_scratch *sc = &pl->s[i];
	char surname[8], other[32];
	int ref = pl->year - (sc->place == DR_GRADUATED), age;

	sc->grade_index = (unsigned char)grade_index(pl, sc);
	st->grade = dr_levels[sc->level].grades[sc->grade_index];
	st->stage = dr_levels[sc->level].stage;
	age = dr_levels[sc->level].age + sc->grade_index + (sc->level != DR_L_PRE && dr_chance(pl, 50));
	dr_day(dr_date(ref - age - 1, 9, 1) + (long)dr_rand(pl, 365), st->birth);
	st->gender = dr_chance(pl, 520) ? 0 : 1;
	surname_of(pl->p->households[st->household].head, surname);
	if (dr_chance(pl, 80) && demo_person_name(&pl->rng, other, sizeof other) == 0)
		surname_of(other, surname);
	if (demo_child_name(&pl->rng, surname, st->gender, st->name, sizeof st->name) != 0)
		return dr_fail(pl, "naming a student");
	return unique_id(pl, st);
}

/* The enrolment history: in the county or outside it since the level began;
 * 转出 this school year or last spring; 毕业 last summer. */
static void student_enrolments(dr_planner *pl, size_t i)
{
	dr_student *st = &pl->p->students[i];
	const dr_scratch *sc = &pl->s[i];
	int ref = pl->year - (sc->place == DR_GRADUATED);
	long start = dr_date(ref - sc->grade_index, 9, 1), spring = dr_date(pl->year, 3, 1), left;

	st->nenrol = 0;
	switch (sc->place) {
	case DR_IN:
		enrol_add(st, st->school, 0, start, -1);
		break;
	case DR_OUT:
		enrol_add(st, st->school, 5, start, -1);
		str_copy(st->note, sizeof st->note, dr_out_notes[sc->level]);
		break;
	case DR_MOVED:
		left = spring + (long)dr_rand(pl, (unsigned)(pl->day_today - spring + 1));
		enrol_add(st, st->school, 0, start, left - 1);
		enrol_add(st, st->school, 1, left, -1);
		str_copy(st->note, sizeof st->note, "随父母迁往外省务工地，已办理转学");
		break;
	default:
		enrol_add(st, st->school, 0, start, dr_date(pl->year, 6, 30));
		enrol_add(st, st->school, 4, dr_date(pl->year, 7, 1), -1);
		str_copy(st->note, sizeof st->note, "高中毕业");
	}
}

static int student_boards(dr_planner *pl, size_t i)
{
	const dr_student *st = &pl->p->students[i];
	const dr_scratch *sc = &pl->s[i];
	if (sc->place != DR_IN || sc->homebound || !pl->c->schools[st->school].boarding)
		return 0;
	if (sc->level >= DR_L_JUNIOR)
		return dr_chance(pl, 800);
	return sc->level == DR_L_PRIMARY && sc->grade_index >= 3 ? dr_chance(pl, 400) : 0;
}

static int student_make(dr_planner *pl, size_t i)
{
	dr_student *st = &pl->p->students[i];
	const dr_scratch *sc = &pl->s[i];
	int disabled = sc->homebound || dr_chance(pl, 25);

	st->school = dr_student_school(pl, i, disabled);
	if (st->school < 0)
		return dr_fail(pl, "no school teaches a stage the students need");
	if (student_identity(pl, i) != 0)
		return -1;
	student_enrolments(pl, i);
	st->boarding = student_boards(pl, i);
	st->categories = pl->p->households[st->household].categories | (disabled ? DR_C_DISABLED : 0);
	if (sc->place == DR_OUT && sc->level >= DR_L_SENIOR)
		st->categories &= ~(unsigned)DR_C_LEFT;
	if (sc->homebound)
		str_copy(st->note, sizeof st->note, "送教上门");
	return 0;
}

/* ------------------------------------------------------------------ dropouts */

static int dropout_fits(const dr_planner *pl, size_t i)
{
	const dr_scratch *sc = &pl->s[i];
	const dr_school *s = &pl->c->schools[pl->p->students[i].school];
	return sc->place == DR_IN && sc->level == DR_L_JUNIOR && sc->grade_index >= 1 && !sc->homebound &&
	       !sc->dropout && (s->kind == DR_MIDDLE || s->kind == DR_NINE_YEAR);
}

/* Left school last spring (辍学), brought back at the start of this school year
 * (劝返复学), each with a file of its own (一生一案). */
static void dropout_make(dr_planner *pl, size_t i)
{
	dr_student *st = &pl->p->students[i];
	long start = date_to_days(st->enrol[0].start), left = dr_date(pl->year, 3, 10) + (long)dr_rand(pl, 70);
	long back = dr_date(pl->year, 9, 1) + (long)dr_rand(pl, 20);
	char l[11], b[11];

	if (back > pl->day_today)
		back = pl->day_today;
	st->nenrol = 0;
	enrol_add(st, st->school, 0, start, left - 1);
	enrol_add(st, st->school, 2, left, back - 1);
	enrol_add(st, st->school, 3, back, -1);
	st->boarding = pl->c->schools[st->school].boarding;
	dr_day(left, l);
	dr_day(back, b);
	snprintf(st->note, sizeof st->note, "%s辍学外出务工，经劝返于%s复学（一生一案）", l, b);
	pl->s[i].dropout = 1;
}

static void plan_dropouts(dr_planner *pl)
{
	size_t n = 0, tries;
	for (tries = 0; n < DR_DROPOUTS && tries < 1000000; tries++) {
		size_t i = dr_rand(pl, (unsigned)pl->p->nstudents);
		if (dropout_fits(pl, i)) {
			dropout_make(pl, i);
			n++;
		}
	}
}

/* ------------------------------------------------------------------ the plan */

static int plan_students(dr_planner *pl)
{
	size_t i;
	plan_slots(pl);
	plan_homebound(pl);
	if (plan_households(pl) != 0)
		return -1;
	for (i = 0; i < pl->p->nstudents; i++)
		if (student_make(pl, i) != 0)
			return -1;
	plan_dropouts(pl);
	return 0;
}

int demo_roster_plan(const dr_county *c, const char *today, uint64_t seed, dr_plan *out, char *err,
		     size_t errlen)
{
	dr_planner *pl = xcalloc(1, sizeof *pl);
	int rc;

	memset(out, 0, sizeof *out);
	pl->c = c;
	pl->p = out;
	pl->rng = seed;
	pl->err = err;
	pl->errlen = errlen;
	pl->ids = keymap_new();
	pl->focus = dr_first_of_town(c, 0);
	rc = c->ntowns == 0 || c->nschools == 0 ? dr_fail(pl, "the county has no towns or schools")
						 : planner_dates(pl, today);
	if (rc == 0) {
		planner_villages(pl);
		planner_towns(pl);
		rc = plan_students(pl);
	}
	if (rc == 0)
		rc = dr_plan_pairings(pl);
	if (rc == 0)
		dr_plan_visits(pl);
	keymap_free(pl->ids);
	free(pl->hh_village);
	free(pl->s);
	free(pl);
	return rc;
}

void demo_roster_plan_free(dr_plan *p)
{
	free(p->households);
	free(p->students);
	free(p->staff);
	free(p->pairings);
	free(p->visits);
	memset(p, 0, sizeof *p);
}
