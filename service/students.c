/* students.c - /api/v1/students and /api/v1/households: the roster read within
 * scope (names masked for roles that do not need them, ID numbers only as their
 * last four characters), written by principals, aid officers and the admin,
 * audited; enrolment changes (转出, 辍学, 劝返复学 ...) with their dates. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "handlers.h"
#include "idnum.h"
#include "import.h"
#include "roster.h"
#include "students.h"
#include "util.h"

/* Checks the ID number s and fills the hash, last four and birth date of f;
 * field names the parameter in the 400. */
static int id_number_fields(http_req *req, http_res *res, const char *field, const char *s, student_fields *f)
{
	unsigned char key[256];
	char id[IDNUM_LEN + 1];
	size_t keylen;
	idnum_result ir;
	db_status st;
	if (idnum_normalize(s, id) != 0)
		return res_error(res, HTTP_bad_request, field, "%s", idnum_message(IDNUM_LENGTH)), -1;
	if ((ir = idnum_check(id, req->today)) != IDNUM_OK)
		return res_error(res, HTTP_bad_request, field, "%s", idnum_message(ir)), -1;
	if ((st = students_db_id_key(req->db, key, sizeof(key), &keylen)) != DB_OK)
		return res_db_error(res, st), -1;
	idnum_hash(key, keylen, id, f->id_hash);
	idnum_last4(id, f->id_last4);
	idnum_birth_date(id, f->birth_date);
	f->id_gender = idnum_gender(id);
	f->id_given = 1;
	return 0;
}

/* Reads id_number; the gender follows from it, or must agree with it. */
static int body_id_number(http_req *req, http_res *res, int required, student_fields *f)
{
	const char *s;
	if (body_string(req, res, "id_number", required, 24, &s))
		return -1;
	if (!s)
		return 0;
	if (id_number_fields(req, res, "id_number", s, f))
		return -1;
	if (!f->gender)
		f->gender = f->id_gender;
	else if (strcmp(f->gender, f->id_gender))
		return res_error(res, HTTP_bad_request, "gender", "性别与身份证号不符（身份证号显示为%s）",
				 f->id_gender), -1;
	return 0;
}

/* Reads "household": {head_name, address} (or null to detach) into f. */
static int body_household(http_req *req, http_res *res, long long bureau_id, student_fields *f)
{
	json_t *h = json_object_get(req->json, "household");
	json_t *head, *addr;
	db_status st;
	if (!h)
		return 0;
	f->household_given = 1;
	if (json_is_null(h))
		return 0;
	head = json_object_get(h, "head_name");
	addr = json_object_get(h, "address");
	if (!json_is_object(h) || (head && !json_is_string(head)) || (addr && !json_is_string(addr)))
		return res_error(res, HTTP_bad_request, "household", "household 应为 {head_name, address} 对象"), -1;
	if ((head && utf8_chars(json_string_value(head)) > 50) || (addr && utf8_chars(json_string_value(addr)) > 200))
		return res_error(res, HTTP_bad_request, "household", "户主最多 50 个字符，家庭住址最多 200 个字符"), -1;
	if ((!head || !*json_string_value(head)) && (!addr || !*json_string_value(addr)))
		return res_error(res, HTTP_bad_request, "household", "户主和家庭住址至少填写一项"), -1;
	st = households_db_ensure(req->db, bureau_id, head ? json_string_value(head) : "",
				  addr ? json_string_value(addr) : "", &f->household_id);
	return st == DB_OK ? 0 : (res_db_error(res, st), -1);
}

/* The stage from the body or else the grade (required on create), and one the school teaches. */
static int student_stage(http_res *res, student_fields *f, const char *school_stages, int required)
{
	unsigned taught = roster_set_mask(roster_stages, school_stages);
	if (!f->stage && f->grade)
		f->stage = import_stage_of_grade(f->grade);
	if (!f->stage && required)
		return res_error(res, HTTP_bad_request, "stage", "无法从年级推断学段，请填写学段"), -1;
	if (f->stage && taught && !(taught & (1u << roster_index(roster_stages, f->stage))))
		return res_error(res, HTTP_bad_request, "stage", "该学校没有%s学段（学校学段：%s）", f->stage,
				 school_stages), -1;
	return 0;
}

