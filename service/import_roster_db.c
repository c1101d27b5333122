/* import_roster_db.c - SQL of the roster import: loading the schools in scope,
 * looking up a batch's stored students and households (by bureau + ID hash and
 * bureau + household key, so an import costs the same in a county of 5,000
 * students and a province of millions), and writing batches with multi-row
 * statements (households, new students, changed students by id, enrolment changes).
 * Look-ups pad their tail to a whole statement and writes have five statement
 * sizes, so the tail of a batch costs a round trip or three, not dozens. The
 * import's writer thread runs the look-ups and flushes; the request's thread
 * runs the rest, and the last flush, while no writer runs. */
#include "import_roster.h"

#include <stdlib.h>
#include <string.h>

#include "batch.h"
#include "roster.h"
#include "util.h"

static const char SQL_SCHOOLS[] =
	"SELECT s.id, s.code, s.name, s.stages + 0, s.path FROM orgs s"
	" WHERE s.kind = 'school' AND s.path LIKE CONCAT(?, '%')";
/* The bureaus, a few rows: each school's nearest one is found in its path here
 * (a correlated subquery per school took minutes for 20,000 schools). */
static const char SQL_BUREAUS[] = "SELECT id FROM orgs WHERE kind = 'bureau'";
/* The stored students of a batch: bureau | ID hashes. */
#define KNOWN_SELECT(rows)                                                                                \
	"SELECT s.id, s.id_hash, s.school_id, s.status + 0, s.name, s.gender, s.birth_date, s.grade, s.stage," \
	" s.boarding, h.hkey, s.categories + 0, s.note"                                                    \
	" FROM students s LEFT JOIN households h ON h.id = s.household_id"                                 \
	" WHERE s.bureau_id = ? AND s.id_hash IN (" rows ")"

/* Plain multi-row INSERTs: the server numbers their rows consecutively (see roster_db_load_schools). */
#define HOUSEHOLD_INSERT(rows) "INSERT INTO households (bureau_id, hkey, head_name, address) VALUES " rows
#define HOUSEHOLD_SELECT(rows) "SELECT id, hkey FROM households WHERE bureau_id = ? AND hkey IN (" rows ")"

#define STUDENT_ROW "(?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
#define STUDENT_INSERT(rows)                                                                            \
	"INSERT INTO students (bureau_id, school_id, name, gender, id_hash, id_last4, birth_date, grade,"    \
	" stage, boarding, household_id, categories, status, note) VALUES " rows
/* Changed students, by the id the look-up found: the primary key meets the
 * duplicate at once (no insert attempted, no AUTO_INCREMENT value spent);
 * absent columns keep their value. */
#define STUDENT_UPSERT(rows)                                                                            \
	"INSERT INTO students (id, bureau_id, school_id, name, gender, id_hash, id_last4, birth_date, grade," \
	" stage, boarding, household_id, categories, status, note) VALUES " rows                            \
	" ON DUPLICATE KEY UPDATE school_id = VALUES(school_id), name = VALUES(name),"                     \
	" gender = VALUES(gender), id_last4 = VALUES(id_last4), birth_date = VALUES(birth_date),"          \
	" grade = VALUES(grade), stage = VALUES(stage), boarding = IF(?, VALUES(boarding), boarding),"     \
	" household_id = IF(?, VALUES(household_id), household_id), categories = VALUES(categories),"      \
	" status = IF(?, VALUES(status), status), note = IF(?, VALUES(note), note), version = version + 1," \
	" updated_at = UTC_TIMESTAMP()"
#define STUDENT_ID_ROW "(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"

/* An enrolment change on the import's day: the open enrolment ends the day
 * before, or is replaced when it began today. */
#define ENROL_CLOSE(rows) \
	"UPDATE student_enrolments SET end_date = ? WHERE end_date IS NULL AND start_date < ? AND student_id IN (" rows ")"
#define ENROL_DROP(rows) \
	"DELETE FROM student_enrolments WHERE end_date IS NULL AND start_date >= ? AND student_id IN (" rows ")"
