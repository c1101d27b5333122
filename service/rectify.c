/* rectify.c - the rectification rules as data: one table of actions (who may
 * take each, from which states, to which state) and the derivations of
 * DESIGN.md (overdue, escalation, default deadlines, the ledger sentence). */
#include "rectify.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http.h"
#include "util.h"

#define BIT(s) (1u << (s))
#define FROM_OPEN (BIT(RS_OPEN) | BIT(RS_REOPENED))
#define VERIFIERS (ROLE_INSPECTOR | ROLE_BUREAU_HEAD | ROLE_ADMIN)
#define SAME (-1) /* the action leaves the state as it is */

/* One row per action: the roles allowed, whether the actor must be outside the
 * item's school (verification is independent), the states it starts from and
 * the state it leads to. */
static const struct {
	const char *name;
	const char *label;
	int roles;
	int outside_school;
	unsigned from;
	int to;
} action_table[RA_COUNT] = {
	[RA_CREATE] = {"create", "下达整改", 0, 0, 0, RS_OPEN},
	[RA_ANSWER] = {"answer", "提交整改情况", ROLE_PRINCIPAL, 0, FROM_OPEN, RS_SUBMITTED},
	[RA_RETURN] = {"return", "退回重改", VERIFIERS, 1, BIT(RS_SUBMITTED), RS_OPEN},
	[RA_CLOSE] = {"close", "核查销号", VERIFIERS, 1, BIT(RS_SUBMITTED), RS_CLOSED},
	[RA_EXTENSION_REQUEST] = {"extension_request", "申请延期", ROLE_PRINCIPAL, 0, FROM_OPEN, SAME},
	[RA_EXTENSION_APPROVE] = {"extension_approve", "批准延期", ROLE_INSPECTOR | ROLE_BUREAU_HEAD, 1,
				  FROM_OPEN | BIT(RS_SUBMITTED), SAME},
	[RA_EXTENSION_REFUSE] = {"extension_refuse", "不予延期", ROLE_INSPECTOR | ROLE_BUREAU_HEAD, 1,
				 FROM_OPEN | BIT(RS_SUBMITTED), SAME},
	[RA_REOPEN] = {"reopen", "回头看重新整改", VERIFIERS, 1, BIT(RS_CLOSED), RS_REOPENED},
};

static const char *const state_names[RS_COUNT] = {"open", "submitted", "closed", "reopened"};
static const char *const state_labels[RS_COUNT] = {"待整改", "已提交待核查", "已销号", "重新整改"};
static const char *const severity_names[SEV_COUNT] = {"一般", "较重", "严重"};
static const char *const escalation_names[ESC_COUNT] = {NULL, "提醒", "通报", "约谈"};

/* Index of name in names[0..n), or -1. */
static int name_index(const char *const *names, int n, const char *name)
{
	int i;
	for (i = 0; name && i < n; i++)
		if (names[i] && !strcmp(names[i], name))
			return i;
	return -1;
}

const char *rectify_state_name(rect_state s) { return s < RS_COUNT ? state_names[s] : NULL; }
const char *rectify_state_label(rect_state s) { return s < RS_COUNT ? state_labels[s] : NULL; }
int rectify_state_from_name(const char *name) { return name_index(state_names, RS_COUNT, name); }
const char *rectify_action_name(rect_action a) { return a < RA_COUNT ? action_table[a].name : NULL; }
const char *rectify_action_label(rect_action a) { return a < RA_COUNT ? action_table[a].label : NULL; }
const char *rectify_severity_name(rect_severity s) { return s < SEV_COUNT ? severity_names[s] : NULL; }
int rectify_severity_from_name(const char *name) { return name_index(severity_names, SEV_COUNT, name); }
const char *rectify_escalation_name(rect_escalation e) { return e < ESC_COUNT ? escalation_names[e] : NULL; }

int rectify_action_from_name(const char *name)
{
	int i;
	for (i = 0; name && i < RA_COUNT; i++)
		if (!strcmp(action_table[i].name, name))
			return i;
	return -1;
}

