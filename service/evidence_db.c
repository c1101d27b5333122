/* evidence_db.c - SQL for evidence files. The bytes live in a LONGBLOB and are
 * read only when a file is served; everything else reads the metadata. */
#include "evidence.h"

static const char SQL_EVIDENCE_INSERT[] =
	"INSERT INTO evidence (org_id, uploaded_by, filename, content_type, size, sha256, data)"
	" VALUES (?, ?, ?, ?, ?, ?, ?)";
static const char SQL_EVIDENCE_META[] =
	"SELECT e.id, e.org_id, o.name AS org_name, e.uploaded_by, e.filename, e.content_type, e.size, e.sha256,"
	" e.created_at FROM evidence e JOIN orgs o ON o.id = e.org_id WHERE e.id = ?";
static const char SQL_EVIDENCE_FETCH[] =
	"SELECT e.filename, e.content_type, e.sha256, e.data FROM evidence e JOIN orgs o ON o.id = e.org_id"
	" WHERE e.id = ? AND (o.path LIKE CONCAT(?, '%') OR e.uploaded_by = ?)";
static const char SQL_EVIDENCE_OF_SCHOOL[] = "SELECT COUNT(*) FROM evidence WHERE id = ? AND org_id = ?";

db_status evidence_db_insert(db *d, const evidence_file *f, long long *id)
{
	unsigned long long new_id = 0;
	db_param p[] = {DP_INT(f->org_id), DP_INT(f->uploaded_by), DP_STR(f->filename), DP_STR(f->content_type),
			DP_INT(f->size), DP_STR(f->sha256), DP_BLOB(f->data, f->size)};
	db_status st = db_exec(d, SQL_EVIDENCE_INSERT, p, DB_NPARAMS(p), NULL, &new_id);
	*id = (long long)new_id;
	return st;
}

db_status evidence_db_meta(db *d, long long id, json_t **out)
{
	db_param p[] = {DP_INT(id)};
	db_rows *r;
	db_status st = db_query_one(d, SQL_EVIDENCE_META, p, 1, &r);
	if (st != DB_OK)
		return st;
	*out = db_rows_object(r, 0);
	db_rows_free(r);
	return DB_OK;
}

db_status evidence_db_fetch(db *d, const char *scope_path, long long user_id, long long id, db_rows **out)
{
	db_param p[] = {DP_INT(id), DP_STR(scope_path), DP_INT(user_id)};
	return db_query_one(d, SQL_EVIDENCE_FETCH, p, DB_NPARAMS(p), out);
}

db_status evidence_db_of_school(db *d, long long school_id, const long long *ids, size_t n, size_t *bad)
{
	size_t i;
	for (i = 0; i < n; i++) {
		db_param p[] = {DP_INT(ids[i]), DP_INT(school_id)};
		long long found = 0;
		db_status st = db_query_int(d, SQL_EVIDENCE_OF_SCHOOL, p, DB_NPARAMS(p), &found);
		if (st != DB_OK)
			return st;
		if (!found) {
			*bad = i;
			return DB_NOT_FOUND;
		}
	}
	return DB_OK;
}
