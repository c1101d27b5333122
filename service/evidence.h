/* evidence.h - uploaded evidence (JPEG, PNG, PDF): the type check on the bytes,
 * the database access, and the check that attachments belong to a school. */
#ifndef DUDAO_EVIDENCE_H
#define DUDAO_EVIDENCE_H

#include <stddef.h>
#include <jansson.h>

#include "db.h"
#include "http.h"

#define EVIDENCE_MAX_BYTES (10 * 1024 * 1024)
#define EVIDENCE_MAX_PER_ENTRY 20   /* attachments on one finding or one action */
/* One placeholder per attachment, for "id IN (" EVIDENCE_ID_LIST ")". */
#define EVIDENCE_ID_LIST "?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?"
_Static_assert(sizeof(EVIDENCE_ID_LIST) == 2 * EVIDENCE_MAX_PER_ENTRY, "one placeholder per file");

/* The content type the bytes are ("image/jpeg", "image/png", "application/pdf"),
 * from their magic numbers; NULL for anything else. */
const char *evidence_sniff(const unsigned char *data, size_t len);

/* The SHA-256 of data as 64 lowercase hex digits into out. */
void evidence_sha256(const unsigned char *data, size_t len, char out[65]);

/* Percent-encodes s for an RFC 5987 filename* parameter (UTF-8''...) into out.
 * Returns 0, or -1 when out is too small. */
int evidence_rfc5987(const char *s, char *out, size_t n);

/* A new evidence row; *id receives its id. */
typedef struct {
	long long org_id, uploaded_by;
	const char *filename, *content_type, *sha256;
	const unsigned char *data;
	size_t size;
} evidence_file;
db_status evidence_db_insert(db *d, const evidence_file *f, long long *id);
/* The row's metadata (no bytes) as JSON. New reference. */
db_status evidence_db_meta(db *d, long long id, json_t **out);
/* The file in scope (its org under scope_path, or uploaded by user_id). On DB_OK
 * *out holds filename, content type, sha256 and data; free with db_rows_free.
 * Columns: 0 filename, 1 content_type, 2 sha256, 3 data. */
db_status evidence_db_fetch(db *d, const char *scope_path, long long user_id, long long id, db_rows **out);
/* Checks that every id (at most EVIDENCE_MAX_PER_ENTRY) names evidence of
 * school_id, in one statement. Returns DB_OK, or DB_NOT_FOUND with *bad the index
 * of the first that does not. */
db_status evidence_db_of_school(db *d, long long school_id, const long long *ids, size_t n, size_t *bad);

#endif
