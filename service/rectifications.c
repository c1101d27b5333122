/* rectifications.c - /api/v1/rectifications: list and read items in scope,
 * and the actions of the life cycle (answer, return, close, extensions,
 * reopen). Each action is checked against the rules of rectify.c, carries the
 * item's version (stale: 409, nothing changed), changes the item and appends
 * one journal event in one transaction with the audit entry. */
#include "rectifications.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "evidence.h"
#include "group.h"
#include "handlers.h"
#include "jfield.h"
#include "util.h"
#include "visits.h"

#define NOTE_MAX 2000

/* What an action request carries. */
typedef struct {
	rect_action action;
	long long version;
	const char *note;          /* note or reason, NULL when none */
	long long evidence_ids[EVIDENCE_MAX_PER_ENTRY];
	size_t nevidence;
	const char *deadline;      /* extension: requested; reopen: the new one */
	long long visit_id;        /* reopen: the 回头看 visit */
	long long extension_id;    /* approve/refuse: from the path */
	char new_deadline[11];     /* filled by the checks */
} act_input;

/* Adds the states of the comma list s to f->states, each once. Returns -1 for an
 * unknown or empty name (state=, a trailing comma). */
static int filter_states(const char *s, rect_filter *f)
{
	size_t n = 0;
	do {
		size_t k = strcspn(s, ","), i;
		char one[16];
		int st;
		snprintf(one, sizeof(one), "%.*s", (int)(k < 15 ? k : 15), s);
		if (k >= 16 || (st = rectify_state_from_name(one)) < 0)
			return -1;
		for (i = 0; i < n && f->states[i] != rectify_state_name((rect_state)st); i++)
			;
		if (i == n) /* four states: n never passes 4 */
			f->states[n++] = rectify_state_name((rect_state)st);
		s += k;
	} while (*s++ == ',');
	return 0;
}

int rect_filter_parse(http_req *req, http_res *res, rect_filter *f)
{
	const char *s = req_query(req, "state"), *ov = req_query(req, "overdue"), *sev = req_query(req, "severity");
	memset(f, 0, sizeof(*f));
	f->scope_path = req->user.org_path;
	f->today = req->today;
	if (qfield_id(req, res, "town", &f->town_id) || qfield_id(req, res, "school", &f->school_id) ||
	    qfield_dates(req, res, &f->from, &f->to))
		return -1;
	if (sev && rectify_severity_from_name(sev) < 0)
		return res_error(res, HTTP_bad_request, "severity", "参数 severity 应为 一般、较重 或 严重"), -1;
	f->severity = sev;
	if (ov && strcmp(ov, "0") && strcmp(ov, "1"))
		return res_error(res, HTTP_bad_request, "overdue", "参数 overdue 应为 0 或 1"), -1;
	f->overdue_only = ov && !strcmp(ov, "1");
	if (s && filter_states(s, f))
		return res_error(res, HTTP_bad_request, "state",
				 "参数 state 应为 open、submitted、closed、reopened（可用逗号分隔多个）"), -1;
	return 0;
}

int rect_list(http_req *req, http_res *res)
{
	rect_filter f;
	rectify_rules rules;
	strbuf text = {0};
	paging pg;
	db_status st;
	if (req_paging(req, res, &pg) || rect_filter_parse(req, res, &f))
		return res->status;
	if ((st = rect_db_rules(req->db, &rules)) != DB_OK ||
	    (st = rect_db_list_text(req->db, &f, &rules, &pg, &text)) != DB_OK) {
		free(text.p);
		return res_db_error(res, st);
	}
	return res_json_text(res, HTTP_ok, text.p, text.len);
}

/* Answers status with the item as GET shows it. */
static int rect_respond(http_req *req, http_res *res, long long id, int status)
{
	rectify_rules rules;
	json_t *item;
	db_status st = rect_db_rules(req->db, &rules);
	if (st == DB_OK)
		st = rect_db_get_json(req->db, req->user.org_path, id, &rules, req->today, &item);
	return st == DB_OK ? res_json(res, status, item) : res_db_error(res, st);
}

int rect_get(http_req *req, http_res *res)
{
	return rect_respond(req, res, req_param_id(req, 0), HTTP_ok);
}

int rect_extensions_list(http_req *req, http_res *res)
{
	rect_item it;
	json_t *items;
	db_status st = rect_db_load(req->db, req->user.org_path, req_param_id(req, 0), &it);
	if (st == DB_OK)
		st = rect_db_extensions(req->db, it.id, &items);
	return st == DB_OK ? res_json(res, HTTP_ok, json_pack("{s:o}", "items", items)) : res_db_error(res, st);
}

