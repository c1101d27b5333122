/* test_rectify.c - the rectification rules: every transition of the life cycle
 * by role and school, overdue and escalation at the boundaries (day 0, 1, 14,
 * 15, 29, 30), default deadlines, the admin's settings and the ledger sentence. */
#include <string.h>

#include "harness.h"
#include "http.h"
#include "rectify.h"

static const int all_roles[] = {ROLE_ADMIN, ROLE_BUREAU_HEAD, ROLE_INSPECTOR, ROLE_AID_OFFICER, ROLE_PRINCIPAL};
#define NROLES (sizeof(all_roles) / sizeof(all_roles[0]))

/* The life cycle of DESIGN.md restated: the state after the action, or -1 when
 * the action is not allowed from that state (ignoring roles). */
static int spec_next(rect_action a, rect_state s)
{
	int open = s == RS_OPEN || s == RS_REOPENED;
	switch (a) {
	case RA_ANSWER: return open ? RS_SUBMITTED : -1;
	case RA_RETURN: return s == RS_SUBMITTED ? RS_OPEN : -1;
	case RA_CLOSE: return s == RS_SUBMITTED ? RS_CLOSED : -1;
	case RA_EXTENSION_REQUEST: return open ? (int)s : -1;
	case RA_EXTENSION_APPROVE:
	case RA_EXTENSION_REFUSE: return open || s == RS_SUBMITTED ? (int)s : -1;
	case RA_REOPEN: return s == RS_CLOSED ? RS_REOPENED : -1;
	default: return -1;
	}
}

/* Who may take each action, and whether they must be outside the school. */
static int spec_roles(rect_action a, int *outside)
{
	*outside = a != RA_ANSWER && a != RA_EXTENSION_REQUEST;
	switch (a) {
	case RA_ANSWER:
	case RA_EXTENSION_REQUEST: return ROLE_PRINCIPAL;
	case RA_RETURN:
	case RA_CLOSE:
	case RA_REOPEN: return ROLE_INSPECTOR | ROLE_BUREAU_HEAD | ROLE_ADMIN;
	case RA_EXTENSION_APPROVE:
	case RA_EXTENSION_REFUSE: return ROLE_INSPECTOR | ROLE_BUREAU_HEAD;
	default: return 0;
	}
}

/* One (action, role, school, state) against the restated rules; 1 when allowed. */
static int check_one(rect_action a, int role, int of, rect_state s)
{
	int outside, roles = spec_roles(a, &outside), next = spec_next(a, s);
	rect_state to = RS_COUNT;
	rect_verdict v = rectify_check(a, role, of, s, &to);
	rect_verdict want = !(roles & role) ? RV_ROLE : outside && of ? RV_OWN_SCHOOL : next < 0 ? RV_STATE : RV_OK;
	CHECK(v == want, "%s by %s (of school %d) from %s: verdict %d, want %d", rectify_action_name(a),
	      role_name(role), of, rectify_state_name(s), v, want);
	if (v != RV_OK)
		return 0;
	CHECK((int)to == next, "%s from %s leads to %s", rectify_action_name(a), rectify_state_name(s),
	      rectify_state_name(to));
	return 1;
}

/* Every (action, role, school, state). */
static void transitions_matrix(void)
{
	int a, s, of, allowed = 0;
	size_t r;
	for (a = 0; a < RA_COUNT; a++)
		for (r = 0; r < NROLES; r++)
			for (of = 0; of <= 1; of++)
				for (s = 0; s < RS_COUNT; s++)
					allowed += check_one((rect_action)a, all_roles[r], of, (rect_state)s);
	/* answer and extension request: 2 states, either school flag (4 each); return, close,
	 * reopen: 1 state x 3 roles; approve, refuse: 3 states x 2 roles. */
	CHECK(allowed == 4 + 4 + 3 + 3 + 3 + 6 + 6, "allowed combinations %d", allowed);
}