rect_verdict rectify_check(rect_action action, int role, int of_school, rect_state from, rect_state *to)
{
	if (action >= RA_COUNT || !(action_table[action].roles & role))
		return RV_ROLE;
	if (action_table[action].outside_school && of_school)
		return RV_OWN_SCHOOL;
	if (from >= RS_COUNT || !(action_table[action].from & BIT(from)))
		return RV_STATE;
	*to = action_table[action].to == SAME ? from : (rect_state)action_table[action].to;
	return RV_OK;
}

void rectify_rules_default(rectify_rules *rules)
{
	memset(rules, 0, sizeof(*rules));
	rules->deadline_days[SEV_GENERAL] = 30;
	rules->deadline_days[SEV_SERIOUS] = 15;
	rules->deadline_days[SEV_SEVERE] = 7;
	rules->escalate_days[ESC_REMIND] = 1;
	rules->escalate_days[ESC_NOTICE] = 15;
	rules->escalate_days[ESC_INTERVIEW] = 30;
}

/* A whole-string integer in 1..RECTIFY_DAYS_MAX, or -1. */
static int parse_days(const char *value)
{
	char *end;
	long v;
	if (!value || !*value)
		return -1;
	v = strtol(value, &end, 10);
	return *end || v < 1 || v > RECTIFY_DAYS_MAX ? -1 : (int)v;
}

int rectify_rules_set(rectify_rules *rules, const char *name, const char *value)
{
	static const char deadline[] = "deadline_days_", escalate[] = "escalate_days_";
	int idx = -1, days, *slot;
	if (name && !strncmp(name, deadline, sizeof(deadline) - 1)) {
		idx = name_index(severity_names, SEV_COUNT, name + sizeof(deadline) - 1);
		slot = idx >= 0 ? &rules->deadline_days[idx] : NULL;
	} else if (name && !strncmp(name, escalate, sizeof(escalate) - 1)) {
		idx = name_index(escalation_names, ESC_COUNT, name + sizeof(escalate) - 1);
		slot = idx > 0 ? &rules->escalate_days[idx] : NULL;
	} else {
		return 0;
	}
	if (!slot)
		return 0;
	if ((days = parse_days(value)) < 0)
		return -1;
	*slot = days;
	return 1;
}

int rectify_default_deadline(const rectify_rules *rules, rect_severity sev, const char *found_on, char out[11])
{
	if (sev >= SEV_COUNT || !date_valid(found_on))
		return -1;
	date_from_days(date_to_days(found_on) + rules->deadline_days[sev], out);
	return 0;
}

rect_escalation rectify_escalation(const rectify_rules *rules, long days_overdue)
{
	int level;
	for (level = ESC_INTERVIEW; level > ESC_NONE; level--)
		if (days_overdue > 0 && days_overdue >= rules->escalate_days[level])
			return (rect_escalation)level;
	return ESC_NONE;
}

int rectify_derive(const rectify_rules *rules, rect_state state, const char *deadline, const char *today,
		   rectify_status *out)
{
	memset(out, 0, sizeof(*out));
	if (!date_valid(deadline) || !date_valid(today) || state >= RS_COUNT)
		return -1;
	if (state == RS_CLOSED)
		return 0;
	out->has_days_left = 1;
	out->days_left = date_to_days(deadline) - date_to_days(today);
	/* Submitting stops the clock: only an item waiting for the school is overdue. */
	if ((state == RS_OPEN || state == RS_REOPENED) && out->days_left < 0) {
		out->overdue = 1;
		out->days_overdue = -out->days_left;
		out->level = rectify_escalation(rules, out->days_overdue);
	}
	return 0;
}

int rectify_age_bucket(long days_overdue)
{
	if (days_overdue <= 0)
		return 0;
	return days_overdue <= 7 ? 1 : days_overdue <= 30 ? 2 : 3;
}

void rectify_count(rectify_counts *c, rect_state state, int overdue, long n)
{
	c->total += n;
	if (state == RS_CLOSED)
		c->completed += n;
	else if (state == RS_SUBMITTED || !overdue)
		c->in_progress += n;
	else
		c->overdue += n;
	c->rectified = c->completed + c->in_progress;
}

int rectify_summary_sentence(const rectify_counts *c, char *out, size_t n)
{
	return snprintf(out, n, "共发现问题 %ld 个，已整改 %ld 个，其中整改完成 %ld 个，正在整改 %ld 个", c->total,
			c->rectified, c->completed, c->in_progress);
}
