/* import_roster.c - POST /api/v1/imports/roster: the registered-student roster
 * from the poverty office (XLSX or CSV). Each row is checked, matched to a known
 * student by the ID number's hash within the bureau, and counted as added,
 * changed, unchanged or rejected. A dry run answers the preview and writes
 * nothing; the real import writes all rows in one transaction, or none when any
 * row is bad. Absent optional columns keep what is stored. The request's thread
 * reads and checks the rows; a writer thread (import_roster_pipe.c) looks them up
 * and writes them, chunk by chunk, while the next chunk is being checked. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "handlers.h"
#include "import_http.h"
#include "import_roster.h"
#include "roster.h"
#include "util.h"

/* ---------------------------------------------------------------- digest, known students */

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
	const unsigned char *b = p;
	size_t i;
	for (i = 0; i < n; i++) {
		h ^= b[i];
		h *= 1099511628211ULL;
	}
	return h;
}

static uint64_t fnv_str(uint64_t h, const char *s)
{
	h = fnv(h, s ? s : "", s ? strlen(s) : 0);
	return fnv(h, "\x1f", 1);
}

uint64_t roster_digest(unsigned present, const char *name, const char *gender, const char *birth,
		       long long school_id, const char *grade, const char *stage, int boarding,
		       const unsigned char *hkey, unsigned categories, const char *status, const char *note)
{
	uint64_t h = 14695981039346656037ULL;
	h = fnv_str(fnv_str(fnv_str(h, name), gender), birth);
	h = fnv(h, &school_id, sizeof(school_id));
	h = fnv_str(fnv_str(h, grade), stage);
	h = fnv(h, &categories, sizeof(categories));
	if (present & ROSTER_P_BOARDING)
		h = fnv(h, boarding ? "1" : "0", 1);
	if (present & ROSTER_P_HOUSEHOLD)
		h = hkey ? fnv(h, hkey, HOUSEHOLD_KEY_LEN) : fnv(h, "-", 1);
	if (present & ROSTER_P_STATUS)
		h = fnv_str(h, status);
	if (present & ROSTER_P_NOTE)
		h = fnv_str(h, note);
	return h;
}

/* ---------------------------------------------------------------- parsed texts, seen once */

/* Memoizes a parse of short cell texts that repeat down a file (categories,
 * grades): the value stored for text, or 0 when it was not seen (values stored
 * are never 0). At most 4,096 texts are kept. */
static long long seen_get(const keymap *m, const char *text)
{
	long long *v = keymap_get_str(m, text);
	return v ? *v : 0;
}

static void seen_put(keymap *m, const char *text, long long value)
{
	int created;
	if (keymap_count(m) < 4096)
		*keymap_put_str(m, text, &created) = value;
}

/* import_parse_categories, remembered for texts that parse. */
static int parse_categories(roster_import *ri, const char *text, unsigned *mask, char *bad, size_t badlen)
{
	long long v = seen_get(ri->categories_seen, text);
	if (v) {
		*mask = (unsigned)(v - 1);
		return 0;
	}
	if (import_parse_categories(text, mask, bad, badlen) != 0)
		return -1;
	seen_put(ri->categories_seen, text, (long long)*mask + 1);
	return 0;
}

/* import_stage_of_grade, remembered (-1: no stage). */
static const char *stage_of_grade(roster_import *ri, const char *grade)
{
	long long v = seen_get(ri->grades_seen, grade);
	const char *stage;
	if (v)
		return v > 0 ? roster_stages[v - 1] : NULL;
	stage = import_stage_of_grade(grade);
	seen_put(ri->grades_seen, grade, stage ? roster_index(roster_stages, stage) + 1 : -1);
	return stage;
}

