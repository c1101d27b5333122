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
/* EVIDENCE_MAX_PER_ENTRY ids; fewer are padded with the first again. */
static const char SQL_EVIDENCE_OF_SCHOOL[] =
	"SELECT id FROM evidence WHERE org_id = ? AND id IN (" EVIDENCE_ID_LIST ")";

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
	db_param p[1 + EVIDENCE_MAX_PER_ENTRY];
	db_rows *r;
	size_t i, k;
	db_status st;
	if (n == 0)
		return DB_OK;
	if (n > EVIDENCE_MAX_PER_ENTRY)
		return DB_ERR;
	p[0] = DP_INT(school_id);
	for (i = 0; i < EVIDENCE_MAX_PER_ENTRY; i++)
		p[1 + i] = DP_INT(ids[i < n ? i : 0]);
	if ((st = db_query(d, SQL_EVIDENCE_OF_SCHOOL, p, DB_NPARAMS(p), &r)) != DB_OK)
		return st;
	for (i = 0; i < n; i++) {
		for (k = 0; k < db_rows_count(r) && db_rows_int(r, k, 0) != ids[i]; k++)
			;
		if (k == db_rows_count(r))
			break;
	}
	db_rows_free(r);
	if (i < n) {
		*bad = i;
		return DB_NOT_FOUND;
	}
	return DB_OK;
}
