/* demo_roster_help.c - plans who helps the demo county's students: the staff of
 * every school (by its size), of the town centres and of the bureau; pairings
 * (一帮一 mostly, some 一帮多 of 2 to 4 students, a few 多帮一 by cadres) begun
 * this school year or the last, pairings ended in the history; the few dozen
 * students left unpaired; and the home visits of this semester and the one before,
 * with monthly visits of the key students (残疾, 留守). */
#include "demo_roster_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "demo.h"
#include "util.h"

#define DR_ROWS (DR_MAX_TOWNS + DR_MAX_SCHOOLS) /* towns, then directly-run schools */
#define DR_UNPAIRED_FOCUS 4 /* on xiaozhang's list */
#define DR_UNPAIRED 40      /* in the county */

/* Staff role bits, in roster_staff_roles order. */
enum { R_CLASS = 1, R_TEACHER = 2, R_CADRE = 4, R_PARTY = 8 };
enum { K_HOME, K_PHONE, K_SCHOOL }; /* roster_visit_kinds */

static const char *const dr_subjects_primary[] = {"语文", "数学", "英语", "科学", "道德与法治", "体育", "音乐", "美术"};
static const char *const dr_subjects_secondary[] = {"语文", "数学", "英语", "物理", "化学", "生物",
						     "历史", "地理", "道德与法治", "体育"};
static const char *const dr_subjects_vocational[] = {"语文", "数学", "计算机专业", "电子商务专业", "汽车维修专业", "护理专业"};
static const char *const dr_subjects_special[] = {"特教", "康复"};
static const char *const dr_subjects_kindergarten[] = {"幼儿"};

static const char *const dr_town_cadres[] = {"教管中心主任", "教管中心副主任", "教管中心资助专干", "教管中心干事"};
static const char *const dr_bureau_cadres[] = {
	"党组书记、局长", "副局长", "副局长", "纪检组长", "督导室主任", "督学", "督学", "资助中心主任",
	"资助中心副主任", "资助中心干事", "资助中心干事", "基础教育股股长", "基础教育股干事", "计划财务股股长",
	"计划财务股干事", "人事股股长", "人事股干事", "办公室主任", "办公室干事", "安全股股长", "职成股股长",
	"教研室主任", "教研员", "教研员",
};

static const char *const dr_reasons[] = {"贫困原因：因病", "贫困原因：因残", "贫困原因：因学", "贫困原因：缺劳力",
					 "贫困原因：缺技术", "贫困原因：缺资金", "贫困原因：因灾"};
static const char *const dr_notes_home[] = {
	"了解家庭生活和学习情况，宣讲资助政策", "查看家庭作业，与家长交流学习习惯", "核实家庭情况，填写帮扶手册",
	"送去学习用品，叮嘱安全注意事项", "与监护人交流孩子在校表现", "宣传控辍保学政策，了解孩子思想动态",
};
static const char *const dr_notes_phone[] = {"电话了解学生近况", "与外出务工的家长电话沟通孩子学习情况",
					     "电话提醒按时返校", "电话询问身体恢复情况"};
static const char *const dr_notes_school[] = {"到校与学生谈心，了解学习困难", "课后个别辅导", "与班主任一起了解学生在校表现"};

/* ------------------------------------------------------------------ building blocks */

static int staff_add(dr_planner *pl, long long org, int school, const char *name)
{
	dr_plan *p = pl->p;
	dr_staff *st;
	if (p->nstaff == p->cap_staff) {
		p->cap_staff = p->cap_staff ? p->cap_staff * 2 : 1024;
		p->staff = xrealloc(p->staff, p->cap_staff * sizeof *p->staff);
	}
	st = &p->staff[p->nstaff];
	memset(st, 0, sizeof *st);
	st->org_id = org;
	st->school = school;
	st->active = 1;
	if (name && *name)
		str_copy(st->name, sizeof st->name, name);
	else if (demo_person_name(&pl->rng, st->name, sizeof st->name) != 0)
		str_copy(st->name, sizeof st->name, "王老师");
	if (dr_chance(pl, 870))
		snprintf(st->phone, sizeof st->phone, "1%c%09u", "3589"[dr_rand(pl, 4)], dr_rand(pl, 1000000000u) % 1000000000u);
	return (int)p->nstaff++;
}

