/* demo_visits.c - the demo county's year of inspection before "today": the
 * inspectors (one per group of towns), about two 经常性督导 per school per
 * semester with gaps, 专项督导 campaigns led by the bureau head, 回头看
 * re-checks, and a dozen featured visits that make sure every kind of
 * rectification item is there. Visits are written and filed through the
 * visits layer, as the API does; demo_items.c then plays each item's life. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "demo.h"
#include "demo_visits.h"
#include "rectify.h"
#include "templates.h"
#include "util.h"
#include "visits.h"

#define DEMO_VISITS_SEED 0x2026D0DA0515ULL
#define DEMO_MAX_SCHOOL_DAYS 400
#define DEMO_CAMPAIGN_SCHOOLS 7   /* 专项督导 visits per semester */
#define DEMO_NEAR_FEATURED 7      /* days: no routine visit this close to a featured one */
#define DEMO_TEXT_MAX 600

const char *const demo_item_codes[DEMO_ITEMS] = {
	"GP1", "GP2", "GP3", "GP4", "GP5", "GP6", "GP7", "GP8",
	"ZZ1", "ZZ2", "ZZ3", "ZZ4", "ZZ5", "ZZ6", "ZZ7", "ZZ8",
};
enum { I_GP1, I_GP2, I_GP3, I_GP4, I_GP5, I_GP6, I_GP7, I_GP8,
       I_ZZ1, I_ZZ2, I_ZZ3, I_ZZ4, I_ZZ5, I_ZZ6, I_ZZ7, I_ZZ8 };
enum { S1 = SEV_GENERAL, S2 = SEV_SERIOUS, S3 = SEV_SEVERE };
enum { ANY = 0, BOARD = DEMO_NEEDS_BOARDING, COMP = DEMO_NEEDS_COMPULSORY, PRIM = DEMO_NEEDS_PRIMARY };

