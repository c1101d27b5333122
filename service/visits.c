/* visits.c - /api/v1/visits: an inspector's visit to a school, saved as a
 * draft and then filed. Filing creates one rectification item per finding in
 * the same transaction, with the deadline the inspector set or the admin's
 * default for the severity, counted from the visit date. A new visit is
 * answered with what the request read before writing and the ids it wrote,
 * never read back: the same JSON as GET gives (tests/api/test_visits_answer.c). */
#include "visits.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "calendar.h"
#include "group.h"
#include "handlers.h"
#include "jfield.h"
#include "rectify.h"
#include "templates.h"
#include "util.h"


/* Inspectors, the bureau and the admin see drafts; principals only filed visits. */
static int sees_drafts(const http_req *req)
{
	return (req->user.role & (ROLE_INSPECTOR | ROLE_BUREAU_HEAD | ROLE_ADMIN)) != 0;
}

static int parse_answers(http_req *req, http_res *res, visit_input *in)
{
	json_t *arr, *obj;
	size_t i, k;
	char path[32];
	if (jfield_objects(req, res, "answers", TEMPLATE_MAX_ITEMS, &arr))
		return -1;
	if (!arr)
		return 0;
	in->has_answers = 1;
	in->answers = xcalloc(json_array_size(arr) + 1, sizeof(*in->answers));
	json_array_foreach(arr, i, obj) {
		visit_answer *a = &in->answers[i];
		snprintf(path, sizeof(path), "answers[%zu]", i);
		if (jfield_int(req, res, obj, path, "item_id", 1, 1, 1LL << 60, &a->item_id) ||
		    jfield_enum(req, res, obj, path, "result", 1, visit_results, &a->result) ||
		    jfield_string(req, res, obj, path, "note", 0, 1000, &a->note))
			return -1;
		a->note = a->note ? a->note : "";
		for (k = 0; k < i; k++)
			if (in->answers[k].item_id == a->item_id)
				return jfield_error(res, path, "item_id", "同一检查项目只能有一个检查结果");
		in->nanswers = i + 1;
	}
	return 0;
}

static int parse_finding(http_req *req, http_res *res, json_t *obj, const char *path, visit_finding *f)
{
	char field[48];
	snprintf(field, sizeof(field), "%s.evidence_ids", path);
	if (jfield_int(req, res, obj, path, "item_id", 1, 1, 1LL << 60, &f->item_id) ||
	    jfield_enum(req, res, obj, path, "severity", 1, visit_severities, &f->severity) ||
	    jfield_string(req, res, obj, path, "description", 1, 2000, &f->description) ||
	    jfield_date(req, res, obj, path, "deadline", 0, &f->deadline))
		return -1;
	return jfield_ids(json_object_get(obj, "evidence_ids"), res, field, f->evidence_ids, EVIDENCE_MAX_PER_ENTRY,
			  &f->nevidence);
}

static int parse_findings(http_req *req, http_res *res, visit_input *in)
{
	json_t *arr, *obj;
	size_t i;
	char path[32];
	if (jfield_objects(req, res, "findings", VISIT_MAX_FINDINGS, &arr))
		return -1;
	if (!arr)
		return 0;
	in->has_findings = 1;
	in->findings = xcalloc(json_array_size(arr) + 1, sizeof(*in->findings));
	json_array_foreach(arr, i, obj) {
		snprintf(path, sizeof(path), "findings[%zu]", i);
		if (parse_finding(req, res, obj, path, &in->findings[i]))
			return -1;
		in->nfindings = i + 1;
	}
	return 0;
}

/* Reads a visit body. creating: school_id, visit_date and kind are required and
 * template_id may be given; otherwise every field is optional. */
static int visit_parse(http_req *req, http_res *res, visit_input *in, int creating)
{
	memset(in, 0, sizeof(*in));
	in->kind = -1;
	if ((creating && (body_int(req, res, "school_id", 1, 1, 1LL << 60, &in->school_id) ||
			  body_int(req, res, "template_id", 0, 1, 1LL << 60, &in->template_id))) ||
	    body_date(req, res, "visit_date", creating, &in->visit_date) ||
	    body_enum(req, res, "kind", creating, visit_kinds, &in->kind) ||
	    body_string(req, res, "summary", 0, 2000, &in->summary) ||
	    jfield_ids(json_object_get(req->json, "inspector_ids"), res, "inspector_ids", in->inspector_ids,
		       VISIT_MAX_INSPECTORS, &in->ninspectors))
		return -1;
	in->has_inspectors = json_object_get(req->json, "inspector_ids") != NULL;
	if (in->has_inspectors && in->ninspectors == 0)
		return res_error(res, HTTP_bad_request, "inspector_ids", "至少需要一名督学"), -1;
	if (in->visit_date && strcmp(in->visit_date, req->today) > 0)
		return res_error(res, HTTP_bad_request, "visit_date", "督导日期不能晚于今天（%s）", req->today), -1;
	return parse_answers(req, res, in) || parse_findings(req, res, in) ? -1 : 0;
}