#define ENROL_INSERT(rows) "INSERT INTO student_enrolments (student_id, school_id, status, start_date) VALUES " rows
/* Where ids are not consecutive (Galera's interleaved mode): new students found by bureau + ID hash. */
#define ENROL_BY_HASH "((SELECT id FROM students WHERE bureau_id = ? AND id_hash = ?),?,?,?)"

#define OLD_SELECT(rows)                                                                                  \
	"SELECT s.id, s.name, s.gender, s.birth_date, s.school_id, o.name AS school_name, s.grade, s.stage,"  \
	" s.boarding, h.head_name, h.address, s.categories, s.status, s.note FROM students s"                 \
	" JOIN orgs o ON o.id = s.school_id LEFT JOIN households h ON h.id = s.household_id"                  \
	" WHERE s.id IN (" rows ")"

static const char *const SQL_KNOWN[BATCH_SIZES] = BATCH_SQL(KNOWN_SELECT, "?");
static const char *const SQL_HH_INSERT[BATCH_SIZES] = BATCH_SQL(HOUSEHOLD_INSERT, "(?,?,?,?)");
static const char *const SQL_HH_SELECT[BATCH_SIZES] = BATCH_SQL(HOUSEHOLD_SELECT, "?");
static const char *const SQL_INSERT[BATCH_SIZES] = BATCH_SQL(STUDENT_INSERT, STUDENT_ROW);
static const char *const SQL_UPSERT[BATCH_SIZES] = BATCH_SQL(STUDENT_UPSERT, STUDENT_ID_ROW);
static const char *const SQL_CLOSE[BATCH_SIZES] = BATCH_SQL(ENROL_CLOSE, "?");
static const char *const SQL_DROP[BATCH_SIZES] = BATCH_SQL(ENROL_DROP, "?");
static const char *const SQL_ENROL[BATCH_SIZES] = BATCH_SQL(ENROL_INSERT, "(?,?,?,?)");
static const char *const SQL_ENROL_HASH[BATCH_SIZES] = BATCH_SQL(ENROL_INSERT, ENROL_BY_HASH);
static const char *const SQL_OLD[BATCH_SIZES] = BATCH_SQL(OLD_SELECT, "?");

/* The map key of something in a bureau: the bureau id, then bytes. */
static size_t bureau_key(unsigned char *out, long long bureau_id, const unsigned char *bytes, size_t n)
{
	memcpy(out, &bureau_id, sizeof(bureau_id));
	memcpy(out + sizeof(bureau_id), bytes, n);
	return sizeof(bureau_id) + n;
}

/* ---------------------------------------------------------------- schools */

/* Maps name to index + 1, or to -1 when two schools in scope share it. */
static void map_school_name(keymap *m, const char *name, long long index)
{
	int created;
	long long *v = keymap_put_str(m, name, &created);
	*v = created ? index + 1 : -1;
}

/* The bureau ids, as a set. */
static db_status load_bureaus(roster_import *ri, keymap *bureaus)
{
	db_rows *r;
	size_t i;
	int created;
	db_status st = db_query(ri->db, SQL_BUREAUS, NULL, 0, &r);
	if (st != DB_OK)
		return st;
	for (i = 0; i < db_rows_count(r); i++) {
		long long id = db_rows_int(r, i, 0);
		keymap_put(bureaus, &id, sizeof(id), &created);
	}
	db_rows_free(r);
	return DB_OK;
}

/* The nearest bureau above an org: the last id of its path ("/1/5/37/") that is
 * a bureau; 0 when none is. */
static long long path_bureau(const keymap *bureaus, const char *path)
{
	long long id, found = 0;
	char *end;
	while (*path == '/' && path[1]) {
		id = strtoll(path + 1, &end, 10);
		if (end == path + 1)
			break;
		if (keymap_get(bureaus, &id, sizeof(id)))
			found = id;
		path = end;
	}
	return found;
}