/* The transitions one by one, as the API uses them. */
static void transitions_named(void)
{
	rect_state to = RS_COUNT;
	CHECK(rectify_check(RA_ANSWER, ROLE_PRINCIPAL, 1, RS_OPEN, &to) == RV_OK && to == RS_SUBMITTED,
	      "a principal answers an open item: submitted");
	CHECK(rectify_check(RA_ANSWER, ROLE_PRINCIPAL, 1, RS_REOPENED, &to) == RV_OK && to == RS_SUBMITTED,
	      "a reopened item is answered like an open one");
	CHECK(rectify_check(RA_RETURN, ROLE_INSPECTOR, 0, RS_SUBMITTED, &to) == RV_OK && to == RS_OPEN,
	      "an inspector returns a submitted item: open again");
	CHECK(rectify_check(RA_CLOSE, ROLE_INSPECTOR, 0, RS_SUBMITTED, &to) == RV_OK && to == RS_CLOSED, "销号");
	CHECK(rectify_check(RA_CLOSE, ROLE_BUREAU_HEAD, 0, RS_SUBMITTED, &to) == RV_OK, "the bureau may close");
	CHECK(rectify_check(RA_CLOSE, ROLE_ADMIN, 0, RS_SUBMITTED, &to) == RV_OK, "the admin may close");
	CHECK(rectify_check(RA_CLOSE, ROLE_PRINCIPAL, 1, RS_SUBMITTED, &to) == RV_ROLE, "a principal never closes");
	CHECK(rectify_check(RA_CLOSE, ROLE_INSPECTOR, 1, RS_SUBMITTED, &to) == RV_OWN_SCHOOL,
	      "an inspector of the school itself may not close its item");
	CHECK(rectify_check(RA_CLOSE, ROLE_INSPECTOR, 0, RS_OPEN, &to) == RV_STATE, "an unanswered item is not closed");
	CHECK(rectify_check(RA_ANSWER, ROLE_PRINCIPAL, 1, RS_CLOSED, &to) == RV_STATE, "a closed item takes no answer");
	CHECK(rectify_check(RA_ANSWER, ROLE_INSPECTOR, 0, RS_OPEN, &to) == RV_ROLE, "inspectors do not answer");
	CHECK(rectify_check(RA_EXTENSION_REQUEST, ROLE_PRINCIPAL, 1, RS_SUBMITTED, &to) == RV_STATE,
	      "no extension once answered: the clock has stopped");
	CHECK(rectify_check(RA_EXTENSION_APPROVE, ROLE_ADMIN, 0, RS_OPEN, &to) == RV_ROLE,
	      "the admin does not decide extensions");
	CHECK(rectify_check(RA_EXTENSION_APPROVE, ROLE_BUREAU_HEAD, 0, RS_CLOSED, &to) == RV_STATE,
	      "no extension for a closed item");
	CHECK(rectify_check(RA_REOPEN, ROLE_INSPECTOR, 0, RS_CLOSED, &to) == RV_OK && to == RS_REOPENED,
	      "a 回头看 reopens a closed item");
	CHECK(rectify_check(RA_REOPEN, ROLE_INSPECTOR, 0, RS_OPEN, &to) == RV_STATE, "only closed items reopen");
	CHECK(rectify_check(RA_CREATE, ROLE_ADMIN, 0, RS_OPEN, &to) == RV_ROLE, "creation is not a user action");
}

/* Derives for deadline 2026-11-23 and today, in state s. */
static rectify_status derive(rect_state s, const char *today)
{
	rectify_rules rules;
	rectify_status st;
	rectify_rules_default(&rules);
	CHECK(rectify_derive(&rules, s, "2026-11-23", today, &st) == 0, "derive %s", today);
	return st;
}

static void overdue_boundaries(void)
{
	static const struct {
		const char *today;
		long days;
		rect_escalation level;
	} cases[] = {
		{"2026-11-20", -3, ESC_NONE}, {"2026-11-23", 0, ESC_NONE},      {"2026-11-24", 1, ESC_REMIND},
		{"2026-12-07", 14, ESC_REMIND}, {"2026-12-08", 15, ESC_NOTICE}, {"2026-12-22", 29, ESC_NOTICE},
		{"2026-12-23", 30, ESC_INTERVIEW}, {"2027-03-01", 98, ESC_INTERVIEW},
	};
	size_t i;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		rectify_status s = derive(RS_OPEN, cases[i].today);
		CHECK(s.has_days_left && s.days_left == -cases[i].days, "%s: days_left %ld", cases[i].today,
		      s.days_left);
		CHECK(s.overdue == (cases[i].days > 0), "%s: overdue %d", cases[i].today, s.overdue);
		CHECK(s.days_overdue == (cases[i].days > 0 ? cases[i].days : 0), "%s: days_overdue %ld", cases[i].today,
		      s.days_overdue);
		CHECK(s.level == cases[i].level, "%s: level %d, want %d", cases[i].today, s.level, cases[i].level);
	}
	CHECK(derive(RS_REOPENED, "2026-12-08").level == ESC_NOTICE, "a reopened item escalates like an open one");
	{
		rectify_status s = derive(RS_SUBMITTED, "2026-12-23");
		CHECK(!s.overdue && s.level == ESC_NONE && s.days_left == -30, "submitting stops the clock");
		s = derive(RS_CLOSED, "2026-12-23");
		CHECK(!s.overdue && !s.has_days_left, "a closed item has no days left");
	}
	CHECK(!strcmp(rectify_escalation_name(ESC_REMIND), "提醒") &&
		      !strcmp(rectify_escalation_name(ESC_NOTICE), "通报") &&
		      !strcmp(rectify_escalation_name(ESC_INTERVIEW), "约谈") && !rectify_escalation_name(ESC_NONE),
	      "escalation names");
	CHECK(rectify_age_bucket(0) == 0 && rectify_age_bucket(1) == 1 && rectify_age_bucket(7) == 1 &&
		      rectify_age_bucket(8) == 2 && rectify_age_bucket(30) == 2 && rectify_age_bucket(31) == 3,
	      "overdue age buckets 1-7, 8-30, >30");
}