/* What inspectors write down, by checklist item. */
const demo_problem demo_problems[] = {
	{I_GP1, S1, ANY, "校务公开栏内容未及时更新，仍为上学期信息"},
	{I_GP1, S1, ANY, "学校章程修订后未按程序报备，部分管理制度未上墙"},
	{I_GP1, S1, ANY, "行政值日记录不完整，部分周次缺少值日领导签字"},
	{I_GP2, S2, ANY, "{学期}收费项目及标准未在校门口公示"},
	{I_GP2, S1, ANY, "代收作业本费未向家长公布收支明细"},
	{I_GP3, S2, PRIM, "五、六年级科学课每周少开1课时"},
	{I_GP3, S2, COMP, "音乐、美术课存在被语文、数学课挤占现象"},
	{I_GP3, S1, ANY, "综合实践活动课程无教案、无活动记录"},
	{I_GP4, S2, ANY, "学生每天校内体育活动时间不足1小时"},
	{I_GP4, S1, COMP, "部分班级书面作业量超过规定时长，未建立作业公示制度"},
	{I_GP5, S1, ANY, "教师师德师风承诺书签订不全"},
	{I_GP5, S1, ANY, "校本研修记录缺失，部分教师未完成年度培训学时"},
	{I_GP6, S3, ANY, "教学楼二楼消防通道堆放杂物"},
	{I_GP6, S3, ANY, "部分灭火器压力不足、已过检验期"},
	{I_GP6, S2, ANY, "校门口未设置减速带和交通警示标识"},
	{I_GP6, S1, ANY, "安全隐患排查记录未按周填写"},
	{I_GP7, S3, BOARD, "学生宿舍床铺间距不足，消防逃生通道不畅"},
	{I_GP7, S3, ANY, "食堂留样不足48小时，留样记录不全"},
	{I_GP7, S2, ANY, "饮水机滤芯未按期更换，无更换记录"},
	{I_GP7, S2, ANY, "食堂2名从业人员健康证已过期"},
	{I_GP8, S1, ANY, "部分班级课堂纪律松散，学生上课使用手机"},
	{I_GP8, S1, ANY, "校园文化建设滞后，宣传栏内容陈旧"},
	{I_ZZ1, S1, ANY, "{学期}资助政策宣传课无教案和影像资料"},
	{I_ZZ1, S2, ANY, "“两信”发放记录不全，“两回执”回收率不足80%"},
	{I_ZZ1, S1, ANY, "校内未张贴资助政策宣传海报和咨询电话"},
	{I_ZZ2, S1, ANY, "部分学生档案缺少家访记录"},
	{I_ZZ2, S3, ANY, "建档立卡学生台账与扶贫部门数据不一致，相差3人"},
	{I_ZZ2, S2, ANY, "台账未动态更新，2名已转学学生仍在册"},
	{I_ZZ2, S1, ANY, "脱贫家庭学生台账缺少家庭人口、收入等关键信息"},
	{I_ZZ3, S3, ANY, "3名建档立卡学生未落实帮扶责任人"},
	{I_ZZ3, S2, ANY, "帮扶教师调离后未及时调整结对帮扶关系"},
	{I_ZZ3, S1, ANY, "帮扶手册填写简单，无具体帮扶措施"},
	{I_ZZ4, S2, ANY, "{学期}家访记录不全，部分帮扶学生未家访"},
	{I_ZZ4, S1, ANY, "家访记录照片与文字不符，记录流于形式"},
	{I_ZZ4, S1, ANY, "家访记录缺少家长签字"},
	{I_ZZ5, S2, ANY, "{学期}资助名单未按要求公示"},
	{I_ZZ5, S3, ANY, "资助公示内容含学生身份证号码全号，泄露学生隐私"},
	{I_ZZ5, S1, ANY, "资助名单公示期不足5个工作日"},
	{I_ZZ6, S3, COMP, "1名辍学学生未建立“一生一案”档案"},
	{I_ZZ6, S2, COMP, "劝返复学学生跟踪记录不全"},
	{I_ZZ6, S1, COMP, "控辍保学月报数据与学籍系统不一致"},
	{I_ZZ7, S2, COMP, "食堂进货台账登记不全"},
	{I_ZZ7, S3, COMP, "营养餐资金与食堂其他经费未分账核算"},
	{I_ZZ7, S1, COMP, "营养餐票据不规范，部分票据无供货商签字"},
	{I_ZZ7, S1, COMP, "营养餐带量食谱未公示"},
	{I_ZZ8, S1, ANY, "扶贫资助工作档案未分类装盒"},
	{I_ZZ8, S1, ANY, "资助档案纸质版与电子版不一致"},
	{I_ZZ8, S2, ANY, "资助资金发放签领表缺少学生家长签字"},
};
const size_t demo_nproblems = COUNT(demo_problems);

/* How often each severity is written down, in percent: 一般 55, 较重 33, 严重 12. */
static const unsigned demo_severity_share[SEV_COUNT] = {55, 33, 12};

/* ------------------------------------------------------------ inspectors */

/* Who visits where: duxue (demo.c's login) the county seat, the others a group
 * of towns each. The tree has no 责任区 level, so their scope is the bureau. */
static const struct {
	const char *username;   /* NULL: the login duxue */
	size_t first_town, last_town;
	int direct;             /* also the schools directly under the bureau */
} demo_inspector_specs[] = {
	{NULL, 0, 0, 0},
	{"duxue2", 1, 3, 0},
	{"duxue3", 4, 6, 0},
	{"duxue4", 7, 9, 0},
	{"duxue5", 10, 11, 1},
};

int demo_step_inspectors(demo_ctx *c)
{
	uint64_t rng = DEMO_VISITS_SEED ^ 0x15;
	char name[32];
	size_t i;

	c->inspectors[0] = c->logins[DEMO_LOGIN_INSPECTOR];
	c->ninspectors = 1;
	for (i = 1; i < COUNT(demo_inspector_specs) && i < DEMO_MAX_INSPECTORS; i++) {
		if (demo_person_name(&rng, name, sizeof(name)) != 0)
			return demo_fail(c, "naming", demo_inspector_specs[i].username, DB_ERR);
		if (demo_add_user(c, demo_inspector_specs[i].username, name, "inspector", c->bureau.id,
				  &c->inspectors[i]) != 0)
			return -1;
		c->ninspectors = i + 1;
	}
	return 0;
}