/* Adds the schools of r (SQL_SCHOOLS) to the maps. */
static void schools_map(roster_import *ri, const db_rows *r, const keymap *bureaus)
{
	size_t i;
	int created;
	ri->nschools = db_rows_count(r);
	ri->schools = xcalloc(ri->nschools + 1, sizeof(roster_school));
	for (i = 0; i < ri->nschools; i++) {
		roster_school *s = &ri->schools[i];
		s->id = db_rows_int(r, i, 0);
		str_copy(s->code, sizeof(s->code), db_rows_str(r, i, 1) ? db_rows_str(r, i, 1) : "");
		str_copy(s->name, sizeof(s->name), db_rows_str(r, i, 2));
		s->stages = (unsigned)db_rows_int(r, i, 3);
		s->bureau_id = path_bureau(bureaus, db_rows_str(r, i, 4));
		if (s->code[0])
			*keymap_put_str(ri->school_by_code, s->code, &created) = (long long)i + 1;
		map_school_name(ri->school_by_name, s->name, (long long)i);
		*keymap_put(ri->school_by_id, &s->id, sizeof(s->id), &created) = (long long)i + 1;
	}
}

db_status roster_db_load_schools(roster_import *ri)
{
	db_param p[] = {DP_STR(ri->scope)};
	keymap *bureaus = keymap_new();
	db_rows *r = NULL;
	db_status st = batch_id_step(ri->db, &ri->id_step);
	if (st == DB_OK)
		st = load_bureaus(ri, bureaus);
	if (st == DB_OK && (st = db_query(ri->db, SQL_SCHOOLS, p, 1, &r)) == DB_OK)
		schools_map(ri, r, bureaus);
	db_rows_free(r);
	keymap_free(bureaus);
	return st;
}

/* ---------------------------------------------------------------- stored students of a batch */

/* The rows of one bureau in a chunk that await a look-up, and the chunk's rows
 * by bureau + ID hash (value: index in the chunk + 1). */
typedef struct {
	roster_rec *chunk;
	roster_rec **recs;
	size_t n;
	long long bureau_id;
	const keymap *rows;
	unsigned present;
} lookup_job;

static void lookup_param(void *ctx, size_t i, db_param *p)
{
	p[0] = DP_BLOB(((lookup_job *)ctx)->recs[i]->id_hash, IDNUM_HASH_LEN);
}

/* Fills the stored students in r (SQL_KNOWN) into their rows. */
static db_status lookup_rows(void *ctx, const db_rows *r)
{
	lookup_job *job = ctx;
	unsigned char key[8 + IDNUM_HASH_LEN];
	size_t i;
	for (i = 0; i < db_rows_count(r); i++) {
		const unsigned char *hash = (const unsigned char *)db_rows_str(r, i, 1);
		long long *v;
		roster_known *k;
		if (db_rows_len(r, i, 1) != IDNUM_HASH_LEN ||
		    !(v = keymap_get(job->rows, key, bureau_key(key, job->bureau_id, hash, IDNUM_HASH_LEN))))
			continue;
		k = &job->chunk[*v - 1].stored;
		k->id = db_rows_int(r, i, 0);
		k->school_id = db_rows_int(r, i, 2);
		k->status = (unsigned char)(db_rows_int(r, i, 3) - 1);
		k->digest = roster_digest(job->present, db_rows_str(r, i, 4), db_rows_str(r, i, 5), db_rows_str(r, i, 6),
					  k->school_id, db_rows_str(r, i, 7), db_rows_str(r, i, 8), (int)db_rows_int(r, i, 9),
					  db_rows_len(r, i, 10) == HOUSEHOLD_KEY_LEN ? (const unsigned char *)db_rows_str(r, i, 10) : NULL,
					  (unsigned)db_rows_int(r, i, 11), roster_statuses[k->status], db_rows_str(r, i, 12));
	}
	return DB_OK;
}