/* idnum_hash with the key's part of the HMAC done once per import. */
static void id_hash(const roster_import *ri, const char *id, unsigned char out[IDNUM_HASH_LEN])
{
	crypto_auth_hmacsha256_state st = ri->id_state;
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)id, strlen(id));
	crypto_auth_hmacsha256_final(&st, out);
	sodium_memzero(&st, sizeof(st));
}

/* ---------------------------------------------------------------- row checks */

/* 姓名, 身份证号, 性别, 出生日期. */
static void check_identity(roster_import *ri, const import_header *h, const sheet_row *row, roster_rec *rec)
{
	char id[IDNUM_LEN + 1], birth[11];
	const char *g = import_cell(h, row, RF_GENDER), *b = import_cell(h, row, RF_BIRTH);
	idnum_result ir;
	if (!*import_text(ri->rep, h, row, RF_NAME, 50, rec->name, sizeof(rec->name)))
		import_row_error(ri->rep, h, row->number, RF_NAME, "姓名不能为空");
	ir = idnum_normalize(import_cell(h, row, RF_ID), id) ? IDNUM_LENGTH : idnum_check(id, ri->today);
	if (ir != IDNUM_OK) {
		import_row_error(ri->rep, h, row->number, RF_ID, "%s", idnum_message(ir));
		return;
	}
	id_hash(ri, id, rec->id_hash);
	idnum_last4(id, rec->last4);
	idnum_birth_date(id, rec->birth);
	rec->gender = idnum_gender(id);
	if (*g && !import_parse_gender(g))
		import_row_error(ri->rep, h, row->number, RF_GENDER, "性别应为“男”或“女”：%s", g);
	else if (*g && strcmp(import_parse_gender(g), rec->gender))
		import_row_error(ri->rep, h, row->number, RF_GENDER, "性别与身份证号不符（身份证号显示为%s）", rec->gender);
	if (*b && import_parse_date(b, birth) != 0)
		import_row_error(ri->rep, h, row->number, RF_BIRTH, "不是有效日期：%s", b);
	else if (*b && strcmp(birth, rec->birth))
		import_row_error(ri->rep, h, row->number, RF_BIRTH, "出生日期与身份证号不符（身份证号显示为 %s）", rec->birth);
}

/* The school by 学校标识码 or else by name; -1 after an error. */
static long school_index(roster_import *ri, const import_header *h, const sheet_row *row)
{
	const char *code = import_cell(h, row, RF_SCHOOL_CODE), *name = import_cell(h, row, RF_SCHOOL);
	long long *by_code = *code ? keymap_get_str(ri->school_by_code, code) : NULL;
	long long *by_name = *name ? keymap_get_str(ri->school_by_name, name) : NULL;
	if (*code && !by_code)
		return import_row_error(ri->rep, h, row->number, RF_SCHOOL_CODE, "学校标识码 %s 不存在或不在管辖范围内", code), -1;
	if (by_code && *name && strcmp(ri->schools[*by_code - 1].name, name))
		return import_row_error(ri->rep, h, row->number, RF_SCHOOL, "学校名称“%s”与学校标识码 %s（%s）不一致", name, code,
				 ri->schools[*by_code - 1].name), -1;
	if (by_code)
		return (long)*by_code - 1;
	if (!*name)
		return import_row_error(ri->rep, h, row->number, import_has(h, RF_SCHOOL) ? RF_SCHOOL : RF_SCHOOL_CODE,
				 "学校不能为空"), -1;
	if (!by_name)
		return import_row_error(ri->rep, h, row->number, RF_SCHOOL, "学校“%s”不存在或不在管辖范围内", name), -1;
	if (*by_name < 0)
		return import_row_error(ri->rep, h, row->number, RF_SCHOOL, "有多所学校名为“%s”，请增加“学校标识码”列", name), -1;
	return (long)*by_name - 1;
}