/* Fields shared by create and update (not id_number, household, school). */
static int student_common_fields(http_req *req, http_res *res, student_fields *f, int creating)
{
	int stage = -1, gender = -1;
	if (body_string(req, res, "name", creating, 50, &f->name) ||
	    body_enum(req, res, "gender", 0, roster_genders, &gender) ||
	    body_string(req, res, "grade", creating, 20, &f->grade) ||
	    body_enum(req, res, "stage", 0, roster_stages, &stage) || body_bool(req, res, "boarding", 0, &f->boarding) ||
	    roster_body_set(req, res, "categories", roster_categories, &f->categories, &f->categories_given) ||
	    body_string(req, res, "note", 0, 200, &f->note))
		return -1;
	if (f->name && !*f->name)
		return res_error(res, HTTP_bad_request, "name", "姓名不能为空"), -1;
	f->gender = gender >= 0 ? roster_genders[gender] : NULL;
	f->stage = stage >= 0 ? roster_stages[stage] : NULL;
	return 0;
}

/* Masks what a role should not see in a student (and its household). */
static void student_privacy(json_t *s, int visible)
{
	json_t *h = json_object_get(s, "household");
	roster_mask(s, "name", visible);
	if (json_is_object(h)) {
		roster_mask(h, "head_name", visible);
		if (!visible)
			json_object_set_new(h, "address", json_null());
	}
}

/* ---------------------------------------------------------------- reads */

/* Reads the list filters from the query string. */
static int student_filters(http_req *req, http_res *res, student_filter *f, unsigned char *hash)
{
	const char *unpaired = req_query(req, "unpaired"), *date, *id = req_query(req, "id_number");
	memset(f, 0, sizeof(*f));
	f->names_visible = roster_names_visible(req->user.role);
	f->today = req->today;
	f->grade = req_query(req, "grade");
	f->q = req_query(req, "q");
	if (roster_query_id(req, res, "school_id", &f->school_id) ||
	    roster_query_id(req, res, "household_id", &f->household_id) ||
	    roster_query_enum(req, res, "stage", roster_stages, &f->stage) ||
	    roster_query_enum(req, res, "category", roster_categories, &f->category) ||
	    roster_query_enum(req, res, "status", roster_statuses, &f->status) ||
	    roster_query_date(req, res, "date", &date))
		return -1;
	if (unpaired && strcmp(unpaired, "1") && strcmp(unpaired, "0"))
		return res_error(res, HTTP_bad_request, "unpaired", "参数 unpaired 应为 1 或 0"), -1;
	if (unpaired && !strcmp(unpaired, "1")) {
		db_status st = students_db_eligible_mask(req->db, &f->eligible_mask);
		f->unpaired_on = date ? date : req->today;
		if (st != DB_OK)
			return res_db_error(res, st), -1;
	}
	if (id) {
		student_fields tmp = {0};
		if (id_number_fields(req, res, "id_number", id, &tmp))
			return -1;
		memcpy(hash, tmp.id_hash, IDNUM_HASH_LEN);
		f->id_hash = hash;
	}
	return 0;
}

int students_list(http_req *req, http_res *res)
{
	student_filter f;
	unsigned char hash[IDNUM_HASH_LEN];
	json_t *items;
	long long total;
	paging pg;
	size_t i;
	db_status st;
	if (req_paging(req, res, &pg) || student_filters(req, res, &f, hash))
		return res->status;
	st = students_db_list(req->db, req->user.org_path, &f, &pg, &items, &total);
	if (st == DB_OK && (st = roster_audit_read(req, "students", json_array_size(items))) != DB_OK)
		json_decref(items);
	if (st != DB_OK)
		return res_db_error(res, st);
	for (i = 0; i < json_array_size(items); i++)
		student_privacy(json_array_get(items, i), f.names_visible);
	return res_list(res, items, total, &pg);
}

/* The student in scope with its history, masked for the caller. */
static db_status student_full(http_req *req, long long id, json_t **out)
{
	db_status st = students_db_get(req->db, req->user.org_path, id, out);
	if (st != DB_OK)
		return st;
	if ((st = students_db_detail(req->db, id, *out)) != DB_OK) {
		json_decref(*out);
		return st;
	}
	return DB_OK;
}

int students_get(http_req *req, http_res *res)
{
	json_t *s;
	db_status st = student_full(req, req_param_id(req, 0), &s);
	if (st != DB_OK)
		return res_db_error(res, st);
	student_privacy(s, roster_names_visible(req->user.role));
	return res_json(res, HTTP_ok, s);
}