/* Every deadline set on a finding is on or after the visit date, within a year. */
static int check_deadlines(http_res *res, const visit_input *in, const char *visit_date)
{
	size_t i;
	char path[32];
	for (i = 0; i < in->nfindings; i++) {
		const char *dl = in->findings[i].deadline;
		snprintf(path, sizeof(path), "findings[%zu]", i);
		if (dl && strcmp(dl, visit_date) < 0)
			return jfield_error(res, path, "deadline", "整改期限（%s）不能早于督导日期（%s）", dl, visit_date);
		if (dl && date_to_days(dl) - date_to_days(visit_date) > RECT_DEADLINE_MAX_DAYS)
			return jfield_error(res, path, "deadline", "整改期限不能晚于督导日期后 %d 天", RECT_DEADLINE_MAX_DAYS);
	}
	return 0;
}

/* Answers and findings name items of the template t. */
static int check_items(http_res *res, const visit_input *in, const template_checklist *t)
{
	size_t i;
	char path[32];
	if (t->nitems == 0) /* every template has items: this one does not exist */
		return res_error(res, HTTP_bad_request, "template_id", "检查表不存在"), -1;
	for (i = 0; i < in->nanswers; i++)
		if (template_checklist_find(t, in->answers[i].item_id) < 0) {
			snprintf(path, sizeof(path), "answers[%zu]", i);
			return jfield_error(res, path, "item_id", "检查表中没有编号为 %lld 的检查项目", in->answers[i].item_id);
		}
	for (i = 0; i < in->nfindings; i++)
		if (template_checklist_find(t, in->findings[i].item_id) < 0) {
			snprintf(path, sizeof(path), "findings[%zu]", i);
			return jfield_error(res, path, "item_id", "检查表中没有编号为 %lld 的检查项目", in->findings[i].item_id);
		}
	return 0;
}

/* A visit is filed only when no finding stands on an item it answers 符合 or 不适用
 * (one checked item, two verdicts); a draft may hold both while it is written. */
static const char CONTRADICTION_MSG[] = "问题登记在检查结果为“%s”的检查项目上：请把该项目改为“不符合”，或删除这个问题";

static int check_findings_answered(http_res *res, const visit_input *in)
{
	size_t i, k;
	char path[32];
	for (i = 0; i < in->nfindings; i++)
		for (k = 0; k < in->nanswers; k++)
			if (in->answers[k].item_id == in->findings[i].item_id && in->answers[k].result != VISIT_RESULT_FAIL) {
				snprintf(path, sizeof(path), "findings[%zu]", i);
				return jfield_error(res, path, "item_id", CONTRADICTION_MSG,
						    visit_results[in->answers[k].result]);
			}
	return 0;
}

/* check_items against the stored template template_id. */
static int check_items_of(http_req *req, http_res *res, const visit_input *in, long long template_id)
{
	template_checklist t;
	db_status st = templates_db_checklist(req->db, template_id, &t);
	int rc = st == DB_OK ? check_items(res, in, &t) : (res_db_error(res, st), -1);
	template_checklist_free(&t);
	return rc;
}

/* Evidence of every finding belongs to the school; inspectors are responsible for
 * it. names is NULL or receives the other inspectors' names (visits_db_inspectors_ok). */
