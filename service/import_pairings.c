/* import_pairings.c - POST /api/v1/imports/pairings: the pairing register
 * (附件3 点对点结对帮扶登记表: 帮扶人, 工作单位及职务, 帮扶学生, 家庭住址, 所在年级,
 * 联系电话, 贫困原因, 备注, optionally 学生身份证号, 学校, 开始日期, 结束日期).
 * The helper is found by name at the org their 工作单位 names (else the student's
 * school) and created when missing; the student by ID number, else by name
 * within the school and grade given, an ambiguous name being an error. The same
 * pairing imported again is unchanged, never doubled. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "handlers.h"
#include "import_http.h"
#include "import_pairings.h"
#include "roster.h"
#include "students.h"
#include "util.h"

/* Marks rec bad after an error on field. */
#define REC_ERROR(pi, h, rec, field, ...)                                          \
	do {                                                                      \
		import_row_error((pi)->rep, (h), (rec)->row, (field), __VA_ARGS__); \
		(rec)->bad = 1;                                                   \
	} while (0)

/* ---------------------------------------------------------------- pass 1: the rows */

static pairing_rec *rec_append(pairing_import *pi)
{
	if (pi->nrecs == pi->caprecs) {
		pi->caprecs = pi->caprecs ? pi->caprecs * 2 : 64;
		pi->recs = xrealloc(pi->recs, pi->caprecs * sizeof(pairing_rec));
	}
	memset(&pi->recs[pi->nrecs], 0, sizeof(pairing_rec));
	return &pi->recs[pi->nrecs++];
}

/* 帮扶人, 工作单位及职务, 帮扶学生, 学生身份证号, 所在年级, 联系电话. */
static void check_people(pairing_import *pi, const import_header *h, const sheet_row *row, pairing_rec *rec)
{
	const char *id = import_cell(h, row, PF_STUDENT_ID), *p;
	char norm[IDNUM_LEN + 1];
	idnum_result ir;
	if (!*import_text(pi->rep, h, row, PF_STAFF, 50, rec->staff, sizeof(rec->staff)))
		import_row_error(pi->rep, h, row->number, PF_STAFF, "帮扶人姓名不能为空");
	import_text(pi->rep, h, row, PF_UNIT, 100, rec->unit, sizeof(rec->unit));
	if (!*import_text(pi->rep, h, row, PF_STUDENT, 50, rec->student, sizeof(rec->student)))
		import_row_error(pi->rep, h, row->number, PF_STUDENT, "帮扶学生姓名不能为空");
	import_text(pi->rep, h, row, PF_GRADE, 20, rec->grade, sizeof(rec->grade));
	import_text(pi->rep, h, row, PF_PHONE, 20, rec->phone, sizeof(rec->phone));
	for (p = rec->phone; *p; p++)
		if (!strchr("0123456789-+ ", *p)) {
			import_row_error(pi->rep, h, row->number, PF_PHONE, "电话号码只能包含数字、空格、+ 和 -");
			break;
		}
	if (!*id)
		return;
	ir = idnum_normalize(id, norm) ? IDNUM_LENGTH : idnum_check(norm, pi->today);
	if (ir != IDNUM_OK) {
		import_row_error(pi->rep, h, row->number, PF_STUDENT_ID, "%s", idnum_message(ir));
		return;
	}
	idnum_hash(pi->key, pi->keylen, norm, rec->id_hash);
	rec->has_id = 1;
}

/* 贫困原因 and 备注 become the note; 开始日期 and 结束日期 the dates. */
static void check_terms(pairing_import *pi, const import_header *h, const sheet_row *row, pairing_rec *rec)
{
	const char *reason = import_cell(h, row, PF_REASON), *note = import_cell(h, row, PF_NOTE);
	const char *s = import_cell(h, row, PF_START), *e = import_cell(h, row, PF_END);
	snprintf(rec->note, sizeof(rec->note), "%s%s%s%s", *reason ? "贫困原因：" : "", reason,
		 *reason && *note ? "；" : "", note);
	if (utf8_chars(rec->note) > 500)
		import_row_error(pi->rep, h, row->number, PF_NOTE, "贫困原因和备注合计过长（最多 500 个字符）");
	if (*s && import_parse_date(s, rec->start) != 0)
		import_row_error(pi->rep, h, row->number, PF_START, "不是有效日期：%s", s);
	else if (!*s)
		str_copy(rec->start, sizeof(rec->start), pi->today);
	if (*e && import_parse_date(e, rec->end) != 0)
		import_row_error(pi->rep, h, row->number, PF_END, "不是有效日期：%s", e);
	else if (*e && rec->start[0] && strcmp(rec->end, rec->start) < 0)
		import_row_error(pi->rep, h, row->number, PF_END, "结束日期 %s 早于开始日期 %s", rec->end, rec->start);
	rec->has_end = *e != '\0';
}

