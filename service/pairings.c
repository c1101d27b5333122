/* pairings.c - /api/v1/pairings and /api/v1/home-visits: who helps whom from
 * when to when, and the visits they make. Read within scope (student names
 * masked for roles that do not need them); written by principals, aid officers
 * and the admin; every write audited. */
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "handlers.h"
#include "pairings.h"
#include "roster.h"
#include "staff.h"
#include "students.h"

/* Makes the 0/1 "active" column a boolean and masks the student's name. */
static void pairing_present(json_t *p, int visible)
{
	json_t *a = json_object_get(p, "active");
	if (json_is_integer(a))
		json_object_set_new(p, "active", json_boolean(json_integer_value(a) != 0));
	roster_mask(p, "student_name", visible);
}

static void items_present(json_t *items, int visible, int pairing)
{
	size_t i;
	for (i = 0; i < json_array_size(items); i++) {
		if (pairing)
			pairing_present(json_array_get(items, i), visible);
		else
			roster_mask(json_array_get(items, i), "student_name", visible);
	}
}

/* Answers a list after logging the bulk read of personal data. */
static int list_answer(http_req *req, http_res *res, const char *entity, json_t *items, long long total,
		       const paging *pg, int pairing)
{
	db_status st = roster_audit_read(req, entity, json_array_size(items));
	if (st != DB_OK) {
		json_decref(items);
		return res_db_error(res, st);
	}
	items_present(items, roster_names_visible(req->user.role), pairing);
	return res_list(res, items, total, pg);
}

/* The staff member and the student must both be in the caller's scope, and the staff member active. */
static int check_parties(http_req *req, http_res *res, long long staff_id, long long student_id)
{
	json_t *staff = NULL, *student = NULL;
	db_status st = staff_db_get(req->db, req->user.org_path, staff_id, req->today, &staff);
	int active = staff && json_is_true(json_object_get(staff, "active"));
	json_decref(staff);
	if (st == DB_NOT_FOUND)
		return res_error(res, HTTP_bad_request, "staff_id", "教职工不存在或不在管辖范围内");
	if (st != DB_OK)
		return res_db_error(res, st);
	if (!active)
		return res_error(res, HTTP_unprocessable, "staff_id", "该教职工已停用，不能再新增结对或家访");
	st = students_db_get(req->db, req->user.org_path, student_id, &student);
	json_decref(student);
	if (st == DB_NOT_FOUND)
		return res_error(res, HTTP_bad_request, "student_id", "学生不存在或不在管辖范围内");
	return st == DB_OK ? 0 : res_db_error(res, st);
}

/* ---------------------------------------------------------------- pairings */

int pairings_list(http_req *req, http_res *res)
{
	pairing_filter f = {0, 0, 0, NULL};
	json_t *items;
	long long total;
	paging pg;
	db_status st;
	if (req_paging(req, res, &pg) || roster_query_id(req, res, "school_id", &f.school_id) ||
	    roster_query_id(req, res, "staff_id", &f.staff_id) || roster_query_id(req, res, "student_id", &f.student_id) ||
	    roster_query_date(req, res, "active_on", &f.active_on))
		return res->status;
	st = pairings_db_list(req->db, req->user.org_path, &f, req->today, &pg, &items, &total);
	if (st != DB_OK)
		return res_db_error(res, st);
	return list_answer(req, res, "pairings", items, total, &pg, 1);
}

int pairings_get(http_req *req, http_res *res)
{
	json_t *p;
	db_status st = pairings_db_get(req->db, req->user.org_path, req_param_id(req, 0), req->today, &p);
	if (st != DB_OK)
		return res_db_error(res, st);
	pairing_present(p, roster_names_visible(req->user.role));
	return res_json(res, HTTP_ok, p);
}

/* A pairing's dates: start required unless defaulted, end not before start. */
static int pairing_dates(http_req *req, http_res *res, const char **start, const char **end)
{
	if (body_date(req, res, "start_date", 0, start) || body_date(req, res, "end_date", 0, end))
		return -1;
	if (!*start)
		*start = req->today;
	if (*end && strcmp(*end, *start) < 0)
		return res_error(res, HTTP_bad_request, "end_date", "结束日期（%s）不能早于开始日期（%s）", *end, *start), -1;
	return 0;
}

/* Inserts a checked pairing and answers it; the caller began the transaction. */
static int pairing_insert(http_req *req, http_res *res, long long staff_id, long long student_id,
			  const char *start, const char *end, const char *note)
{
	long long id = 0, overlaps = 0;
	json_t *p = NULL;
	db_status st;
	if ((st = pairings_db_overlaps(req->db, staff_id, student_id, start, end, 0, &overlaps)) != DB_OK)
		goto fail;
	if (overlaps) {
		db_rollback(req->db);
		return res_error(res, HTTP_conflict, "student_id", "该教职工与该学生在这段时间已有结对");
	}
	if ((st = pairings_db_insert(req->db, staff_id, student_id, start, end, note, &id)) != DB_OK ||
	    (st = pairings_db_get(req->db, "/", id, req->today, &p)) != DB_OK ||
	    (st = audit_write(req, "create", "pairing", id, NULL, p)) != DB_OK || (st = db_commit(req->db)) != DB_OK)
		goto fail;
	pairing_present(p, roster_names_visible(req->user.role));
	return res_json(res, HTTP_created, p);
fail:
	db_rollback(req->db);
	json_decref(p);
	return res_db_error(res, st);
}