static int pairing_add(dr_planner *pl, int staff, size_t student, long start, long end, const char *note)
{
	dr_plan *p = pl->p;
	dr_pairing *pr;
	if (p->npairings == p->cap_pairings) {
		p->cap_pairings = p->cap_pairings ? p->cap_pairings * 2 : 4096;
		p->pairings = xrealloc(p->pairings, p->cap_pairings * sizeof *p->pairings);
	}
	pr = &p->pairings[p->npairings];
	pr->staff = staff;
	pr->student = (int)student;
	dr_day(start, pr->start);
	if (end >= 0)
		dr_day(end, pr->end);
	else
		pr->end[0] = '\0';
	pr->note = note ? note : "";
	return (int)p->npairings++;
}

static void visit_add(dr_planner *pl, size_t student, int staff, long day, unsigned kind, const char *note)
{
	dr_plan *p = pl->p;
	dr_visit *v;
	if (p->nvisits == p->cap_visits) {
		p->cap_visits = p->cap_visits ? p->cap_visits * 2 : 8192;
		p->visits = xrealloc(p->visits, p->cap_visits * sizeof *p->visits);
	}
	v = &p->visits[p->nvisits++];
	v->student = (int)student;
	v->staff = staff;
	dr_day(day, v->date);
	v->kind = (unsigned char)kind;
	v->note = note;
}

/* Shuffles a[0..n). */
static void shuffle(dr_planner *pl, int *a, size_t n)
{
	size_t i, k;
	for (i = n; i > 1; i--) {
		int tmp = a[i - 1];
		k = dr_rand(pl, (unsigned)i);
		a[i - 1] = a[k];
		a[k] = tmp;
	}
}

/* ------------------------------------------------------------------ the unpaired */

static int row_of(const dr_planner *pl, int school)
{
	int t = pl->c->schools[school].town;
	return t >= 0 ? t : DR_MAX_TOWNS + school;
}

static int may_go_unpaired(const dr_planner *pl, size_t i)
{
	const dr_scratch *sc = &pl->s[i];
	return sc->place == DR_IN && !sc->homebound && !sc->dropout && !sc->unpaired;
}

/* A random student who may go unpaired, at school (>= 0) or in row (school < 0,
 * row < 0: any town); -1 when none was found. */
static long pick_unpaired(dr_planner *pl, int school, int row)
{
	size_t tries, n = pl->p->nstudents;
	for (tries = 0; tries < 400000; tries++) {
		size_t i = dr_rand(pl, (unsigned)n);
		int s = pl->p->students[i].school, r = row_of(pl, s);
		if (!may_go_unpaired(pl, i) || (school >= 0 && s != school) || (school < 0 && row >= 0 && r != row) ||
		    (school < 0 && row < 0 && r >= DR_MAX_TOWNS))
			continue;
		return (long)i;
	}
	return -1;
}

static unsigned mark_unpaired(dr_planner *pl, long i, unsigned *used)
{
	if (i < 0)
		return 0;
	pl->s[i].unpaired = 1;
	used[row_of(pl, pl->p->students[i].school)]++;
	return 1;
}

/* 40 students without a helper: 4 at xiaozhang's school, one in every town and
 * directly-run school of 34 or more eligible (one leaves 97%), the rest in the
 * towns, at most 2% of any. */
static void plan_unpaired(dr_planner *pl)
{
	unsigned sizes[DR_ROWS] = {0}, used[DR_ROWS] = {0}, n = 0, k;
	size_t i, tries;
	int r;
	for (i = 0; i < pl->p->nstudents; i++)
		if (pl->s[i].place == DR_IN)
			sizes[row_of(pl, pl->p->students[i].school)]++;
	for (k = 0; k < DR_UNPAIRED_FOCUS && pl->focus >= 0; k++)
		n += mark_unpaired(pl, pick_unpaired(pl, pl->focus, -1), used);
	for (r = 0; r < DR_ROWS; r++)
		if (sizes[r] >= 34 && !used[r])
			n += mark_unpaired(pl, pick_unpaired(pl, -1, r), used);
	for (tries = 0; n < DR_UNPAIRED && tries < 10000; tries++) {
		long j = pick_unpaired(pl, -1, -1);
		if (j < 0)
			break;
		r = row_of(pl, pl->p->students[j].school);
		if (used[r] < 2 || used[r] < sizes[r] / 50)
			n += mark_unpaired(pl, j, used);
	}
}

/* ------------------------------------------------------------------ staff */