/* 学校/学校标识码, 年级, 学段. Loads the school's bureau on first use. */
static void check_school(roster_import *ri, const import_header *h, const sheet_row *row, roster_rec *rec)
{
	const char *stage = import_cell(h, row, RF_STAGE);
	long i = school_index(ri, h, row);
	if (!*import_text(ri->rep, h, row, RF_GRADE, 20, rec->grade, sizeof(rec->grade)))
		import_row_error(ri->rep, h, row->number, RF_GRADE, "年级不能为空");
	rec->stage = *stage ? import_parse_stage(stage) : stage_of_grade(ri, rec->grade);
	if (*stage && !rec->stage)
		import_row_error(ri->rep, h, row->number, RF_STAGE, "学段应为学前、小学、初中、高中或中职：%s", stage);
	else if (!rec->stage && rec->grade[0])
		import_row_error(ri->rep, h, row->number, RF_STAGE, "无法从年级“%s”推断学段，请增加“学段”列", rec->grade);
	if (i < 0)
		return;
	rec->school_id = ri->schools[i].id;
	rec->bureau_id = ri->schools[i].bureau_id;
	if (!rec->bureau_id) {
		import_row_error(ri->rep, h, row->number, RF_SCHOOL, "%s不属于任何教育局，请先在组织机构中调整",
				 ri->schools[i].name);
		return;
	}
	if (rec->stage && ri->schools[i].stages &&
	    !(ri->schools[i].stages & (1u << roster_index(roster_stages, rec->stage))))
		import_row_error(ri->rep, h, row->number, *stage ? RF_STAGE : RF_GRADE, "%s没有%s学段", ri->schools[i].name, rec->stage);
}

/* 是否寄宿, 就读状态, 入学日期. */
static void check_enrolment(roster_import *ri, const import_header *h, const sheet_row *row, roster_rec *rec)
{
	const char *b = import_cell(h, row, RF_BOARDING), *s = import_cell(h, row, RF_STATUS);
	const char *d = import_cell(h, row, RF_START);
	if (*b && import_parse_bool(b, &rec->boarding) != 0)
		import_row_error(ri->rep, h, row->number, RF_BOARDING, "应为“是”或“否”：%s", b);
	rec->status = *s ? import_parse_status(s) : roster_statuses[0];
	if (!rec->status)
		import_row_error(ri->rep, h, row->number, RF_STATUS, "就读状态应为在校、转出、辍学、劝返复学、毕业或县外就读：%s", s);
	if (*d && import_parse_date(d, rec->start) != 0)
		import_row_error(ri->rep, h, row->number, RF_START, "不是有效日期：%s", d);
	else if (*d && strcmp(rec->start, ri->today) > 0)
		import_row_error(ri->rep, h, row->number, RF_START, "入学日期 %s 晚于今天（%s）", rec->start, ri->today);
	else if (!*d)
		str_copy(rec->start, sizeof(rec->start), ri->today);
}

/* 户主, 家庭住址, 类别, 备注. */
static void check_family(roster_import *ri, const import_header *h, const sheet_row *row, roster_rec *rec)
{
	const char *c = import_cell(h, row, RF_CATEGORIES);
	char bad[128];
	import_text(ri->rep, h, row, RF_HEAD, 50, rec->head, sizeof(rec->head));
	import_text(ri->rep, h, row, RF_ADDRESS, 200, rec->address, sizeof(rec->address));
	import_text(ri->rep, h, row, RF_NOTE, 200, rec->note, sizeof(rec->note));
	rec->has_household = rec->head[0] || rec->address[0];
	if (rec->has_household)
		household_key(rec->head, rec->address, rec->hkey);
	if (!*c)
		import_row_error(ri->rep, h, row->number, RF_CATEGORIES, "类别不能为空（如 建档立卡、防返贫监测、低保）");
	else if (parse_categories(ri, c, &rec->categories, bad, sizeof(bad)) != 0)
		import_row_error(ri->rep, h, row->number, RF_CATEGORIES, "未知类别“%s”（可选：建档立卡、防返贫监测、低保、特困供养、"
			  "残疾、孤儿、留守、随迁）", bad);
	roster_set_text(roster_categories, rec->categories, rec->categories_text, sizeof(rec->categories_text));
}