/* The inspector (index in c->inspectors) responsible for a school. */
static size_t demo_inspector_of(const demo_ctx *c, size_t school)
{
	size_t i, town = c->schools[school].town;
	for (i = 0; i < c->ninspectors && i < COUNT(demo_inspector_specs); i++)
		if (town == DEMO_DIRECT ? demo_inspector_specs[i].direct
					: town >= demo_inspector_specs[i].first_town && town <= demo_inspector_specs[i].last_town)
			return i;
	return 0;
}

/* ------------------------------------------------------------ dates */

long demo_pick(uint64_t *rng, long lo, long hi)
{
	return hi <= lo ? lo : lo + (long)demo_rand_below(rng, (unsigned)(hi - lo + 1));
}

void demo_day_text(long day, char out[11])
{
	date_from_days(day, out);
}

/* Monday 0 .. Sunday 6 (1970-01-01 was a Thursday). */
static int demo_weekday(long day)
{
	return (int)((day + 3) % 7);
}

/* A school day: Monday to Friday outside the winter (20 January - 25 February)
 * and summer (10 July - 31 August) holidays. */
static int demo_school_day(long day)
{
	char d[11];
	const char *md = d + 5;
	demo_day_text(day, d);
	if (demo_weekday(day) >= 5)
		return 0;
	return !((strcmp(md, "01-20") >= 0 && strcmp(md, "02-25") <= 0) ||
		 (strcmp(md, "07-10") >= 0 && strcmp(md, "08-31") <= 0));
}

/* The school days of [from, to] into days[]; returns how many. */
static size_t demo_school_days(long from, long to, long *days, size_t max)
{
	size_t n = 0;
	long d;
	for (d = from; d <= to && n < max; d++)
		if (demo_school_day(d))
			days[n++] = d;
	return n;
}

/* ------------------------------------------------------------ the plan */

static demo_visit *demo_plan_add(demo_year *y, size_t school, long day, int kind)
{
	demo_visit *v;
	if (y->nv == y->cap) {
		y->cap = y->cap ? y->cap * 2 : 256;
		y->v = xrealloc(y->v, y->cap * sizeof(*y->v));
	}
	v = &y->v[y->nv++];
	memset(v, 0, sizeof(*v));
	v->school = school;
	v->day = day;
	v->kind = kind;
	v->inspector = demo_inspector_of(y->c, school);
	v->featured = -1;
	v->recheck_item = -1;
	return v;
}

/* Can problem p be found at school s? */
static int demo_problem_fits(const demo_problem *p, const demo_school *s)
{
	int compulsory = strstr(s->stages, "小学") || strstr(s->stages, "初中");
	if ((p->needs & DEMO_NEEDS_BOARDING) && !s->boarding)
		return 0;
	if ((p->needs & DEMO_NEEDS_COMPULSORY) && !compulsory)
		return 0;
	return !(p->needs & DEMO_NEEDS_PRIMARY) || strstr(s->stages, "小学") != NULL;
}

/* Is the checklist item not applicable at the school (控辍保学 and 营养餐 outside 义务教育)? */
static int demo_item_na(int item, const demo_school *s)
{
	return (item == I_ZZ6 || item == I_ZZ7) && !strstr(s->stages, "小学") && !strstr(s->stages, "初中");
}

/* Can visit v write down problem p: it fits the school, its item is not used
 * on the visit yet and, for aid_only, it is an education-aid item. */
static int demo_problem_free(const demo_year *y, const demo_visit *v, const demo_problem *p, int aid_only)
{
	size_t k;
	for (k = 0; k < v->nfindings; k++)
		if (demo_problems[v->f[k].problem].item == p->item)
			return 0;
	return demo_problem_fits(p, &y->c->schools[v->school]) && (!aid_only || p->item >= I_ZZ1);
}