/* A teacher's subject list for the school's kind. */
static const char *subject(dr_planner *pl, const dr_school *sc)
{
	switch (sc->kind) {
	case DR_KINDERGARTEN: return dr_subjects_kindergarten[0];
	case DR_SPECIAL: return dr_subjects_special[dr_rand(pl, COUNT(dr_subjects_special))];
	case DR_VOCATIONAL: return dr_subjects_vocational[dr_rand(pl, COUNT(dr_subjects_vocational))];
	case DR_MIDDLE: case DR_HIGH: return dr_subjects_secondary[dr_rand(pl, COUNT(dr_subjects_secondary))];
	default: return dr_subjects_primary[dr_rand(pl, COUNT(dr_subjects_primary))];
	}
}

/* A grade the school teaches, for a class teacher's position. */
static const char *school_grade(dr_planner *pl, const dr_school *sc)
{
	unsigned stages[5], n = 0, k;
	for (k = 0; k < 5; k++)
		if (sc->stages & (1u << k))
			stages[n++] = k;
	return dr_stage_grade(pl, n ? stages[dr_rand(pl, n)] : 1);
}

/* The nth of n staff of a school: 校长, 副校长 and 教导主任 (干部) first, then
 * class teachers (班主任) and subject teachers; a third are party members (党员). */
static void teacher_role(dr_planner *pl, dr_staff *st, const dr_school *sc, size_t nth, size_t n)
{
	if (nth == 0) {
		st->roles = R_CADRE | R_PARTY | R_TEACHER;
		str_copy(st->position, sizeof st->position, "校长");
		return;
	}
	if ((nth == 1 && n >= 12) || (nth == 2 && n >= 8)) {
		st->roles = R_CADRE | R_TEACHER | (dr_chance(pl, 750) ? R_PARTY : 0);
		str_copy(st->position, sizeof st->position, nth == 1 ? "副校长" : "教导主任");
		return;
	}
	if (dr_chance(pl, 500)) {
		st->roles = R_CLASS | R_TEACHER;
		snprintf(st->position, sizeof st->position, "%s班主任", school_grade(pl, sc));
	} else {
		st->roles = R_TEACHER;
		snprintf(st->position, sizeof st->position, "%s教师", subject(pl, sc));
	}
	if (dr_chance(pl, 300))
		st->roles |= R_PARTY;
}

/* nactive staff of school s, its principal first, then ndeparted who have left
 * (inactive); returns the first one's index. */
static int school_staff(dr_planner *pl, int s, size_t nactive, size_t ndeparted)
{
	const dr_school *sc = &pl->c->schools[s];
	int first = (int)pl->p->nstaff;
	size_t k;
	for (k = 0; k < nactive; k++) {
		int i = staff_add(pl, sc->id, s, k == 0 ? sc->principal : NULL);
		teacher_role(pl, &pl->p->staff[i], sc, k, nactive);
	}
	for (k = 0; k < ndeparted; k++) {
		dr_staff *st = &pl->p->staff[staff_add(pl, sc->id, s, NULL)];
		st->roles = R_TEACHER;
		st->active = 0;
		snprintf(st->position, sizeof st->position, "%s教师（已调离）", subject(pl, sc));
	}
	pl->first_staff[s] = first;
	pl->nactive[s] = (int)nactive;
	return first;
}

/* ------------------------------------------------------------------ pairings of a school */

/* The school's students to pair, shuffled, those taught at home last; *movable
 * is how many are not (they may share a helper). */
static size_t school_list(dr_planner *pl, int s, int *out, size_t *movable)
{
	size_t n = 0, i, k = 0;
	for (i = 0; i < pl->p->nstudents; i++)
		if (pl->s[i].place == DR_IN && !pl->s[i].unpaired && pl->p->students[i].school == s)
			out[n++] = (int)i;
	shuffle(pl, out, n);
	for (i = 0; i < n; i++)
		if (!pl->s[out[i]].homebound) {
			int tmp = out[k];
			out[k++] = out[i];
			out[i] = tmp;
		}
	*movable = k;
	return n;
}

/* Each helper's share of the list: groups of 2 to 4 (一帮多) for one in twenty
 * students' worth of helpers, from the front; then one each (一帮一). */
static size_t helper_shares(dr_planner *pl, size_t n, size_t movable, unsigned char *share)
{
	size_t groups = n >= 10 ? (n * 5 + 50) / 100 : 0, h = 0, used = 0, g;
	for (g = 0; g < groups; g++) {
		unsigned k = 2 + dr_rand(pl, 3);
		if (used + k > movable)
			break;
		share[h++] = (unsigned char)k;
		used += k;
	}
	for (; used < n; used++)
		share[h++] = 1;
	return h;
}