static void rules_and_deadlines(void)
{
	rectify_rules r;
	rectify_status s;
	char out[11];
	rectify_rules_default(&r);
	CHECK(rectify_default_deadline(&r, SEV_SEVERE, "2026-11-20", out) == 0 && !strcmp(out, "2026-11-27"),
	      "严重: 7 days (%s)", out);
	CHECK(rectify_default_deadline(&r, SEV_SERIOUS, "2026-11-20", out) == 0 && !strcmp(out, "2026-12-05"),
	      "较重: 15 days (%s)", out);
	CHECK(rectify_default_deadline(&r, SEV_GENERAL, "2026-12-20", out) == 0 && !strcmp(out, "2027-01-19"),
	      "一般: 30 days across the new year (%s)", out);
	CHECK(rectify_default_deadline(&r, SEV_SEVERE, "2028-02-22", out) == 0 && !strcmp(out, "2028-02-29"),
	      "leap day (%s)", out);
	CHECK(rectify_default_deadline(&r, SEV_SEVERE, "2026-02-30", out) == -1, "an invalid date has no deadline");

	CHECK(rectify_rules_set(&r, "deadline_days_严重", "3") == 1 && r.deadline_days[SEV_SEVERE] == 3, "admin rule");
	CHECK(rectify_rules_set(&r, "escalate_days_通报", "10") == 1, "admin threshold");
	CHECK(rectify_derive(&r, RS_OPEN, "2026-11-23", "2026-12-03", &s) == 0 && s.level == ESC_NOTICE,
	      "the admin's threshold applies: 10 days is 通报");
	CHECK(rectify_rules_set(&r, "deadline_days_一般", "0") == -1 && r.deadline_days[SEV_GENERAL] == 30,
	      "0 days refused");
	CHECK(rectify_rules_set(&r, "deadline_days_一般", "abc") == -1, "text refused");
	CHECK(rectify_rules_set(&r, "deadline_days_一般", "") == -1, "empty refused");
	CHECK(rectify_rules_set(&r, "deadline_days_一般", "3651") == -1, "over ten years refused");
	CHECK(rectify_rules_set(&r, "deadline_days_特别", "5") == 0, "an unknown severity is not a rule");
	CHECK(rectify_rules_set(&r, "visits_per_semester", "2") == 0, "other settings are not rules");
}

static void names_and_sentence(void)
{
	rectify_counts c = {0};
	char s[256];
	int i;
	for (i = 0; i < RS_COUNT; i++)
		CHECK(rectify_state_from_name(rectify_state_name((rect_state)i)) == i, "state name %d", i);
	for (i = 0; i < RA_COUNT; i++)
		CHECK(rectify_action_from_name(rectify_action_name((rect_action)i)) == i, "action name %d", i);
	CHECK(rectify_severity_from_name("严重") == SEV_SEVERE && rectify_severity_from_name("x") == -1, "severity");
	CHECK(rectify_state_from_name("returned") == -1, "no such state");
	CHECK(!strcmp(rectify_state_label(RS_SUBMITTED), "已提交待核查"), "state label");

	rectify_count(&c, RS_CLOSED, 0, 3);
	rectify_count(&c, RS_SUBMITTED, 0, 2);
	rectify_count(&c, RS_OPEN, 0, 1);
	rectify_count(&c, RS_OPEN, 1, 3);
	rectify_count(&c, RS_REOPENED, 1, 1);
	CHECK(c.total == 10 && c.completed == 3 && c.in_progress == 3 && c.rectified == 6 && c.overdue == 4,
	      "counts: total %ld completed %ld in_progress %ld rectified %ld overdue %ld", c.total, c.completed,
	      c.in_progress, c.rectified, c.overdue);
	rectify_summary_sentence(&c, s, sizeof(s));
	CHECK(!strcmp(s, "共发现问题 10 个，已整改 6 个，其中整改完成 3 个，正在整改 3 个"), "sentence: %s", s);
}

void test_rectify(void)
{
	transitions_matrix();
	transitions_named();
	overdue_boundaries();
	rules_and_deadlines();
	names_and_sentence();
}
