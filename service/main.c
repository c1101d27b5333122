/* main.c - the dudao command: read the configuration, open the database,
 * then serve, migrate, load the demo county or add a user. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "auth.h"
#include "demo.h"
#include "migrate.h"
#include "orgs.h"
#include "routes.h"
#include "readcache.h"
#include "server.h"
#include "users.h"
#include "util.h"

/* Creates the database if needed and applies pending migrations. */
static int cmd_migrate(app *a)
{
	db *d;
	int rc;
	if (migrate_create_database(&a->cfg) != 0 || !(d = db_open(&a->cfg.db)))
		return 1;
	rc = migrate_run(&a->cfg, d);
	db_close(d);
	return rc == 0 ? 0 : 1;
}

/* Loads the demo county around --today (DUDAO_TODAY), else the clock's date. */
static int cmd_demo(app *a)
{
	char err[512] = "", today[11];
	int rc;
	db *d = db_open(&a->cfg.db);
	if (!d)
		return 1;
	if (a->cfg.today[0])
		str_copy(today, sizeof(today), a->cfg.today);
	else
		date_today(a->cfg.timezone, today);
	rc = demo_load(d, today, err, sizeof(err));
	db_close(d);
	if (rc < 0)
		fprintf(stderr, "demo: %s\n", err);
	else
		fprintf(stderr, rc == 0 ? "demo: loaded the demo county\n" : "demo: already loaded\n");
	return rc < 0 ? 1 : 0;
}

static int cmd_routes(void)
{
	size_t i;
	for (i = 0; i < route_count; i++)
		printf("%s %s\n", route_table[i].method, route_table[i].pattern);
	return 0;
}

/* Reads one line from stdin as the password, without the newline. */
static int read_password(char *buf, size_t n)
{
	size_t len;
	const char *env = getenv("DUDAO_PASSWORD");
	if (env)
		return str_copy(buf, n, env);
	if (!fgets(buf, (int)n, stdin))
		return -1;
	len = strcspn(buf, "\r\n");
	buf[len] = '\0';
	return len >= 8 ? 0 : -1;
}

/* dudao user add USERNAME ROLE [ORG_ID]: the first admin of a fresh install.
 * With an empty tree, a root bureau 教育局 is created for the user. */
static int cmd_user_add(app *a, int argc, char **argv)
{
	char password[130], hash[128];
	user_fields f = {0};
	org_fields bureau = {.kind = "bureau", .name = "教育局", .boarding = 0};
	long long id = 0, org_id = argc > 2 ? atoll(argv[2]) : 0;
	db *d;
	db_status st;

	if (argc < 2 || !role_from_name(argv[1])) {
		fprintf(stderr, "usage: dudao user add USERNAME ROLE [ORG_ID]  (password on stdin or DUDAO_PASSWORD)\n");
		return 2;
	}
	if (read_password(password, sizeof(password)) != 0 || auth_password_hash(password, hash, sizeof(hash)) != 0) {
		fprintf(stderr, "user add: a password of at least 8 characters is needed on stdin\n");
		return 2;
	}
	if (!(d = db_open(&a->cfg.db)))
		return 1;
	f = (user_fields){.username = argv[0], .display_name = argv[0], .role = argv[1],
			  .password_hash = hash, .active = 1};
	st = db_begin(d);
	if (st == DB_OK && !org_id && db_query_int(d, "SELECT COALESCE(MIN(id), 0) FROM orgs WHERE parent_id IS NULL",
						   NULL, 0, &org_id) == DB_OK && !org_id)
		st = orgs_db_insert(d, &bureau, "", &org_id);
	f.org_id = org_id;
	if (st == DB_OK && (st = users_db_insert(d, &f, &id)) == DB_OK)
		st = db_commit(d);
	if (st != DB_OK)
		db_rollback(d);
	fprintf(stderr, st == DB_OK ? "user add: created %s (id %lld)\n" : "user add: cannot create %s (%lld)\n",
		argv[0], id);
	db_close(d);
	return st == DB_OK ? 0 : 1;
}

static int cmd_serve(app *a)
{
	if (cmd_migrate(a) != 0) {
		fprintf(stderr, "serve: the database is not ready; see above\n");
		return 1;
	}
	readcache_set_ttl(a->cfg.cache_ms);
	return server_run(a) == 0 ? 0 : 1;
}

int main(int argc, char **argv)
{
	static app a;
	int argi = 2;
	const char *cmd = argc > 1 ? argv[1] : "";

	if (!strcmp(cmd, "routes"))
		return cmd_routes();
	if (!strcmp(cmd, "user") && argc > 2 && !strcmp(argv[2], "add"))
		argi = 3;
	if (!*cmd || !strcmp(cmd, "-h") || !strcmp(cmd, "--help") || config_load(&a.cfg, argc, argv, &argi) != 0) {
		config_usage(argv[0]);
		return 2;
	}
	if (!strcmp(cmd, "serve"))
		return cmd_serve(&a);
	if (!strcmp(cmd, "migrate"))
		return cmd_migrate(&a);
	if (!strcmp(cmd, "demo"))
		return cmd_demo(&a);
	if (!strcmp(cmd, "dropdb"))
		return migrate_drop_database(&a.cfg) == 0 ? 0 : 1;
	if (argi == 3 && !strcmp(cmd, "user"))
		return cmd_user_add(&a, argc - argi, argv + argi);
	config_usage(argv[0]);
	return 2;
}