/* Looks up the chunk's rows of one bureau, chunk[first] the first of them. */
static db_status lookup_bureau(roster_import *ri, roster_rec *chunk, size_t n, size_t first, const keymap *rows)
{
	roster_rec *recs[ROSTER_BATCH];
	lookup_job job = {chunk, recs, 0, chunk[first].bureau_id, rows, ri->present};
	db_param head = DP_INT(job.bureau_id);
	size_t k;
	for (k = first; k < n; k++)
		if (chunk[k].bureau_id == job.bureau_id)
			recs[job.n++] = &chunk[k];
	return batch_query_padded(ri->db, SQL_KNOWN, &head, 1, 1, job.n, lookup_param, lookup_rows, &job);
}

db_status roster_db_lookup(roster_import *ri, roster_rec *recs, size_t n)
{
	unsigned char key[8 + IDNUM_HASH_LEN];
	long long done[ROSTER_BATCH];
	keymap *rows = keymap_new();
	size_t i, k, ndone = 0;
	int created;
	db_status st = DB_OK;
	for (i = 0; i < n; i++)
		*keymap_put(rows, key, bureau_key(key, recs[i].bureau_id, recs[i].id_hash, IDNUM_HASH_LEN), &created) =
			(long long)i + 1;
	for (i = 0; i < n && st == DB_OK; i++) {
		for (k = 0; k < ndone && done[k] != recs[i].bureau_id; k++)
			;
		if (k == ndone) {
			done[ndone++] = recs[i].bureau_id;
			st = lookup_bureau(ri, recs, n, i, rows);
		}
	}
	keymap_free(rows);
	return st;
}

/* ---------------------------------------------------------------- households of a batch */

typedef struct {
	roster_import *ri;
	roster_rec **recs;     /* the batch's rows with a household not yet mapped, one per household */
	size_t n;
	long long bureau_id;
} household_job;

static void household_row(void *ctx, size_t i, db_param *p)
{
	roster_rec *rec = ((household_job *)ctx)->recs[i];
	p[0] = DP_INT(rec->bureau_id);
	p[1] = DP_BLOB(rec->hkey, HOUSEHOLD_KEY_LEN);
	p[2] = DP_STR(rec->head);
	p[3] = DP_STR(rec->address);
}

static void household_key_param(void *ctx, size_t i, db_param *p)
{
	p[0] = DP_BLOB(((household_job *)ctx)->recs[i]->hkey, HOUSEHOLD_KEY_LEN);
}

/* Maps the stored households of r (id, hkey). */
static db_status household_ids(void *ctx, const db_rows *r)
{
	household_job *job = ctx;
	unsigned char key[8 + HOUSEHOLD_KEY_LEN];
	size_t i;
	int created;
	for (i = 0; i < db_rows_count(r); i++) {
		if (db_rows_len(r, i, 1) != HOUSEHOLD_KEY_LEN)
			continue;
		bureau_key(key, job->bureau_id, (const unsigned char *)db_rows_str(r, i, 1), HOUSEHOLD_KEY_LEN);
		*keymap_put(job->ri->w.households, key, sizeof(key), &created) = db_rows_int(r, i, 0);
	}
	return DB_OK;
}

/* Keeps the rows of job whose household is still unmapped (-1): those to insert. */
static void households_unmapped(roster_import *ri, household_job *job)
{
	unsigned char key[8 + HOUSEHOLD_KEY_LEN];
	size_t i, n = 0;
	for (i = 0; i < job->n; i++) {
		long long *v = keymap_get(ri->w.households, key,
					  bureau_key(key, job->bureau_id, job->recs[i]->hkey, HOUSEHOLD_KEY_LEN));
		if (v && *v < 0)
			job->recs[n++] = job->recs[i];
	}
	job->n = n;
}

/* Collects the rows of bureau_id whose household is not mapped yet (once per household). */
static size_t households_pending(roster_import *ri, long long bureau_id, roster_rec **out)
{
	unsigned char key[8 + HOUSEHOLD_KEY_LEN];
	size_t i, n = 0;
	int created;
	for (i = 0; i < ri->w.nbatch; i++) {
		roster_rec *rec = &ri->w.batch[i];
		long long *v;
		if (!rec->has_household || rec->bureau_id != bureau_id)
			continue;
		v = keymap_put(ri->w.households, key, bureau_key(key, bureau_id, rec->hkey, HOUSEHOLD_KEY_LEN), &created);
		if (*v == 0) {
			*v = -1; /* queued in this flush */
			out[n++] = rec;
		}
	}
	return n;
}

