/* students.h - data access for students, their enrolment history and
 * households, shared by the handlers (students.c) and the roster import. */
#ifndef DUDAO_STUDENTS_H
#define DUDAO_STUDENTS_H

#include <jansson.h>

#include "db.h"
#include "http.h"
#include "idnum.h"

#define HOUSEHOLD_KEY_LEN 16

/* A student's writable fields. NULL (or -1, or a zero *_given) keeps the stored value on update. */
typedef struct {
	long long school_id;        /* create only; changes go through enrolments */
	const char *name;
	const char *gender;
	unsigned char id_hash[IDNUM_HASH_LEN];
	int id_given;               /* id_hash, id_last4 and birth_date are set */
	char id_last4[5];
	char birth_date[11];
	const char *id_gender;      /* "男"/"女" as the ID number says */
	const char *grade;
	const char *stage;
	int boarding;               /* -1 keeps */
	unsigned categories;
	int categories_given;
	const char *status;         /* create only */
	const char *start_date;     /* create only: the first enrolment's start */
	long long household_id;     /* 0: none */
	int household_given;
	const char *note;
} student_fields;

/* Filters of GET /students; NULL or 0 means no filter. */
typedef struct {
	long long school_id, household_id;
	const char *grade, *stage, *category, *status;
	const char *q;                   /* name contains (only where names are visible) or last four */
	int names_visible;
	const unsigned char *id_hash;    /* one exact ID number */
	const char *unpaired_on;         /* eligible, enrolled and without an active pairing on this date */
	unsigned eligible_mask;
	const char *today;               /* the date of each item's paired_today */
} student_filter;

/* The install's key for ID-number hashes (settings id_match_key) into key (cap
 * bytes); *len its length. DB_ERR (logged) when the setting is missing. */
db_status students_db_id_key(db *d, unsigned char *key, size_t cap, size_t *len);
/* The eligible categories (settings eligible_categories) as a mask; 建档立卡 and
 * 防返贫监测 when unset. */
db_status students_db_eligible_mask(db *d, unsigned *mask);
/* The bureau of a school in scope, and the school's stages (SET text, 32 bytes).
 * DB_NOT_FOUND when the school is not in scope (or not a school). */
db_status students_db_school(db *d, const char *scope, long long school_id, long long *bureau_id, char *stages);

/* The hash that identifies a household in a bureau (head name and address). */
void household_key(const char *head_name, const char *address, unsigned char out[HOUSEHOLD_KEY_LEN]);
/* Finds or creates the household; *id is its id. */
db_status households_db_ensure(db *d, long long bureau_id, const char *head_name, const char *address,
			       long long *id);

/* Inserts a student and the first enrolment; *id is the new id. DB_DUPLICATE when
 * the ID number is already registered in the bureau. */
db_status students_db_insert(db *d, long long bureau_id, const student_fields *f, long long *id);
/* Updates the fields that are set when the version matches; DB_CONFLICT when stale. */
db_status students_db_update(db *d, long long id, long long version, const student_fields *f);
/* Closes the open enrolment the day before date and opens (school_id, status)
 * from date; the student's school, status and version follow. DB_CONFLICT when stale. */
db_status students_db_enrol(db *d, long long id, long long version, long long school_id, const char *status,
			    const char *date);

/* One student in scope as JSON (names unmasked, categories an array), or DB_NOT_FOUND. */
db_status students_db_get(db *d, const char *scope, long long id, json_t **out);
/* Adds enrolments, household, pairings and home_visits to a student from students_db_get. */
db_status students_db_detail(db *d, long long id, json_t *student);
/* The open enrolment's start date (11 bytes) and the bureau; DB_NOT_FOUND without one. */
db_status students_db_current(db *d, long long id, char *start_date, long long *bureau_id);
/* Students in scope matching f, each with paired_today: a pairing active on f->today. */
db_status students_db_list(db *d, const char *scope, const student_filter *f, const paging *pg, json_t **items,
			   long long *total);

/* Households with a student in scope (optionally whose head name contains q). */
db_status households_db_list(db *d, const char *scope, const char *q, const paging *pg, json_t **items,
			     long long *total);
/* One household with a student in scope, with those students. */
db_status households_db_get(db *d, const char *scope, long long id, json_t **out);

#endif
