/* students_db.c - SQL for students, enrolments and households. Scope is the
 * caller's org path: a student is in scope when their current school is. */
#include "students.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "import.h"
#include "log.h"
#include "roster.h"
#include "util.h"

static const char SQL_ID_KEY[] = "SELECT value FROM settings WHERE name = 'id_match_key'";
static const char SQL_ELIGIBLE[] = "SELECT value FROM settings WHERE name = 'eligible_categories'";
static const char SQL_SCHOOL[] =
	"SELECT (SELECT b.id FROM orgs b WHERE b.kind = 'bureau' AND o.path LIKE CONCAT(b.path, '%')"
	" ORDER BY LENGTH(b.path) DESC LIMIT 1), o.stages"
	" FROM orgs o WHERE o.id = ? AND o.kind = 'school' AND o.path LIKE CONCAT(?, '%')";
static const char SQL_HOUSEHOLD_ENSURE[] =
	"INSERT INTO households (bureau_id, hkey, head_name, address) VALUES (?, ?, ?, ?)"
	" ON DUPLICATE KEY UPDATE id = LAST_INSERT_ID(id)";
static const char SQL_STUDENT_INSERT[] =
	"INSERT INTO students (bureau_id, school_id, name, gender, id_hash, id_last4, birth_date, grade, stage,"
	" boarding, household_id, categories, status, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
static const char SQL_ENROL_INSERT[] =
	"INSERT INTO student_enrolments (student_id, school_id, status, start_date) VALUES (?, ?, ?, ?)";
static const char SQL_STUDENT_UPDATE[] =
	"UPDATE students SET name = COALESCE(?, name), gender = COALESCE(?, gender),"
	" id_hash = COALESCE(?, id_hash), id_last4 = COALESCE(?, id_last4), birth_date = COALESCE(?, birth_date),"
	" grade = COALESCE(?, grade), stage = COALESCE(?, stage), boarding = COALESCE(?, boarding),"
	" household_id = IF(?, ?, household_id), categories = COALESCE(?, categories), note = COALESCE(?, note),"
	" version = version + 1, updated_at = UTC_TIMESTAMP() WHERE id = ? AND version = ?";
static const char SQL_STUDENT_EXISTS[] = "SELECT id FROM students WHERE id = ?";
static const char SQL_ENROL_CLOSE[] =
	"UPDATE student_enrolments SET end_date = ? WHERE student_id = ? AND end_date IS NULL";
static const char SQL_STUDENT_MOVE[] =
	"UPDATE students SET school_id = ?, status = ?, version = version + 1, updated_at = UTC_TIMESTAMP()"
	" WHERE id = ? AND version = ?";
static const char SQL_CURRENT[] =
	"SELECT e.start_date, s.bureau_id FROM students s JOIN student_enrolments e ON e.student_id = s.id"
	" AND e.end_date IS NULL WHERE s.id = ? ORDER BY e.start_date DESC LIMIT 1";

#define STUDENT_COLUMNS                                                                              \
	"s.id, s.school_id, o.name AS school_name, s.name, s.gender, s.id_last4, s.birth_date, s.grade," \
	" s.stage, s.boarding, s.household_id, s.categories, s.status, s.note, s.version, s.created_at,"  \
	" s.updated_at"
static const char SQL_STUDENT_GET[] =
	"SELECT " STUDENT_COLUMNS " FROM students s JOIN orgs o ON o.id = s.school_id"
	" WHERE s.id = ? AND o.path LIKE CONCAT(?, '%')";

/* The list filters; parameters in the order of student_filter_params. */
#define STUDENT_WHERE                                                                                    \
	" FROM students s JOIN orgs o ON o.id = s.school_id WHERE o.path LIKE CONCAT(?, '%')"               \
	" AND (? IS NULL OR s.school_id = ?) AND (? IS NULL OR s.grade = ?) AND (? IS NULL OR s.stage = ?)" \
	" AND (? IS NULL OR FIND_IN_SET(?, s.categories)) AND (? IS NULL OR s.status = ?)"                 \
	" AND (? IS NULL OR s.household_id = ?)"                                                           \
	" AND (? IS NULL OR s.name LIKE CONCAT('%', ?, '%') OR s.id_last4 = ?)"                             \
	" AND (? IS NULL OR s.id_hash = ?)"                                                                \
	" AND (? IS NULL OR (((s.categories + 0) & ?) <> 0"                                                  \
	"  AND EXISTS (SELECT 1 FROM student_enrolments e WHERE e.student_id = s.id"                        \
	"   AND e.status IN ('在校', '劝返复学') AND e.start_date <= ? AND (e.end_date IS NULL OR e.end_date >= ?))" \
	"  AND NOT EXISTS (SELECT 1 FROM pairings p WHERE p.student_id = s.id"                              \
	"   AND p.start_date <= ? AND (p.end_date IS NULL OR p.end_date >= ?))))"