/* Maps one bureau's households that are stored already, inserts the others
 * and maps their ids. */
static db_status households_insert(roster_import *ri, household_job *job)
{
	unsigned char key[8 + HOUSEHOLD_KEY_LEN];
	long long ids[ROSTER_BATCH];
	db_param head[] = {DP_INT(job->bureau_id)};
	size_t i;
	int created;
	db_status st =
		batch_query_padded(ri->db, SQL_HH_SELECT, head, 1, 1, job->n, household_key_param, household_ids, job);
	if (st != DB_OK)
		return st;
	households_unmapped(ri, job);
	if (!job->n)
		return DB_OK;
	if (!ri->id_step) {
		if ((st = batch_exec(ri->db, SQL_HH_INSERT, NULL, 0, 4, NULL, 0, job->n, household_row, job)) != DB_OK)
			return st;
		return batch_query_padded(ri->db, SQL_HH_SELECT, head, 1, 1, job->n, household_key_param, household_ids,
					  job);
	}
	if ((st = batch_insert_ids(ri->db, SQL_HH_INSERT, 4, job->n, household_row, job, ri->id_step, ids)) != DB_OK)
		return st;
	for (i = 0; i < job->n; i++)
		*keymap_put(ri->w.households, key, bureau_key(key, job->bureau_id, job->recs[i]->hkey, HOUSEHOLD_KEY_LEN),
			    &created) = ids[i];
	return DB_OK;
}

/* Inserts the batch's new households, bureau by bureau, and sets every row's household_id. */
static db_status households_write(roster_import *ri)
{
	roster_rec *pending[ROSTER_BATCH];
	long long bureaus[ROSTER_BATCH], *v;
	unsigned char key[8 + HOUSEHOLD_KEY_LEN];
	size_t i, k, nb = 0;
	db_status st;
	for (i = 0; i < ri->w.nbatch; i++) {
		for (k = 0; k < nb && bureaus[k] != ri->w.batch[i].bureau_id; k++)
			;
		if (ri->w.batch[i].has_household && k == nb)
			bureaus[nb++] = ri->w.batch[i].bureau_id;
	}
	for (k = 0; k < nb; k++) {
		household_job job = {ri, pending, households_pending(ri, bureaus[k], pending), bureaus[k]};
		if (job.n && (st = households_insert(ri, &job)) != DB_OK)
			return st;
	}
	for (i = 0; i < ri->w.nbatch; i++) {
		roster_rec *rec = &ri->w.batch[i];
		if (!rec->has_household)
			continue;
		v = keymap_get(ri->w.households, key, bureau_key(key, rec->bureau_id, rec->hkey, HOUSEHOLD_KEY_LEN));
		if (!v || *v <= 0)
			return DB_ERR;
		rec->household_id = *v;
	}
	return DB_OK;
}

/* ---------------------------------------------------------------- students and enrolments */

/* Some rows of the batch, for one statement. */
typedef struct {
	roster_rec **recs;
	size_t n;
} rec_list;

static void student_row(void *ctx, size_t i, db_param *p)
{
	roster_rec *rec = ((rec_list *)ctx)->recs[i];
	p[0] = DP_INT(rec->bureau_id);
	p[1] = DP_INT(rec->school_id);
	p[2] = DP_STR(rec->name);
	p[3] = DP_STR(rec->gender);
	p[4] = DP_BLOB(rec->id_hash, IDNUM_HASH_LEN);
	p[5] = DP_STR(rec->last4);
	p[6] = DP_STR(rec->birth);
	p[7] = DP_STR(rec->grade);
	p[8] = DP_STR(rec->stage);
	p[9] = DP_INT(rec->boarding);
	p[10] = db_param_id_or_null(rec->household_id);
	p[11] = DP_STR(rec->categories_text);
	p[12] = DP_STR(rec->status);
	p[13] = DP_STR(rec->note);
}