/* ---------------------------------------------------------------- writes */

/* Validates a new student; fills bureau_id. Returns 0 or the status. */
static int student_create_fields(http_req *req, http_res *res, student_fields *f, long long *bureau_id)
{
	char stages[32];
	int status = 0;
	db_status st;
	f->boarding = 0;
	if (body_int(req, res, "school_id", 1, 1, 1LL << 60, &f->school_id) || student_common_fields(req, res, f, 1) ||
	    body_id_number(req, res, 1, f) || body_enum(req, res, "status", 0, roster_statuses, &status) ||
	    body_date(req, res, "start_date", 0, &f->start_date))
		return res->status;
	f->status = roster_statuses[status];
	if (!f->start_date)
		f->start_date = req->today;
	if (strcmp(f->start_date, req->today) > 0)
		return res_error(res, HTTP_bad_request, "start_date", "入学日期不能晚于今天（%s）", req->today);
	st = students_db_school(req->db, req->user.org_path, f->school_id, bureau_id, stages);
	if (st == DB_NOT_FOUND)
		return res_error(res, HTTP_bad_request, "school_id", "学校不存在或不在管辖范围内");
	if (st != DB_OK)
		return res_db_error(res, st);
	if (student_stage(res, f, stages, 1))
		return res->status;
	return 0;
}

int students_create(http_req *req, http_res *res)
{
	student_fields f = {0};
	long long bureau_id = 0, id = 0;
	json_t *s = NULL;
	db_status st;
	if (student_create_fields(req, res, &f, &bureau_id))
		return res->status;
	if ((st = db_begin(req->db)) != DB_OK)
		return res_db_error(res, st);
	if (body_household(req, res, bureau_id, &f)) {
		db_rollback(req->db);
		return res->status;
	}
	if ((st = students_db_insert(req->db, bureau_id, &f, &id)) != DB_OK ||
	    (st = student_full(req, id, &s)) != DB_OK ||
	    (st = audit_write(req, "create", "student", id, NULL, s)) != DB_OK || (st = db_commit(req->db)) != DB_OK) {
		db_rollback(req->db);
		json_decref(s);
		if (st == DB_DUPLICATE)
			return res_error(res, HTTP_conflict, "id_number", "本县已登记过该身份证号的学生");
		return res_db_error(res, st);
	}
	student_privacy(s, roster_names_visible(req->user.role));
	return res_json(res, HTTP_created, s);
}

/* Validates a PATCH against the stored student (for its school's stages). */
static int student_update_fields(http_req *req, http_res *res, json_t *before, student_fields *f,
				 long long *bureau_id)
{
	char stages[32];
	db_status st;
	f->boarding = -1;
	if (student_common_fields(req, res, f, 0) || body_id_number(req, res, 0, f))
		return res->status;
	st = students_db_school(req->db, "/", json_integer_value(json_object_get(before, "school_id")), bureau_id,
				stages);
	if (st != DB_OK)
		return res_db_error(res, st);
	if (student_stage(res, f, stages, 0) || body_household(req, res, *bureau_id, f))
		return res->status;
	return 0;
}

int students_update(http_req *req, http_res *res)
{
	student_fields f = {0};
	long long version, id = req_param_id(req, 0), bureau_id;
	json_t *before = NULL, *after = NULL;
	db_status st;
	if (body_int(req, res, "version", 1, 1, 1LL << 31, &version))
		return res->status;
	if ((st = db_begin(req->db)) != DB_OK || (st = student_full(req, id, &before)) != DB_OK)
		goto fail;
	if (student_update_fields(req, res, before, &f, &bureau_id)) {
		db_rollback(req->db);
		json_decref(before);
		return res->status;
	}
	if ((st = students_db_update(req->db, id, version, &f)) != DB_OK || (st = student_full(req, id, &after)) != DB_OK ||
	    (st = audit_write(req, "update", "student", id, before, after)) != DB_OK || (st = db_commit(req->db)) != DB_OK)
		goto fail;
	json_decref(before);
	student_privacy(after, roster_names_visible(req->user.role));
	return res_json(res, HTTP_ok, after);
fail:
	db_rollback(req->db);
	json_decref(before);
	json_decref(after);
	if (st == DB_DUPLICATE)
		return res_error(res, HTTP_conflict, "id_number", "本县已登记过该身份证号的学生");
	return res_db_error(res, st);
}

