/* demo_items.c - what happened to each rectification item of the demo year
 * after its visit was filed, played action by action through the
 * rectification layer (rect_db_act, as the API's actions do) on the dates it
 * happened: answers with photos drawn by libgd, returns, 销号, extension
 * requests and decisions, reopening after a 回头看. Most items get a life
 * chosen from their dates (closed on time, some late or returned once, recent
 * ones open or waiting for the inspector); featured ones the life planned. */
#include <gd.h>
#include <stdio.h>
#include <string.h>

#include "demo.h"
#include "demo_visits.h"
#include "evidence.h"
#include "rectifications.h"
#include "util.h"

#define DEMO_MAX_ACTS 8

/* ------------------------------------------------------------ photos */

int demo_photos_draw(demo_year *y)
{
	gdImagePtr im = gdImageCreateTrueColor(48, 36);
	const char *png, *jpeg;
	if (!im)
		return demo_fail(y->c, "drawing", "the demo photos", DB_ERR);
	gdImageFilledRectangle(im, 0, 0, 47, 21, gdTrueColor(142, 194, 232));   /* sky */
	gdImageFilledRectangle(im, 0, 22, 47, 35, gdTrueColor(96, 150, 84));    /* playground */
	gdImageFilledRectangle(im, 10, 10, 37, 27, gdTrueColor(236, 222, 190)); /* the school */
	gdImageFilledRectangle(im, 8, 6, 39, 10, gdTrueColor(178, 58, 48));     /* its roof */
	gdImageFilledRectangle(im, 21, 19, 26, 27, gdTrueColor(120, 80, 50));   /* the door */
	y->png = gdImagePngPtr(im, &y->png_len);
	y->jpeg = gdImageJpegPtr(im, &y->jpeg_len, 80);
	gdImageDestroy(im);
	png = y->png ? evidence_sniff(y->png, (size_t)y->png_len) : NULL;
	jpeg = y->jpeg ? evidence_sniff(y->jpeg, (size_t)y->jpeg_len) : NULL;
	if (!png || strcmp(png, "image/png") || !jpeg || strcmp(jpeg, "image/jpeg"))
		return demo_fail(y->c, "drawing", "the demo photos", DB_ERR);
	return 0;
}

void demo_photos_free(demo_year *y)
{
	if (y->png)
		gdFree(y->png);
	if (y->jpeg)
		gdFree(y->jpeg);
	y->png = y->jpeg = NULL;
}

int demo_photo(demo_year *y, size_t school, long long user, int jpeg, const char *filename, long long *id)
{
	const unsigned char *data = jpeg ? y->jpeg : y->png;
	size_t len = (size_t)(jpeg ? y->jpeg_len : y->png_len);
	char sha[65];
	evidence_file f = {.org_id = y->c->schools[school].org.id, .uploaded_by = user, .filename = filename,
			   .content_type = evidence_sniff(data, len), .sha256 = sha, .data = data, .size = len};
	db_status st;
	evidence_sha256(data, len, sha);
	if ((st = evidence_db_insert(y->c->d, &f, id)) != DB_OK)
		return demo_fail(y->c, "adding evidence", filename, st);
	return 0;
}

/* The school's two answer photos, uploaded by its principal when first needed. */
static int demo_answer_photos(demo_year *y, size_t school, long long principal)
{
	long long *p = y->photos[school];
	if (p[0])
		return 0;
	return demo_photo(y, school, principal, 0, "整改后现场照片.png", &p[0]) ||
	       demo_photo(y, school, principal, 1, "整改台账.jpg", &p[1]) ? -1 : 0;
}

/* ------------------------------------------------------------ what people write */