#define STUDENT_FILTER_PARAMS 24
/* Parameters: today, today, those of STUDENT_WHERE, limit, offset. paired_today is
 * taken outside the page's derived table, so the pairings index is probed for the
 * rows of the page only (in the select list of the inner query it was probed for
 * every matching student before the sort). */
#define STUDENT_ORDER(t) " ORDER BY " t ".school_id, " t ".grade, " t ".name, " t ".id"
static const char SQL_STUDENT_LIST[] =
	"SELECT l.*, EXISTS (SELECT 1 FROM pairings p WHERE p.student_id = l.id"
	" AND p.start_date <= ? AND (p.end_date IS NULL OR p.end_date >= ?)) AS paired_today"
	" FROM (SELECT " STUDENT_COLUMNS STUDENT_WHERE STUDENT_ORDER("s") " LIMIT ? OFFSET ?) l" STUDENT_ORDER("l");
static const char SQL_STUDENT_COUNT[] = "SELECT COUNT(*)" STUDENT_WHERE;

static const char SQL_ENROLMENTS[] =
	"SELECT e.id, e.school_id, o.name AS school_name, e.status, e.start_date, e.end_date"
	" FROM student_enrolments e JOIN orgs o ON o.id = e.school_id WHERE e.student_id = ?"
	" ORDER BY e.start_date, e.id";
static const char SQL_HOUSEHOLD_OF[] =
	"SELECT h.id, h.head_name, h.address FROM households h JOIN students s ON s.household_id = h.id"
	" WHERE s.id = ?";
static const char SQL_PAIRINGS_OF[] =
	"SELECT p.id, p.staff_id, t.name AS staff_name, t.position AS staff_position, p.start_date, p.end_date,"
	" p.note, p.version FROM pairings p JOIN staff t ON t.id = p.staff_id WHERE p.student_id = ?"
	" ORDER BY p.start_date DESC, p.id DESC";
static const char SQL_VISITS_OF[] =
	"SELECT v.id, v.staff_id, t.name AS staff_name, v.visit_date, v.kind, v.note FROM home_visits v"
	" JOIN staff t ON t.id = v.staff_id WHERE v.student_id = ? ORDER BY v.visit_date DESC, v.id DESC LIMIT 200";

/* A household is in scope when one of its students is. */
#define HOUSEHOLD_WHERE                                                                         \
	" FROM households h WHERE EXISTS (SELECT 1 FROM students s JOIN orgs o ON o.id = s.school_id" \
	" WHERE s.household_id = h.id AND o.path LIKE CONCAT(?, '%'))"                               \
	" AND (? IS NULL OR h.head_name LIKE CONCAT('%', ?, '%'))"
static const char SQL_HOUSEHOLD_LIST[] =
	"SELECT h.id, h.head_name, h.address, (SELECT COUNT(*) FROM students s WHERE s.household_id = h.id)"
	" AS students" HOUSEHOLD_WHERE " ORDER BY h.id LIMIT ? OFFSET ?";
static const char SQL_HOUSEHOLD_COUNT[] = "SELECT COUNT(*)" HOUSEHOLD_WHERE;
static const char SQL_HOUSEHOLD_GET[] =
	"SELECT h.id, h.head_name, h.address, h.version" HOUSEHOLD_WHERE " AND h.id = ?";
static const char SQL_HOUSEHOLD_STUDENTS[] =
	"SELECT " STUDENT_COLUMNS " FROM students s JOIN orgs o ON o.id = s.school_id"
	" WHERE s.household_id = ? AND o.path LIKE CONCAT(?, '%') ORDER BY s.birth_date, s.id";

/* ---------------------------------------------------------------- settings, schools */