static int check_people_and_files(http_req *req, http_res *res, const visit_input *in, long long school_id,
				  const char *school_path, json_t **names)
{
	size_t i, bad = 0;
	char path[32];
	db_status st = DB_OK;
	for (i = 0; st == DB_OK && i < in->nfindings; i++) {
		const visit_finding *f = &in->findings[i];
		st = evidence_db_of_school(req->db, school_id, f->evidence_ids, f->nevidence, &bad);
		snprintf(path, sizeof(path), "findings[%zu]", i);
		if (st == DB_NOT_FOUND)
			return jfield_error(res, path, "evidence_ids", "证据文件 %lld 不存在或不属于该校", f->evidence_ids[bad]);
	}
	if (st == DB_OK)
		/* the caller may visit (the route's roles) and sees the school (its scope) */
		st = visits_db_inspectors_ok(req->db, school_path, in->inspector_ids, in->ninspectors, req->user.id,
					     &bad, names);
	if (st == DB_NOT_FOUND)
		return res_error(res, HTTP_bad_request, "inspector_ids", "用户 %lld 不是负责该校的督学",
				 in->inspector_ids[bad]), -1;
	return st == DB_OK ? 0 : (res_db_error(res, st), -1);
}

/* What a new visit is checked against and answered with, read before it is written. */
typedef struct {
	visit_school school;
	template_checklist t;
	json_t *inspectors;      /* names of the inspectors but the caller */
} new_visit;

static void new_visit_free(new_visit *nv)
{
	json_decref(nv->school.fields);
	template_checklist_free(&nv->t);
	json_decref(nv->inspectors);
}

/* The school (in scope) and the template (default: the current default) of a new visit. */
static int resolve_new(http_req *req, http_res *res, visit_input *in, new_visit *nv)
{
	db_status st = visits_db_school(req->db, req->user.org_path, in->school_id, req->user.display_name, &nv->school);
	if (st == DB_NOT_FOUND)
		return res_error(res, HTTP_bad_request, "school_id", "学校不存在或不在管辖范围内"), -1;
	if (st == DB_OK) /* a given template that does not exist is check_items' to report */
		st = templates_db_checklist(req->db, in->template_id ? in->template_id : nv->school.default_template_id,
					    &nv->t);
	if (st == DB_OK && !in->template_id) {
		st = nv->t.nitems ? DB_OK : DB_NOT_FOUND;
		in->template_id = nv->t.id;
	}
	if (!in->has_inspectors) {
		in->inspector_ids[0] = req->user.id;
		in->ninspectors = 1;
		in->has_inspectors = 1;
	}
	return st == DB_OK ? 0 : (res_db_error(res, st), -1);
}

static int cmp_ids(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;
	return (x > y) - (x < y);
}

/* The fields of a new visit, named, ordered and typed as visits_db_get_json has them. */
static json_t *created_head(const http_req *req, const visit_input *in, const new_visit *nv, long long id, int filed)
{
	const json_t *school = nv->school.fields;
	json_t *v = json_object();
	json_object_set_new(v, "id", json_integer(id));
	json_object_set_new(v, "school_id", json_integer(in->school_id));
	json_object_set(v, "school_name", json_object_get(school, "school_name"));
	json_object_set(v, "school_code", json_object_get(school, "school_code"));
	json_object_set(v, "town_id", json_object_get(school, "town_id"));
	json_object_set(v, "town_name", json_object_get(school, "town_name"));
	json_object_set_new(v, "template_id", json_integer(nv->t.id));
	json_object_set_new(v, "template_name", json_string(nv->t.name));
	json_object_set_new(v, "template_version", json_integer(nv->t.version));
	json_object_set_new(v, "visit_date", json_string(in->visit_date));
	json_object_set_new(v, "kind", json_string(visit_kinds[in->kind]));
	json_object_set_new(v, "state", json_string(filed ? "filed" : "draft"));
	json_object_set_new(v, "summary", json_string(in->summary ? in->summary : ""));
	json_object_set_new(v, "created_by", json_integer(req->user.id));
	json_object_set(v, "created_by_name", json_object_get(school, "created_by_name"));
	json_object_set_new(v, "filed_by", filed ? json_integer(req->user.id) : json_null());
	json_object_set_new(v, "filed_on", filed ? json_string(req->today) : json_null());
	json_object_set_new(v, "version", json_integer(filed ? 2 : 1));
	json_object_set(v, "created_at", json_object_get(school, "created_at"));
	json_object_set(v, "updated_at", json_object_get(school, "created_at"));
	return v;
}

