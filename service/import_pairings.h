/* import_pairings.h - the pairing register import's working state (附件3:
 * 帮扶人, 工作单位及职务, 帮扶学生, ...), shared by its row logic
 * (import_pairings.c) and its SQL (import_pairings_db.c). Rows are read and
 * checked first, then resolved against students, staff and pairings loaded in
 * a few batched queries, then written in multi-row statements. */
#ifndef DUDAO_IMPORT_PAIRINGS_H
#define DUDAO_IMPORT_PAIRINGS_H

#include "db.h"
#include "idnum.h"
#include "import.h"
#include "keymap.h"

#define PAIRING_PREVIEW 200
#define PAIRING_ERRORS 1000

/* An org in scope: where a helper can work, or a student's school. */
typedef struct {
	long long id;
	int school;
	char name[160];
	char code[11];
} pairing_org;

/* A student the register may name. */
typedef struct {
	long long id, school_id;
	char name[160];
	char grade[64];
	long next_same_name;      /* index of the next student with this name, -1 at the end */
} pairing_student;

/* A stored pairing of a student the register names. */
typedef struct {
	long long id, staff_id, student_id;
	char start[11], end[11];  /* end "" when open */
	char note[608];
	long next;                /* next pairing of the same staff and student, -1 at the end */
} pairing_stored;

typedef struct {
	unsigned long row;
	char staff[160], unit[320], student[160], grade[64], phone[32], school[160], code[16];
	char note[1600];
	unsigned char id_hash[IDNUM_HASH_LEN];
	int has_id, has_end, bad;
	char start[11], end[11];
	char position[320];
	char roles_text[64];      /* SET text of the roles of a new staff member */
	long long school_id;      /* from the 学校 columns, 0 when absent */
	long long student_id, student_school, staff_org, staff_id, stored_id;
	const char *action;       /* add, change, unchanged */
	int staff_new;
} pairing_rec;

typedef struct {
	db *db;
	const char *scope, *today;
	int dry_run, names_visible, party; /* party: the helper column says 党员 */
	unsigned char key[256];
	size_t keylen;
	pairing_org *orgs;
	size_t norgs;
	keymap *school_by_code, *school_by_name; /* index + 1, -1 when a name is shared */
	pairing_rec *recs;
	size_t nrecs, caprecs;
	pairing_student *students;
	size_t nstudents, capstudents;
	keymap *student_by_hash, *student_by_name, *student_by_id; /* index + 1 (hash: -1 when ambiguous) */
	keymap *staff;            /* org id + name -> staff id, -1 ambiguous, 0 new */
	pairing_stored *stored;
	size_t nstored, capstored;
	keymap *stored_by_pair;   /* staff id + student id -> index + 1 of the first */
	long long staff_created;
	import_report *rep;
} pairing_import;

/* Loads the orgs in scope (schools mapped by code and name). */
db_status pairing_db_load_orgs(pairing_import *pi);
/* Loads the students the rows name (by ID hash and by name), in scope. */
db_status pairing_db_load_students(pairing_import *pi);
/* Loads the staff in scope into pi->staff. */
db_status pairing_db_load_staff(pairing_import *pi);
/* Loads the stored pairings of the students the rows matched. */
db_status pairing_db_load_stored(pairing_import *pi);
/* Creates the new staff members of the rows (then reloads the staff map) and
 * writes the pairings (new ones inserted, changed ones updated). */
db_status pairing_db_write(pairing_import *pi);

#endif