/* ---------------------------------------------------------------- checks */

/* Role, own school, version and state, in that order (403, 403, 409, 422). */
static int act_allowed(http_req *req, http_res *res, const act_input *in, const rect_item *it, rect_state *to)
{
	rect_verdict v = rectify_check(in->action, req->user.role, req->user.org_id == it->school_id, it->state, to);
	if (v == RV_ROLE)
		return res_error(res, HTTP_forbidden, NULL, "您的角色不能执行“%s”", rectify_action_label(in->action));
	if (v == RV_OWN_SCHOOL)
		return res_error(res, HTTP_forbidden, NULL, "本校人员不能核查本校的整改事项，须由校外的督学或教育局核查");
	if (in->version != it->version)
		return res_db_error(res, DB_CONFLICT);
	if (v == RV_STATE)
		return res_error(res, HTTP_unprocessable, "state", "整改事项当前为“%s”，不能%s",
				 rectify_state_label(it->state), rectify_action_label(in->action));
	return 0;
}

static int check_extension_request(http_req *req, http_res *res, act_input *in, const rect_item *it)
{
	long long pending = 0;
	db_status st = rect_db_extension_pending(req->db, it->id, &pending);
	if (st == DB_OK)
		return res_error(res, HTTP_unprocessable, NULL, "已有一份延期申请等待审批");
	if (st != DB_NOT_FOUND)
		return res_db_error(res, st);
	if (strcmp(in->deadline, it->deadline) <= 0 || strcmp(in->deadline, req->today) <= 0)
		return res_error(res, HTTP_bad_request, "deadline", "申请的新期限应晚于当前期限（%s）和今天", it->deadline);
	if (date_to_days(in->deadline) - date_to_days(it->deadline) > RECT_DEADLINE_MAX_DAYS)
		return res_error(res, HTTP_bad_request, "deadline", "延期不能超过 %d 天", RECT_DEADLINE_MAX_DAYS);
	str_copy(in->new_deadline, sizeof(in->new_deadline), in->deadline);
	return 0;
}

static int check_extension_decision(http_req *req, http_res *res, act_input *in, const rect_item *it)
{
	int pending = 0;
	db_status st = rect_db_extension_load(req->db, it->id, in->extension_id, in->new_deadline, &pending);
	if (st != DB_OK)
		return res_db_error(res, st);
	if (!pending)
		return res_error(res, HTTP_unprocessable, NULL, "该延期申请已经处理过或已失效");
	/* approving never moves a deadline earlier (it may have moved since the request) */
	if (in->action == RA_EXTENSION_APPROVE && strcmp(in->new_deadline, it->deadline) <= 0)
		return res_error(res, HTTP_unprocessable, NULL, "申请的期限（%s）不晚于当前期限（%s），不能批准；请不同意该申请",
				 in->new_deadline, it->deadline);
	return 0;
}

/* A reopening needs a filed 回头看 of the same school on or after the closing
 * (a draft can still be changed, so it proves nothing yet) that found the
 * problem again: not one whose checklist found the point 符合 (or 不适用). The
 * visits list's reopens= filter offers the same ones (visits_db.c). */
static int check_reopen(http_req *req, http_res *res, act_input *in, const rect_item *it)
{
	rectify_rules rules;
	visit_row v;
	char cleared[16];
	db_status st = visits_db_load(req->db, req->user.org_path, 0, in->visit_id, &v);
	if (st != DB_OK && st != DB_NOT_FOUND)
		return res_db_error(res, st);
	if (st == DB_NOT_FOUND || v.school_id != it->school_id || v.kind != VISIT_KIND_RECHECK ||
	    strcmp(v.visit_date, it->closed_on) < 0)
		return res_error(res, HTTP_unprocessable, "visit_id", "重新整改须依据该校在销号之后已提交的“回头看”督导记录");
	if ((st = visits_db_point_cleared(req->db, v.id, it->finding_id, cleared)) == DB_OK)
		return res_error(res, HTTP_unprocessable, "visit_id",
				 "该次“回头看”对这一检查项的结果为“%s”，没有发现问题反弹，不能据此重新整改", cleared);
	if (st != DB_NOT_FOUND)
		return res_db_error(res, st);
	if (in->deadline && strcmp(in->deadline, req->today) < 0)
		return res_error(res, HTTP_bad_request, "deadline", "新的整改期限不能早于今天");
	if (in->deadline && date_to_days(in->deadline) - date_to_days(req->today) > RECT_DEADLINE_MAX_DAYS)
		return res_error(res, HTTP_bad_request, "deadline", "新的整改期限不能晚于今天起 %d 天", RECT_DEADLINE_MAX_DAYS);
	if (in->deadline) {
		str_copy(in->new_deadline, sizeof(in->new_deadline), in->deadline);
		return 0;
	}
	if ((st = rect_db_rules(req->db, &rules)) != DB_OK)
		return res_db_error(res, st);
	rectify_default_deadline(&rules, it->severity, req->today, in->new_deadline);
	return 0;
}

