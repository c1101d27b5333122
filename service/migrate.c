/* migrate.c - the schema migrations. Files schema/NNN_name.sql are applied in
 * order, each recorded in schema_migrations with its checksum. Pending ones
 * are first rehearsed on an empty scratch database: MariaDB cannot roll back
 * DDL, so this is what keeps a broken migration from leaving the real schema
 * half changed. Re-running with nothing pending is a no-op. */
#include "migrate.h"

#include <dirent.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "static.h"
#include "util.h"

#define MAX_MIGRATIONS 512

static const char SQL_CREATE_TABLE[] =
	"CREATE TABLE IF NOT EXISTS schema_migrations ("
	" version INT UNSIGNED NOT NULL PRIMARY KEY, name VARCHAR(200) NOT NULL,"
	" checksum CHAR(64) NOT NULL, applied_at DATETIME NOT NULL DEFAULT UTC_TIMESTAMP()"
	") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4";
static const char SQL_MAX_VERSION[] = "SELECT COALESCE(MAX(version), 0) FROM schema_migrations";
static const char SQL_RECORD[] =
	"INSERT INTO schema_migrations (version, name, checksum) VALUES (?, ?, ?)";
static const char SQL_CHECKSUM[] = "SELECT checksum FROM schema_migrations WHERE version = ?";

typedef struct {
	int version;
	char name[200];
} migration;

static int migration_cmp(const void *a, const void *b)
{
	return ((const migration *)a)->version - ((const migration *)b)->version;
}

/* Lists schema/NNN_*.sql sorted by number. Returns the count, or -1. */
static int migrations_list(const char *root, migration *out, int max)
{
	char dir[1100];
	DIR *d;
	struct dirent *e;
	int n = 0;
	snprintf(dir, sizeof(dir), "%s/schema", root);
	if (!(d = opendir(dir))) {
		fprintf(stderr, "migrate: cannot open %s\n", dir);
		return -1;
	}
	while ((e = readdir(d)) && n < max) {
		size_t len = strlen(e->d_name);
		if (len < 9 || len >= sizeof(out[n].name) || strcmp(e->d_name + len - 4, ".sql") ||
		    e->d_name[3] != '_' || e->d_name[0] < '0' || e->d_name[0] > '9')
			continue;
		out[n].version = atoi(e->d_name);
		str_copy(out[n].name, sizeof(out[n].name), e->d_name);
		n++;
	}
	closedir(d);
	qsort(out, (size_t)n, sizeof(*out), migration_cmp);
	return n;
}

static char *migration_read(const char *root, const migration *m, char sum[65])
{
	char path[1300];
	unsigned char h[32];
	size_t len = 0;
	char *sql;
	snprintf(path, sizeof(path), "%s/schema/%s", root, m->name);
	if (!(sql = file_read(path, &len))) {
		fprintf(stderr, "migrate: cannot read %s\n", path);
		return NULL;
	}
	crypto_hash_sha256(h, (const unsigned char *)sql, len);
	sodium_bin2hex(sum, 65, h, 32);
	return sql;
}

/* Database names are identifiers and cannot be bound: accept [A-Za-z0-9_] only. */
static int name_safe(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') || *s == '_'))
			return 0;
	return 1;
}

/* Runs "<head> `name` <tail>" on a server connection without a database. */
static int server_command(const config *cfg, const char *head, const char *name, const char *tail)
{
	db_config server = cfg->db;
	char sql[300], err[512];
	db *d;
	int rc = 0;
	if (!name_safe(name)) {
		fprintf(stderr, "migrate: database name must be letters, digits and _: %s\n", name);
		return -1;
	}
	server.database[0] = '\0';
	if (!(d = db_open(&server))) {
		fprintf(stderr, "migrate: cannot connect to the database server\n");
		return -1;
	}
	snprintf(sql, sizeof(sql), "%s `%s` %s", head, name, tail);
	if (db_exec_script(d, sql, err, sizeof(err)) != DB_OK) {
		fprintf(stderr, "migrate: %s: %s\n", sql, err);
		rc = -1;
	}
	db_close(d);
	return rc;
}

int migrate_create_database(const config *cfg)
{
	return server_command(cfg, "CREATE DATABASE IF NOT EXISTS", cfg->db.database,
			      "CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci");
}