/* The start of a pairing: a third of those at the school last year were paired
 * then, the rest in the first weeks of this school year (or after they came). */
static long pair_start(dr_planner *pl, size_t i, int may_continue)
{
	long since = dr_enrolled_since(&pl->p->students[i]), year_start = pl->day_year, d;
	long last_year = pl->day_last_year;
	if (may_continue && since <= last_year && dr_chance(pl, 350))
		d = last_year + (long)dr_rand(pl, 45);
	else
		d = (since > year_start ? since : year_start) + (long)dr_rand(pl, 25);
	return d > pl->day_today ? pl->day_today : d;
}

/* Whether a student has an ended pairing from before this school year: 1 with a
 * colleague (学年调整), 2 with a teacher who has left; 0 none. Paired students
 * one in twenty-five, the unpaired one in two (their helper left). */
static unsigned char history_kind(dr_planner *pl, size_t i)
{
	const dr_scratch *sc = &pl->s[i];
	if (sc->homebound || sc->dropout || dr_enrolled_since(&pl->p->students[i]) > pl->day_last_year)
		return 0;
	if (sc->unpaired)
		return dr_chance(pl, 500) ? 2 : 0;
	return dr_chance(pl, 40) ? (unsigned char)(1 + dr_chance(pl, 500)) : 0;
}

/* An ended pairing from last school year: to the end of it, or (for the
 * unpaired) until the helper left a few weeks ago. */
static void history_add(dr_planner *pl, size_t i, int staff)
{
	long start = pl->day_last_year + (long)dr_rand(pl, 30), end;
	const char *note;
	if (pl->s[i].unpaired) {
		end = pl->day_today - 10 - (long)dr_rand(pl, 40);
		note = "帮扶教师调离，待重新结对";
	} else {
		end = dr_date(pl->year, 6, 30) - (long)dr_rand(pl, 60);
		note = pl->s[i].history == 2 ? "帮扶教师调离" : "学年调整，更换帮扶人";
	}
	if (end >= pl->day_today)
		end = pl->day_today - 1;
	pairing_add(pl, staff, i, start, end < start ? start : end, note);
}

/* The main pairings of list by share: helper j (order[j]) takes share[j] students. */
static void school_pairings(dr_planner *pl, const int *list, const unsigned char *share, size_t nhelpers,
			    const int *order)
{
	size_t j, k, pos = 0;
	for (j = 0; j < nhelpers; j++)
		for (k = 0; k < share[j]; k++, pos++) {
			size_t i = (size_t)list[pos];
			const char *note = pl->s[i].homebound ? "送教上门，每月至少两次"
				: dr_chance(pl, 200) ? dr_reasons[dr_rand(pl, COUNT(dr_reasons))] : "";
			pl->s[i].pairing = pairing_add(pl, order[j], i, pair_start(pl, i, pl->s[i].history == 0), -1, note);
			pl->s[i].helper = order[j];
		}
}

/* The school's unpaired students (into out), with their history drawn. */
static size_t school_unpaired(dr_planner *pl, int s, int *out)
{
	size_t i, n = 0;
	for (i = 0; i < pl->p->nstudents; i++)
		if (pl->s[i].unpaired && pl->p->students[i].school == s) {
			pl->s[i].history = history_kind(pl, i);
			out[n++] = (int)i;
		}
	return n;
}

/* The history of the school's students (the paired in list[0..n), then the
 * unpaired): ended pairings with a colleague other than the current helper, or
 * with one of the teachers who left (departed, in turn). */
static void school_history(dr_planner *pl, int s, const int *list, size_t n, const int *departed)
{
	size_t k, d = 0;
	for (k = 0; k < n; k++) {
		size_t i = (size_t)list[k];
		int other;
		if (pl->s[i].history == 2) {
			history_add(pl, i, departed[d++]);
		} else if (pl->s[i].history == 1) { /* a school has at least two active staff */
			do
				other = pl->first_staff[s] + (int)dr_rand(pl, (unsigned)pl->nactive[s]);
			while (other == pl->s[i].helper);
			history_add(pl, i, other);
		}
	}
}

/* Staff and pairings of school s: as many active staff as helpers plus a few
 * more, and one who has left for each ended pairing that says so. */
