/* templates_db.c - SQL for checklist templates and their items. A version is
 * never changed once written, except for the is_current flag. */
#include "templates.h"

#include <pthread.h>
#include <stdlib.h>

#include "util.h"

#define TEMPLATE_COLUMNS \
	"t.id, t.lineage_id, t.version, t.is_current, t.name, t.description, t.created_at," \
	" (SELECT COUNT(*) FROM checklist_items c WHERE c.template_id = t.id) AS item_count"

static const char SQL_TEMPLATE_LIST[] =
	"SELECT " TEMPLATE_COLUMNS " FROM checklist_templates t WHERE (? = 1 OR t.is_current = 1)"
	" ORDER BY t.lineage_id, t.version DESC";
static const char SQL_TEMPLATE_GET[] = "SELECT " TEMPLATE_COLUMNS " FROM checklist_templates t WHERE t.id = ?";
static const char SQL_TEMPLATE_ITEMS[] =
	"SELECT id, position, code, category, title, hint FROM checklist_items WHERE template_id = ?"
	" ORDER BY position";
static const char SQL_TEMPLATE_DEFAULT[] = TEMPLATE_DEFAULT_ID_SQL;
/* A version and its items, named or the default one, in one round trip. */
#define CHECKLIST_SELECT \
	"SELECT t.id, t.name, t.version, c.id, c.code, c.category, c.title FROM checklist_templates t" \
	" JOIN checklist_items c ON c.template_id = t.id"
static const char SQL_CHECKLIST[] = CHECKLIST_SELECT " WHERE t.id = ? ORDER BY c.position";
static const char SQL_CHECKLIST_DEFAULT[] =
	CHECKLIST_SELECT " WHERE t.id = (" TEMPLATE_DEFAULT_ID_SQL ") ORDER BY c.position";
static const char SQL_TEMPLATE_INSERT[] =
	"INSERT INTO checklist_templates (lineage_id, version, is_current, name, description, created_by)"
	" VALUES (?, ?, 1, ?, ?, ?)";
static const char SQL_TEMPLATE_SET_LINEAGE[] =
	"UPDATE checklist_templates SET lineage_id = id WHERE id = ? AND lineage_id = 0";
static const char SQL_TEMPLATE_ITEM_INSERT[] =
	"INSERT INTO checklist_items (template_id, position, code, category, title, hint) VALUES (?, ?, ?, ?, ?, ?)";
static const char SQL_TEMPLATE_SUPERSEDE[] =
	"UPDATE checklist_templates SET is_current = 0 WHERE id = ? AND version = ? AND is_current = 1";
static const char SQL_TEMPLATE_EXISTS[] = "SELECT id FROM checklist_templates WHERE id = ?";

db_status templates_db_list(db *d, int all, json_t **out)
{
	db_param p[] = {DP_INT(all != 0)};
	db_rows *r;
	db_status st = db_query(d, SQL_TEMPLATE_LIST, p, 1, &r);
	if (st != DB_OK)
		return st;
	*out = db_rows_array(r);
	db_rows_free(r);
	return DB_OK;
}

db_status templates_db_get(db *d, long long id, json_t **out)
{
	db_param p[] = {DP_INT(id)};
	db_rows *r, *items;
	db_status st = db_query_one(d, SQL_TEMPLATE_GET, p, 1, &r);
	if (st != DB_OK)
		return st;
	if ((st = db_query(d, SQL_TEMPLATE_ITEMS, p, 1, &items)) != DB_OK) {
		db_rows_free(r);
		return st;
	}
	*out = db_rows_object(r, 0);
	json_object_set_new(*out, "items", db_rows_array(items));
	db_rows_free(r);
	db_rows_free(items);
	return DB_OK;
}

db_status templates_db_default(db *d, long long *id)
{
	return db_query_int(d, SQL_TEMPLATE_DEFAULT, NULL, 0, id);
}