/* A principal's answer, by checklist item (demo_item_codes). */
static const char *const demo_answer_notes[DEMO_ITEMS] = {
	"已更新校务公开内容，完善管理制度和值日记录，附整改后照片",
	"已在校门口和校务公开栏公示收费项目、标准和依据，公布代收费收支明细",
	"已调整课表，开齐开足国家课程，补齐课程教案和活动记录，教务处每周检查",
	"已落实每天校内体育活动一小时，建立作业公示和统筹管理制度",
	"已组织教师签订师德师风承诺书，补齐校本研修和培训记录",
	"已完成安全隐患整改，设置警示标识，建立每周安全巡查制度",
	"已完成食堂、饮水和宿舍问题整改，建立相关台账并落实专人管理",
	"已开展班风学风专项整顿，更新校园文化宣传内容",
	"已补上资助政策宣传课，补齐教案和影像资料，补发“两信”并回收回执",
	"已与乡镇扶贫部门逐人核对，更新建档立卡学生台账并补齐缺项",
	"已逐一落实帮扶责任人，调整结对帮扶关系，完善帮扶手册",
	"已组织帮扶教师补充家访，完善家访记录并由家长签字确认",
	"已按要求重新公示资助名单（隐去身份证号等信息），公示期5个工作日，附公示照片",
	"已完善“一生一案”档案，落实劝返责任人并每月跟踪记录",
	"已补登食堂进货台账，营养餐资金单独建账核算，规范票据和食谱公示",
	"已将资助档案分类装盒，补齐签领表，纸质档案与电子档案逐一核对一致",
};
static const char demo_second_answer[] = "已按退回意见补充整改后的现场照片和相关台账复印件";
static const char *const demo_return_reasons[] = {
	"佐证材料不充分，请补充整改后的现场照片",
	"整改措施未落实到位，台账仍有缺项，请完善后重新提交",
	"提交的照片看不清公示日期和内容，请重新拍摄上传",
};
static const char *const demo_close_notes[] = {
	"经现场核查，整改到位，予以销号",
	"查阅佐证材料，整改完成，同意销号",
	"电话回访并核对照片，整改落实到位，予以销号",
};
/* Why a school asks for more time: building works (校园安全, 食堂宿舍), the aid
 * records (教育资助 items), everything else. */
static const char demo_extension_works[] = "涉及维修改造，须走政府采购和施工程序，无法按期完成，申请延期";
static const char demo_extension_aid[] = "需与乡镇扶贫部门逐户核对数据，工作量大，申请延期";
static const char demo_extension_other[] = "需修订制度并组织全体教师培训，时间较紧，申请延期";
static const char *const demo_approve_notes[] = {"同意延期，请按新期限完成整改", "情况属实，同意延期"};
static const char demo_refuse_reason[] = "整改难度不大，不同意延期，请抓紧落实";
static const char demo_reopen_reason[] = "回头看发现问题反弹，整改不彻底，重新整改";

/* ------------------------------------------------------------ scripts */

enum { BY_PRINCIPAL, BY_INSPECTOR, BY_HEAD };  /* who takes an action */

typedef struct {
	rect_action action;
	long day;
	int by;
	long deadline;       /* request and approval: the one asked for; reopen: the new one */
} demo_act;

typedef struct {
	uint64_t *rng;
	long found, deadline, today;
	demo_act a[DEMO_MAX_ACTS];
	size_t n;
} demo_script;

static long lmin(long a, long b) { return a < b ? a : b; }
static long lmax(long a, long b) { return a > b ? a : b; }

static void act(demo_script *s, rect_action action, long day, int by, long deadline)
{
	if (s->n < DEMO_MAX_ACTS)
		s->a[s->n++] = (demo_act){action, day, by, deadline};
}

/* Answered by the deadline, closed within ten days and by the day `until`. */
static int script_closed(demo_script *s, long until)
{
	long hi = lmin(s->deadline, until - 1), a;
	if (hi < s->found + 1)
		return -1;
	a = demo_pick(s->rng, s->found + 1, hi);
	act(s, RA_ANSWER, a, BY_PRINCIPAL, 0);
	act(s, RA_CLOSE, demo_pick(s->rng, a + 1, lmin(a + 10, until)), BY_INSPECTOR, 0);
	return 0;
}

/* Answered two to 25 days after the deadline, then closed. */
static int script_closed_late(demo_script *s)
{
	long lo = s->deadline + 2, hi = lmin(s->deadline + 25, s->today - 1), a;
	if (hi < lo)
		return -1;
	a = demo_pick(s->rng, lo, hi);
	act(s, RA_ANSWER, a, BY_PRINCIPAL, 0);
	act(s, RA_CLOSE, demo_pick(s->rng, a + 1, lmin(a + 7, s->today)), BY_INSPECTOR, 0);
	return 0;
}

/* Answered in the last ten days, waiting for the inspector. */
static int script_submitted(demo_script *s)
{
	long lo = lmax(s->found + 1, s->today - 10);
	if (lo > s->today)
		return -1;
	act(s, RA_ANSWER, demo_pick(s->rng, lo, s->today), BY_PRINCIPAL, 0);
	return 0;
}