/* A changed student: its id, then student_row. */
static void student_id_row(void *ctx, size_t i, db_param *p)
{
	p[0] = DP_INT(((rec_list *)ctx)->recs[i]->student_id);
	student_row(ctx, i, p + 1);
}

static void id_param(void *ctx, size_t i, db_param *p)
{
	p[0] = DP_INT(((rec_list *)ctx)->recs[i]->student_id);
}

static void enrol_row(void *ctx, size_t i, db_param *p)
{
	roster_rec *rec = ((rec_list *)ctx)->recs[i];
	p[0] = DP_INT(rec->student_id);
	p[1] = DP_INT(rec->school_id);
	p[2] = DP_STR(rec->enrol_status);
	p[3] = DP_STR(rec->start);
}

static void enrol_hash_row(void *ctx, size_t i, db_param *p)
{
	roster_rec *rec = ((rec_list *)ctx)->recs[i];
	p[0] = DP_INT(rec->bureau_id);
	p[1] = DP_BLOB(rec->id_hash, IDNUM_HASH_LEN);
	p[2] = DP_INT(rec->school_id);
	p[3] = DP_STR(rec->enrol_status);
	p[4] = DP_STR(rec->start);
}

/* Inserts the new students (learning their ids where the server numbers rows
 * consecutively) and updates the changed ones. */
static db_status students_write(roster_import *ri, rec_list *fresh, rec_list *changed)
{
	db_param flags[] = {DP_INT((ri->present & ROSTER_P_BOARDING) != 0), DP_INT((ri->present & ROSTER_P_HOUSEHOLD) != 0),
			    DP_INT((ri->present & ROSTER_P_STATUS) != 0), DP_INT((ri->present & ROSTER_P_NOTE) != 0)};
	long long ids[ROSTER_BATCH];
	size_t i;
	db_status st = DB_OK;
	if (fresh->n && ri->id_step) {
		st = batch_insert_ids(ri->db, SQL_INSERT, 14, fresh->n, student_row, fresh, ri->id_step, ids);
		for (i = 0; st == DB_OK && i < fresh->n; i++)
			fresh->recs[i]->student_id = ids[i];
	} else if (fresh->n) {
		st = batch_exec(ri->db, SQL_INSERT, NULL, 0, 14, NULL, 0, fresh->n, student_row, fresh);
	}
	if (st == DB_OK && changed->n)
		st = batch_exec(ri->db, SQL_UPSERT, NULL, 0, 15, flags, 4, changed->n, student_id_row, changed);
	return st;
}

/* Ends (or, when begun today, replaces) the open enrolment of students whose
 * school or status changed, and opens the new ones of new and moved students. */
static db_status enrolments_write(roster_import *ri, rec_list *moved, rec_list *opened)
{
	char yesterday[11];
	db_param close_head[2], drop_head[1];
	db_status st;
	roster_day_before(ri->today, yesterday);
	close_head[0] = DP_STR(yesterday);
	close_head[1] = DP_STR(ri->today);
	drop_head[0] = DP_STR(ri->today);
	if (moved->n && ((st = batch_exec(ri->db, SQL_CLOSE, close_head, 2, 1, NULL, 0, moved->n, id_param, moved)) != DB_OK ||
			 (st = batch_exec(ri->db, SQL_DROP, drop_head, 1, 1, NULL, 0, moved->n, id_param, moved)) != DB_OK))
		return st;
	if (!opened->n)
		return DB_OK;
	if (ri->id_step)
		return batch_exec(ri->db, SQL_ENROL, NULL, 0, 4, NULL, 0, opened->n, enrol_row, opened);
	return batch_exec(ri->db, SQL_ENROL_HASH, NULL, 0, 5, NULL, 0, opened->n, enrol_hash_row, opened);
}