int migrate_drop_database(const config *cfg)
{
	return server_command(cfg, "DROP DATABASE IF EXISTS", cfg->db.database, "");
}

db_status migrate_current_version(db *d, long long *version)
{
	return db_query_int(d, SQL_MAX_VERSION, NULL, 0, version);
}

/* Applies m to d and records it. Returns 0 or -1 with the error in err. */
static int migration_apply(db *d, const char *root, const migration *m, char *err, size_t errlen)
{
	char sum[65];
	char *sql = migration_read(root, m, sum);
	int rc = -1;
	if (!sql) {
		snprintf(err, errlen, "cannot read the file");
		return -1;
	}
	if (db_exec_script(d, sql, err, errlen) == DB_OK) {
		db_param p[] = {DP_INT(m->version), DP_STR(m->name), DP_STR(sum)};
		if (db_exec(d, SQL_RECORD, p, DB_NPARAMS(p), NULL, NULL) == DB_OK)
			rc = 0;
		else
			snprintf(err, errlen, "cannot record the migration: %s", db_error(d));
	}
	free(sql);
	return rc;
}

/* Applies migrations[0..upto] to an empty scratch database. 0 when all succeed,
 * 1 when the rehearsal could not be set up (then it is skipped), -1 on failure. */
static int migrate_rehearse(const config *cfg, const migration *ms, int upto)
{
	config scratch = *cfg;
	char err[1024];
	db *d;
	int i, rc = 0;
	snprintf(scratch.db.database, sizeof(scratch.db.database), "%.40s_rehearsal", cfg->db.database);
	if (migrate_drop_database(&scratch) || migrate_create_database(&scratch) || !(d = db_open(&scratch.db)))
		return 1;
	if (db_exec(d, SQL_CREATE_TABLE, NULL, 0, NULL, NULL) != DB_OK)
		rc = 1;
	for (i = 0; rc == 0 && i <= upto; i++)
		if (migration_apply(d, cfg->root, &ms[i], err, sizeof(err)) != 0) {
			fprintf(stderr, "migrate: %s failed (rehearsed on an empty database; nothing applied): %s\n",
				ms[i].name, err);
			rc = -1;
		}
	db_close(d);
	migrate_drop_database(&scratch);
	return rc;
}

/* Warns when an applied migration's file changed since it was applied. */
static void migrate_check_applied(db *d, const char *root, const migration *m)
{
	char sum[65];
	db_param p[] = {DP_INT(m->version)};
	db_rows *r;
	char *sql = migration_read(root, m, sum);
	free(sql);
	if (sql && db_query_one(d, SQL_CHECKSUM, p, 1, &r) == DB_OK) {
		if (strcmp(db_rows_str(r, 0, 0), sum) != 0)
			fprintf(stderr, "migrate: warning: %s changed after it was applied\n", m->name);
		db_rows_free(r);
	}
}

int migrate_run(const config *cfg, db *d)
{
	static migration ms[MAX_MIGRATIONS];
	long long current = 0;
	char err[1024];
	int n, i, first = -1;

	if ((n = migrations_list(cfg->root, ms, MAX_MIGRATIONS)) < 0)
		return -1;
	if (db_exec(d, SQL_CREATE_TABLE, NULL, 0, NULL, NULL) != DB_OK ||
	    migrate_current_version(d, &current) != DB_OK) {
		fprintf(stderr, "migrate: cannot read schema_migrations: %s\n", db_error(d));
		return -1;
	}
	for (i = 0; i < n; i++) {
		if (ms[i].version <= current)
			migrate_check_applied(d, cfg->root, &ms[i]);
		else if (first < 0)
			first = i;
	}
	if (first < 0)
		return 0;
	if (migrate_rehearse(cfg, ms, n - 1) < 0)
		return -1;
	for (i = first; i < n; i++) {
		if (migration_apply(d, cfg->root, &ms[i], err, sizeof(err)) != 0) {
			fprintf(stderr, "migrate: %s failed; the schema stays at version %d: %s\n", ms[i].name,
				i > 0 ? ms[i - 1].version : 0, err);
			return -1;
		}
		fprintf(stderr, "migrate: applied %s\n", ms[i].name);
	}
	return 0;
}
