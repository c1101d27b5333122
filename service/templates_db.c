/* templates_db.c - SQL for checklist templates and their items. A version is
 * never changed once written, except for the is_current flag. */
#include "templates.h"

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
static const char SQL_TEMPLATE_DEFAULT[] =
	"SELECT id FROM checklist_templates WHERE is_current = 1 ORDER BY lineage_id LIMIT 1";
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

db_status templates_db_item_ids(db *d, long long template_id, long long **ids, size_t *n)
{
	db_param p[] = {DP_INT(template_id)};
	db_rows *r;
	size_t i;
	db_status st = db_query(d, SQL_TEMPLATE_ITEMS, p, 1, &r);
	if (st != DB_OK)
		return st;
	*n = db_rows_count(r);
	*ids = xcalloc(*n ? *n : 1, sizeof(**ids));
	for (i = 0; i < *n; i++)
		(*ids)[i] = db_rows_int(r, i, 0);
	db_rows_free(r);
	return DB_OK;
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