/* The inspectors by id as {"id","display_name"}; the caller's name is created_by_name. */
static json_t *created_inspectors(const http_req *req, const visit_input *in, const new_visit *nv)
{
	long long ids[VISIT_MAX_INSPECTORS];
	json_t *arr = json_array(), *o;
	size_t i, k;
	memcpy(ids, in->inspector_ids, in->ninspectors * sizeof(*ids));
	qsort(ids, in->ninspectors, sizeof(*ids), cmp_ids);
	for (i = 0; i < in->ninspectors; i++) {
		if (ids[i] == req->user.id)
			json_array_append_new(arr, json_pack("{s:I,s:O}", "id", (json_int_t)ids[i], "display_name",
							     json_object_get(nv->school.fields, "created_by_name")));
		else
			json_array_foreach(nv->inspectors, k, o)
				if (json_integer_value(json_object_get(o, "id")) == ids[i])
					json_array_append(arr, o);
	}
	return arr;
}

/* The answers in the template's order as {"item_id","code","category","title","result","note"}. */
static json_t *created_answers(const visit_input *in, const template_checklist *t)
{
	json_t *arr = json_array();
	size_t i, k;
	for (i = 0; i < t->nitems; i++)
		for (k = 0; k < in->nanswers; k++) {
			const checklist_entry *c = &t->items[i];
			if (in->answers[k].item_id == c->id)
				json_array_append_new(arr, json_pack("{s:I,s:s?,s:s?,s:s?,s:s,s:s}", "item_id",
								     (json_int_t)c->id, "code", c->code, "category",
								     c->category, "title", c->title, "result",
								     visit_results[in->answers[k].result], "note",
								     in->answers[k].note));
		}
	return arr;
}

/* Finding i of a new visit with its rectification item (filed) and evidence ids in order. */
static json_t *created_finding(const visit_finding *f, size_t i, const checklist_entry *c, const visit_written *w,
			       int filed)
{
	long long ev[EVIDENCE_MAX_PER_ENTRY];
	json_t *ids = json_array();
	size_t k;
	memcpy(ev, f->evidence_ids, f->nevidence * sizeof(*ev));
	qsort(ev, f->nevidence, sizeof(*ev), cmp_ids);
	for (k = 0; k < f->nevidence; k++)
		json_array_append_new(ids, json_integer(ev[k]));
	return json_pack("{s:I,s:I,s:I,s:s?,s:s?,s:s,s:s,s:s?,s:o,s:o,s:o,s:o}", "id", (json_int_t)w->finding_ids[i],
			 "position", (json_int_t)(i + 1), "item_id", (json_int_t)f->item_id, "item_code", c->code,
			 "item_title", c->title, "severity", visit_severities[f->severity], "description", f->description,
			 "deadline", f->deadline, "rectification_id",
			 filed ? json_integer(w->item_ids[i]) : json_null(), "rectification_deadline",
			 filed ? json_string(w->deadlines[i]) : json_null(), "rectification_state",
			 filed ? json_string(rectify_state_name(RS_OPEN)) : json_null(), "evidence_ids", ids);
}

/* The answer to creating a visit, built from what the request knows and wrote:
 * the same JSON as visits_db_get_json reads back right after. New reference. */
static json_t *created_visit(const http_req *req, const visit_input *in, const new_visit *nv,
			     const visit_written *w, int filed)
{
	json_t *v = created_head(req, in, nv, w->id, filed), *findings = json_array();
	size_t i;
	for (i = 0; i < in->nfindings; i++) {
		/* check_items made sure the template has the item */
		long k = template_checklist_find(&nv->t, in->findings[i].item_id);
		json_array_append_new(findings, created_finding(&in->findings[i], i, &nv->t.items[k], w, filed));
	}
	json_object_set_new(v, "inspectors", created_inspectors(req, in, nv));
	json_object_set_new(v, "answers", created_answers(in, &nv->t));
	json_object_set_new(v, "findings", findings);
	return v;
}

/* Files the draft v inside the caller's transaction: one item per finding. */
static db_status file_visit(http_req *req, const visit_row *v)
{
	return visits_db_file(req->db, v, req->user.id, req->today, NULL);
}

/* Ends a write: audit, commit and answer status with the visit (after, taken;
 * NULL: read back), or roll back. */
static int visit_finish(http_req *req, http_res *res, db_status st, const char *action, long long id,
			json_t *before, json_t *after, int status)
{
	if (st == DB_OK && !after)
		st = visits_db_get_json(req->db, req->user.org_path, 1, id, &after);
	if (st == DB_OK && (st = audit_write(req, action, "visit", id, before, after)) == DB_OK)
		st = db_commit(req->db);
	json_decref(before);
	if (st == DB_OK)
		return res_json(res, status, after);
	db_rollback(req->db);
	json_decref(after);
	return res_db_error(res, st);
}

