/* test_evidence.c - uploads: the type is read from the bytes (415 when they are
 * not what they claim), 10 MB at most (413), names and schools checked; files
 * are served in scope only, with their type, an RFC 5987 name, nosniff and a
 * private cache header; a retried upload with the same key is stored once. */
#define _POSIX_C_SOURCE 200809L

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rectify_fixtures.h"
#include "suites.h"

static const char PDF[] = "%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n";

static void check_served(const client *c, long long id)
{
	char path[64], sha[65];
	unsigned char h[32];
	const char *cd, *cc;
	http_resp *r;

	snprintf(path, sizeof path, "/api/v1/evidence/%lld", id);
	r = api(c, "GET", path, NULL, NULL);
	CHECK_STATUS(r, 200);
	CHECK_STR(resp_header(r, "Content-Type"), "image/png", "served Content-Type");
	CHECK(r->body_len == rx_png_len && !memcmp(r->body, rx_png, rx_png_len), "the bytes come back unchanged");
	cd = resp_header(r, "Content-Disposition");
	CHECK(cd && strstr(cd, "inline") && strstr(cd, "filename*=UTF-8''%E6%95%B4%E6%94%B9%E7%85%A7%E7%89%87.png"),
	      "Content-Disposition has the RFC 5987 name: %s", cd ? cd : "(none)");
	CHECK_STR(resp_header(r, "X-Content-Type-Options"), "nosniff", "nosniff");
	cc = resp_header(r, "Cache-Control");
	CHECK(cc && strstr(cc, "private") && strstr(cc, "no-store") && !strstr(cc, "public"),
	      "never kept by a browser or a proxy: %s", cc ? cc : "(none)");
	crypto_hash_sha256(h, rx_png, rx_png_len);
	sodium_bin2hex(sha, sizeof sha, h, sizeof h);
	CHECK(resp_header(r, "ETag") && strstr(resp_header(r, "ETag"), sha), "ETag is the SHA-256");
	http_resp_free(r);
}

/* A good upload: metadata, then the file as the principal, the inspector and another school. */
static long long upload_good(const rx_world *w)
{
	char sha[65], path[64];
	unsigned char h[32];
	http_resp *r = rx_upload(&w->pa, rx_png, rx_png_len, "image/png", "%E6%95%B4%E6%94%B9%E7%85%A7%E7%89%87.png", 0,
				 NULL);
	long long id = -1;

	crypto_hash_sha256(h, rx_png, rx_png_len);
	sodium_bin2hex(sha, sizeof sha, h, sizeof h);
	if (CHECK_STATUS(r, 201))
		id = jint(r->json, "id");
	CHECK_STR(jstr(r->json, "filename"), "整改照片.png", "the percent-encoded name is decoded");
	CHECK_STR(jstr(r->json, "content_type"), "image/png", "stored type");
	CHECK_STR(jstr(r->json, "sha256"), sha, "stored SHA-256");
	CHECK_INT(jint(r->json, "size"), (long long)rx_png_len, "stored size");
	CHECK_INT(jint(r->json, "org_id"), w->school_a, "tied to the principal's school");
	http_resp_free(r);

	check_served(&w->pa, id);
	check_served(&w->inspector, id);
	check_served(&w->head, id);
	snprintf(path, sizeof path, "/api/v1/evidence/%lld", id);
	r = api(&w->pb, "GET", path, NULL, NULL);
	CHECK_ERROR(r, 404, "not_found", NULL);
	http_resp_free(r);
	return id;
}

/* Bytes that are not what they claim, or not an accepted type: 415. */
static void upload_wrong_type(const rx_world *w)
{
	http_resp *r;

	r = rx_upload(&w->pa, rx_jpeg, rx_jpeg_len, "image/png", NULL, 0, NULL);
	CHECK_ERROR(r, 415, "unsupported_media_type", FIELD_ANY);
	http_resp_free(r);
	r = rx_upload(&w->pa, rx_png, rx_png_len, "image/jpeg", NULL, 0, NULL);
	CHECK_ERROR(r, 415, "unsupported_media_type", FIELD_ANY);
	http_resp_free(r);
	r = rx_upload(&w->pa, "GIF89a\x01\x00\x01\x00", 10, "image/png", NULL, 0, NULL);
	CHECK_ERROR(r, 415, "unsupported_media_type", FIELD_ANY);
	http_resp_free(r);
	r = rx_upload(&w->pa, rx_png, rx_png_len, "text/html", NULL, 0, NULL);
	CHECK_ERROR(r, 415, "unsupported_media_type", FIELD_ANY);
	http_resp_free(r);
	r = rx_upload(&w->pa, rx_png, rx_png_len, NULL, NULL, 0, NULL);
	CHECK_ERROR(r, 415, "unsupported_media_type", FIELD_ANY);
	http_resp_free(r);
}