static void plan_school(dr_planner *pl, int s, int *list, unsigned char *share, int *order)
{
	size_t movable, n = school_list(pl, s, list, &movable), nhelpers, nactive, ndeparted = 0, k, nall;
	int first;
	nhelpers = helper_shares(pl, n, movable, share);
	nactive = nhelpers + 2 + n / 40;
	nall = n + school_unpaired(pl, s, list + n);
	for (k = 0; k < nall; k++) {
		if (k < n)
			pl->s[list[k]].history = history_kind(pl, (size_t)list[k]);
		ndeparted += pl->s[list[k]].history == 2;
	}
	first = school_staff(pl, s, nactive, ndeparted);
	for (k = 0; k < nactive; k++)
		order[k] = first + (int)k;
	shuffle(pl, order, nactive);
	school_pairings(pl, list, share, nhelpers, order);
	for (k = 0; k < ndeparted; k++)
		order[k] = first + (int)(nactive + k);
	school_history(pl, s, list, nall, order);
}

/* ------------------------------------------------------------------ cadres (多帮一) */

/* A paired student of town t (-1: anywhere) without a second helper, preferring
 * orphans, 特困 and disabled children; -1 when none was found. */
static long cadre_student(dr_planner *pl, int t)
{
	size_t tries, n = pl->p->nstudents;
	for (tries = 0; tries < 200000; tries++) {
		size_t i = dr_rand(pl, (unsigned)n);
		const dr_student *st = &pl->p->students[i];
		if (pl->s[i].helper < 0 || pl->s[i].extra || (t >= 0 && pl->c->schools[st->school].town != t))
			continue;
		if (tries < 300 && !(st->categories & (DR_C_ORPHAN | DR_C_TEKUN | DR_C_DISABLED)))
			continue;
		return (long)i;
	}
	return -1;
}

/* Four in five cadres help one student (one in five two) who already has a
 * teacher: the student then has several helpers (多帮一). */
static void cadre_pairings(dr_planner *pl, int staff, int town)
{
	unsigned k, n;
	if (!dr_chance(pl, 800))
		return;
	n = dr_chance(pl, 200) ? 2 : 1;
	for (k = 0; k < n; k++) {
		long i = cadre_student(pl, town);
		long since, d;
		if (i < 0)
			return;
		since = dr_enrolled_since(&pl->p->students[i]);
		d = dr_date(pl->year, 9, 11) + (long)dr_rand(pl, 50);
		d = d < since ? since : d;
		pairing_add(pl, staff, (size_t)i, d > pl->day_today ? pl->day_today : d, -1, "干部结对帮扶（多帮一）");
		pl->s[i].extra = 1;
	}
}

static void plan_cadres(dr_planner *pl)
{
	const dr_county *c = pl->c;
	size_t t, k;
	for (t = 0; t < c->ntowns; t++)
		for (k = 0; k < 3 + (size_t)c->towns[t].urban; k++) {
			int i = staff_add(pl, c->towns[t].id, -1, NULL);
			pl->p->staff[i].roles = R_CADRE | (k < 2 || dr_chance(pl, 600) ? R_PARTY : 0);
			snprintf(pl->p->staff[i].position, sizeof pl->p->staff[i].position, "%s", dr_town_cadres[k]);
			cadre_pairings(pl, i, (int)t);
		}
	for (k = 0; k < COUNT(dr_bureau_cadres); k++) {
		int i = staff_add(pl, c->bureau_id, -1, NULL);
		pl->p->staff[i].roles = R_CADRE | (k < 9 || dr_chance(pl, 700) ? R_PARTY : 0);
		snprintf(pl->p->staff[i].position, sizeof pl->p->staff[i].position, "%s", dr_bureau_cadres[k]);
		cadre_pairings(pl, i, -1);
	}
}

int dr_plan_pairings(dr_planner *pl)
{
	size_t n = pl->p->nstudents + 1;
	int *list = xmalloc(n * sizeof *list), *order = xmalloc((2 * n + 64) * sizeof *order);
	unsigned char *share = xmalloc(n);
	size_t s;
	plan_unpaired(pl);
	for (s = 0; s < pl->c->nschools; s++)
		plan_school(pl, (int)s, list, share, order);
	plan_cadres(pl);
	free(list);
	free(order);
	free(share);
	return 0;
}

/* ------------------------------------------------------------------ home visits */