/* Registers the row's ID number within its bureau: the same number twice in the
 * file is an error. Returns 0, or -1 after that error. */
static int check_duplicate(roster_import *ri, const import_header *h, const sheet_row *row, roster_rec *rec)
{
	unsigned char key[8 + IDNUM_HASH_LEN];
	long long *v;
	int created;
	memcpy(key, &rec->bureau_id, 8);
	memcpy(key + 8, rec->id_hash, IDNUM_HASH_LEN);
	v = keymap_put(ri->known, key, sizeof(key), &created);
	if (!created) {
		import_row_error(ri->rep, h, row->number, RF_ID, "身份证号与第 %lld 行重复", *v);
		return -1;
	}
	*v = (long long)row->number;
	return 0;
}

/* ---------------------------------------------------------------- classification */

/* The preview line of a row. New reference. */
static json_t *preview_row(const roster_import *ri, const roster_rec *rec, const char *action)
{
	long long *si = rec->school_id ? keymap_get(ri->school_by_id, &rec->school_id, sizeof(long long)) : NULL;
	json_t *o = json_pack("{s:I,s:s,s:s,s:s}", "row", (json_int_t)rec->row, "action", action, "name", rec->name,
			      "id_last4", rec->last4);
	if (!strcmp(action, "reject"))
		return o;
	json_object_set_new(o, "student_id", rec->student_id ? json_integer(rec->student_id) : json_null());
	json_object_set_new(o, "gender", json_string(rec->gender));
	json_object_set_new(o, "birth_date", json_string(rec->birth));
	json_object_set_new(o, "school_id", json_integer(rec->school_id));
	json_object_set_new(o, "school_name", json_string(si ? ri->schools[*si - 1].name : ""));
	json_object_set_new(o, "grade", json_string(rec->grade));
	json_object_set_new(o, "stage", json_string(rec->stage));
	json_object_set_new(o, "boarding", json_boolean(rec->boarding));
	json_object_set_new(o, "categories", roster_set_array(rec->categories_text));
	json_object_set_new(o, "status", json_string(rec->status));
	json_object_set_new(o, "head_name", rec->has_household ? json_string(rec->head) : json_null());
	json_object_set_new(o, "address", rec->has_household ? json_string(rec->address) : json_null());
	json_object_set_new(o, "note", json_string(rec->note));
	return o;
}

/* Counts the checked row as added, changed or unchanged (k: its looked-up
 * student) and fills what writing needs. The writer's. */
static const char *classify(roster_import *ri, roster_rec *rec, const roster_known *k)
{
	uint64_t digest;
	if (!k->id) {
		rec->is_new = 1;
		rec->enrol_status = rec->status;
		ri->w.added++;
		return "add";
	}
	rec->student_id = k->id;
	digest = roster_digest(ri->present, rec->name, rec->gender, rec->birth, rec->school_id, rec->grade, rec->stage,
			       rec->boarding, rec->has_household ? rec->hkey : NULL, rec->categories, rec->status,
			       rec->note);
	if (digest == k->digest) {
		ri->w.unchanged++;
		return "unchanged";
	}
	rec->enrol_status = (ri->present & ROSTER_P_STATUS) ? rec->status : roster_statuses[k->status];
	rec->enrol_change = k->school_id != rec->school_id || strcmp(rec->enrol_status, roster_statuses[k->status]);
	if (rec->enrol_change)
		str_copy(rec->start, sizeof(rec->start), ri->today);
	ri->w.changed++;
	return "change";
}