/* 学校 / 学校标识码, when the register has them. */
static void check_school(pairing_import *pi, const import_header *h, const sheet_row *row, pairing_rec *rec)
{
	const char *code = import_cell(h, row, PF_SCHOOL_CODE), *name = import_cell(h, row, PF_SCHOOL);
	long long *v = *code ? keymap_get_str(pi->school_by_code, code) : *name ? keymap_get_str(pi->school_by_name, name)
										  : NULL;
	if (!*code && !*name)
		return;
	if (!v)
		import_row_error(pi->rep, h, row->number, *code ? PF_SCHOOL_CODE : PF_SCHOOL,
				 "学校“%s”不存在或不在管辖范围内", *code ? code : name);
	else if (*v < 0)
		import_row_error(pi->rep, h, row->number, PF_SCHOOL, "有多所学校名为“%s”，请改用学校标识码", name);
	else
		rec->school_id = pi->orgs[*v - 1].id;
}

static int pairing_on_row(void *ctx, const import_header *h, const sheet_row *row)
{
	pairing_import *pi = ctx;
	pairing_rec *rec = rec_append(pi);
	long long errors = pi->rep->errors_total;
	if (pi->rep->rows == 1)
		pi->party = strstr(h->header_of[PF_STAFF], "党员") != NULL;
	rec->row = row->number;
	check_people(pi, h, row, rec);
	check_terms(pi, h, row, rec);
	check_school(pi, h, row, rec);
	rec->bad = pi->rep->errors_total > errors;
	return 0;
}

/* ---------------------------------------------------------------- pass 2: students */

/* The student a row names, by ID number. Returns the index or -1 after an error. */
static long student_by_id(pairing_import *pi, const import_header *h, pairing_rec *rec)
{
	long long *v = keymap_get(pi->student_by_hash, rec->id_hash, IDNUM_HASH_LEN);
	if (!v) {
		REC_ERROR(pi, h, rec, PF_STUDENT_ID, "管辖范围内没有这个身份证号的学生");
		return -1;
	}
	if (*v < 0) {
		REC_ERROR(pi, h, rec, PF_STUDENT_ID, "这个身份证号在多个县都有登记，请由各县分别导入");
		return -1;
	}
	if (strcmp(pi->students[*v - 1].name, rec->student)) {
		REC_ERROR(pi, h, rec, PF_STUDENT, "学生姓名与身份证号登记的姓名不一致");
		return -1;
	}
	return (long)*v - 1;
}

/* The student a row names, by name within the school and grade given. */
static long student_by_name(pairing_import *pi, const import_header *h, pairing_rec *rec)
{
	long long *v = keymap_get_str(pi->student_by_name, rec->student);
	long i, found = -1, n = 0;
	for (i = v ? (long)*v - 1 : -1; i >= 0; i = pi->students[i].next_same_name) {
		if ((rec->school_id && pi->students[i].school_id != rec->school_id) ||
		    (rec->grade[0] && strcmp(pi->students[i].grade, rec->grade)))
			continue;
		found = i;
		n++;
	}
	if (n == 0)
		REC_ERROR(pi, h, rec, PF_STUDENT, "管辖范围内%s没有名为“%s”的学生", rec->grade[0] ? "该年级" : "",
			  rec->student);
	else if (n > 1)
		REC_ERROR(pi, h, rec, PF_STUDENT, "有 %ld 名学生叫“%s”，请增加“学生身份证号”列（或学校、年级）以区分", n,
			  rec->student);
	return n == 1 ? found : -1;
}

static void resolve_students(pairing_import *pi, const import_header *h)
{
	size_t i;
	for (i = 0; i < pi->nrecs; i++) {
		pairing_rec *rec = &pi->recs[i];
		long s;
		if (rec->bad)
			continue;
		s = rec->has_id ? student_by_id(pi, h, rec) : student_by_name(pi, h, rec);
		if (s < 0)
			continue;
		if (rec->school_id && pi->students[s].school_id != rec->school_id) {
			REC_ERROR(pi, h, rec, PF_SCHOOL, "该学生不在这所学校就读");
			continue;
		}
		rec->student_id = pi->students[s].id;
		rec->student_school = pi->students[s].school_id;
	}
}