/* The number of free problems for v of severity sev (-1: any), and the k-th of them in *nth. */
static size_t demo_free_problems(const demo_year *y, const demo_visit *v, int aid_only, int sev, size_t k,
				 int *nth)
{
	size_t i, n = 0;
	for (i = 0; i < demo_nproblems; i++)
		if ((sev < 0 || demo_problems[i].severity == sev) && demo_problem_free(y, v, &demo_problems[i], aid_only))
			if (n++ == k)
				*nth = (int)i;
	return n;
}

/* Draws a free problem for v: a severity by its share, then one of its problems
 * (any severity when none is free). Returns its index, or -1. */
static int demo_draw_problem(demo_year *y, const demo_visit *v, int aid_only)
{
	unsigned r = demo_rand_below(&y->rng, 100);
	int sev = r < demo_severity_share[0] ? 0 : r < demo_severity_share[0] + demo_severity_share[1] ? 1 : 2, p = -1;
	size_t n = demo_free_problems(y, v, aid_only, sev, (size_t)-1, &p);
	if (n == 0 && (n = demo_free_problems(y, v, aid_only, sev = -1, (size_t)-1, &p)) == 0)
		return -1;
	demo_free_problems(y, v, aid_only, sev, demo_rand_below(&y->rng, (unsigned)n), &p);
	return p;
}

/* Adds n drawn findings (their lives chosen later from their dates). */
static void demo_draw_findings(demo_year *y, demo_visit *v, size_t n, int aid_only)
{
	while (v->nfindings < n && v->nfindings < DEMO_VISIT_FINDINGS) {
		int p = demo_draw_problem(y, v, aid_only);
		if (p < 0)
			return;
		v->f[v->nfindings++] = (demo_finding){.problem = p, .fate = FATE_AUTO, .reopen_featured = -1};
	}
}

/* How many findings a routine visit makes: none 35%, one 35%, two 20%, three 10%. */
static size_t demo_routine_findings(uint64_t *rng)
{
	unsigned r = demo_rand_below(rng, 100);
	return r < 35 ? 0 : r < 70 ? 1 : r < 90 ? 2 : 3;
}

/* ------------------------------------------------------------ featured visits */

enum { KIND_ROUTINE, KIND_SPECIAL, KIND_RECHECK }; /* the order of visit_kinds */

/* Visits at fixed distances from today that make sure every case is there:
 * xiaozhang's inbox (one due within three days, one 通报, an extension request),
 * answers for duxue to verify, a reopening by a 回头看, approved and refused
 * extensions, 约谈 and 通报 items, a return. */
typedef struct {
	size_t town;        /* DEMO_DIRECT: the schools under the bureau */
	size_t nth;         /* the town's nth school: 0 中心小学, 1 中学, 2 中心幼儿园, 3 the next */
	int days_ago;       /* moved back to a weekday */
	int kind;
	int head;           /* led by the bureau head */
	int recheck_item;   /* a 回头看's 不符合 answer, or -1 */
	size_t nf;
	struct {
		int item, severity;
		demo_fate fate;
		int reopen_featured;
	} f[DEMO_VISIT_FINDINGS];
} demo_featured;

