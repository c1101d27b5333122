/* import_pairings_db.c - SQL of the pairing register import: orgs, the named
 * students, staff and stored pairings read in batches; new staff and pairings
 * written with multi-row statements. */
#include "import_pairings.h"

#include <stdlib.h>
#include <string.h>

#include "batch.h"
#include "roster.h"
#include "util.h"

static const char SQL_ORGS[] =
	"SELECT o.id, o.kind = 'school', o.name, o.code FROM orgs o WHERE o.path LIKE CONCAT(?, '%') ORDER BY o.id";
static const char SQL_STAFF[] =
	"SELECT t.id, t.school_id, t.name FROM staff t JOIN orgs o ON o.id = t.school_id"
	" WHERE o.path LIKE CONCAT(?, '%')";

#define STUDENT_SELECT(cond, rows)                                                                      \
	"SELECT s.id, s.school_id, s.name, s.grade, s.id_hash FROM students s JOIN orgs o ON o.id = s.school_id" \
	" WHERE o.path LIKE CONCAT(?, '%') AND " cond " IN (" rows ")"
/* By ID hash within one bureau at a time: the unique key (bureau_id, id_hash)
 * finds each at once; without the bureau every batch read all the students in scope. */
#define BY_HASH(rows) STUDENT_SELECT("s.bureau_id = ? AND s.id_hash", rows)
static const char *const SQL_BY_HASH[BATCH_SIZES] = BATCH_SQL(BY_HASH, "?");
/* The bureaus whose students may be in scope: those in it and those above it. */
static const char SQL_SCOPE_BUREAUS[] =
	"SELECT b.id FROM orgs b WHERE b.kind = 'bureau' AND (b.path LIKE CONCAT(?, '%') OR ? LIKE CONCAT(b.path, '%'))";
#define BY_NAME(rows) STUDENT_SELECT("s.name", rows)
static const char *const SQL_BY_NAME[BATCH_SIZES] = BATCH_SQL(BY_NAME, "?");
#define STORED_SELECT(rows)                                                                            \
	"SELECT id, staff_id, student_id, start_date, end_date, note FROM pairings WHERE student_id IN (" rows \
	") ORDER BY start_date, id"
static const char *const SQL_STORED[BATCH_SIZES] = BATCH_SQL(STORED_SELECT, "?");
#define STAFF_INSERT(rows) "INSERT INTO staff (school_id, name, roles, position, phone) VALUES " rows
static const char *const SQL_STAFF_INSERT[BATCH_SIZES] = BATCH_SQL(STAFF_INSERT, "(?,?,?,?,?)");
#define PAIRING_UPSERT(rows)                                                                         \
	"INSERT INTO pairings (staff_id, student_id, start_date, end_date, note) VALUES " rows           \
	" ON DUPLICATE KEY UPDATE end_date = VALUES(end_date), note = VALUES(note), version = version + 1," \
	" updated_at = UTC_TIMESTAMP()"
static const char *const SQL_PAIRING[BATCH_SIZES] = BATCH_SQL(PAIRING_UPSERT, "(?,?,?,?,?)");

/* Keys handed to a batched query: pointers to the bytes of each. */
typedef struct {
	pairing_import *pi;
	const void **keys;
	size_t *lens;
	size_t n;
} key_list;

static void key_param(void *ctx, size_t i, db_param *p)
{
	key_list *k = ctx;
	p[0] = (db_param){.type = DBP_BLOB, .s = k->keys[i], .len = k->lens[i]};
}

/* The keys are student ids (long long). */
static void id_param(void *ctx, size_t i, db_param *p)
{
	p[0] = DP_INT(*(const long long *)((key_list *)ctx)->keys[i]);
}

/* ---------------------------------------------------------------- orgs */