/* The rules of each action beyond the state machine. */
static int act_rules(http_req *req, http_res *res, act_input *in, const rect_item *it)
{
	size_t bad = 0;
	db_status st;
	if (in->action == RA_ANSWER && in->nevidence == 0)
		return res_error(res, HTTP_unprocessable, "evidence_ids",
				 "提交整改情况必须在 evidence_ids 中附上至少一份佐证材料（照片或扫描件）");
	st = evidence_db_of_school(req->db, it->school_id, in->evidence_ids, in->nevidence, &bad);
	if (st == DB_NOT_FOUND)
		return res_error(res, HTTP_bad_request, "evidence_ids", "evidence_ids 中的证据文件 %lld 不存在或不属于该校",
				 in->evidence_ids[bad]);
	if (st != DB_OK)
		return res_db_error(res, st);
	switch (in->action) {
	case RA_EXTENSION_REQUEST: return check_extension_request(req, res, in, it);
	case RA_EXTENSION_APPROVE:
	case RA_EXTENSION_REFUSE: return check_extension_decision(req, res, in, it);
	case RA_REOPEN: return check_reopen(req, res, in, it);
	default: return 0;
	}
}

/* ---------------------------------------------------------------- applying */

static json_t *item_brief(const rect_item *it)
{
	return json_pack("{s:s,s:s,s:s,s:I}", "state", rectify_state_name(it->state), "deadline", it->deadline,
			 "original_deadline", it->original_deadline, "version", (json_int_t)it->version);
}

/* The change that in, checked, makes. */
static rect_change change_of(const http_req *req, const act_input *in)
{
	return (rect_change){.action = in->action, .user_id = req->user.id, .on_date = req->today, .note = in->note,
			     .evidence_ids = in->evidence_ids, .nevidence = in->nevidence,
			     .deadline = in->new_deadline[0] ? in->new_deadline : NULL,
			     .extension_id = in->extension_id, .visit_id = in->visit_id};
}

/* Writes the change (item, extension row, journal event) and the audit entry. */
static db_status act_write(http_req *req, act_input *in, const rect_item *before, rect_state to, rect_item *after)
{
	rect_change ch = change_of(req, in);
	json_t *a, *b;
	db_status st = rect_db_act(req->db, &ch, before, to, after);
	if (st != DB_OK)
		return st;
	b = item_brief(before);
	a = item_brief(after);
	st = audit_write(req, rectify_action_name(in->action), "rectification", after->id, b, a);
	json_decref(a);
	json_decref(b);
	return st;
}

/* Loads the item of the path into before and checks the action on it (to: the
 * state it leads to). Returns 0, or fills res with the refusal. */
static int act_check(http_req *req, http_res *res, act_input *in, rect_item *before, rect_state *to)
{
	db_status st = rect_db_load(req->db, req->user.org_path, req_param_id(req, 0), before);
	if (st != DB_OK)
		return res_db_error(res, st);
	return act_allowed(req, res, in, before, to) || act_rules(req, res, in, before) ? -1 : 0;
}

/* Loads, checks, applies and answers one action. */
static int rect_act(http_req *req, http_res *res, act_input *in, int status)
{
	rect_item before, after;
	rect_state to;
	db_status st;
	if (act_check(req, res, in, &before, &to))
		return res->status;
	if ((st = db_begin(req->db)) == DB_OK && (st = act_write(req, in, &before, to, &after)) == DB_OK)
		st = db_commit(req->db);
	if (st != DB_OK) {
		db_rollback(req->db);
		return res_db_error(res, st);
	}
	return rect_respond(req, res, before.id, status);
}

/* ---------------------------------------------------------------- answers, written together */

/* An answer its handler checked, waiting to be written with others (group.h). */
typedef struct {
	act_input in;
	rect_item before;
	rect_state to;
} answer_job;

/* Writes answers (group_kind.write): the items, the journal events with their
 * files, and each answer's body, the item as GET shows it, read in the same
 * transaction (an Idempotency-Key stores it). The items were read in each
 * caller's scope by the handler: they are read back here without one. */