/* Checks an enrolment change against the current one: a later date, not after
 * today, a school in scope and an actual change. Returns 0 or the status. */
static int enrol_check(http_req *req, http_res *res, json_t *before, long long *school_id, const char *status,
		       const char *date)
{
	char start[11], stages[32];
	long long bureau_id, new_bureau;
	long long cur = json_integer_value(json_object_get(before, "school_id"));
	db_status st = students_db_current(req->db, req_param_id(req, 0), start, &bureau_id);
	if (st != DB_OK && st != DB_NOT_FOUND)
		return res_db_error(res, st);
	if (strcmp(date, req->today) > 0)
		return res_error(res, HTTP_unprocessable, "date", "变更日期不能晚于今天（%s）", req->today);
	if (st == DB_OK && strcmp(date, start) <= 0)
		return res_error(res, HTTP_unprocessable, "date", "变更日期应晚于当前就读记录的开始日期（%s）", start);
	if (!*school_id)
		*school_id = cur;
	st = students_db_school(req->db, req->user.org_path, *school_id, &new_bureau, stages);
	if (st == DB_NOT_FOUND || (st == DB_OK && new_bureau != bureau_id))
		return res_error(res, HTTP_bad_request, "school_id", "学校不存在或不在管辖范围内");
	if (st != DB_OK)
		return res_db_error(res, st);
	if (*school_id == cur && !strcmp(status, json_string_value(json_object_get(before, "status"))))
		return res_error(res, HTTP_unprocessable, "status", "学校和就读状态都没有变化");
	return 0;
}

int students_enrol(http_req *req, http_res *res)
{
	long long version, id = req_param_id(req, 0), school_id = 0;
	const char *date;
	int status;
	json_t *before = NULL, *after = NULL;
	db_status st;
	if (body_int(req, res, "version", 1, 1, 1LL << 31, &version) ||
	    body_enum(req, res, "status", 1, roster_statuses, &status) || body_date(req, res, "date", 1, &date) ||
	    body_int(req, res, "school_id", 0, 1, 1LL << 60, &school_id))
		return res->status;
	if ((st = db_begin(req->db)) != DB_OK || (st = student_full(req, id, &before)) != DB_OK)
		goto fail;
	if (enrol_check(req, res, before, &school_id, roster_statuses[status], date)) {
		db_rollback(req->db);
		json_decref(before);
		return res->status;
	}
	if ((st = students_db_enrol(req->db, id, version, school_id, roster_statuses[status], date)) != DB_OK ||
	    (st = student_full(req, id, &after)) != DB_OK ||
	    (st = audit_write(req, "enrol", "student", id, before, after)) != DB_OK || (st = db_commit(req->db)) != DB_OK)
		goto fail;
	json_decref(before);
	student_privacy(after, roster_names_visible(req->user.role));
	return res_json(res, HTTP_created, after);
fail:
	db_rollback(req->db);
	json_decref(before);
	json_decref(after);
	return res_db_error(res, st);
}

/* ---------------------------------------------------------------- households */

int households_list(http_req *req, http_res *res)
{
	int visible = roster_names_visible(req->user.role);
	json_t *items;
	long long total;
	paging pg;
	size_t i;
	db_status st;
	if (req_paging(req, res, &pg))
		return res->status;
	st = households_db_list(req->db, req->user.org_path, visible ? req_query(req, "q") : NULL, &pg, &items, &total);
	if (st == DB_OK && (st = roster_audit_read(req, "households", json_array_size(items))) != DB_OK)
		json_decref(items);
	if (st != DB_OK)
		return res_db_error(res, st);
	for (i = 0; i < json_array_size(items); i++) {
		json_t *h = json_array_get(items, i);
		roster_mask(h, "head_name", visible);
		if (!visible)
			json_object_set_new(h, "address", json_null());
	}
	return res_list(res, items, total, &pg);
}

int households_get(http_req *req, http_res *res)
{
	int visible = roster_names_visible(req->user.role);
	json_t *h, *s;
	size_t i;
	db_status st = households_db_get(req->db, req->user.org_path, req_param_id(req, 0), &h);
	if (st != DB_OK)
		return res_db_error(res, st);
	roster_mask(h, "head_name", visible);
	if (!visible)
		json_object_set_new(h, "address", json_null());
	json_array_foreach(json_object_get(h, "students"), i, s)
		roster_mask(s, "name", visible);
	return res_json(res, HTTP_ok, h);
}