db_status pairing_db_load_orgs(pairing_import *pi)
{
	db_param p[] = {DP_STR(pi->scope)};
	db_rows *r;
	size_t i;
	int created;
	db_status st = db_query(pi->db, SQL_ORGS, p, 1, &r);
	if (st != DB_OK)
		return st;
	pi->norgs = db_rows_count(r);
	pi->orgs = xcalloc(pi->norgs + 1, sizeof(pairing_org));
	for (i = 0; i < pi->norgs; i++) {
		pairing_org *o = &pi->orgs[i];
		long long *v;
		o->id = db_rows_int(r, i, 0);
		o->school = db_rows_int(r, i, 1) != 0;
		str_copy(o->name, sizeof(o->name), db_rows_str(r, i, 2));
		str_copy(o->code, sizeof(o->code), db_rows_str(r, i, 3) ? db_rows_str(r, i, 3) : "");
		if (!o->school)
			continue;
		if (o->code[0])
			*keymap_put_str(pi->school_by_code, o->code, &created) = (long long)i + 1;
		v = keymap_put_str(pi->school_by_name, o->name, &created);
		*v = created ? (long long)i + 1 : -1;
	}
	db_rows_free(r);
	return DB_OK;
}

/* ---------------------------------------------------------------- students */

/* Adds the students of one result set (each once), mapped by id, hash and name. */
static db_status student_rows(void *ctx, const db_rows *r)
{
	pairing_import *pi = ((key_list *)ctx)->pi;
	size_t i;
	int created;
	for (i = 0; i < db_rows_count(r); i++) {
		long long id = db_rows_int(r, i, 0), *v = keymap_put(pi->student_by_id, &id, sizeof(id), &created);
		pairing_student *s;
		if (!created)
			continue;
		if (pi->nstudents == pi->capstudents) {
			pi->capstudents = pi->capstudents ? pi->capstudents * 2 : 256;
			pi->students = xrealloc(pi->students, pi->capstudents * sizeof(pairing_student));
		}
		s = &pi->students[pi->nstudents];
		*v = (long long)++pi->nstudents;
		s->id = id;
		s->school_id = db_rows_int(r, i, 1);
		str_copy(s->name, sizeof(s->name), db_rows_str(r, i, 2));
		str_copy(s->grade, sizeof(s->grade), db_rows_str(r, i, 3));
		v = keymap_put_str(pi->student_by_name, s->name, &created);
		s->next_same_name = created ? -1 : (long)*v - 1;
		*v = (long long)pi->nstudents; /* the newest heads the chain */
		v = keymap_put(pi->student_by_hash, db_rows_str(r, i, 4), db_rows_len(r, i, 4), &created);
		*v = created ? (long long)pi->nstudents : -1;
	}
	return DB_OK;
}

/* Distinct keys of the rows (hashes, or names of rows without an ID number). */
static void collect_keys(pairing_import *pi, int by_hash, key_list *k)
{
	keymap *seen = keymap_new();
	size_t i;
	int created;
	k->keys = xcalloc(pi->nrecs + 1, sizeof(void *));
	k->lens = xcalloc(pi->nrecs + 1, sizeof(size_t));
	k->n = 0;
	for (i = 0; i < pi->nrecs; i++) {
		pairing_rec *rec = &pi->recs[i];
		const void *key = by_hash ? (const void *)rec->id_hash : (const void *)rec->student;
		size_t len = by_hash ? IDNUM_HASH_LEN : strlen(rec->student);
		if (rec->bad || rec->has_id != by_hash || !len)
			continue;
		keymap_put(seen, key, len, &created);
		if (created) {
			k->keys[k->n] = key;
			k->lens[k->n++] = len;
		}
	}
	keymap_free(seen);
}

