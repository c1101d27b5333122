/* rectify_fixtures.h - the world the visit, evidence and rectification tests
 * share: three schools of their own in duxue's town (A for the life cycle, B
 * for overdue items and as "another school", C for visits), their principals,
 * an inspector who belongs to school A, small valid files, and helpers to
 * upload, file visits and act on items. */
#ifndef DUDAO_API_RECTIFY_FIXTURES_H
#define DUDAO_API_RECTIFY_FIXTURES_H

#include <stddef.h>

#include "harness.h"

typedef struct {
	client admin, inspector, head, pa, pb, pc, own_inspector;
	long long town, school_a, school_b, school_c;
	long long template_id;       /* the default template (the migration's) */
	long long item_ids[16];      /* its items by position: 0..7 挂牌督导, 8..15 教育资助 */
} rx_world;

/* Creates the world on the first call and returns it afterwards; NULL after a
 * failed CHECK. The one cache of the test program, filled once. */
const rx_world *rx_setup(void);

/* A 1x1 PNG, the start of a JPEG and a PDF: valid magic numbers. */
extern const unsigned char rx_png[];
extern const size_t rx_png_len;
extern const unsigned char rx_jpeg[];
extern const size_t rx_jpeg_len;

/* POSTs bytes to /api/v1/evidence as c. ctype, filename (the raw X-Filename
 * value) and key (Idempotency-Key) may be NULL; school_id 0 is left out.
 * Caller frees. */
http_resp *rx_upload(const client *c, const void *data, size_t len, const char *ctype, const char *filename,
		     long long school_id, const char *key);
/* Uploads the PNG as c for school_id (0: c's own org); returns the id or -1. */
long long rx_evidence(const client *c, long long school_id);

/* A finding on item position pos of the default template. deadline may be NULL. */
json_t *rx_finding(const rx_world *w, int pos, const char *severity, const char *description, const char *deadline);
/* Creates and files a visit as c (findings taken, may be NULL); returns the visit
 * JSON (caller decrefs), or NULL after a failed CHECK. */
json_t *rx_filed_visit(const client *c, long long school, const char *date, const char *kind, json_t *findings);
/* The rectification item ids of a visit's findings, in order; returns how many. */
size_t rx_visit_items(const json_t *visit, long long *ids, size_t max);

/* GET /api/v1/rectifications/{id} as c: the item (caller decrefs), or NULL when not 200. */
json_t *rx_item(const client *c, long long id);
/* POST /api/v1/rectifications/{id}/<action> as c with body (taken) and an
 * optional Idempotency-Key. Caller frees. */
http_resp *rx_act(const client *c, long long id, const char *action, json_t *body, const char *key);

/* The named member of an XLSX held in memory (data, len) as a new string
 * (caller frees), or NULL when it is not there. */
char *rx_xlsx_member(const char *data, size_t len, const char *name);

/* Checks that item id, read as the admin, still has state, version and journal length. */
void rx_unchanged_at(const char *file, int line, long long id, const char *state, long long version,
		     size_t journal_len);
#define RX_UNCHANGED(id, state, version, n) rx_unchanged_at(__FILE__, __LINE__, (id), (state), (version), (n))

#endif