/* Answered before the deadline, returned, answered again, closed. */
static int script_returned(demo_script *s)
{
	long hi = lmin(s->deadline - 1, s->today - 11), a, r, b;
	if (hi < s->found + 1)
		return -1;
	a = demo_pick(s->rng, s->found + 1, hi);
	r = a + demo_pick(s->rng, 1, 3);
	b = r + demo_pick(s->rng, 2, 4);
	act(s, RA_ANSWER, a, BY_PRINCIPAL, 0);
	act(s, RA_RETURN, r, BY_INSPECTOR, 0);
	act(s, RA_ANSWER, b, BY_PRINCIPAL, 0);
	act(s, RA_CLOSE, b + demo_pick(s->rng, 1, 3), BY_INSPECTOR, 0);
	return 0;
}

/* Closed before the 回头看 of `day`, which reopens it with a new deadline. */
static int script_reopened(demo_script *s, long day, long deadline)
{
	if (script_closed(s, day - 1) != 0)
		return -1;
	act(s, RA_REOPEN, day, BY_INSPECTOR, deadline);
	return 0;
}

/* An extension of 15-30 days asked before the deadline and approved by the
 * bureau head; answered after the original deadline, within the new one; closed. */
static int script_extended(demo_script *s)
{
	long hi = lmin(s->deadline - 1, s->today - 4), q, ap, d2, lo2, hi2, a;
	if (hi < s->found + 2)
		return -1;
	q = demo_pick(s->rng, s->found + 2, hi);
	ap = q + demo_pick(s->rng, 1, 2);
	d2 = s->deadline + demo_pick(s->rng, 15, 30);
	lo2 = lmax(s->deadline + 1, ap + 1);
	hi2 = lmin(d2, s->today - 1);
	if (hi2 < lo2)
		return -1;
	a = demo_pick(s->rng, lo2, hi2);
	act(s, RA_EXTENSION_REQUEST, q, BY_PRINCIPAL, d2);
	act(s, RA_EXTENSION_APPROVE, ap, BY_HEAD, d2);
	act(s, RA_ANSWER, a, BY_PRINCIPAL, 0);
	act(s, RA_CLOSE, demo_pick(s->rng, a + 1, lmin(a + 5, s->today)), BY_INSPECTOR, 0);
	return 0;
}

/* An extension asked in the last ten days and approved by the inspector; open
 * within the new deadline. */
static int script_extended_open(demo_script *s)
{
	long lo = lmax(s->found + 2, s->today - 10), hi = lmin(s->deadline - 1, s->today - 1), q, d2;
	if (hi < lo)
		return -1;
	q = demo_pick(s->rng, lo, hi);
	d2 = lmax(s->deadline + 15, s->today + 10) + demo_pick(s->rng, 0, 10);
	act(s, RA_EXTENSION_REQUEST, q, BY_PRINCIPAL, d2);
	act(s, RA_EXTENSION_APPROVE, lmin(q + demo_pick(s->rng, 1, 2), s->today), BY_INSPECTOR, d2);
	return 0;
}

/* An extension asked in the last five days, before the deadline, undecided. */
static int script_ext_pending(demo_script *s)
{
	long lo = lmax(s->found + 2, s->today - 5), hi = lmin(s->deadline - 1, s->today);
	if (hi < lo)
		return -1;
	act(s, RA_EXTENSION_REQUEST, demo_pick(s->rng, lo, hi), BY_PRINCIPAL, s->deadline + demo_pick(s->rng, 20, 40));
	return 0;
}

/* An extension refused by the bureau head; answered late and closed when there is time. */
static int script_ext_refused(demo_script *s)
{
	long hi = lmin(s->deadline - 1, s->today - 10), q, rf, lo2, hi2, a;
	if (hi < s->found + 2)
		return -1;
	q = demo_pick(s->rng, s->found + 2, hi);
	rf = q + demo_pick(s->rng, 1, 3);
	act(s, RA_EXTENSION_REQUEST, q, BY_PRINCIPAL, s->deadline + demo_pick(s->rng, 20, 40));
	act(s, RA_EXTENSION_REFUSE, rf, BY_HEAD, 0);
	lo2 = lmax(s->deadline + 2, rf + 1);
	hi2 = lmin(s->deadline + 20, s->today - 2);
	if (hi2 >= lo2) {
		a = demo_pick(s->rng, lo2, hi2);
		act(s, RA_ANSWER, a, BY_PRINCIPAL, 0);
		act(s, RA_CLOSE, demo_pick(s->rng, a + 1, lmin(a + 5, s->today)), BY_INSPECTOR, 0);
	}
	return 0;
}