/* The students named by ID number, bureau by bureau. */
static db_status students_by_hash(pairing_import *pi, key_list *k)
{
	db_param p[] = {DP_STR(pi->scope), DP_STR(pi->scope)};
	db_rows *r;
	size_t i;
	db_status st = db_query(pi->db, SQL_SCOPE_BUREAUS, p, DB_NPARAMS(p), &r);
	if (st != DB_OK)
		return st;
	for (i = 0; st == DB_OK && i < db_rows_count(r); i++) {
		db_param head[] = {DP_STR(pi->scope), DP_INT(db_rows_int(r, i, 0))};
		st = batch_query(pi->db, SQL_BY_HASH, head, 2, 1, k->n, key_param, student_rows, k);
	}
	db_rows_free(r);
	return st;
}

db_status pairing_db_load_students(pairing_import *pi)
{
	db_param head[] = {DP_STR(pi->scope)};
	key_list k = {pi, NULL, NULL, 0};
	db_status st;
	collect_keys(pi, 1, &k);
	st = k.n ? students_by_hash(pi, &k) : DB_OK;
	free(k.keys);
	free(k.lens);
	if (st != DB_OK)
		return st;
	collect_keys(pi, 0, &k);
	st = k.n ? batch_query(pi->db, SQL_BY_NAME, head, 1, 1, k.n, key_param, student_rows, &k) : DB_OK;
	free(k.keys);
	free(k.lens);
	return st;
}

/* ---------------------------------------------------------------- staff */

/* The staff map key: org id, then the name. */
static size_t staff_key(unsigned char *out, size_t cap, long long org_id, const char *name)
{
	size_t n = strlen(name);
	if (n > cap - sizeof(org_id))
		n = cap - sizeof(org_id);
	memcpy(out, &org_id, sizeof(org_id));
	memcpy(out + sizeof(org_id), name, n);
	return sizeof(org_id) + n;
}

db_status pairing_db_load_staff(pairing_import *pi)
{
	db_param p[] = {DP_STR(pi->scope)};
	unsigned char key[8 + 160];
	db_rows *r;
	size_t i;
	int created;
	db_status st = db_query(pi->db, SQL_STAFF, p, 1, &r);
	if (st != DB_OK)
		return st;
	for (i = 0; i < db_rows_count(r); i++) {
		long long *v = keymap_put(pi->staff, key,
					  staff_key(key, sizeof(key), db_rows_int(r, i, 1), db_rows_str(r, i, 2)), &created);
		*v = created || *v == 0 ? db_rows_int(r, i, 0) : -1;
	}
	db_rows_free(r);
	return DB_OK;
}

/* ---------------------------------------------------------------- stored pairings */

static db_status stored_rows(void *ctx, const db_rows *r)
{
	pairing_import *pi = ((key_list *)ctx)->pi;
	long long pair[2];
	size_t i;
	int created;
	for (i = 0; i < db_rows_count(r); i++) {
		pairing_stored *s;
		long long *v;
		if (pi->nstored == pi->capstored) {
			pi->capstored = pi->capstored ? pi->capstored * 2 : 256;
			pi->stored = xrealloc(pi->stored, pi->capstored * sizeof(pairing_stored));
		}
		s = &pi->stored[pi->nstored];
		s->id = db_rows_int(r, i, 0);
		s->staff_id = db_rows_int(r, i, 1);
		s->student_id = db_rows_int(r, i, 2);
		str_copy(s->start, sizeof(s->start), db_rows_str(r, i, 3));
		str_copy(s->end, sizeof(s->end), db_rows_str(r, i, 4) ? db_rows_str(r, i, 4) : "");
		str_copy(s->note, sizeof(s->note), db_rows_str(r, i, 5));
		pair[0] = s->staff_id;
		pair[1] = s->student_id;
		v = keymap_put(pi->stored_by_pair, pair, sizeof(pair), &created);
		s->next = created ? -1 : (long)*v - 1;
		*v = (long long)++pi->nstored;
	}
	return DB_OK;
}