/* A new visit, checked by visits_create and waiting to be written (group.h). */
typedef struct {
	visit_input in;
	new_visit nv;
	int file;
	visit_written w;
} visit_job;

static void visit_job_free(void *job)
{
	visit_job *j = job;
	new_visit_free(&j->nv);
	visit_input_free(&j->in);
	free(j);
}

/* Writes new visits, each answered with what its request read and wrote. */
static db_status visits_write(db *d, group_item **items, size_t n, long long step)
{
	visit_new *v = xcalloc(n, sizeof(*v));
	size_t i;
	db_status st;
	for (i = 0; i < n; i++) {
		const http_req *req = items[i]->req;
		visit_job *j = req->job;
		v[i] = (visit_new){&j->in, req->user.id, j->file ? req->today : NULL, j->nv.school.created_at, &j->w};
	}
	st = visits_db_create(d, v, n, step);
	for (i = 0; st == DB_OK && i < n; i++) {
		group_item *it = items[i];
		visit_job *j = it->req->job;
		it->after = created_visit(it->req, &j->in, &j->nv, &j->w, j->file);
		it->action = j->file ? "create_and_file" : "create";
		it->entity_id = j->w.id;
		it->status = HTTP_created;
	}
	free(v);
	return st;
}

static const group_kind VISIT_CREATE = {visits_write, visit_job_free, "visit"};

int visits_create(http_req *req, http_res *res)
{
	visit_job *j = xcalloc(1, sizeof(*j));
	visit_input *in = &j->in;
	if (visit_parse(req, res, in, 1) || body_bool(req, res, "file", 0, &j->file) ||
	    resolve_new(req, res, in, &j->nv) || check_deadlines(res, in, in->visit_date) ||
	    check_items(res, in, &j->nv.t) || (j->file && check_findings_answered(res, in)) ||
	    check_people_and_files(req, res, in, in->school_id, j->nv.school.path, &j->nv.inspectors)) {
		visit_job_free(j);
		return res->status;
	}
	return group_defer(req, &VISIT_CREATE, j);
}

/* The checks of a PATCH against the stored draft v. */
static int update_checks(http_req *req, http_res *res, const visit_input *in, const visit_row *v, long long version)
{
	long long early = 0;
	db_status st;
	if (v->filed)
		return res_error(res, HTTP_unprocessable, NULL, "该督导记录已提交，不能再修改"), -1;
	if (v->version != version)
		return res_db_error(res, DB_CONFLICT), -1;
	if (in->has_findings)
		return check_deadlines(res, in, in->visit_date ? in->visit_date : v->visit_date) ||
		       check_items_of(req, res, in, v->template_id) ||
		       check_people_and_files(req, res, in, v->school_id, v->school_path, NULL) ? -1 : 0;
	if (in->visit_date && (st = visits_db_findings_before(req->db, v->id, in->visit_date, &early)) != DB_OK)
		return res_db_error(res, st), -1;
	if (early)
		return res_error(res, HTTP_bad_request, "visit_date", "已有问题的整改期限早于新的督导日期"), -1;
	return check_items_of(req, res, in, v->template_id) ||
	       check_people_and_files(req, res, in, v->school_id, v->school_path, NULL) ? -1 : 0;
}

int visits_update(http_req *req, http_res *res)
{
	visit_input in;
	visit_row v;
	long long version;
	json_t *before = NULL;
	db_status st;

	if (visit_parse(req, res, &in, 0) || body_int(req, res, "version", 1, 1, 1LL << 31, &version))
		goto out;
	if ((st = visits_db_load(req->db, req->user.org_path, 1, req_param_id(req, 0), &v)) != DB_OK) {
		res_db_error(res, st);
		goto out;
	}
	if (update_checks(req, res, &in, &v, version))
		goto out;
	if ((st = db_begin(req->db)) == DB_OK &&
	    (st = visits_db_get_json(req->db, req->user.org_path, 1, v.id, &before)) == DB_OK)
		st = visits_db_update(req->db, v.id, version, &in);
	visit_finish(req, res, st, "update", v.id, before, NULL, HTTP_ok);
out:
	visit_input_free(&in);
	return res->status;
}