/* Which optional columns the file has (their absence keeps stored values). */
static unsigned present_columns(const import_header *h)
{
	return (import_has(h, RF_BOARDING) ? ROSTER_P_BOARDING : 0) |
	       (import_has(h, RF_HEAD) || import_has(h, RF_ADDRESS) ? ROSTER_P_HOUSEHOLD : 0) |
	       (import_has(h, RF_STATUS) ? ROSTER_P_STATUS : 0) | (import_has(h, RF_NOTE) ? ROSTER_P_NOTE : 0);
}

/* Keeps the row's preview line, if it has a place in the preview; the reader
 * puts it there after joining the writer. The writer's. */
static void preview_set(roster_import *ri, const roster_rec *rec, const char *action)
{
	if (rec->preview >= 0 && rec->preview < ROSTER_PREVIEW) {
		json_decref(ri->w.preview[rec->preview]);
		ri->w.preview[rec->preview] = preview_row(ri, rec, action);
	}
}

/* Notes a row whose student is now at a school out of scope; the reader
 * reports it after joining the writer. */
static void scope_error(roster_import *ri, unsigned long row)
{
	roster_writer *w = &ri->w;
	if (w->nscope == w->capscope) {
		w->capscope = w->capscope ? w->capscope * 2 : 16;
		w->scope_rows = xrealloc(w->scope_rows, w->capscope * sizeof(unsigned long));
	}
	w->scope_rows[w->nscope++] = row;
	atomic_store(&ri->rejected, 1);
}

/* One looked-up row: a stored student now at a school outside the caller's
 * scope is an error; else it is classified and, when it is written, queued. */
static db_status resolve_row(roster_import *ri, roster_rec *rec)
{
	const roster_known *k = &rec->stored;
	const char *action;
	if (k->id && !keymap_get(ri->school_by_id, &k->school_id, sizeof(long long))) {
		scope_error(ri, rec->row);
		preview_set(ri, rec, "reject");
		return DB_OK;
	}
	action = classify(ri, rec, k);
	preview_set(ri, rec, action);
	if (ri->dry_run || atomic_load(&ri->rejected) || !strcmp(action, "unchanged"))
		return DB_OK;
	ri->w.batch[ri->w.nbatch++] = *rec;
	return ri->w.nbatch == ROSTER_BATCH ? roster_db_flush(ri) : DB_OK;
}

db_status roster_resolve(roster_import *ri, roster_rec *recs, size_t n)
{
	size_t i;
	db_status st = roster_db_lookup(ri, recs, n);
	for (i = 0; st == DB_OK && i < n; i++)
		st = resolve_row(ri, &recs[i]);
	return st;
}

/* The reader's callback: check the row, reject it at once or keep its place in
 * the preview and queue it for the writer. Non-zero stops on a database error. */
static int roster_on_row(void *ctx, const import_header *h, const sheet_row *row)
{
	roster_import *ri = ctx;
	roster_rec *rec = &ri->pending[ri->npending];
	long long errors = ri->rep->errors_total;
	int duplicate = -1;
	if (ri->rep->rows == 1) {
		ri->present = present_columns(h);
		ri->header = h;
	}
	memset(rec, 0, sizeof(*rec));
	rec->row = row->number;
	check_identity(ri, h, row, rec);
	check_school(ri, h, row, rec);
	check_enrolment(ri, h, row, rec);
	check_family(ri, h, row, rec);
	if (rec->bureau_id && rec->last4[0])
		duplicate = check_duplicate(ri, h, row, rec);
	if (ri->rep->errors_total > errors || duplicate < 0) {
		atomic_store(&ri->rejected, 1);
		import_preview_add(ri->rep, preview_row(ri, rec, "reject"));
		return atomic_load(&ri->failed) != DB_OK;
	}
	rec->preview = -1;
	if (json_array_size(ri->rep->preview) < ri->rep->preview_cap) {
		rec->preview = (long)json_array_size(ri->rep->preview);
		json_array_append_new(ri->rep->preview, json_null()); /* filled from the writer's */
	}
	if (++ri->npending == ROSTER_BATCH)
		roster_pipe_push(ri);
	return atomic_load(&ri->failed) != DB_OK;
}