int pairings_create(http_req *req, http_res *res)
{
	long long staff_id, student_id;
	const char *start, *end, *note;
	db_status st;
	if (body_int(req, res, "staff_id", 1, 1, 1LL << 60, &staff_id) ||
	    body_int(req, res, "student_id", 1, 1, 1LL << 60, &student_id) || pairing_dates(req, res, &start, &end) ||
	    body_string(req, res, "note", 0, 500, &note))
		return res->status;
	if (check_parties(req, res, staff_id, student_id))
		return res->status;
	if ((st = db_begin(req->db)) != DB_OK)
		return res_db_error(res, st);
	return pairing_insert(req, res, staff_id, student_id, start, end, note);
}

/* Reads end_date for a PATCH: absent keeps, null reopens, a date must not precede the start. */
static int pairing_end(http_req *req, http_res *res, json_t *before, int *given, const char **end)
{
	const char *start = json_string_value(json_object_get(before, "start_date"));
	*given = json_object_get(req->json, "end_date") != NULL;
	if (body_date(req, res, "end_date", 0, end))
		return -1;
	if (*end && start && strcmp(*end, start) < 0)
		return res_error(res, HTTP_bad_request, "end_date", "结束日期（%s）不能早于开始日期（%s）", *end, start), -1;
	return 0;
}

int pairings_update(http_req *req, http_res *res)
{
	long long version, id = req_param_id(req, 0), overlaps = 0;
	const char *end = NULL, *note;
	int given = 0;
	json_t *before = NULL, *after = NULL;
	db_status st;
	if (body_int(req, res, "version", 1, 1, 1LL << 31, &version) || body_string(req, res, "note", 0, 500, &note))
		return res->status;
	if ((st = db_begin(req->db)) != DB_OK || (st = pairings_db_get(req->db, req->user.org_path, id, req->today,
								       &before)) != DB_OK)
		goto fail;
	if (pairing_end(req, res, before, &given, &end))
		goto refused;
	if (given && (st = pairings_db_overlaps(req->db, json_integer_value(json_object_get(before, "staff_id")),
						json_integer_value(json_object_get(before, "student_id")),
						json_string_value(json_object_get(before, "start_date")), end, id,
						&overlaps)) != DB_OK)
		goto fail;
	if (overlaps) {
		res_error(res, HTTP_conflict, "end_date", "延长后会与同一师生的另一段结对重叠");
		goto refused;
	}
	if ((st = pairings_db_update(req->db, id, version, given, end, note)) != DB_OK ||
	    (st = pairings_db_get(req->db, "/", id, req->today, &after)) != DB_OK ||
	    (st = audit_write(req, "update", "pairing", id, before, after)) != DB_OK || (st = db_commit(req->db)) != DB_OK)
		goto fail;
	json_decref(before);
	pairing_present(after, roster_names_visible(req->user.role));
	return res_json(res, HTTP_ok, after);
refused:
	db_rollback(req->db);
	json_decref(before);
	return res->status;
fail:
	db_rollback(req->db);
	json_decref(before);
	json_decref(after);
	return res_db_error(res, st);
}

/* ---------------------------------------------------------------- home visits */

int home_visits_list(http_req *req, http_res *res)
{
	visit_filter f = {0, 0, 0, NULL, NULL, NULL};
	json_t *items;
	long long total;
	paging pg;
	db_status st;
	if (req_paging(req, res, &pg) || roster_query_id(req, res, "school_id", &f.school_id) ||
	    roster_query_id(req, res, "staff_id", &f.staff_id) || roster_query_id(req, res, "student_id", &f.student_id) ||
	    roster_query_date(req, res, "from", &f.from) || roster_query_date(req, res, "to", &f.to) ||
	    roster_query_enum(req, res, "kind", roster_visit_kinds, &f.kind))
		return res->status;
	st = home_visits_db_list(req->db, req->user.org_path, &f, &pg, &items, &total);
	if (st != DB_OK)
		return res_db_error(res, st);
	return list_answer(req, res, "home_visits", items, total, &pg, 0);
}

int home_visits_create(http_req *req, http_res *res)
{
	long long staff_id, student_id, id = 0;
	const char *date, *note;
	int kind;
	json_t *v = NULL;
	db_status st;
	if (body_int(req, res, "student_id", 1, 1, 1LL << 60, &student_id) ||
	    body_int(req, res, "staff_id", 1, 1, 1LL << 60, &staff_id) || body_date(req, res, "visit_date", 1, &date) ||
	    body_enum(req, res, "kind", 1, roster_visit_kinds, &kind) || body_string(req, res, "note", 0, 1000, &note))
		return res->status;
	if (strcmp(date, req->today) > 0)
		return res_error(res, HTTP_bad_request, "visit_date", "家访日期不能晚于今天（%s）", req->today);
	if (check_parties(req, res, staff_id, student_id))
		return res->status;
	if ((st = db_begin(req->db)) != DB_OK ||
	    (st = home_visits_db_insert(req->db, student_id, staff_id, date, roster_visit_kinds[kind], note,
					req->user.id, &id)) != DB_OK ||
	    (st = home_visits_db_get(req->db, "/", id, &v)) != DB_OK ||
	    (st = audit_write(req, "create", "home_visit", id, NULL, v)) != DB_OK || (st = db_commit(req->db)) != DB_OK) {
		db_rollback(req->db);
		json_decref(v);
		return res_db_error(res, st);
	}
	roster_mask(v, "student_name", roster_names_visible(req->user.role));
	return res_json(res, HTTP_created, v);
}