int visits_file(http_req *req, http_res *res)
{
	visit_row v;
	long long version, position;
	int result;
	db_status st;

	if (body_int(req, res, "version", 1, 1, 1LL << 31, &version))
		return res->status;
	if ((st = visits_db_load(req->db, req->user.org_path, 1, req_param_id(req, 0), &v)) != DB_OK)
		return res_db_error(res, st);
	if (v.filed)
		return res_error(res, HTTP_unprocessable, NULL, "该督导记录已提交，不能重复提交");
	if (v.version != version)
		return res_db_error(res, DB_CONFLICT);
	if ((st = visits_db_contradiction(req->db, v.id, &position, &result)) == DB_OK) {
		char path[48];
		snprintf(path, sizeof(path), "findings[%lld].item_id", position - 1);
		res_error(res, HTTP_unprocessable, path, CONTRADICTION_MSG, visit_results[result]);
		return res->status;
	}
	if (st != DB_NOT_FOUND)
		return res_db_error(res, st);
	v.version = version;
	if ((st = db_begin(req->db)) == DB_OK)
		st = file_visit(req, &v);
	return visit_finish(req, res, st, "file", v.id, NULL, NULL, HTTP_ok);
}

int visits_get(http_req *req, http_res *res)
{
	json_t *v;
	db_status st = visits_db_get_json(req->db, req->user.org_path, sees_drafts(req), req_param_id(req, 0), &v);
	return st == DB_OK ? res_json(res, HTTP_ok, v) : res_db_error(res, st);
}

int visits_list(http_req *req, http_res *res)
{
	static const char *const states[] = {"draft", "filed", NULL};
	visit_filter f = {0};
	int kind = -1, state = -1;
	json_t *items;
	long long total;
	paging pg;
	db_status st;

	if (req_paging(req, res, &pg) || qfield_id(req, res, "town", &f.town_id) ||
	    qfield_id(req, res, "school", &f.school_id) || qfield_enum(req, res, "kind", visit_kinds, &kind) ||
	    qfield_enum(req, res, "state", states, &state) || qfield_dates(req, res, &f.from, &f.to) ||
	    qfield_id(req, res, "reopens", &f.reopens))
		return res->status;
	f.scope_path = req->user.org_path;
	f.drafts = sees_drafts(req);
	f.kind = kind >= 0 ? visit_kinds[kind] : NULL;
	f.state = state >= 0 ? states[state] : NULL;
	st = visits_db_list(req->db, &f, &pg, &items, &total);
	return st == DB_OK ? res_list(res, items, total, &pg) : res_db_error(res, st);
}

/* Marks each school compliant or not and counts them. */
static json_t *compliance_summary(json_t *items, long long required, const semester *s)
{
	json_t *it;
	size_t i, ok = 0;
	json_array_foreach(items, i, it) {
		int c = json_integer_value(json_object_get(it, "visits")) >= required;
		json_object_set_new(it, "compliant", json_boolean(c));
		ok += (size_t)c;
	}
	return json_pack("{s:{s:s,s:s,s:s,s:s},s:I,s:I,s:I,s:f,s:o}", "semester", "code", s->code, "name", s->name,
			 "start", s->start, "end", s->end, "required", (json_int_t)required, "schools",
			 (json_int_t)json_array_size(items), "compliant", (json_int_t)ok, "ratio",
			 json_array_size(items) ? (double)ok / (double)json_array_size(items) : 0.0, "items", items);
}

int visits_compliance(http_req *req, http_res *res)
{
	const char *code = req_query(req, "semester");
	long long town = 0, required = 2;
	json_t *items;
	semester s;
	db_status st;

	if (qfield_id(req, res, "town", &town))
		return res->status;
	if (code ? semester_from_code(code, &s) != 0 : semester_of(req->today, &s) != 0)
		return res_error(res, HTTP_bad_request, "semester", "参数 semester 应为 YYYY-1（春季）或 YYYY-2（秋季）");
	if ((st = visits_db_required(req->db, &required)) != DB_OK ||
	    (st = visits_db_compliance(req->db, req->user.org_path, town, s.start, s.end, &items)) != DB_OK)
		return res_db_error(res, st);
	return res_json(res, HTTP_ok, compliance_summary(items, required, &s));
}

int visits_report(http_req *req, http_res *res)
{
	char *html = NULL;
	size_t len = 0;
	db_status st = visit_report_html(req->db, req->user.org_path, sees_drafts(req), req_param_id(req, 0),
					 req->today, &html, &len);
	if (st != DB_OK)
		return res_db_error(res, st);
	res_header(res, "Content-Security-Policy",
		   "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'");
	return res_body(res, HTTP_ok, "text/html; charset=utf-8", html, len);
}