/* ---------------------------------------------------------------- the request */

static void roster_import_init(roster_import *ri, http_req *req, import_report *rep, int dry_run)
{
	memset(ri, 0, sizeof(*ri));
	ri->db = req->db;
	ri->scope = req->user.org_path;
	ri->today = req->today;
	ri->dry_run = dry_run;
	ri->names_visible = roster_names_visible(req->user.role);
	ri->school_by_code = keymap_new();
	ri->school_by_name = keymap_new();
	ri->school_by_id = keymap_new();
	ri->known = keymap_new();
	ri->categories_seen = keymap_new();
	ri->grades_seen = keymap_new();
	ri->w.households = keymap_new();
	ri->w.batch = xcalloc(ROSTER_BATCH, sizeof(roster_rec));
	ri->rep = rep;
	atomic_init(&ri->rejected, 0);
	atomic_init(&ri->failed, DB_OK);
}

static void roster_import_release(roster_import *ri)
{
	size_t i;
	keymap_free(ri->school_by_code);
	keymap_free(ri->school_by_name);
	keymap_free(ri->school_by_id);
	keymap_free(ri->known);
	keymap_free(ri->categories_seen);
	keymap_free(ri->grades_seen);
	keymap_free(ri->w.households);
	free(ri->schools);
	free(ri->w.batch);
	free(ri->w.scope_rows);
	for (i = 0; i < ROSTER_PREVIEW; i++)
		json_decref(ri->w.preview[i]);
	sodium_memzero(&ri->id_state, sizeof(ri->id_state));
	sodium_memzero(ri->key, sizeof(ri->key));
}

/* Masks names, household heads and addresses in the preview for roles that do not see them. */
static void preview_privacy(import_report *rep, int visible)
{
	json_t *row, *c;
	size_t i, k;
	if (visible)
		return;
	json_array_foreach(rep->preview, i, row) {
		roster_mask(row, "name", 0);
		roster_mask(row, "head_name", 0);
		if (json_object_get(row, "address"))
			json_object_set_new(row, "address", json_null());
		json_array_foreach(json_object_get(row, "changes"), k, c) {
			const char *f = json_string_value(json_object_get(c, "field"));
			if (f && (!strcmp(f, "name") || !strcmp(f, "head_name"))) {
				roster_mask(c, "from", 0);
				roster_mask(c, "to", 0);
			} else if (f && !strcmp(f, "address")) {
				json_object_set_new(c, "from", json_null());
				json_object_set_new(c, "to", json_null());
			}
		}
	}
}

/* Finishes a real import: the last batch, the audit entry, the commit. */
static db_status roster_commit(http_req *req, roster_import *ri, const char *file_name)
{
	json_t *after;
	db_status st = roster_db_flush(ri);
	if (st != DB_OK)
		return st;
	after = json_pack("{s:s?,s:s,s:s?,s:I,s:I,s:I,s:I}", "file_name", file_name, "format", ri->rep->format,
			  "encoding", ri->rep->encoding, "rows", (json_int_t)ri->rep->rows, "added",
			  (json_int_t)ri->rep->added, "changed", (json_int_t)ri->rep->changed, "unchanged",
			  (json_int_t)ri->rep->unchanged);
	st = audit_write(req, "import", "roster", 0, NULL, after);
	json_decref(after);
	return st == DB_OK ? db_commit(req->db) : st;
}

/* Takes the writer's results into the report: counts, preview lines, the
 * rows it found out of scope (reported late, so the errors are sorted again). */