/* ---------------------------------------------------------------- pass 2: staff */

/* The org whose name begins the unit text (the longest), else -1; *rest is what follows. */
static long unit_org(keymap *by_name, const char *unit, const char **rest)
{
	size_t n = strlen(unit);
	while (n > 0) {
		long long *v = keymap_get(by_name, unit, n);
		if (v && *v > 0) {
			*rest = unit + n;
			return (long)*v - 1;
		}
		do
			n--;
		while (n > 0 && ((unsigned char)unit[n] & 0xC0) == 0x80);
	}
	*rest = unit;
	return -1;
}

/* Skips separators between an org name and a position ("城关镇中心小学 班主任"). */
static const char *skip_separators(const char *s)
{
	static const char *const seps[] = {" ", "、", "，", ",", "/", "-", "—", "：", ":", "\xE3\x80\x80", NULL};
	size_t i = 0;
	while (seps[i]) {
		if (!strncmp(s, seps[i], strlen(seps[i]))) {
			s += strlen(seps[i]);
			i = 0;
		} else {
			i++;
		}
	}
	return s;
}

/* The position text and the roles it implies (plus 党员 when the register is of party members). */
static void staff_position(pairing_import *pi, pairing_rec *rec, const char *text)
{
	char cadre[320];
	char *b;
	unsigned roles = 0;
	text = skip_separators(text);
	str_copy(rec->position, sizeof(rec->position), text);
	roles |= strstr(text, "班主任") ? 1u : 0;
	roles |= strstr(text, "教师") || strstr(text, "老师") || strstr(text, "教员") ? 2u : 0;
	str_copy(cadre, sizeof(cadre), text);
	while ((b = strstr(cadre, "班主任")))
		memset(b, 'X', 9); /* the 主任 inside 班主任 is no cadre */
	roles |= strstr(cadre, "校长") || strstr(cadre, "书记") || strstr(cadre, "主任") || strstr(cadre, "局长") ||
			 strstr(cadre, "干部") || strstr(cadre, "科长") || strstr(cadre, "股长") || strstr(cadre, "园长")
		 ? 4u : 0;
	roles |= pi->party ? 8u : 0;
	roster_set_text(roster_staff_roles, roles, rec->roles_text, sizeof(rec->roles_text));
}

/* Names of orgs in scope, index + 1 (-1 when two share a name). */
static keymap *org_names(pairing_import *pi)
{
	keymap *m = keymap_new();
	size_t i;
	int created;
	for (i = 0; i < pi->norgs; i++) {
		long long *v = keymap_put_str(m, pi->orgs[i].name, &created);
		*v = created ? (long long)i + 1 : -1;
	}
	return m;
}

static void resolve_staff(pairing_import *pi, const import_header *h)
{
	keymap *by_name = org_names(pi);
	unsigned char key[8 + 160];
	size_t i;
	int created;
	for (i = 0; i < pi->nrecs; i++) {
		pairing_rec *rec = &pi->recs[i];
		const char *rest;
		long org;
		long long *v;
		if (rec->bad)
			continue;
		org = unit_org(by_name, rec->unit, &rest);
		rec->staff_org = org >= 0 ? pi->orgs[org].id : rec->student_school;
		staff_position(pi, rec, rest);
		memcpy(key, &rec->staff_org, 8);
		memcpy(key + 8, rec->staff, strlen(rec->staff));
		v = keymap_put(pi->staff, key, 8 + strlen(rec->staff), &created);
		if (*v < 0)
			REC_ERROR(pi, h, rec, PF_STAFF, "该单位有多名教职工叫“%s”，请先在教职工名单中区分", rec->staff);
		rec->staff_id = *v > 0 ? *v : 0;
		rec->staff_new = *v == 0 ? (created ? 1 : 2) : 0;
	}
	keymap_free(by_name);
}

/* ---------------------------------------------------------------- pass 2: pairings */

/* The stored pairing of the row's staff and student that shares a day with the row's dates, or -1. */
static long stored_match(pairing_import *pi, const pairing_rec *rec)
{
	long long pair[2] = {rec->staff_id, rec->student_id}, *v;
	long i;
	if (!rec->staff_id || !(v = keymap_get(pi->stored_by_pair, pair, sizeof(pair))))
		return -1;
	for (i = (long)*v - 1; i >= 0; i = pi->stored[i].next) {
		const pairing_stored *s = &pi->stored[i];
		if ((!s->end[0] || strcmp(s->end, rec->start) >= 0) && (!rec->has_end || strcmp(s->start, rec->end) <= 0))
			return i;
	}
	return -1;
}

