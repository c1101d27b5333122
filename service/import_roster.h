/* import_roster.h - the roster import's working state, shared by the row logic
 * (import_roster.c) and its SQL (import_roster_db.c). Schools live in in-memory
 * maps; checked rows wait in a batch until the students and households they name
 * are looked up by ID hash and household key (one query per batch, whatever the
 * size of the bureau), then new and changed rows are written in batches with
 * multi-row statements, so a file costs a few statements per few hundred rows. */
#ifndef DUDAO_IMPORT_ROSTER_H
#define DUDAO_IMPORT_ROSTER_H

#include <stdint.h>

#include "db.h"
#include "idnum.h"
#include "import.h"
#include "keymap.h"
#include "students.h"

#define ROSTER_BATCH 256          /* rows per multi-row statement; also 16 and 1 for the rest */
#define ROSTER_PREVIEW 200        /* rows described in the answer */
#define ROSTER_ERRORS 1000        /* errors listed in the answer (all are counted) */

/* Optional columns whose absence keeps the stored value on re-import. */
enum { ROSTER_P_BOARDING = 1, ROSTER_P_HOUSEHOLD = 2, ROSTER_P_STATUS = 4, ROSTER_P_NOTE = 8 };

typedef struct {
	long long id, bureau_id;
	unsigned stages;          /* mask in roster_stages order; 0: not recorded */
	char name[160];
	char code[11];
} roster_school;

/* An ID number of the file: the row that named it and, once looked up, the
 * stored student (id 0: none, a new student). */
typedef struct {
	long long id, school_id;
	uint64_t digest;          /* of the fields the file carries, to tell changed from unchanged */
	unsigned long seen_row;   /* the file's row that named this ID number */
	unsigned char status;     /* index in roster_statuses */
} roster_known;

/* One checked row, ready to write. */
typedef struct {
	unsigned long row;
	long long bureau_id, school_id, student_id, household_id;
	int is_new, enrol_change, has_household, boarding;
	long known;               /* index in knowns; -1 when the row was rejected before the look-up */
	long preview;             /* the row's slot in the preview, -1 when beyond it */
	unsigned char id_hash[IDNUM_HASH_LEN], hkey[HOUSEHOLD_KEY_LEN];
	char last4[5], birth[11], start[11];
	const char *gender, *stage, *status, *enrol_status;
	unsigned categories;
	char name[160], grade[64], categories_text[128], note[608], head[160], address[608];
} roster_rec;

typedef struct {
	db *db;
	const char *scope, *today;
	int dry_run, names_visible;
	unsigned char key[256];   /* the ID-number HMAC key */
	size_t keylen;
	unsigned present;         /* ROSTER_P_* */
	long long id_step;        /* multi-row inserts number rows first, first + step, ...; 0: not guaranteed */
	/* schools in scope: by code, by name (-1 when ambiguous), by id; values are index + 1 */
	roster_school *schools;
	size_t nschools;
	keymap *school_by_code, *school_by_name, *school_by_id;
	/* the file's ID numbers by bureau id + ID hash (value: index in knowns); households by
	 * bureau + key (id; -1 while being written), filled as batches look them up */
	keymap *known, *households;
	roster_known *knowns;
	size_t nknowns, capknowns;
	/* checked rows waiting for the look-up, and rows waiting to be written */
	roster_rec *pending, *batch;
	size_t npending, nbatch;
	import_report *rep;
	const import_header *header; /* the file's, for errors found after a batch's look-up */
	db_status failed;         /* a database error: stop */
} roster_import;

/* The digest of a student's fields, as the import compares them. hkey NULL: no household. */
uint64_t roster_digest(unsigned present, const char *name, const char *gender, const char *birth,
		       long long school_id, const char *grade, const char *stage, int boarding,
		       const unsigned char *hkey, unsigned categories, const char *status, const char *note);
/* Appends a known student and maps it under bureau + hash; returns its index. */
size_t roster_known_add(roster_import *ri, long long bureau_id, const unsigned char *hash, const roster_known *k);

/* Loads the schools in ri->scope into the school maps (each with its nearest
 * bureau), and how the server numbers inserted rows. */
db_status roster_db_load_schools(roster_import *ri);
/* Looks up the stored students of the pending rows (by bureau and ID hash) and
 * fills their knowns: id, school, status, digest. Leaves the rows pending. */
db_status roster_db_lookup(roster_import *ri);
/* Writes the batch: new households (after looking up those already stored),
 * student inserts and updates, enrolment changes. Empties it. */
db_status roster_db_flush(roster_import *ri);
/* Adds "changes" (field, from, to) to the preview rows of changed students. */
db_status roster_db_preview_changes(roster_import *ri);

#endif