static const char *visit_note(dr_planner *pl, unsigned kind)
{
	if (kind == K_PHONE)
		return dr_notes_phone[dr_rand(pl, COUNT(dr_notes_phone))];
	if (kind == K_SCHOOL)
		return dr_notes_school[dr_rand(pl, COUNT(dr_notes_school))];
	return dr_notes_home[dr_rand(pl, COUNT(dr_notes_home))];
}

/* One visit on a day of from..to: 入户 mostly, some by phone, some at school. */
static void visit_between(dr_planner *pl, size_t i, int staff, long from, long to)
{
	unsigned r, kind;
	if (to < from || staff < 0)
		return;
	r = dr_rand(pl, 100);
	kind = pl->s[i].homebound || r < 70 ? K_HOME : r < 90 ? K_PHONE : K_SCHOOL;
	visit_add(pl, i, staff, from + (long)dr_rand(pl, (unsigned)(to - from + 1)), kind,
		  pl->s[i].homebound ? "送教上门：康复训练与识字教学" : visit_note(pl, kind));
}

/* A key student (残疾, 留守) is visited every month of the semester; a few have
 * not been visited yet this month. */
static void key_visits(dr_planner *pl, size_t i, int staff)
{
	long since = dr_enrolled_since(&pl->p->students[i]), m = date_to_days(pl->sem.start);
	char day[11], first[11], last[11];
	m = since > m ? since : m;
	while (m <= pl->day_today) {
		long lo, hi;
		dr_day(m, day);
		month_of(day, first, last);
		lo = m;
		hi = date_to_days(last) < pl->day_today ? date_to_days(last) : pl->day_today;
		if (hi < pl->day_today || !dr_chance(pl, 40))
			visit_between(pl, i, staff, lo, hi);
		m = date_to_days(last) + 1;
	}
}

/* Families with no key student: about one in six is not visited this semester. */
static void plan_unvisited(dr_planner *pl)
{
	unsigned char *key = xcalloc(pl->p->nhouseholds + 1, 1);
	size_t i;
	for (i = 0; i < pl->p->nstudents; i++)
		if (pl->s[i].place == DR_IN && (pl->p->students[i].categories & DR_C_KEY))
			key[pl->p->students[i].household] = 1;
	for (i = 0; i < pl->p->nhouseholds; i++)
		pl->p->households[i].unvisited = !key[i] && dr_chance(pl, 170);
	free(key);
}

/* This semester: key students monthly (by their helper, else the school's
 * principal), the other paired students one to three times unless their family is
 * among the unvisited. */
static void this_semester(dr_planner *pl, size_t i)
{
	const dr_student *st = &pl->p->students[i];
	const dr_scratch *sc = &pl->s[i];
	long from;
	unsigned k, n;
	if (sc->place != DR_IN)
		return;
	if (st->categories & DR_C_KEY) {
		key_visits(pl, i, sc->helper >= 0 ? sc->helper : pl->first_staff[st->school]);
		return;
	}
	if (sc->pairing < 0 || pl->p->households[st->household].unvisited)
		return;
	from = date_to_days(pl->p->pairings[sc->pairing].start);
	from = from > date_to_days(pl->sem.start) ? from : date_to_days(pl->sem.start);
	n = 1 + dr_rand(pl, 2) + dr_chance(pl, 150);
	for (k = 0; k < n; k++)
		visit_between(pl, i, sc->helper, from, pl->day_today);
}

/* The semester before: nine in ten pairings active then have one visit. */
static void last_semester(dr_planner *pl, const dr_pairing *pr)
{
	long lo = date_to_days(pl->prev.start), hi = date_to_days(pl->prev.end);
	long start = date_to_days(pr->start), end = pr->end[0] ? date_to_days(pr->end) : hi;
	const dr_student *st = &pl->p->students[pr->student];
	lo = start > lo ? start : lo;
	lo = date_to_days(st->enrol[0].start) > lo ? date_to_days(st->enrol[0].start) : lo;
	hi = end < hi ? end : hi;
	if (pl->s[pr->student].place == DR_IN && lo <= hi && dr_chance(pl, 900))
		visit_between(pl, (size_t)pr->student, pr->staff, lo, hi);
}

void dr_plan_visits(dr_planner *pl)
{
	size_t i, n = pl->p->npairings;
	plan_unvisited(pl);
	for (i = 0; i < n; i++)
		last_semester(pl, &pl->p->pairings[i]);
	for (i = 0; i < pl->p->nstudents; i++)
		this_semester(pl, i);
}