static const demo_featured demo_featured_visits[] = {
	{0, 0, 12, KIND_ROUTINE, 0, -1, 2, {{I_ZZ4, S2, FATE_OPEN, -1}, {I_GP6, S2, FATE_EXT_PENDING, -1}}},
	{0, 0, 35, KIND_ROUTINE, 0, -1, 3,
	 {{I_ZZ5, S2, FATE_OPEN, -1}, {I_GP1, S1, FATE_SUBMITTED, -1}, {I_ZZ2, S3, FATE_CLOSED, -1}}},
	{0, 1, 130, KIND_ROUTINE, 0, -1, 1, {{I_ZZ7, S1, FATE_REOPENED, 3}}},
	{0, 1, 25, KIND_RECHECK, 0, I_ZZ7, 0, {{0}}},
	{0, 2, 20, KIND_ROUTINE, 0, -1, 2, {{I_GP7, S2, FATE_SUBMITTED, -1}, {I_GP1, S1, FATE_OPEN, -1}}},
	{2, 0, 75, KIND_ROUTINE, 0, -1, 1, {{I_GP6, S2, FATE_EXTENDED, -1}}},
	{4, 1, 20, KIND_ROUTINE, 0, -1, 1, {{I_GP4, S1, FATE_EXTENDED_OPEN, -1}}},
	{7, 0, 70, KIND_SPECIAL, 1, -1, 1, {{I_ZZ3, S2, FATE_OPEN, -1}}},
	{8, 3, 95, KIND_ROUTINE, 0, -1, 1, {{I_ZZ6, S1, FATE_OPEN, -1}}},
	{11, 1, 160, KIND_ROUTINE, 0, -1, 1, {{I_GP7, S3, FATE_OPEN, -1}}},
	{3, 3, 38, KIND_ROUTINE, 0, -1, 1, {{I_ZZ1, S2, FATE_OPEN, -1}}},
	{5, 0, 60, KIND_ROUTINE, 0, -1, 1, {{I_ZZ8, S2, FATE_EXT_REFUSED, -1}}},
	{DEMO_DIRECT, 0, 50, KIND_SPECIAL, 1, -1, 1, {{I_ZZ5, S3, FATE_RETURNED, -1}}},
};

/* The index of the nth school of a town (or of the bureau's own), or -1. */
static long demo_school_in_town(const demo_ctx *c, size_t town, size_t nth)
{
	size_t i, seen = 0;
	for (i = 0; i < c->nschools; i++)
		if (c->schools[i].town == town && seen++ == nth)
			return (long)i;
	return -1;
}

/* The first problem of an item and severity that fits the school, or -1. */
static int demo_problem_of(const demo_school *s, int item, int severity)
{
	size_t i;
	for (i = 0; i < demo_nproblems; i++)
		if (demo_problems[i].item == item && demo_problems[i].severity == severity &&
		    demo_problem_fits(&demo_problems[i], s))
			return (int)i;
	return -1;
}

static int demo_plan_featured(demo_year *y)
{
	size_t i, k;
	for (i = 0; i < COUNT(demo_featured_visits) && i < COUNT(y->featured_plan); i++) {
		const demo_featured *fv = &demo_featured_visits[i];
		long school = demo_school_in_town(y->c, fv->town, fv->nth), day = y->today - fv->days_ago;
		demo_visit *v;
		if (school < 0)
			return demo_fail(y->c, "finding", "a school of a featured visit", DB_NOT_FOUND);
		while (demo_weekday(day) >= 5)
			day--;
		v = demo_plan_add(y, (size_t)school, day, fv->kind);
		v->with_head = fv->head;
		v->featured = (int)i;
		v->recheck_item = fv->recheck_item;
		for (k = 0; k < fv->nf; k++) {
			int p = demo_problem_of(&y->c->schools[school], fv->f[k].item, fv->f[k].severity);
			if (p < 0)
				return demo_fail(y->c, "finding", "the problem of a featured visit", DB_NOT_FOUND);
			v->f[v->nfindings++] = (demo_finding){.problem = p, .fate = fv->f[k].fate,
							      .reopen_featured = fv->f[k].reopen_featured};
		}
	}
	return 0;
}

/* Is a featured visit of the school within DEMO_NEAR_FEATURED days of day? */
static int demo_near_featured(const demo_year *y, size_t school, long day)
{
	size_t i;
	for (i = 0; i < y->nv; i++)
		if (y->v[i].featured >= 0 && y->v[i].school == school && labs(y->v[i].day - day) <= DEMO_NEAR_FEATURED)
			return 1;
	return 0;
}

/* ------------------------------------------------------------ routine, campaigns, re-checks */