db_status students_db_id_key(db *d, unsigned char *key, size_t cap, size_t *len)
{
	db_rows *r;
	db_status st = db_query_one(d, SQL_ID_KEY, NULL, 0, &r);
	if (st == DB_OK) {
		*len = db_rows_len(r, 0, 0) < cap ? db_rows_len(r, 0, 0) : cap;
		memcpy(key, db_rows_str(r, 0, 0), *len);
		db_rows_free(r);
	}
	if (st == DB_NOT_FOUND || (st == DB_OK && *len == 0)) {
		log_error("settings id_match_key is missing: ID numbers cannot be matched");
		return DB_ERR;
	}
	return st;
}

db_status students_db_eligible_mask(db *d, unsigned *mask)
{
	db_rows *r;
	char bad[64];
	db_status st = db_query_one(d, SQL_ELIGIBLE, NULL, 0, &r);
	*mask = 1u | 2u; /* 建档立卡, 防返贫监测 */
	if (st == DB_NOT_FOUND)
		return DB_OK;
	if (st != DB_OK)
		return st;
	if (import_parse_categories(db_rows_str(r, 0, 0), mask, bad, sizeof(bad)) != 0 || *mask == 0)
		*mask = 1u | 2u;
	db_rows_free(r);
	return DB_OK;
}

db_status students_db_school(db *d, const char *scope, long long school_id, long long *bureau_id, char *stages)
{
	db_param p[] = {DP_INT(school_id), DP_STR(scope)};
	db_rows *r;
	db_status st = db_query_one(d, SQL_SCHOOL, p, DB_NPARAMS(p), &r);
	if (st != DB_OK)
		return st;
	*bureau_id = db_rows_int(r, 0, 0);
	str_copy(stages, 32, db_rows_str(r, 0, 1) ? db_rows_str(r, 0, 1) : "");
	db_rows_free(r);
	return *bureau_id > 0 ? DB_OK : DB_NOT_FOUND;
}

void household_key(const char *head_name, const char *address, unsigned char out[HOUSEHOLD_KEY_LEN])
{
	crypto_generichash_state st;
	crypto_generichash_init(&st, NULL, 0, HOUSEHOLD_KEY_LEN);
	crypto_generichash_update(&st, (const unsigned char *)head_name, strlen(head_name));
	crypto_generichash_update(&st, (const unsigned char *)"\x1f", 1);
	crypto_generichash_update(&st, (const unsigned char *)address, strlen(address));
	crypto_generichash_final(&st, out, HOUSEHOLD_KEY_LEN);
}

db_status households_db_ensure(db *d, long long bureau_id, const char *head_name, const char *address,
			       long long *id)
{
	unsigned char key[HOUSEHOLD_KEY_LEN];
	unsigned long long new_id = 0;
	db_param p[4];
	db_status st;
	household_key(head_name, address, key);
	p[0] = DP_INT(bureau_id);
	p[1] = DP_BLOB(key, sizeof(key));
	p[2] = DP_STR(head_name);
	p[3] = DP_STR(address);
	st = db_exec(d, SQL_HOUSEHOLD_ENSURE, p, 4, NULL, &new_id);
	*id = (long long)new_id;
	return st;
}

/* ---------------------------------------------------------------- writes */

db_status students_db_insert(db *d, long long bureau_id, const student_fields *f, long long *id)
{
	char cats[128];
	unsigned long long new_id = 0;
	db_status st;
	roster_set_text(roster_categories, f->categories, cats, sizeof(cats));
	{
		db_param p[] = {DP_INT(bureau_id), DP_INT(f->school_id), DP_STR(f->name), DP_STR(f->gender),
				DP_BLOB(f->id_hash, IDNUM_HASH_LEN), DP_STR(f->id_last4), DP_STR(f->birth_date),
				DP_STR(f->grade), DP_STR(f->stage), DP_INT(f->boarding > 0),
				db_param_id_or_null(f->household_id), DP_STR(cats), DP_STR(f->status),
				DP_STR(f->note ? f->note : "")};
		st = db_exec(d, SQL_STUDENT_INSERT, p, DB_NPARAMS(p), NULL, &new_id);
	}
	if (st != DB_OK)
		return st;
	*id = (long long)new_id;
	{
		db_param e[] = {DP_INT(*id), DP_INT(f->school_id), DP_STR(f->status), DP_STR(f->start_date)};
		return db_exec(d, SQL_ENROL_INSERT, e, DB_NPARAMS(e), NULL, NULL);
	}
}

