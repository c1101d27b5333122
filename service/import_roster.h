/* import_roster.h - the roster import's working state, shared by the row logic
 * (import_roster.c), its writer thread (import_roster_pipe.c) and its SQL
 * (import_roster_db.c). Schools live in in-memory maps; the request's thread
 * reads and checks the rows and hands them over in chunks to a writer thread,
 * which looks up the students and households a chunk names by ID hash and
 * household key (one query per chunk, whatever the size of the bureau) and
 * writes new and changed rows in batches with multi-row statements, so a file
 * costs a few statements per few hundred rows and the checking of one chunk
 * overlaps the database's work on the one before. */
#ifndef DUDAO_IMPORT_ROSTER_H
#define DUDAO_IMPORT_ROSTER_H

#include <pthread.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdint.h>

#include "db.h"
#include "idnum.h"
#include "import.h"
#include "keymap.h"
#include "students.h"

#define ROSTER_BATCH 256          /* rows per chunk and per multi-row statement */
#define ROSTER_RING 3             /* chunks in flight between the reader and the writer */
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

/* The stored student with a row's ID number, once looked up (id 0: none, a new student). */
typedef struct {
	long long id, school_id;
	uint64_t digest;          /* of the fields the file carries, to tell changed from unchanged */
	unsigned char status;     /* index in roster_statuses */
} roster_known;

/* One checked row, ready to look up and write. */
typedef struct {
	unsigned long row;
	long long bureau_id, school_id, student_id, household_id;
	int is_new, enrol_change, has_household, boarding;
	roster_known stored;      /* filled by the look-up */
	long preview;             /* the row's slot in the preview, -1 when beyond it */
	unsigned char id_hash[IDNUM_HASH_LEN], hkey[HOUSEHOLD_KEY_LEN];
	char last4[5], birth[11], start[11];
	const char *gender, *stage, *status, *enrol_status;
	unsigned categories;
	char name[160], grade[64], categories_text[128], note[608], head[160], address[608];
} roster_rec;

/* What the writer thread alone touches while the file is read; the reader
 * takes its results (counts, preview rows, late errors) after joining it. */
typedef struct {
	roster_rec *batch;        /* rows waiting to be written */
	size_t nbatch;
	keymap *households;       /* bureau + household key -> id (-1 while being written) */
	long long added, changed, unchanged;
	json_t *preview[ROSTER_PREVIEW]; /* the preview rows of the rows it resolved, by slot */
	unsigned long *scope_rows; /* rows of students now at schools out of scope */
	size_t nscope, capscope;
} roster_writer;

/* The chunks between the reader (the request's thread) and the writer thread. */
typedef struct {
	roster_rec *chunk[ROSTER_RING];
	size_t count[ROSTER_RING];
	unsigned long produced, consumed; /* chunks handed over and done */
	int done, drop, started;   /* no more chunks; skip those left; the thread runs */
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t ready, free_slot;
} roster_pipe;

typedef struct {
	db *db;
	const char *scope, *today;
	int dry_run, names_visible;
	unsigned char key[256];   /* the ID-number HMAC key */
	size_t keylen;
	crypto_auth_hmacsha256_state id_state; /* the HMAC after the key: copied for each number */
	unsigned present;         /* ROSTER_P_* */
	long long id_step;        /* multi-row inserts number rows first, first + step, ...; 0: not guaranteed */
	/* schools in scope: by code, by name (-1 when ambiguous), by id; values are index + 1.
	 * Read-only once loaded: both threads use them. */
	roster_school *schools;
	size_t nschools;
	keymap *school_by_code, *school_by_name, *school_by_id;
	/* the reader's: the file's ID numbers by bureau id + ID hash (value: the row
	 * that named it), parsed category and grade texts, the chunk being filled */
	keymap *known, *categories_seen, *grades_seen;
	roster_rec *pending;
	size_t npending;
	import_report *rep;        /* the reader's; the writer never touches it */
	const import_header *header;
	roster_writer w;
	roster_pipe pipe;
	atomic_int rejected;       /* a row was rejected: the writer stops writing */
	atomic_int failed;         /* a db_status: the writer met a database error, stop */
} roster_import;

/* The digest of a student's fields, as the import compares them. hkey NULL: no household. */
uint64_t roster_digest(unsigned present, const char *name, const char *gender, const char *birth,
		       long long school_id, const char *grade, const char *stage, int boarding,
		       const unsigned char *hkey, unsigned categories, const char *status, const char *note);

/* The writer's work on one chunk of checked rows (import_roster.c): looks up
 * their stored students, classifies each row, queues those to write and writes
 * full batches. Returns the first database error. */
db_status roster_resolve(roster_import *ri, roster_rec *recs, size_t n);

/* Starts the writer thread (or, when no thread can be made, leaves the work to
 * roster_pipe_push, which then does it at once). */
void roster_pipe_start(roster_import *ri);
/* Hands the reader's full chunk (ri->pending, ri->npending rows) to the writer
 * and gives the reader an empty one; waits while every chunk is in flight. */
void roster_pipe_push(roster_import *ri);
/* After the last chunk: waits until the writer has done every chunk and stops
 * it (drop: skip what it has not begun). Safe to call when it never started. */
void roster_pipe_finish(roster_import *ri, int drop);
/* Frees the chunks (after roster_pipe_finish). */
void roster_pipe_release(roster_import *ri);

/* Loads the schools in ri->scope into the school maps (each with its nearest
 * bureau), and how the server numbers inserted rows. */
db_status roster_db_load_schools(roster_import *ri);
/* Looks up the stored students of recs (by bureau and ID hash) and fills each
 * row's stored (id 0 when none). */
db_status roster_db_lookup(roster_import *ri, roster_rec *recs, size_t n);
/* Writes the writer's batch: new households (after looking up those already
 * stored), student inserts and updates, enrolment changes. Empties it. */
db_status roster_db_flush(roster_import *ri);
/* Adds "changes" (field, from, to) to the preview rows of changed students. */
db_status roster_db_preview_changes(roster_import *ri);

#endif
