/* staff.h - data access for staff (教职工: 班主任, 任课教师, 干部, 党员), shared by the
 * handlers (staff.c), pairings and the pairing import. */
#ifndef DUDAO_STAFF_H
#define DUDAO_STAFF_H

#include <jansson.h>

#include "db.h"
#include "http.h"

/* Writable fields; NULL, -1 or a zero roles_given keeps the stored value on update. */
typedef struct {
	long long school_id;   /* the org they work at; create only */
	const char *name;
	unsigned roles;        /* bits of roster_staff_roles */
	int roles_given;
	const char *position;
	const char *phone;
	int active;            /* -1 keeps */
} staff_fields;

/* List filters; 0/NULL means none, active -1 means either. */
typedef struct {
	long long school_id;
	const char *role, *q;
	int active;
} staff_filter;

/* One staff member whose org is in scope, with roles as an array and their
 * active pairings on today; DB_NOT_FOUND otherwise. */
db_status staff_db_get(db *d, const char *scope, long long id, const char *today, json_t **out);
/* Staff in scope matching f, each with active_pairings on today. */
db_status staff_db_list(db *d, const char *scope, const staff_filter *f, const char *today, const paging *pg,
			json_t **items, long long *total);
/* 1 in *in_scope when org_id is an org in scope. */
db_status staff_db_org_in_scope(db *d, const char *scope, long long org_id, int *in_scope);
db_status staff_db_insert(db *d, const staff_fields *f, long long *id);
/* Updates the fields that are set when the version matches; DB_CONFLICT when stale. */
db_status staff_db_update(db *d, long long id, long long version, const staff_fields *f);

#endif
