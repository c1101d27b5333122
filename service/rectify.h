/* rectify.h - the rules of a rectification item, with no database: which
 * action is allowed from which state by which role, overdue and escalation
 * derived from the deadline and today, default deadlines by severity and the
 * summary sentence of the ledger. Everything here is a pure function. */
#ifndef DUDAO_RECTIFY_H
#define DUDAO_RECTIFY_H

#include <stddef.h>

/* The life cycle of DESIGN.md: open -answer-> submitted -close-> closed,
 * submitted -return-> open, closed -reopen (回头看)-> reopened (answered like open). */
typedef enum { RS_OPEN, RS_SUBMITTED, RS_CLOSED, RS_REOPENED, RS_COUNT } rect_state;

/* How far ahead a deadline may be set, moved by an extension or given by a
 * reopening: at most a year from the day it counts from. */
#define RECT_DEADLINE_MAX_DAYS 365

typedef enum {
	RA_CREATE,            /* filing the visit; not a user action on an item */
	RA_ANSWER,
	RA_RETURN,
	RA_CLOSE,
	RA_EXTENSION_REQUEST,
	RA_EXTENSION_APPROVE,
	RA_EXTENSION_REFUSE,
	RA_REOPEN,
	RA_COUNT
} rect_action;

typedef enum {
	RV_OK,          /* allowed; *to is the new state */
	RV_ROLE,        /* the role may not take this action (403) */
	RV_OWN_SCHOOL,  /* a verifier may not act on an item of their own school (403) */
	RV_STATE        /* not allowed from the current state (422) */
} rect_verdict;

typedef enum { SEV_GENERAL, SEV_SERIOUS, SEV_SEVERE, SEV_COUNT } rect_severity; /* 一般 较重 严重 */

/* Escalation levels, in increasing order. */
typedef enum { ESC_NONE, ESC_REMIND, ESC_NOTICE, ESC_INTERVIEW, ESC_COUNT } rect_escalation; /* 提醒 通报 约谈 */

/* The admin's rules (settings table), with the defaults of DESIGN.md. */
typedef struct {
	int deadline_days[SEV_COUNT];    /* 一般 30, 较重 15, 严重 7 */
	int escalate_days[ESC_COUNT];    /* [ESC_REMIND] 1, [ESC_NOTICE] 15, [ESC_INTERVIEW] 30; [0] unused */
} rectify_rules;

/* What an item's deadline, state and today say about it. */
typedef struct {
	int has_days_left;      /* 0 for closed items: the clock is over */
	long days_left;         /* deadline - today; negative once past the deadline */
	int overdue;            /* open or reopened and today > deadline */
	long days_overdue;      /* today - deadline when overdue, else 0 */
	rect_escalation level;  /* from days_overdue and the thresholds */
} rectify_status;

/* Counts for the ledger's summary sentence. */
typedef struct {
	long total;        /* 共发现问题 */
	long rectified;    /* 已整改 = completed + in_progress */
	long completed;    /* 整改完成 */
	long in_progress;  /* 正在整改 */
	long overdue;      /* 逾期未整改: total - rectified */
} rectify_counts;

/* Names used in the API and the database ("open", "answer", "严重", "通报"), and
 * Chinese labels for people. Each returns NULL / -1 for an unknown value. */
const char *rectify_state_name(rect_state s);
const char *rectify_state_label(rect_state s);
int rectify_state_from_name(const char *name);
const char *rectify_action_name(rect_action a);
const char *rectify_action_label(rect_action a);
int rectify_action_from_name(const char *name);
const char *rectify_severity_name(rect_severity s);
int rectify_severity_from_name(const char *name);
const char *rectify_escalation_name(rect_escalation e);   /* NULL for ESC_NONE */

/* May a user of role (a role_bit) take action on an item in state from?
 * of_school: the user belongs to the item's school (their org is the school).
 * On RV_OK, *to receives the state after the action. */
rect_verdict rectify_check(rect_action action, int role, int of_school, rect_state from, rect_state *to);

/* Fills rules with the defaults of DESIGN.md. */
void rectify_rules_default(rectify_rules *rules);
/* Applies one settings row (deadline_days_<severity> or escalate_days_<level>).
 * Returns 1 when applied, 0 when the name is not a rule, -1 when the value is
 * invalid (not an integer in 1..RECTIFY_DAYS_MAX); the rules keep their value then. */
#define RECTIFY_DAYS_MAX 3650
int rectify_rules_set(rectify_rules *rules, const char *name, const char *value);

/* The deadline found_on + the severity's days into out[11]. Returns 0, or -1
 * for an invalid date. */
int rectify_default_deadline(const rectify_rules *rules, rect_severity sev, const char *found_on, char out[11]);

/* Derives days left, overdue and the escalation level. deadline and today are
 * valid dates. Returns 0, or -1 for an invalid date. */
int rectify_derive(const rectify_rules *rules, rect_state state, const char *deadline, const char *today,
		   rectify_status *out);
/* The escalation level for a number of days overdue (0 or less: none). */
rect_escalation rectify_escalation(const rectify_rules *rules, long days_overdue);
/* The overdue age bucket of the metrics: 0 none, 1 for 1-7 days, 2 for 8-30, 3 for more than 30. */
int rectify_age_bucket(long days_overdue);

/* Adds n items of one state to the ledger counts. Closed counts as 整改完成;
 * submitted, and open/reopened within the deadline, count as 正在整改;
 * open/reopened past the deadline are neither (逾期未整改). */
void rectify_count(rectify_counts *c, rect_state state, int overdue, long n);
/* "共发现问题 N 个，已整改 N 个，其中整改完成 N 个，正在整改 N 个" into out.
 * Returns the length written (truncated to n - 1), as snprintf does. */
int rectify_summary_sentence(const rectify_counts *c, char *out, size_t n);

#endif