/* DB_CONFLICT when the row exists (a stale version), DB_NOT_FOUND when it does not. */
static db_status stale_or_missing(db *d, long long id)
{
	db_param e[] = {DP_INT(id)};
	long long found;
	db_status st = db_query_int(d, SQL_STUDENT_EXISTS, e, 1, &found);
	return st == DB_OK ? DB_CONFLICT : st;
}

db_status students_db_update(db *d, long long id, long long version, const student_fields *f)
{
	char cats[128];
	unsigned long long n = 0;
	db_status st;
	roster_set_text(roster_categories, f->categories, cats, sizeof(cats));
	{
		db_param p[] = {DP_STR(f->name), DP_STR(f->gender),
				f->id_given ? DP_BLOB(f->id_hash, IDNUM_HASH_LEN) : DP_NULL,
				f->id_given ? DP_STR(f->id_last4) : DP_NULL, f->id_given ? DP_STR(f->birth_date) : DP_NULL,
				DP_STR(f->grade), DP_STR(f->stage), f->boarding < 0 ? DP_NULL : DP_INT(f->boarding),
				DP_INT(f->household_given), db_param_id_or_null(f->household_id),
				f->categories_given ? DP_STR(cats) : DP_NULL, DP_STR(f->note), DP_INT(id), DP_INT(version)};
		st = db_exec(d, SQL_STUDENT_UPDATE, p, DB_NPARAMS(p), &n, NULL);
	}
	if (st != DB_OK || n > 0)
		return st;
	return stale_or_missing(d, id);
}

db_status students_db_enrol(db *d, long long id, long long version, long long school_id, const char *status,
			    const char *date)
{
	char before[11];
	unsigned long long n = 0;
	db_param m[] = {DP_INT(school_id), DP_STR(status), DP_INT(id), DP_INT(version)};
	db_status st = db_exec(d, SQL_STUDENT_MOVE, m, DB_NPARAMS(m), &n, NULL);
	if (st != DB_OK)
		return st;
	if (n == 0)
		return stale_or_missing(d, id);
	roster_day_before(date, before);
	{
		db_param c[] = {DP_STR(before), DP_INT(id)};
		db_param e[] = {DP_INT(id), DP_INT(school_id), DP_STR(status), DP_STR(date)};
		if ((st = db_exec(d, SQL_ENROL_CLOSE, c, DB_NPARAMS(c), NULL, NULL)) != DB_OK)
			return st;
		return db_exec(d, SQL_ENROL_INSERT, e, DB_NPARAMS(e), NULL, NULL);
	}
}

/* ---------------------------------------------------------------- reads */

db_status students_db_get(db *d, const char *scope, long long id, json_t **out)
{
	db_param p[] = {DP_INT(id), DP_STR(scope)};
	db_rows *r;
	db_status st = db_query_one(d, SQL_STUDENT_GET, p, DB_NPARAMS(p), &r);
	if (st != DB_OK)
		return st;
	*out = db_rows_object(r, 0);
	roster_set_to_array(*out, "categories");
	db_rows_free(r);
	return DB_OK;
}

db_status students_db_current(db *d, long long id, char *start_date, long long *bureau_id)
{
	db_param p[] = {DP_INT(id)};
	db_rows *r;
	db_status st = db_query_one(d, SQL_CURRENT, p, 1, &r);
	if (st != DB_OK)
		return st;
	str_copy(start_date, 11, db_rows_str(r, 0, 0));
	*bureau_id = db_rows_int(r, 0, 1);
	db_rows_free(r);
	return DB_OK;
}

/* Runs sql with the student id and sets the rows as key of obj (an array, or the
 * first row / null when one is true). */
static db_status attach(db *d, const char *sql, long long id, json_t *obj, const char *key, int one)
{
	db_param p[] = {DP_INT(id)};
	db_rows *r;
	db_status st = db_query(d, sql, p, 1, &r);
	if (st != DB_OK)
		return st;
	if (one)
		json_object_set_new(obj, key, db_rows_count(r) ? db_rows_object(r, 0) : json_null());
	else
		json_object_set_new(obj, key, db_rows_array(r));
	db_rows_free(r);
	return DB_OK;
}