/* The life of an ordinary item from its dates: most closed on time, some late
 * or after a return; past its deadline a few stay open (15% of those due in the
 * last 30 days, 2% of those due 31-120 days ago, none older); within its
 * deadline it is open, answered or already closed. */
static demo_fate demo_fate_auto(demo_script *s)
{
	long late = s->today - s->deadline;
	unsigned r = demo_rand_below(s->rng, 100);
	if (late <= 0)
		return s->today - s->found < 3 || r < 45 ? FATE_OPEN : r < 80 ? FATE_SUBMITTED : FATE_CLOSED;
	if (r < (late <= 30 ? 15u : late <= 120 ? 2u : 0u))
		return FATE_OPEN;
	r = demo_rand_below(s->rng, 100);
	if (late <= 10 && r < 30)
		return FATE_SUBMITTED;
	return r < 70 ? FATE_CLOSED : r < 84 ? FATE_CLOSED_LATE : FATE_RETURNED;
}

/* Writes the actions of fate into s. Returns 0, or -1 when the dates leave no room. */
static int demo_script_for(const demo_year *y, const demo_finding *f, demo_fate fate, long reopen_deadline,
			   demo_script *s)
{
	s->n = 0;
	switch (fate) {
	case FATE_OPEN: return 0;
	case FATE_SUBMITTED: return script_submitted(s);
	case FATE_CLOSED: return script_closed(s, s->today);
	case FATE_CLOSED_LATE: return script_closed_late(s);
	case FATE_RETURNED: return script_returned(s);
	case FATE_REOPENED:
		return f->reopen_featured < 0 ? -1
		       : script_reopened(s, y->v[y->featured_plan[f->reopen_featured]].day, reopen_deadline);
	case FATE_EXTENDED: return script_extended(s);
	case FATE_EXTENDED_OPEN: return script_extended_open(s);
	case FATE_EXT_PENDING: return script_ext_pending(s);
	case FATE_EXT_REFUSED: return script_ext_refused(s);
	default: return -1;
	}
}

/* ------------------------------------------------------------ playing a script */

/* The index of xiaozhang's school: the first school of the first town. */
static size_t demo_xiaozhang_school(const demo_ctx *c)
{
	size_t i;
	for (i = 0; i < c->nschools; i++)
		if (c->schools[i].town == 0)
			return i;
	return (size_t)-1;
}

/* Who takes an action on an item of visit v, with their role bit. */
static long long demo_actor(const demo_year *y, const demo_visit *v, int by, int *role)
{
	const demo_ctx *c = y->c;
	if (by == BY_PRINCIPAL) {
		*role = ROLE_PRINCIPAL;
		return v->school == demo_xiaozhang_school(c) ? c->logins[DEMO_LOGIN_PRINCIPAL]
							     : c->schools[v->school].principal_user;
	}
	*role = by == BY_HEAD ? ROLE_BUREAU_HEAD : ROLE_INSPECTOR;
	return by == BY_HEAD ? c->logins[DEMO_LOGIN_HEAD] : c->inspectors[v->inspector];
}

static const char *demo_extension_reason(int item)
{
	if (!strncmp(demo_item_codes[item], "ZZ", 2))
		return demo_extension_aid;
	return !strcmp(demo_item_codes[item], "GP6") || !strcmp(demo_item_codes[item], "GP7") ? demo_extension_works
											  : demo_extension_other;
}

/* The note or reason of an action; answers after a return say what was added. */
static const char *demo_note(demo_year *y, const demo_finding *f, const demo_act *a, int answered)
{
	switch (a->action) {
	case RA_ANSWER: return answered ? demo_second_answer : demo_answer_notes[demo_problems[f->problem].item];
	case RA_RETURN: return demo_return_reasons[demo_rand_below(&y->rng, COUNT(demo_return_reasons))];
	case RA_CLOSE: return demo_close_notes[demo_rand_below(&y->rng, COUNT(demo_close_notes))];
	case RA_EXTENSION_REQUEST: return demo_extension_reason(demo_problems[f->problem].item);
	case RA_EXTENSION_APPROVE: return demo_approve_notes[demo_rand_below(&y->rng, COUNT(demo_approve_notes))];
	case RA_EXTENSION_REFUSE: return demo_refuse_reason;
	case RA_REOPEN: return demo_reopen_reason;
	default: return NULL;
	}
}