/* Routine visits of every school in the n school days of a semester that fall
 * in the year: two for most schools, three for some, one for about one in eight
 * (the gaps that visit compliance shows); none in a part too short to visit.
 * full: the semester's school days when the year starts inside it (the visits
 * before are not in the demo), else 0. */
static void demo_plan_routine(demo_year *y, const long *days, size_t n, size_t full)
{
	size_t s, k;
	for (s = 0; s < y->c->nschools; s++) {
		unsigned r = demo_rand_below(&y->rng, 100);
		size_t want = r < 12 ? 1 : r < 82 ? 2 : 3;
		if (full)
			want = (want * n + full / 2) / full;
		if (n < 8)
			want = 0;
		else if (n < 25 && want > 1)
			want = 1;
		for (k = 0; k < want; k++) {
			long day = days[demo_pick(&y->rng, (long)(k * n / want), (long)((k + 1) * n / want) - 1)];
			if (!demo_near_featured(y, s, day))
				demo_draw_findings(y, demo_plan_add(y, s, day, KIND_ROUTINE), demo_routine_findings(&y->rng), 0);
		}
	}
}

/* A 专项督导 of education aid in the middle third of a semester's school days:
 * the bureau head with the school's inspector, at a few schools. */
static void demo_plan_campaign(demo_year *y, const long *days, size_t n)
{
	size_t k;
	if (n < 40)
		return;
	for (k = 0; k < DEMO_CAMPAIGN_SCHOOLS; k++) {
		size_t s = demo_rand_below(&y->rng, (unsigned)y->c->nschools);
		long day = days[demo_pick(&y->rng, (long)n / 3, (long)(2 * n / 3))];
		demo_visit *v = demo_plan_add(y, s, day, KIND_SPECIAL);
		v->with_head = 1;
		demo_draw_findings(y, v, 1 + demo_rand_below(&y->rng, 3), 1);
	}
}

/* A 回头看 four to seven weeks after about one in seven routine visits that
 * found problems; a quarter of them find something new. */
static void demo_plan_rechecks(demo_year *y)
{
	size_t i, n = y->nv;
	for (i = 0; i < n; i++) {
		demo_visit v = y->v[i], *w;
		long day;
		if (v.kind != KIND_ROUTINE || v.featured >= 0 || v.nfindings == 0 || demo_rand_below(&y->rng, 100) >= 15)
			continue;
		day = v.day + demo_pick(&y->rng, 28, 50);
		while (day < y->today && !demo_school_day(day))
			day++;
		if (day >= y->today || demo_near_featured(y, v.school, day))
			continue;
		w = demo_plan_add(y, v.school, day, KIND_RECHECK);
		w->inspector = v.inspector;
		if (demo_rand_below(&y->rng, 100) < 25)
			demo_draw_findings(y, w, 1, 0);
	}
}

/* By date, then school, kind and the order of planning. */
static int demo_visit_cmp(const void *a, const void *b)
{
	const demo_visit *x = a, *z = b;
	if (x->day != z->day)
		return x->day < z->day ? -1 : 1;
	if (x->school != z->school)
		return x->school < z->school ? -1 : 1;
	if (x->kind != z->kind)
		return x->kind < z->kind ? -1 : 1;
	return x->seq < z->seq ? -1 : x->seq > z->seq;
}

/* The whole year: featured visits, then semester by semester the routine visits
 * and a campaign, then the re-checks; sorted by date. */
static int demo_plan(demo_year *y)
{
	long days[DEMO_MAX_SCHOOL_DAYS], day = y->today - 364, start, end;
	char text[11];
	semester s;
	size_t i, n, full;

	if (demo_plan_featured(y) != 0)
		return -1;
	while (day <= y->today) {
		demo_day_text(day, text);
		if (semester_of(text, &s) != 0)
			return demo_fail(y->c, "finding", "the semester of a visit", DB_ERR);
		start = date_to_days(s.start);
		end = date_to_days(s.end);
		full = day > start ? demo_school_days(start, end, days, COUNT(days)) : 0;
		n = demo_school_days(day, end < y->today ? end : y->today, days, COUNT(days));
		demo_plan_routine(y, days, n, full);
		demo_plan_campaign(y, days, n);
		day = end + 1;
	}
	demo_plan_rechecks(y);
	for (i = 0; i < y->nv; i++)
		y->v[i].seq = i;
	qsort(y->v, y->nv, sizeof(*y->v), demo_visit_cmp);
	for (i = 0; i < y->nv; i++)
		if (y->v[i].featured >= 0)
			y->featured_plan[y->v[i].featured] = (long)i;
	return 0;
}