/* Compares the row with its stored pairing; a change keeps the stored start. */
static void compare_stored(pairing_import *pi, const import_header *h, pairing_rec *rec, const pairing_stored *s)
{
	const char *end = rec->has_end ? rec->end : s->end;
	const char *note = rec->note[0] ? rec->note : s->note;
	rec->stored_id = s->id;
	if (!strcmp(end, s->end) && !strcmp(note, s->note)) {
		rec->action = "unchanged";
		return;
	}
	if (end[0] && strcmp(end, s->start) < 0) {
		REC_ERROR(pi, h, rec, PF_END, "结束日期 %s 早于已登记结对的开始日期 %s", end, s->start);
		return;
	}
	str_copy(rec->start, sizeof(rec->start), s->start);
	str_copy(rec->end, sizeof(rec->end), end);
	memmove(rec->note, note, strlen(note) + 1);
	rec->action = "change";
}

static void resolve_pairings(pairing_import *pi, const import_header *h)
{
	keymap *seen = keymap_new();
	unsigned char key[16 + 160];
	size_t i;
	int created;
	for (i = 0; i < pi->nrecs; i++) {
		pairing_rec *rec = &pi->recs[i];
		long long *v;
		long s;
		if (rec->bad)
			continue;
		memcpy(key, &rec->staff_org, 8);
		memcpy(key + 8, &rec->student_id, 8);
		memcpy(key + 16, rec->staff, strlen(rec->staff));
		v = keymap_put(seen, key, 16 + strlen(rec->staff), &created);
		if (!created) {
			REC_ERROR(pi, h, rec, PF_STUDENT, "与第 %lld 行重复（同一帮扶人和学生）", *v);
			continue;
		}
		*v = (long long)rec->row;
		rec->action = "add";
		if ((s = stored_match(pi, rec)) >= 0)
			compare_stored(pi, h, rec, &pi->stored[s]);
	}
	keymap_free(seen);
}

/* ---------------------------------------------------------------- report */

static json_t *preview_row(const pairing_import *pi, const pairing_rec *rec)
{
	long long *st = rec->student_id ? keymap_get(pi->student_by_id, &rec->student_id, sizeof(long long)) : NULL;
	json_t *o = json_pack("{s:I,s:s,s:s,s:s}", "row", (json_int_t)rec->row, "action", rec->bad ? "reject" : rec->action,
			      "staff_name", rec->staff, "student_name", rec->student);
	if (rec->bad)
		return o;
	json_object_set_new(o, "staff_id", rec->staff_id ? json_integer(rec->staff_id) : json_null());
	json_object_set_new(o, "staff_new", json_boolean(rec->staff_new));
	json_object_set_new(o, "staff_org_id", json_integer(rec->staff_org));
	json_object_set_new(o, "position", json_string(rec->position));
	json_object_set_new(o, "student_id", json_integer(rec->student_id));
	json_object_set_new(o, "grade", json_string(st ? pi->students[*st - 1].grade : rec->grade));
	json_object_set_new(o, "start_date", json_string(rec->start));
	json_object_set_new(o, "end_date", rec->end[0] ? json_string(rec->end) : json_null());
	json_object_set_new(o, "note", json_string(rec->note));
	return o;
}

/* Counts and previews every row, in file order. */
static void tally(pairing_import *pi)
{
	size_t i;
	long long new_staff = 0;
	for (i = 0; i < pi->nrecs; i++) {
		pairing_rec *rec = &pi->recs[i];
		if (!rec->bad) {
			pi->rep->added += !strcmp(rec->action, "add");
			pi->rep->changed += !strcmp(rec->action, "change");
			pi->rep->unchanged += !strcmp(rec->action, "unchanged");
			new_staff += rec->staff_new == 1;
		}
		if (json_array_size(pi->rep->preview) < pi->rep->preview_cap) {
			json_t *row = preview_row(pi, rec);
			roster_mask(row, "student_name", pi->names_visible);
			import_preview_add(pi->rep, row);
		}
	}
	pi->rep->extra = json_pack("{s:I}", "staff_created", (json_int_t)new_staff);
}

/* ---------------------------------------------------------------- the request */