static db_status answers_write(db *d, group_item **items, size_t n, long long step)
{
	rect_change *ch = xcalloc(n, sizeof(*ch));
	rect_item *before = xcalloc(n, sizeof(*before)), *after = xcalloc(n, sizeof(*after));
	long long *ids = xcalloc(n, sizeof(*ids));
	json_t **bodies = xcalloc(n, sizeof(*bodies));
	rect_state to = ((const answer_job *)items[0]->req->job)->to;
	rectify_rules rules;
	size_t i;
	db_status st = DB_OK;
	for (i = 0; i < n; i++) {
		const answer_job *job = items[i]->req->job;
		ch[i] = change_of(items[i]->req, &job->in);
		before[i] = job->before;
		ids[i] = job->before.id;
		if (job->to != to)
			st = DB_CONFLICT; /* not one change for all: each is written alone */
	}
	if (st == DB_OK)
		st = rect_db_answer_many(d, ch, before, to, after, n, step);
	if (st == DB_OK)
		st = rect_db_rules(d, &rules);
	if (st == DB_OK) /* rect_db_answer_many saw one date for all: each one's today */
		st = rect_db_get_json_many(d, "", ids, n, &rules, items[0]->req->today, bodies);
	for (i = 0; st == DB_OK && i < n; i++) {
		group_item *it = items[i];
		it->action = rectify_action_name(RA_ANSWER);
		it->entity_id = ids[i];
		it->before = item_brief(&before[i]);
		it->after = item_brief(&after[i]);
		it->body = bodies[i];
		it->status = HTTP_ok;
	}
	free(ch);
	free(before);
	free(after);
	free(ids);
	free(bodies);
	return st;
}

static const group_kind ANSWERS = {answers_write, free, "rectification"};

/* ---------------------------------------------------------------- the actions */

/* version, then the note (required or not) under its name, then evidence ids. */
static int act_parse(http_req *req, http_res *res, act_input *in, rect_action action, const char *note_field,
		     int note_required)
{
	memset(in, 0, sizeof(*in));
	in->action = action;
	if (body_int(req, res, "version", 1, 1, 1LL << 31, &in->version) ||
	    body_string(req, res, note_field, note_required, NOTE_MAX, &in->note))
		return -1;
	return jfield_ids(json_object_get(req->json, "evidence_ids"), res, "evidence_ids", in->evidence_ids,
			  EVIDENCE_MAX_PER_ENTRY, &in->nevidence);
}

/* Checked here, written with the answers the worker read in the same turn. */
int rect_answer(http_req *req, http_res *res)
{
	answer_job *job = xcalloc(1, sizeof(*job));
	if (act_parse(req, res, &job->in, RA_ANSWER, "note", 1) || act_check(req, res, &job->in, &job->before, &job->to)) {
		free(job);
		return res->status;
	}
	return group_defer(req, &ANSWERS, job);
}

int rect_return(http_req *req, http_res *res)
{
	act_input in;
	return act_parse(req, res, &in, RA_RETURN, "reason", 1) ? res->status : rect_act(req, res, &in, HTTP_ok);
}

int rect_close(http_req *req, http_res *res)
{
	act_input in;
	return act_parse(req, res, &in, RA_CLOSE, "note", 0) ? res->status : rect_act(req, res, &in, HTTP_ok);
}

int rect_extension_request(http_req *req, http_res *res)
{
	act_input in;
	if (act_parse(req, res, &in, RA_EXTENSION_REQUEST, "reason", 1) ||
	    body_date(req, res, "deadline", 1, &in.deadline))
		return res->status;
	return rect_act(req, res, &in, HTTP_created);
}

int rect_extension_approve(http_req *req, http_res *res)
{
	act_input in;
	if (act_parse(req, res, &in, RA_EXTENSION_APPROVE, "note", 0))
		return res->status;
	in.extension_id = req_param_id(req, 1);
	return rect_act(req, res, &in, HTTP_ok);
}

int rect_extension_refuse(http_req *req, http_res *res)
{
	act_input in;
	if (act_parse(req, res, &in, RA_EXTENSION_REFUSE, "reason", 1))
		return res->status;
	in.extension_id = req_param_id(req, 1);
	return rect_act(req, res, &in, HTTP_ok);
}

int rect_reopen(http_req *req, http_res *res)
{
	act_input in;
	if (act_parse(req, res, &in, RA_REOPEN, "reason", 1) ||
	    body_int(req, res, "visit_id", 1, 1, 1LL << 60, &in.visit_id) ||
	    body_date(req, res, "deadline", 0, &in.deadline))
		return res->status;
	return rect_act(req, res, &in, HTTP_ok);
}
