/* jfield.h - validated fields of JSON objects nested in a request body
 * (items[3].title, findings[0].deadline), with the rules and messages of the
 * body_* helpers of http.h; errors name the full path as the field. */
#ifndef DUDAO_JFIELD_H
#define DUDAO_JFIELD_H

#include <jansson.h>
#include "http.h"

/* Each validates obj[key] like body_string/body_int/body_enum/body_date do for
 * a top-level field. Returns 0 when valid, or fills res with a 400 whose field
 * is "<path>.<key>" and returns -1. *out borrows from obj. */
int jfield_string(http_req *req, http_res *res, json_t *obj, const char *path, const char *key, int required,
		  size_t max_chars, const char **out);
int jfield_int(http_req *req, http_res *res, json_t *obj, const char *path, const char *key, int required,
	       long long min, long long max, long long *out);
int jfield_enum(http_req *req, http_res *res, json_t *obj, const char *path, const char *key, int required,
		const char *const *choices, int *out);
int jfield_date(http_req *req, http_res *res, json_t *obj, const char *path, const char *key, int required,
		const char **out);

/* Fills res with a 400 for field "<path>.<key>" (key may be NULL: the field is
 * path) and a message; returns -1. */
int jfield_error(http_res *res, const char *path, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* Reads body field `field` as an array of at most max objects. *out is NULL when
 * absent. Returns 0, or fills res with a 400 and returns -1. */
int jfield_objects(http_req *req, http_res *res, const char *field, size_t max, json_t **out);

/* Reads an optional array of ids v (at most max, positive, distinct) into out;
 * *n is 0 when v is absent or null. Returns 0, or fills res with a 400 naming
 * field and returns -1. */
int jfield_ids(json_t *v, http_res *res, const char *field, long long *out, size_t max, size_t *n);

/* Validated query parameters: each returns 0 (out untouched when absent), or
 * fills res with a 400 naming the parameter and returns -1.
 * qfield_id: a positive integer; qfield_date: a valid YYYY-MM-DD;
 * qfield_enum: one of choices (*out is its index); qfield_dates: the range
 * from..to of two valid dates, each optional, to not before from (else 400 "to"). */
int qfield_id(http_req *req, http_res *res, const char *name, long long *out);
int qfield_date(http_req *req, http_res *res, const char *name, const char **out);
int qfield_dates(http_req *req, http_res *res, const char **from, const char **to);
int qfield_enum(http_req *req, http_res *res, const char *name, const char *const *choices, int *out);

#endif
