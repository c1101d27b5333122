/* users.h - user accounts: data access shared by the handlers and the CLI. */
#ifndef DUDAO_USERS_H
#define DUDAO_USERS_H

#include <jansson.h>
#include "db.h"
#include "http.h"

typedef struct {
	const char *username;
	const char *display_name;
	const char *role;          /* role name */
	long long org_id;          /* 0 keeps on update */
	const char *password_hash; /* NULL keeps on update */
	const char *phone;
	int active;                /* -1 keeps on update */
} user_fields;

/* One user whose org is in scope, as JSON (never the hash); DB_NOT_FOUND otherwise. */
db_status users_db_get(db *d, const char *scope_path, long long id, json_t **out);
db_status users_db_list(db *d, const char *scope_path, const char *role, long long org_id,
			const char *q, const paging *pg, json_t **items, long long *total);
/* DB_DUPLICATE when the user name is taken. */
db_status users_db_insert(db *d, const user_fields *f, long long *id);
/* Updates the fields that are set when the version matches; DB_CONFLICT when stale. */
db_status users_db_update(db *d, long long id, long long version, const user_fields *f);

#endif