static void pairing_import_init(pairing_import *pi, http_req *req, import_report *rep, int dry_run)
{
	memset(pi, 0, sizeof(*pi));
	pi->db = req->db;
	pi->scope = req->user.org_path;
	pi->today = req->today;
	pi->dry_run = dry_run;
	pi->names_visible = roster_names_visible(req->user.role);
	pi->school_by_code = keymap_new();
	pi->school_by_name = keymap_new();
	pi->student_by_hash = keymap_new();
	pi->student_by_name = keymap_new();
	pi->student_by_id = keymap_new();
	pi->staff = keymap_new();
	pi->stored_by_pair = keymap_new();
	pi->rep = rep;
}

static void pairing_import_release(pairing_import *pi)
{
	keymap_free(pi->school_by_code);
	keymap_free(pi->school_by_name);
	keymap_free(pi->student_by_hash);
	keymap_free(pi->student_by_name);
	keymap_free(pi->student_by_id);
	keymap_free(pi->staff);
	keymap_free(pi->stored_by_pair);
	free(pi->orgs);
	free(pi->recs);
	free(pi->students);
	free(pi->stored);
}

/* Resolves the checked rows against the database (pass 2). */
static db_status pairing_resolve(pairing_import *pi, const import_header *h)
{
	db_status st;
	if ((st = pairing_db_load_students(pi)) != DB_OK)
		return st;
	resolve_students(pi, h);
	if ((st = pairing_db_load_staff(pi)) != DB_OK)
		return st;
	resolve_staff(pi, h);
	if ((st = pairing_db_load_stored(pi)) != DB_OK)
		return st;
	resolve_pairings(pi, h);
	tally(pi);
	import_report_sort(pi->rep);
	return DB_OK;
}

/* Writes, audits and commits a real import (inside the open transaction). */
static db_status pairing_commit(http_req *req, pairing_import *pi, const char *file_name)
{
	json_t *after;
	db_status st = pairing_db_write(pi);
	if (st != DB_OK)
		return st;
	after = json_pack("{s:s?,s:s,s:I,s:I,s:I,s:I,s:I}", "file_name", file_name, "format", pi->rep->format, "rows",
			  (json_int_t)pi->rep->rows, "added", (json_int_t)pi->rep->added, "changed",
			  (json_int_t)pi->rep->changed, "unchanged", (json_int_t)pi->rep->unchanged, "staff_created",
			  (json_int_t)pi->staff_created);
	st = audit_write(req, "import", "pairings", 0, NULL, after);
	json_decref(after);
	return st == DB_OK ? db_commit(req->db) : st;
}

static int pairing_run(http_req *req, http_res *res, pairing_import *pi, const char *file_name)
{
	import_reader rd;
	int status;
	db_status st;
	import_reader_init(&rd, import_pairing_columns, pi->rep, pairing_on_row, pi);
	if ((status = import_http_read(req, res, &rd, pi->rep, pi->dry_run)) != 0)
		return status;
	if (pi->nrecs == 0)
		return import_http_answer(res, pi->rep, pi->dry_run, HTTP_unprocessable, "file", "文件中没有结对数据行");
	if ((st = pairing_resolve(pi, &rd.header)) != DB_OK)
		return res_db_error(res, st);
	if (pi->dry_run)
		return import_http_answer(res, pi->rep, pi->dry_run, HTTP_ok, NULL, NULL);
	if (pi->rep->rejected)
		return import_http_answer(res, pi->rep, pi->dry_run, HTTP_unprocessable, "rows",
					  "有数据行未通过检查，整个文件未导入；请按行号和列修改后重新上传");
	if ((st = pairing_commit(req, pi, file_name)) != DB_OK)
		return res_db_error(res, st);
	return import_http_answer(res, pi->rep, pi->dry_run, HTTP_ok, NULL, NULL);
}

int imports_pairings(http_req *req, http_res *res)
{
	pairing_import pi;
	import_report rep;
	import_options opt;
	int status;
	db_status st;
	if (import_http_options(req, res, &opt))
		return res->status;
	import_report_init(&rep, PAIRING_PREVIEW, PAIRING_ERRORS);
	pairing_import_init(&pi, req, &rep, opt.dry_run);
	if ((st = students_db_id_key(req->db, pi.key, sizeof(pi.key), &pi.keylen)) != DB_OK ||
	    (!opt.dry_run && (st = db_begin(req->db)) != DB_OK) || (st = pairing_db_load_orgs(&pi)) != DB_OK)
		status = res_db_error(res, st);
	else
		status = pairing_run(req, res, &pi, opt.file_name);
	if (!opt.dry_run && status != HTTP_ok)
		db_rollback(req->db);
	pairing_import_release(&pi);
	import_report_release(&rep);
	return status;
}