/* ------------------------------------------------------------ writing the visits */

/* The problem's text with "{学期}" replaced by the semester of date. */
static void demo_problem_text(const demo_problem *p, const char *date, char out[DEMO_TEXT_MAX])
{
	static const char token[] = "{学期}";
	const char *at = strstr(p->text, token);
	semester s;
	if (!at || semester_of(date, &s) != 0) {
		str_copy(out, DEMO_TEXT_MAX, p->text);
		return;
	}
	snprintf(out, DEMO_TEXT_MAX, "%.*s%s%s", (int)(at - p->text), p->text, s.name, at + sizeof(token) - 1);
}

/* One answer per checklist item: 不符合 where the visit found something, 不适用
 * where the item does not apply, 符合 elsewhere. */
static void demo_visit_answers(const demo_year *y, const demo_visit *v, visit_answer *a)
{
	static const char *const numbers[] = {"详见问题清单第1条", "详见问题清单第2条", "详见问题清单第3条"};
	const demo_school *s = &y->c->schools[v->school];
	size_t i, k;
	for (i = 0; i < DEMO_ITEMS; i++) {
		a[i] = (visit_answer){.item_id = y->item_ids[i], .result = 0, .note = ""};
		if (demo_item_na((int)i, s)) {
			a[i].result = 2;
			a[i].note = "非义务教育学校，不适用";
		}
		if (v->recheck_item == (int)i) {
			a[i].result = 1;
			a[i].note = "复查发现整改不彻底，问题反弹";
		}
		for (k = 0; k < v->nfindings; k++)
			if (demo_problems[v->f[k].problem].item == (int)i) {
				a[i].result = 1;
				a[i].note = numbers[k];
			}
	}
}

/* The findings with their texts; a 严重 one carries the inspector's photo. */
static int demo_visit_findings(demo_year *y, const demo_visit *v, const char *date, long long by,
			       visit_finding *f, char texts[][DEMO_TEXT_MAX])
{
	size_t k;
	for (k = 0; k < v->nfindings; k++) {
		const demo_problem *p = &demo_problems[v->f[k].problem];
		demo_problem_text(p, date, texts[k]);
		memset(&f[k], 0, sizeof(f[k]));
		f[k].item_id = y->item_ids[p->item];
		f[k].severity = p->severity;
		f[k].description = texts[k];
		if (p->severity == SEV_SEVERE) {
			if (demo_photo(y, v->school, by, 1, "现场照片.jpg", &f[k].evidence_ids[0]) != 0)
				return -1;
			f[k].nevidence = 1;
		}
	}
	return 0;
}

static void demo_visit_summary(const demo_visit *v, char out[DEMO_TEXT_MAX])
{
	if (v->kind == KIND_SPECIAL)
		snprintf(out, DEMO_TEXT_MAX, "教育资助工作专项督导：核查资助政策宣传、建档立卡台账、结对帮扶、资助公示和档案管理，"
			 "发现问题%zu个，已当场反馈。", v->nfindings);
	else if (v->kind == KIND_RECHECK)
		snprintf(out, DEMO_TEXT_MAX, "对前期督导发现问题的整改情况开展回头看，逐项核查佐证材料并实地查看。%s",
			 v->nfindings || v->recheck_item >= 0 ? "发现问题反弹或新问题，已要求学校限期整改。" : "整改总体到位。");
	else if (v->nfindings)
		snprintf(out, DEMO_TEXT_MAX, "经常性督导：查阅资料，实地查看校园、教室和食堂，发现问题%zu个，"
			 "已当场向学校反馈并提出整改要求。", v->nfindings);
	else
		snprintf(out, DEMO_TEXT_MAX, "经常性督导：查阅资料，实地查看校园、教室和食堂，未发现问题。");
}