/* Reads version id (0: the default) into out, owned by out. */
static db_status checklist_read(db *d, long long id, template_checklist *out)
{
	db_param p[] = {DP_INT(id)};
	size_t i;
	db_status st = id ? db_query(d, SQL_CHECKLIST, p, 1, &out->rows) : db_query(d, SQL_CHECKLIST_DEFAULT, NULL, 0,
										     &out->rows);
	const db_rows *r = out->rows;
	out->id = out->version = 0;
	out->name = "";
	out->kept = 0;
	out->nitems = st == DB_OK ? db_rows_count(r) : 0;
	out->items = xcalloc(out->nitems ? out->nitems : 1, sizeof(*out->items));
	if (out->nitems) {
		out->id = db_rows_int(r, 0, 0);
		out->name = db_rows_str(r, 0, 1);
		out->version = db_rows_int(r, 0, 2);
	}
	for (i = 0; i < out->nitems; i++)
		out->items[i] = (checklist_entry){db_rows_int(r, i, 3), db_rows_str(r, i, 4), db_rows_str(r, i, 5),
						  db_rows_str(r, i, 6)};
	return st;
}

/* The versions read so far, shared by every thread of the process. Only
 * committed versions are seen (no handler reads a checklist in the transaction
 * that writes it), and a version is never changed or deleted once written. */
static struct {
	pthread_mutex_t lock;
	template_checklist v[TEMPLATE_KEPT_MAX];
	size_t n;
} kept = {.lock = PTHREAD_MUTEX_INITIALIZER};

/* Copies the kept version id into out (shared) and returns 1, or returns 0. */
static int kept_find(long long id, template_checklist *out)
{
	size_t i;
	for (i = 0; i < kept.n; i++)
		if (kept.v[i].id == id) {
			*out = kept.v[i];
			return 1;
		}
	return 0;
}

db_status templates_db_checklist(db *d, long long id, template_checklist *out)
{
	template_checklist mine;
	int found;
	db_status st;
	pthread_mutex_lock(&kept.lock);
	found = id && kept_find(id, out);
	pthread_mutex_unlock(&kept.lock);
	if (found)
		return DB_OK;
	if ((st = checklist_read(d, id, out)) != DB_OK || !id || !out->nitems)
		return st;
	mine = *out;
	pthread_mutex_lock(&kept.lock);
	found = kept_find(id, out);   /* another thread kept it meanwhile: use that one */
	if (!found && kept.n < TEMPLATE_KEPT_MAX) {
		out->kept = 1;
		kept.v[kept.n++] = *out;
	}
	pthread_mutex_unlock(&kept.lock);
	if (found)
		template_checklist_free(&mine);
	return DB_OK;
}

void template_checklist_free(template_checklist *t)
{
	if (!t->kept) {
		free(t->items);
		db_rows_free(t->rows);
	}
	t->items = NULL;
	t->rows = NULL;
	t->nitems = 0;
}

long template_checklist_find(const template_checklist *t, long long item_id)
{
	size_t i;
	for (i = 0; i < t->nitems; i++)
		if (t->items[i].id == item_id)
			return (long)i;
	return -1;
}

db_status templates_db_insert(db *d, long long lineage_id, long long version, const char *name,
			      const char *description, long long user_id, const template_item *items, size_t n,
			      long long *id)
{
	unsigned long long new_id = 0;
	size_t i;
	db_param p[] = {DP_INT(lineage_id), DP_INT(version), DP_STR(name), DP_STR(description), DP_INT(user_id)};
	db_status st = db_exec(d, SQL_TEMPLATE_INSERT, p, DB_NPARAMS(p), NULL, &new_id);
	if (st == DB_OK && lineage_id == 0) {
		db_param q[] = {DP_INT(new_id)};
		st = db_exec(d, SQL_TEMPLATE_SET_LINEAGE, q, 1, NULL, NULL);
	}
	for (i = 0; st == DB_OK && i < n; i++) {
		db_param q[] = {DP_INT(new_id), DP_INT(i + 1), DP_STR(items[i].code), DP_STR(items[i].category),
				DP_STR(items[i].title), DP_STR(items[i].hint)};
		st = db_exec(d, SQL_TEMPLATE_ITEM_INSERT, q, DB_NPARAMS(q), NULL, NULL);
	}
	*id = (long long)new_id;
	return st;
}

db_status templates_db_supersede(db *d, long long id, long long version)
{
	unsigned long long n = 0;
	long long found;
	db_param p[] = {DP_INT(id), DP_INT(version)};
	db_status st = db_exec(d, SQL_TEMPLATE_SUPERSEDE, p, DB_NPARAMS(p), &n, NULL);
	if (st != DB_OK || n > 0)
		return st;
	st = db_query_int(d, SQL_TEMPLATE_EXISTS, p, 1, &found);
	return st == DB_OK ? DB_CONFLICT : st;
}