static void roster_merge(roster_import *ri)
{
	size_t i;
	ri->rep->added += ri->w.added;
	ri->rep->changed += ri->w.changed;
	ri->rep->unchanged += ri->w.unchanged;
	for (i = 0; i < ri->w.nscope; i++)
		import_row_error(ri->rep, ri->header, ri->w.scope_rows[i], RF_ID,
				 "该学生目前在管辖范围以外的学校就读，不能由本次导入修改");
	for (i = 0; i < ROSTER_PREVIEW; i++)
		if (ri->w.preview[i]) {
			json_array_set_new(ri->rep->preview, i, ri->w.preview[i]);
			ri->w.preview[i] = NULL;
		}
	import_report_sort(ri->rep);
}

/* Reads the file with the writer thread running, hands it the last chunk and
 * joins it. Returns 0, or the status answered when the file could not be read. */
static int roster_read(http_req *req, http_res *res, roster_import *ri)
{
	import_reader rd;
	int status;
	import_reader_init(&rd, import_roster_columns, ri->rep, roster_on_row, ri);
	roster_pipe_start(ri);
	status = import_http_read(req, res, &rd, ri->rep, ri->dry_run);
	if (status == 0 && ri->npending && atomic_load(&ri->failed) == DB_OK)
		roster_pipe_push(ri);
	roster_pipe_finish(ri, status != 0);
	roster_merge(ri);
	return status;
}

/* Reads the file and answers; the transaction (real imports) is open. */
static int roster_run(http_req *req, http_res *res, roster_import *ri, const char *file_name)
{
	int status;
	db_status st;
	if ((status = roster_read(req, res, ri)) != 0)
		return status;
	if ((st = (db_status)atomic_load(&ri->failed)) != DB_OK)
		return res_db_error(res, st);
	if (ri->rep->rows == 0)
		return import_http_answer(res, ri->rep, ri->dry_run, HTTP_unprocessable, "file", "文件中没有学生数据行");
	if (ri->dry_run) {
		if ((st = roster_db_preview_changes(ri)) != DB_OK)
			return res_db_error(res, st);
		preview_privacy(ri->rep, ri->names_visible);
		return import_http_answer(res, ri->rep, ri->dry_run, HTTP_ok, NULL, NULL);
	}
	if (ri->rep->rejected) {
		preview_privacy(ri->rep, ri->names_visible);
		return import_http_answer(res, ri->rep, ri->dry_run, HTTP_unprocessable, "rows",
					  "有数据行未通过检查，整个文件未导入；请按行号和列修改后重新上传");
	}
	if ((st = roster_commit(req, ri, file_name)) != DB_OK)
		return res_db_error(res, st);
	preview_privacy(ri->rep, ri->names_visible);
	return import_http_answer(res, ri->rep, ri->dry_run, HTTP_ok, NULL, NULL);
}

/* The ID-number HMAC key, and the HMAC state after it that id_hash starts from. */
static db_status roster_key_load(http_req *req, roster_import *ri)
{
	db_status st = students_db_id_key(req->db, ri->key, sizeof(ri->key), &ri->keylen);
	if (st == DB_OK && crypto_auth_hmacsha256_init(&ri->id_state, ri->key, ri->keylen) != 0)
		st = DB_ERR;
	return st;
}

int imports_roster(http_req *req, http_res *res)
{
	roster_import ri;
	import_report rep;
	import_options opt;
	int status;
	db_status st;
	if (import_http_options(req, res, &opt))
		return res->status;
	import_report_init(&rep, ROSTER_PREVIEW, ROSTER_ERRORS);
	roster_import_init(&ri, req, &rep, opt.dry_run);
	if ((st = roster_key_load(req, &ri)) != DB_OK || (!opt.dry_run && (st = db_begin(req->db)) != DB_OK) ||
	    (st = roster_db_load_schools(&ri)) != DB_OK)
		status = res_db_error(res, st);
	else
		status = roster_run(req, res, &ri, opt.file_name);
	if (!opt.dry_run && status != HTTP_ok)
		db_rollback(req->db);
	roster_pipe_release(&ri);
	roster_import_release(&ri);
	import_report_release(&rep);
	return status;
}