/* Takes one action on *it as the API would, on its day; *ext carries an
 * extension request's id to its decision. */
static int demo_take(demo_year *y, const demo_visit *v, const demo_finding *f, const demo_act *a, int answered,
		     rect_item *it, long long *ext)
{
	char day[11], deadline[11];
	rect_change ch = {.action = a->action, .on_date = day, .extension_id = *ext};
	rect_item after;
	rect_state to;
	int role;
	db_status st;

	ch.user_id = demo_actor(y, v, a->by, &role);
	demo_day_text(a->day, day);
	if (a->deadline) {
		demo_day_text(a->deadline, deadline);
		ch.deadline = deadline;
	}
	if (a->action == RA_REOPEN)
		ch.visit_id = y->v[y->featured_plan[f->reopen_featured]].id;
	if (a->action == RA_ANSWER) {
		if (demo_answer_photos(y, v->school, ch.user_id) != 0)
			return -1;
		ch.evidence_ids = y->photos[v->school];
		ch.nevidence = answered ? 1 : 2;
	}
	ch.note = demo_note(y, f, a, answered);
	if (rectify_check(a->action, role, role == ROLE_PRINCIPAL, it->state, &to) != RV_OK)
		return demo_fail(y->c, "checking the action", rectify_action_name(a->action), DB_CONFLICT);
	if ((st = rect_db_act(y->c->d, &ch, it, to, &after)) != DB_OK)
		return demo_fail(y->c, "taking the action", rectify_action_name(a->action), st);
	*ext = ch.extension_id;
	*it = after;
	return 0;
}

/* Plans and plays the life of one item: featured ones as planned, the others
 * from their dates (falling back to closed, then open, when dates leave no room). */
static int demo_item_life(demo_year *y, const rectify_rules *rules, const demo_visit *v, const demo_finding *f)
{
	demo_script s = {.rng = &y->rng, .found = v->day, .today = y->today};
	demo_fate fate = f->fate;
	rect_item it;
	long long ext = 0;
	long reopen_deadline, prev;
	size_t i;
	int answered = 0;
	db_status st = rect_db_load(y->c->d, y->c->bureau.path, f->item_id, &it);

	if (st != DB_OK)
		return demo_fail(y->c, "loading", "a rectification item", st);
	s.deadline = date_to_days(it.deadline);
	reopen_deadline = (f->reopen_featured >= 0 ? y->v[y->featured_plan[f->reopen_featured]].day : 0) +
			  rules->deadline_days[it.severity];
	if (fate == FATE_AUTO && demo_script_for(y, f, demo_fate_auto(&s), 0, &s) != 0 &&
	    demo_script_for(y, f, FATE_CLOSED, 0, &s) != 0)
		s.n = 0;
	else if (fate != FATE_AUTO && demo_script_for(y, f, fate, reopen_deadline, &s) != 0)
		return demo_fail(y->c, "planning", "the life of a featured item", DB_ERR);
	for (i = 0, prev = s.found; i < s.n; prev = s.a[i++].day) {
		if (s.a[i].day < prev || s.a[i].day > y->today)
			return demo_fail(y->c, "dating", rectify_action_name(s.a[i].action), DB_ERR);
		if (demo_take(y, v, f, &s.a[i], answered, &it, &ext) != 0)
			return -1;
		answered += s.a[i].action == RA_ANSWER;
	}
	return 0;
}

int demo_items_run(demo_year *y)
{
	rectify_rules rules;
	size_t i, k;
	db_status st = rect_db_rules(y->c->d, &rules);
	if (st != DB_OK)
		return demo_fail(y->c, "reading", "the rectification rules", st);
	for (i = 0; i < y->nv; i++)
		for (k = 0; k < y->v[i].nfindings; k++)
			if (demo_item_life(y, &rules, &y->v[i], &y->v[i].f[k]) != 0)
				return -1;
	return 0;
}