db_status roster_db_flush(roster_import *ri)
{
	roster_rec *f[ROSTER_BATCH], *c[ROSTER_BATCH], *m[ROSTER_BATCH], *o[ROSTER_BATCH];
	rec_list fresh = {f, 0}, changed = {c, 0}, moved = {m, 0}, opened = {o, 0};
	size_t i;
	db_status st;
	if (ri->w.nbatch == 0)
		return DB_OK;
	for (i = 0; i < ri->w.nbatch; i++) {
		roster_rec *rec = &ri->w.batch[i];
		if (rec->is_new)
			f[fresh.n++] = rec;
		else
			c[changed.n++] = rec;
		if (rec->enrol_change && !rec->is_new)
			m[moved.n++] = rec;
		if (rec->enrol_change || rec->is_new)
			o[opened.n++] = rec;
	}
	if ((st = households_write(ri)) == DB_OK && (st = students_write(ri, &fresh, &changed)) == DB_OK)
		st = enrolments_write(ri, &moved, &opened);
	ri->w.nbatch = 0;
	return st;
}

/* ---------------------------------------------------------------- the dry run's changes */

typedef struct {
	json_t *rows[ROSTER_PREVIEW]; /* preview rows of changed students */
	size_t n;
	unsigned present;
} change_job;

static void change_id_param(void *ctx, size_t i, db_param *p)
{
	p[0] = DP_INT(json_integer_value(json_object_get(((change_job *)ctx)->rows[i], "student_id")));
}

/* Appends {field, from, to} to changes when the stored and the new value differ. */
static void change_note(json_t *changes, const char *field, json_t *from, json_t *to)
{
	json_t *f = from ? from : json_null(), *t = to ? to : json_null();
	if (!json_equal(f, t))
		json_array_append_new(changes, json_pack("{s:s,s:O,s:O}", "field", field, "from", f, "to", t));
}

static void change_compare(const change_job *job, json_t *row, json_t *old)
{
	static const char *const always[] = {"name", "gender", "birth_date", "school_name", "grade", "stage",
					     "categories", NULL};
	json_t *changes = json_array();
	size_t i;
	roster_set_to_array(old, "categories");
	for (i = 0; always[i]; i++)
		change_note(changes, always[i], json_object_get(old, always[i]), json_object_get(row, always[i]));
	if (job->present & ROSTER_P_BOARDING)
		change_note(changes, "boarding", json_object_get(old, "boarding"), json_object_get(row, "boarding"));
	if (job->present & ROSTER_P_HOUSEHOLD) {
		change_note(changes, "head_name", json_object_get(old, "head_name"), json_object_get(row, "head_name"));
		change_note(changes, "address", json_object_get(old, "address"), json_object_get(row, "address"));
	}
	if (job->present & ROSTER_P_STATUS)
		change_note(changes, "status", json_object_get(old, "status"), json_object_get(row, "status"));
	if (job->present & ROSTER_P_NOTE)
		change_note(changes, "note", json_object_get(old, "note"), json_object_get(row, "note"));
	json_object_set_new(row, "changes", changes);
}

static db_status change_rows(void *ctx, const db_rows *r)
{
	change_job *job = ctx;
	size_t i, k;
	for (i = 0; i < db_rows_count(r); i++) {
		json_t *old = db_rows_object(r, i);
		for (k = 0; k < job->n; k++)
			if (json_integer_value(json_object_get(job->rows[k], "student_id")) == db_rows_int(r, i, 0))
				change_compare(job, job->rows[k], old);
		json_decref(old);
	}
	return DB_OK;
}

db_status roster_db_preview_changes(roster_import *ri)
{
	change_job job = {{0}, 0, ri->present};
	json_t *row;
	size_t i;
	json_array_foreach(ri->rep->preview, i, row)
		if (job.n < ROSTER_PREVIEW && !strcmp(json_string_value(json_object_get(row, "action")), "change"))
			job.rows[job.n++] = row;
	return job.n ? batch_query(ri->db, SQL_OLD, NULL, 0, 1, job.n, change_id_param, change_rows, &job) : DB_OK;
}
