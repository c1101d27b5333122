/* roster.c - enumerations, SET masks, name masking policy and query checks shared
 * by students.c, staff.c, pairings.c and the imports. */
#include "roster.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/queue.h>
#include <event2/keyvalq_struct.h>

#include "audit.h"
#include "mask.h"
#include "util.h"

const char *const roster_stages[] = {"学前", "小学", "初中", "高中", "中职", NULL};
const char *const roster_statuses[] = {"在校", "转出", "辍学", "劝返复学", "毕业", "县外就读", NULL};
const char *const roster_categories[] = {"建档立卡", "防返贫监测", "低保", "特困供养",
					 "残疾", "孤儿", "留守", "随迁", NULL};
const char *const roster_staff_roles[] = {"班主任", "任课教师", "干部", "党员", NULL};
const char *const roster_visit_kinds[] = {"入户", "电话", "到校", NULL};
const char *const roster_genders[] = {"男", "女", NULL};

int roster_index(const char *const *names, const char *s)
{
	int i;
	for (i = 0; s && names[i]; i++)
		if (!strcmp(names[i], s))
			return i;
	return -1;
}

unsigned roster_set_mask(const char *const *names, const char *text)
{
	unsigned mask = 0;
	char word[64];
	while (text && *text) {
		size_t n = strcspn(text, ",");
		int i;
		if (n < sizeof(word)) {
			memcpy(word, text, n);
			word[n] = '\0';
			if ((i = roster_index(names, word)) >= 0)
				mask |= 1u << i;
		}
		text += n + (text[n] == ',');
	}
	return mask;
}

void roster_set_text(const char *const *names, unsigned mask, char *out, size_t n)
{
	size_t used = 0;
	int i;
	out[0] = '\0';
	for (i = 0; names[i]; i++)
		if (mask & (1u << i))
			used += (size_t)snprintf(out + used, used < n ? n - used : 0, "%s%s", used ? "," : "", names[i]);
}

json_t *roster_set_array(const char *text)
{
	json_t *arr = json_array();
	while (text && *text) {
		size_t n = strcspn(text, ",");
		json_array_append_new(arr, json_stringn(text, n));
		text += n + (text[n] == ',');
	}
	return arr;
}

void roster_set_to_array(json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);
	json_object_set_new(obj, key, roster_set_array(json_is_string(v) ? json_string_value(v) : ""));
}

int roster_names_visible(int role)
{
	return role == ROLE_PRINCIPAL || role == ROLE_AID_OFFICER;
}

void roster_mask(json_t *obj, const char *key, int visible)
{
	json_t *v = json_object_get(obj, key);
	char out[256];
	if (visible || !json_is_string(v))
		return;
	mask_name(json_string_value(v), out, sizeof(out));
	json_object_set_new(obj, key, json_string(out));
}

int roster_body_set(http_req *req, http_res *res, const char *field, const char *const *names,
		    unsigned *mask, int *given)
{
	json_t *v = json_object_get(req->json, field), *s;
	size_t i;
	*mask = 0;
	*given = 0;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_array(v))
		return res_error(res, HTTP_bad_request, field, "字段 %s 应为数组", field), -1;
	json_array_foreach(v, i, s) {
		int k = json_is_string(s) ? roster_index(names, json_string_value(s)) : -1;
		if (k < 0)
			return res_error(res, HTTP_bad_request, field, "字段 %s 含有未知取值：%s", field,
					 json_is_string(s) ? json_string_value(s) : "（非字符串）"), -1;
		*mask |= 1u << k;
	}
	*given = 1;
	return 0;
}

int roster_query_id(http_req *req, http_res *res, const char *name, long long *out)
{
	const char *v = req_query(req, name);
	char *end;
	*out = 0;
	if (!v)
		return 0;
	*out = strtoll(v, &end, 10);
	if (*end || *out <= 0)
		return res_error(res, HTTP_bad_request, name, "参数 %s 应为正整数", name), -1;
	return 0;
}

int roster_query_date(http_req *req, http_res *res, const char *name, const char **out)
{
	*out = req_query(req, name);
	if (*out && !date_valid(*out))
		return res_error(res, HTTP_bad_request, name, "参数 %s 不是有效日期（YYYY-MM-DD）：%s", name, *out), -1;
	return 0;
}

int roster_query_enum(http_req *req, http_res *res, const char *name, const char *const *names,
		      const char **out)
{
	*out = req_query(req, name);
	if (*out && roster_index(names, *out) < 0)
		return res_error(res, HTTP_bad_request, name, "参数 %s 的取值无效：%s", name, *out), -1;
	return 0;
}

/* The query string as one object, for the audit entry. */
static json_t *query_object(const http_req *req)
{
	json_t *q = json_object();
	struct evkeyval *kv;
	if (!req->query)
		return q;
	TAILQ_FOREACH(kv, req->query, next)
		json_object_set_new(q, kv->key, json_string(utf8_valid((const unsigned char *)kv->value,
								      strlen(kv->value)) ? kv->value : "?"));
	return q;
}

db_status roster_audit_read(http_req *req, const char *entity, size_t count)
{
	json_t *after;
	db_status st;
	if (count == 0)
		return DB_OK;
	after = json_pack("{s:s,s:o,s:I,s:b}", "path", req->path, "query", query_object(req), "count",
			  (json_int_t)count, "masked", !roster_names_visible(req->user.role));
	st = audit_write(req, "read", entity, 0, NULL, after);
	json_decref(after);
	return st;
}

void roster_day_before(const char *date, char out[11])
{
	date_from_days(date_to_days(date) - 1, out);
}
