/* demo_roster_schools.c - where the demo county's students go to school: the
 * schools classified by kind and stages from their names, and for each planned
 * student a school of their stage: often the village school, else one of the
 * town's by kind, the special-education school for the homebound and some
 * disabled, the county's 高中 and 中职, and for those outside the county the
 * school of their home town. Part of the pure planner of demo_roster.c. */
#include "demo_roster_internal.h"

#include <string.h>

/* ------------------------------------------------------------------ the county */

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);
	return n >= k && !strcmp(s + n - k, suffix);
}

/* Stage bits: 学前 1, 小学 2, 初中 4, 高中 8, 中职 16. */
static dr_kind kind_of(const dr_school *s)
{
	if (s->town < 0) {
		if (strstr(s->name, "特殊教育"))
			return DR_SPECIAL;
		if (s->stages & 16)
			return DR_VOCATIONAL;
		if (s->stages & 8)
			return DR_HIGH;
		return s->stages == 2 ? DR_CITY_PRIMARY : DR_OTHER;
	}
	if (s->stages == 1)
		return DR_KINDERGARTEN;
	if (s->stages == 4)
		return DR_MIDDLE;
	if ((s->stages & 2) && (s->stages & 4))
		return DR_NINE_YEAR;
	if (ends_with(s->name, "中心小学"))
		return DR_CENTRE_PRIMARY;
	return s->stages & 2 ? DR_VILLAGE : DR_OTHER;
}

/* 「石桥镇杨家湾村小学」 and 「杨家湾完全小学」 serve 杨家湾. */
static void village_of(const dr_county *c, dr_school *s)
{
	static const char *const suffixes[] = {"村小学", "完全小学", "小学"};
	const char *name = s->name, *town = c->towns[s->town].name;
	size_t n, i;

	if (town[0] && !strncmp(name, town, strlen(town)))
		name += strlen(town);
	n = strlen(name);
	for (i = 0; i < COUNT(suffixes); i++)
		if (ends_with(name, suffixes[i])) {
			n -= strlen(suffixes[i]);
			break;
		}
	snprintf(s->village, sizeof s->village, "%.*s", (int)n, name);
}

void demo_roster_classify(dr_county *c)
{
	size_t i;
	for (i = 0; i < c->nschools; i++) {
		dr_school *s = &c->schools[i];
		s->kind = kind_of(s);
		s->village[0] = '\0';
		if (s->kind == DR_VILLAGE)
			village_of(c, s);
	}
}

/* The first school of kind in town (-2: anywhere), or -1. */
static int find_kind(const dr_county *c, int town, dr_kind kind)
{
	size_t i;
	for (i = 0; i < c->nschools; i++)
		if (c->schools[i].kind == kind && (town == -2 || c->schools[i].town == town))
			return (int)i;
	return -1;
}

/* The first school of town, xiaozhang's in the first town; -1 when none. */
int dr_first_of_town(const dr_county *c, int town)
{
	size_t i;
	for (i = 0; i < c->nschools; i++)
		if (c->schools[i].town == town)
			return (int)i;
	return -1;
}

/* s when it teaches stage, else a school of the town that does, else any. */
static int fit_stage(const dr_county *c, int s, int town, unsigned stage)
{
	unsigned bit = 1u << stage;
	size_t i;
	if (s >= 0 && (c->schools[s].stages & bit))
		return s;
	for (i = 0; i < c->nschools; i++)
		if (c->schools[i].town == town && (c->schools[i].stages & bit))
			return (int)i;
	for (i = 0; i < c->nschools; i++)
		if (c->schools[i].stages & bit)
			return (int)i;
	return -1;
}

/* ------------------------------------------------------------------ students: schools */

static int pre_school(dr_planner *pl, int t, int v)
{
	int vs = pl->villages[t][v].school;
	if (vs >= 0 && (pl->c->schools[vs].stages & 1) && dr_chance(pl, 600))
		return vs;
	return find_kind(pl->c, t, DR_KINDERGARTEN);
}

static int primary_school(dr_planner *pl, int t, int v, int disabled, int homebound)
{
	const dr_county *c = pl->c;
	int s, vs = pl->villages[t][v].school;
	if ((homebound || (disabled && dr_chance(pl, 500))) && (s = find_kind(c, -2, DR_SPECIAL)) >= 0)
		return s;
	if (vs >= 0 && dr_chance(pl, 750))
		return vs;
	if (c->towns[t].urban && dr_chance(pl, 300) && (s = find_kind(c, -2, DR_CITY_PRIMARY)) >= 0)
		return s;
	if (dr_chance(pl, 300) && (s = find_kind(c, t, DR_NINE_YEAR)) >= 0)
		return s;
	return find_kind(c, t, DR_CENTRE_PRIMARY);
}

/* The 高中 that also teaches 初中 (第二中学), or -1. */
static int high_with_junior(const dr_county *c)
{
	size_t i;
	for (i = 0; i < c->nschools; i++)
		if (c->schools[i].kind == DR_HIGH && (c->schools[i].stages & 4))
			return (int)i;
	return -1;
}

static int junior_school(dr_planner *pl, int t, int disabled, int homebound)
{
	const dr_county *c = pl->c;
	int s;
	if ((homebound || (disabled && dr_chance(pl, 500))) && (s = find_kind(c, -2, DR_SPECIAL)) >= 0)
		return s;
	if (c->towns[t].urban && dr_chance(pl, 200) && (s = high_with_junior(c)) >= 0)
		return s;
	if (dr_chance(pl, 350) && (s = find_kind(c, t, DR_NINE_YEAR)) >= 0)
		return s;
	return find_kind(c, t, DR_MIDDLE);
}

/* 第一中学 takes six in ten, and those outside the county and the graduates keep it. */
static int senior_school(dr_planner *pl, int place)
{
	int first = find_kind(pl->c, -2, DR_HIGH), second = high_with_junior(pl->c);
	if (place != DR_IN || second < 0 || second == first || dr_chance(pl, 600))
		return first;
	return second;
}

/* The school a student attends or, outside the county, belongs to at home. */
int dr_student_school(dr_planner *pl, size_t i, int disabled)
{
	const dr_scratch *sc = &pl->s[i];
	const dr_household *hh = &pl->p->households[pl->p->students[i].household];
	int t = hh->town, v = pl->hh_village[pl->p->students[i].household], s, out = sc->place == DR_OUT;
	switch (sc->level) {
	case DR_L_PRE:
		s = out ? find_kind(pl->c, t, DR_KINDERGARTEN) : pre_school(pl, t, v);
		break;
	case DR_L_PRIMARY:
		s = out ? find_kind(pl->c, t, DR_CENTRE_PRIMARY) : primary_school(pl, t, v, disabled, sc->homebound);
		break;
	case DR_L_JUNIOR:
		s = out ? find_kind(pl->c, t, DR_MIDDLE) : junior_school(pl, t, disabled, sc->homebound);
		break;
	case DR_L_SENIOR:
		s = senior_school(pl, sc->place);
		break;
	default:
		s = find_kind(pl->c, -2, DR_VOCATIONAL);
	}
	return fit_stage(pl->c, s, t, dr_level_stage(sc->level));
}