db_status pairing_db_load_stored(pairing_import *pi)
{
	key_list k = {pi, NULL, NULL, 0};
	keymap *seen = keymap_new();
	size_t i;
	int created;
	db_status st;
	k.keys = xcalloc(pi->nrecs + 1, sizeof(void *));
	k.lens = xcalloc(pi->nrecs + 1, sizeof(size_t));
	for (i = 0; i < pi->nrecs; i++) {
		if (pi->recs[i].bad || !pi->recs[i].student_id)
			continue;
		keymap_put(seen, &pi->recs[i].student_id, sizeof(long long), &created);
		if (created) {
			k.keys[k.n] = &pi->recs[i].student_id;
			k.lens[k.n++] = sizeof(long long);
		}
	}
	keymap_free(seen);
	st = k.n ? batch_query(pi->db, SQL_STORED, NULL, 0, 1, k.n, id_param, stored_rows, &k) : DB_OK;
	free(k.keys);
	free(k.lens);
	return st;
}

/* ---------------------------------------------------------------- writing */

typedef struct {
	pairing_rec **recs;
	size_t n;
} rec_list;

static void staff_row(void *ctx, size_t i, db_param *p)
{
	pairing_rec *rec = ((rec_list *)ctx)->recs[i];
	p[0] = DP_INT(rec->staff_org);
	p[1] = DP_STR(rec->staff);
	p[2] = DP_STR(rec->roles_text);
	p[3] = DP_STR(rec->position);
	p[4] = DP_STR(rec->phone[0] ? rec->phone : NULL);
}

static void pairing_row(void *ctx, size_t i, db_param *p)
{
	pairing_rec *rec = ((rec_list *)ctx)->recs[i];
	p[0] = DP_INT(rec->staff_id);
	p[1] = DP_INT(rec->student_id);
	p[2] = DP_STR(rec->start);
	p[3] = DP_STR(rec->end[0] ? rec->end : NULL);
	p[4] = DP_STR(rec->note);
}

/* Inserts one row per new staff member (the first row that names them), then
 * reloads the staff map and sets every row's staff_id. */
static db_status staff_write(pairing_import *pi, rec_list *fresh)
{
	unsigned char key[8 + 160];
	size_t i;
	db_status st;
	if (fresh->n) {
		if ((st = batch_exec(pi->db, SQL_STAFF_INSERT, NULL, 0, 5, NULL, 0, fresh->n, staff_row, fresh)) != DB_OK)
			return st;
		keymap_free(pi->staff); /* reload from scratch: a second load would see every name twice */
		pi->staff = keymap_new();
		if ((st = pairing_db_load_staff(pi)) != DB_OK)
			return st;
	}
	for (i = 0; i < pi->nrecs; i++) {
		pairing_rec *rec = &pi->recs[i];
		long long *v = keymap_get(pi->staff, key, staff_key(key, sizeof(key), rec->staff_org, rec->staff));
		if (!v || *v <= 0)
			return DB_ERR;
		rec->staff_id = *v;
	}
	return DB_OK;
}

db_status pairing_db_write(pairing_import *pi)
{
	rec_list fresh = {xcalloc(pi->nrecs + 1, sizeof(pairing_rec *)), 0};
	rec_list writes = {xcalloc(pi->nrecs + 1, sizeof(pairing_rec *)), 0};
	size_t i;
	db_status st;
	for (i = 0; i < pi->nrecs; i++) {
		if (pi->recs[i].staff_new == 1) /* 2: a later row naming the same new staff member */
			fresh.recs[fresh.n++] = &pi->recs[i];
		if (strcmp(pi->recs[i].action, "unchanged"))
			writes.recs[writes.n++] = &pi->recs[i];
	}
	st = staff_write(pi, &fresh);
	if (st == DB_OK && writes.n)
		st = batch_exec(pi->db, SQL_PAIRING, NULL, 0, 5, NULL, 0, writes.n, pairing_row, &writes);
	pi->staff_created = (long long)fresh.n;
	free(fresh.recs);
	free(writes.recs);
	return st;
}