/* Each refused upload stores nothing: the next good one gets the next id. */
static void upload_refused(const rx_world *w, long long last_id)
{
	char *big = calloc(1, 10 * 1024 * 1024 + 2);
	http_resp *r;
	long long next;

	upload_wrong_type(w);
	memcpy(big, "%PDF-", 5);
	r = rx_upload(&w->pa, big, 10 * 1024 * 1024 + 1, "application/pdf", NULL, 0, NULL);
	CHECK_ERROR(r, 413, "payload_too_large", NULL);
	http_resp_free(r);
	free(big);
	r = rx_upload(&w->pa, "", 0, "image/png", NULL, 0, NULL);
	CHECK_ERROR(r, 400, "bad_request", NULL);
	http_resp_free(r);
	r = rx_upload(&w->pa, rx_png, rx_png_len, "image/png", "..%2Fetc%2Fpasswd", 0, NULL);
	CHECK_ERROR(r, 400, "bad_request", "X-Filename");
	http_resp_free(r);
	r = rx_upload(&w->pa, rx_png, rx_png_len, "image/png", "a%FFb.png", 0, NULL);
	CHECK_ERROR(r, 400, "bad_request", "X-Filename");
	http_resp_free(r);
	r = rx_upload(&w->pa, rx_png, rx_png_len, "image/png", "a%00b.png", 0, NULL);
	CHECK_ERROR(r, 400, "bad_request", "X-Filename");
	http_resp_free(r);
	r = rx_upload(&w->pa, rx_png, rx_png_len, "image/png", NULL, w->school_b, NULL);
	CHECK_ERROR(r, 400, "bad_request", "school_id");
	http_resp_free(r);

	next = rx_evidence(&w->pa, 0);
	CHECK_INT(next, last_id + 1, "no refused upload stored anything (the next id follows the last)");
}

/* An inspector files photos for a school; a PDF; the same key twice is one file. */
static void upload_other(const rx_world *w)
{
	http_resp *r, *again;
	long long id, next;
	char path[64];

	id = rx_evidence(&w->inspector, w->school_a);
	snprintf(path, sizeof path, "/api/v1/evidence/%lld", id);
	r = api(&w->pa, "GET", path, NULL, NULL);
	CHECK_STATUS(r, 200); /* the school sees what the inspector filed for it */
	http_resp_free(r);

	r = rx_upload(&w->pa, PDF, strlen(PDF), "application/pdf", "scan.pdf", 0, "rx-evidence-key-1");
	again = rx_upload(&w->pa, PDF, strlen(PDF), "application/pdf", "scan.pdf", 0, "rx-evidence-key-1");
	CHECK_STATUS(r, 201);
	CHECK_STATUS(again, 201);
	CHECK_INT(jint(again->json, "id"), jint(r->json, "id"), "a retried upload returns the first file");
	CHECK(r->body_len == again->body_len && !memcmp(r->body, again->body, r->body_len), "the same body");
	CHECK_STR(resp_header(again, "Idempotent-Replayed"), "true", "the retry is marked as replayed");
	next = rx_evidence(&w->pa, 0);
	/* the retry ran and was rolled back: it may have used an id, never kept a file */
	for (id = jint(r->json, "id") + 1; id < next; id++) {
		http_resp *gap;
		snprintf(path, sizeof path, "/api/v1/evidence/%lld", id);
		gap = api(&w->pa, "GET", path, NULL, NULL);
		CHECK_STATUS(gap, 404);
		http_resp_free(gap);
	}
	CHECK(next > jint(r->json, "id") && next <= jint(r->json, "id") + 2, "the retry stored nothing (next id %lld)",
	      next);
	http_resp_free(r);
	http_resp_free(again);

	/* the same key with another body */
	r = rx_upload(&w->pa, rx_png, rx_png_len, "image/png", NULL, 0, "rx-evidence-key-1");
	CHECK_ERROR(r, 422, "unprocessable", "Idempotency-Key");
	http_resp_free(r);
}

void test_evidence(void)
{
	const rx_world *w;
	long long id;

	harness_group("evidence");
	if (!(w = rx_setup()))
		return;
	id = upload_good(w);
	upload_refused(w, id);
	upload_other(w);
}