/* Writes and files one visit through the visits layer, as POST /visits with
 * file: true does, dated on its day. */
static int demo_insert_visit(demo_year *y, demo_visit *v)
{
	demo_ctx *c = y->c;
	visit_answer answers[DEMO_ITEMS];
	visit_finding findings[DEMO_VISIT_FINDINGS];
	char date[11], summary[DEMO_TEXT_MAX], texts[DEMO_VISIT_FINDINGS][DEMO_TEXT_MAX];
	long long by = v->with_head ? c->logins[DEMO_LOGIN_HEAD] : c->inspectors[v->inspector];
	long long items[DEMO_VISIT_FINDINGS] = {0};
	visit_input in = {.school_id = c->schools[v->school].org.id, .template_id = y->template_id,
			  .visit_date = date, .summary = summary, .kind = v->kind, .has_inspectors = 1,
			  .has_answers = 1, .answers = answers, .nanswers = DEMO_ITEMS, .has_findings = 1,
			  .findings = findings, .nfindings = v->nfindings};
	visit_row row = {.school_id = in.school_id, .version = 1};
	db_status st;
	size_t k;

	demo_day_text(v->day, date);
	in.inspector_ids[in.ninspectors++] = c->inspectors[v->inspector];
	if (v->with_head)
		in.inspector_ids[in.ninspectors++] = c->logins[DEMO_LOGIN_HEAD];
	demo_visit_answers(y, v, answers);
	demo_visit_summary(v, summary);
	if (demo_visit_findings(y, v, date, by, findings, texts) != 0)
		return -1;
	str_copy(row.visit_date, sizeof(row.visit_date), date);
	if ((st = visits_db_insert(c->d, &in, by, &row.id)) != DB_OK ||
	    (st = visits_db_file(c->d, &row, by, date, items)) != DB_OK)
		return demo_fail(c, "adding the visit of", date, st);
	v->id = row.id;
	for (k = 0; k < v->nfindings; k++)
		v->f[k].item_id = items[k];
	return 0;
}

/* The default template and its items by code. */
static int demo_template(demo_year *y)
{
	json_t *t = NULL, *it;
	size_t i, k, found = 0;
	db_status st = templates_db_default(y->c->d, &y->template_id);
	if (st == DB_OK)
		st = templates_db_get(y->c->d, y->template_id, &t);
	if (st != DB_OK)
		return demo_fail(y->c, "reading", "the default checklist", st);
	json_array_foreach(json_object_get(t, "items"), i, it) {
		const char *code = json_string_value(json_object_get(it, "code"));
		for (k = 0; code && k < DEMO_ITEMS; k++)
			if (!strcmp(code, demo_item_codes[k])) {
				y->item_ids[k] = json_integer_value(json_object_get(it, "id"));
				found++;
			}
	}
	json_decref(t);
	if (found != DEMO_ITEMS)
		return demo_fail(y->c, "finding", "the items GP1..ZZ8 of the default checklist", DB_NOT_FOUND);
	return 0;
}

int demo_step_visits(demo_ctx *c)
{
	demo_year *y = xcalloc(1, sizeof(*y));
	size_t i;
	int rc = 0;

	y->c = c;
	y->rng = DEMO_VISITS_SEED;
	y->today = date_to_days(c->today);
	if (demo_template(y) != 0 || demo_photos_draw(y) != 0 || demo_plan(y) != 0)
		rc = -1;
	for (i = 0; rc == 0 && i < y->nv; i++)
		rc = demo_insert_visit(y, &y->v[i]);
	if (rc == 0)
		rc = demo_items_run(y);
	demo_photos_free(y);
	free(y->v);
	free(y);
	return rc;
}
