/* jfield.c - nested body fields, validated by the body_* helpers themselves:
 * the object is lent to the request for one call, then the error is renamed
 * to its full path. One set of rules for top-level and nested fields. Also
 * id lists and the query parameters of the list filters. */
#include "jfield.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

int jfield_error(http_res *res, const char *path, const char *key, const char *fmt, ...)
{
	char msg[sizeof(res->error_message)];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	res->status = HTTP_bad_request;
	snprintf(res->error_field, sizeof(res->error_field), "%s%s%s", path, key ? "." : "", key ? key : "");
	/* Long messages are cut: the field name and the start say enough. */
	if (snprintf(res->error_message, sizeof(res->error_message), "%s：%s", res->error_field, msg) < 0)
		res->error_message[0] = '\0';
	return -1;
}

/* After a body_* failure on key: the field becomes path.key, the message says where. */
static int jfield_rename(http_res *res, const char *path, const char *key)
{
	char msg[sizeof(res->error_message)];
	memcpy(msg, res->error_message, sizeof(msg));
	return jfield_error(res, path, key, "%s", msg);
}

/* Runs a body_* check with obj lent as the body. */
#define JFIELD_CALL(call)                              \
	do {                                           \
		json_t *saved = req->json;             \
		int rc;                                \
		req->json = obj;                       \
		rc = (call);                           \
		req->json = saved;                     \
		return rc ? jfield_rename(res, path, key) : 0; \
	} while (0)

int jfield_string(http_req *req, http_res *res, json_t *obj, const char *path, const char *key, int required,
		  size_t max_chars, const char **out)
{
	JFIELD_CALL(body_string(req, res, key, required, max_chars, out));
}

int jfield_int(http_req *req, http_res *res, json_t *obj, const char *path, const char *key, int required,
	       long long min, long long max, long long *out)
{
	JFIELD_CALL(body_int(req, res, key, required, min, max, out));
}

int jfield_enum(http_req *req, http_res *res, json_t *obj, const char *path, const char *key, int required,
		const char *const *choices, int *out)
{
	JFIELD_CALL(body_enum(req, res, key, required, choices, out));
}

int jfield_date(http_req *req, http_res *res, json_t *obj, const char *path, const char *key, int required,
		const char **out)
{
	JFIELD_CALL(body_date(req, res, key, required, out));
}

int jfield_objects(http_req *req, http_res *res, const char *field, size_t max, json_t **out)
{
	json_t *v = req->json ? json_object_get(req->json, field) : NULL, *x;
	size_t i;
	*out = NULL;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_array(v) || json_array_size(v) > max)
		return res_error(res, HTTP_bad_request, field, "字段 %s 应为数组（最多 %zu 项）", field, max), -1;
	json_array_foreach(v, i, x)
		if (!json_is_object(x))
			return res_error(res, HTTP_bad_request, field, "字段 %s 的每一项应为对象", field), -1;
	*out = v;
	return 0;
}

int jfield_ids(json_t *v, http_res *res, const char *field, long long *out, size_t max, size_t *n)
{
	size_t i, k;
	json_t *x;
	*n = 0;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_array(v) || json_array_size(v) > max)
		return res_error(res, HTTP_bad_request, field, "字段 %s 应为编号数组（最多 %zu 个）", field, max), -1;
	json_array_foreach(v, i, x) {
		if (!json_is_integer(x) || json_integer_value(x) < 1)
			return res_error(res, HTTP_bad_request, field, "字段 %s 应只含正整数编号", field), -1;
		for (k = 0; k < i; k++)
			if (out[k] == json_integer_value(x))
				return res_error(res, HTTP_bad_request, field, "字段 %s 含有重复的编号", field), -1;
		out[i] = json_integer_value(x);
	}
	*n = json_array_size(v);
	return 0;
}

int qfield_id(http_req *req, http_res *res, const char *name, long long *out)
{
	const char *v = req_query(req, name);
	char *end;
	long long x;
	if (!v)
		return 0;
	x = strtoll(v, &end, 10);
	if (*end || x < 1)
		return res_error(res, HTTP_bad_request, name, "参数 %s 应为正整数编号", name), -1;
	*out = x;
	return 0;
}

int qfield_date(http_req *req, http_res *res, const char *name, const char **out)
{
	const char *v = req_query(req, name);
	if (!v)
		return 0;
	if (!date_valid(v))
		return res_error(res, HTTP_bad_request, name, "参数 %s 不是有效日期（YYYY-MM-DD）", name), -1;
	*out = v;
	return 0;
}

int qfield_dates(http_req *req, http_res *res, const char **from, const char **to)
{
	if (qfield_date(req, res, "from", from) || qfield_date(req, res, "to", to))
		return -1;
	if (*from && *to && strcmp(*from, *to) > 0)
		return res_error(res, HTTP_bad_request, "to", "结束日期不能早于开始日期"), -1;
	return 0;
}

int qfield_enum(http_req *req, http_res *res, const char *name, const char *const *choices, int *out)
{
	const char *v = req_query(req, name);
	int i;
	if (!v)
		return 0;
	for (i = 0; choices[i]; i++)
		if (!strcmp(v, choices[i])) {
			*out = i;
			return 0;
		}
	return res_error(res, HTTP_bad_request, name, "参数 %s 的取值无效：%s", name, v), -1;
}
