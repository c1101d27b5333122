/* migrate.h - schema/NNN_name.sql applied in order and recorded. */
#ifndef DUDAO_MIGRATE_H
#define DUDAO_MIGRATE_H

#include "db.h"
#include "config.h"

/* Creates the configured database if it is missing. Returns 0 or -1 (printed). */
int migrate_create_database(const config *cfg);
/* Drops the configured database (tests). Returns 0 or -1. */
int migrate_drop_database(const config *cfg);

/* Applies every pending migration of root/schema to d, each rehearsed first on
 * a scratch database so that a broken one stops before touching the real
 * schema. Returns 0 (applied or nothing to do) or -1 with a message printed. */
int migrate_run(const config *cfg, db *d);

/* The highest applied version (0 when none). */
db_status migrate_current_version(db *d, long long *version);

#endif