db_status students_db_detail(db *d, long long id, json_t *student)
{
	db_status st;
	if ((st = attach(d, SQL_ENROLMENTS, id, student, "enrolments", 0)) != DB_OK ||
	    (st = attach(d, SQL_HOUSEHOLD_OF, id, student, "household", 1)) != DB_OK ||
	    (st = attach(d, SQL_PAIRINGS_OF, id, student, "pairings", 0)) != DB_OK)
		return st;
	return attach(d, SQL_VISITS_OF, id, student, "home_visits", 0);
}

db_status students_db_list(db *d, const char *scope, const student_filter *f, const paging *pg, json_t **items,
			   long long *total)
{
	const char *unpaired = f->unpaired_on;
	db_param p[] = {DP_STR(f->today), DP_STR(f->today), DP_STR(scope), db_param_id_or_null(f->school_id), db_param_id_or_null(f->school_id),
			DP_STR(f->grade), DP_STR(f->grade), DP_STR(f->stage), DP_STR(f->stage),
			DP_STR(f->category), DP_STR(f->category), DP_STR(f->status), DP_STR(f->status),
			db_param_id_or_null(f->household_id), db_param_id_or_null(f->household_id),
			DP_STR(f->q), f->names_visible ? DP_STR(f->q) : DP_NULL, DP_STR(f->q),
			f->id_hash ? DP_INT(1) : DP_NULL, f->id_hash ? DP_BLOB(f->id_hash, IDNUM_HASH_LEN) : DP_NULL,
			DP_STR(unpaired), DP_INT(f->eligible_mask), DP_STR(unpaired), DP_STR(unpaired),
			DP_STR(unpaired), DP_STR(unpaired), DP_INT(pg->limit), DP_INT(pg->offset)};
	db_rows *r;
	size_t i;
	db_status st = db_query_int(d, SQL_STUDENT_COUNT, p + 2, STUDENT_FILTER_PARAMS, total); /* no today */
	if (st != DB_OK || (st = db_query(d, SQL_STUDENT_LIST, p, DB_NPARAMS(p), &r)) != DB_OK)
		return st;
	*items = db_rows_array(r);
	db_rows_free(r);
	for (i = 0; i < json_array_size(*items); i++) {
		json_t *s = json_array_get(*items, i), *paired = json_object_get(s, "paired_today");
		roster_set_to_array(s, "categories");
		json_object_set_new(s, "paired_today", json_boolean(json_is_true(paired) || json_integer_value(paired)));
	}
	return DB_OK;
}

db_status households_db_list(db *d, const char *scope, const char *q, const paging *pg, json_t **items,
			     long long *total)
{
	db_param p[] = {DP_STR(scope), DP_STR(q), DP_STR(q), DP_INT(pg->limit), DP_INT(pg->offset)};
	db_rows *r;
	db_status st = db_query_int(d, SQL_HOUSEHOLD_COUNT, p, 3, total);
	if (st != DB_OK || (st = db_query(d, SQL_HOUSEHOLD_LIST, p, DB_NPARAMS(p), &r)) != DB_OK)
		return st;
	*items = db_rows_array(r);
	db_rows_free(r);
	return DB_OK;
}

db_status households_db_get(db *d, const char *scope, long long id, json_t **out)
{
	db_param p[] = {DP_STR(scope), DP_NULL, DP_NULL, DP_INT(id)};
	db_param s[] = {DP_INT(id), DP_STR(scope)};
	db_rows *r;
	json_t *students;
	size_t i;
	db_status st = db_query_one(d, SQL_HOUSEHOLD_GET, p, DB_NPARAMS(p), &r);
	if (st != DB_OK)
		return st;
	*out = db_rows_object(r, 0);
	db_rows_free(r);
	if ((st = db_query(d, SQL_HOUSEHOLD_STUDENTS, s, DB_NPARAMS(s), &r)) != DB_OK) {
		json_decref(*out);
		return st;
	}
	students = db_rows_array(r);
	db_rows_free(r);
	for (i = 0; i < json_array_size(students); i++)
		roster_set_to_array(json_array_get(students, i), "categories");
	json_object_set_new(*out, "students", students);
	return DB_OK;
}
