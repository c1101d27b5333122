/* templates.c - /api/v1/templates: checklist templates, read by everyone signed
 * in, created and edited by the admin. An edit is a new version; the visits
 * made with the old one keep it. */
#include "templates.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "audit.h"
#include "handlers.h"
#include "jfield.h"
#include "util.h"
#include "visits.h"

#define CODE_MAX 16

/* A code is 1..16 of [A-Za-z0-9_-]. */
static int code_valid(const char *s)
{
	size_t n = strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-");
	return n > 0 && n <= CODE_MAX && s[n] == '\0';
}

/* Reads one item; a missing code becomes "I<position>" (codes[] holds the buffers). */
static int template_item_parse(http_req *req, http_res *res, json_t *obj, size_t i, template_item *it,
			       char code[CODE_MAX + 1])
{
	char path[32];
	snprintf(path, sizeof(path), "items[%zu]", i);
	if (jfield_string(req, res, obj, path, "code", 0, CODE_MAX, &it->code) ||
	    jfield_string(req, res, obj, path, "category", 1, 50, &it->category) ||
	    jfield_string(req, res, obj, path, "title", 1, 100, &it->title) ||
	    jfield_string(req, res, obj, path, "hint", 0, 500, &it->hint))
		return -1;
	if (it->code && !code_valid(it->code))
		return jfield_error(res, path, "code", "编号应为 1 到 %d 个字母、数字、下划线或连字符", CODE_MAX);
	if (!it->code) {
		snprintf(code, CODE_MAX + 1, "I%u", (unsigned)(i + 1));
		it->code = code;
	}
	if (!it->hint)
		it->hint = "";
	return 0;
}

/* Reads the items array (1..TEMPLATE_MAX_ITEMS, unique codes) into items/codes.
 * Codes are unique regardless of case, as the database's collation has them. */
static int template_items_parse(http_req *req, http_res *res, json_t *arr, template_item *items,
				char (*codes)[CODE_MAX + 1], size_t *n)
{
	size_t i, k;
	json_t *obj;
	if (!json_is_array(arr) || json_array_size(arr) == 0 || json_array_size(arr) > TEMPLATE_MAX_ITEMS)
		return res_error(res, HTTP_bad_request, "items", "检查项目应为 1 到 %d 项的数组", TEMPLATE_MAX_ITEMS), -1;
	json_array_foreach(arr, i, obj) {
		char path[32];
		snprintf(path, sizeof(path), "items[%zu]", i);
		if (!json_is_object(obj))
			return jfield_error(res, path, NULL, "每个检查项目应为对象");
		if (template_item_parse(req, res, obj, i, &items[i], codes[i]))
			return -1;
		for (k = 0; k < i; k++)
			if (!strcasecmp(items[k].code, items[i].code))
				return jfield_error(res, path, "code", "编号 %s 与第 %zu 项的 %s 重复（不区分大小写）",
						    items[i].code, k + 1, items[k].code);
	}
	*n = json_array_size(arr);
	return 0;
}

int templates_list(http_req *req, http_res *res)
{
	const char *all = req_query(req, "all");
	json_t *items;
	db_status st = templates_db_list(req->db, all && !strcmp(all, "1"), &items);
	if (st != DB_OK)
		return res_db_error(res, st);
	return res_json(res, HTTP_ok, json_pack("{s:o}", "items", items));
}

int templates_get(http_req *req, http_res *res)
{
	json_t *t;
	db_status st = templates_db_get(req->db, req_param_id(req, 0), &t);
	return st == DB_OK ? res_json(res, HTTP_ok, t) : res_db_error(res, st);
}

/* Writes version `version` of lineage (0: new) from the parsed fields; 201 with it. */
static int template_write(http_req *req, http_res *res, long long old_id, long long old_version, long long lineage,
			  const char *name, const char *description, const template_item *items, size_t n)
{
	long long id = 0;
	json_t *before = NULL, *after = NULL;
	db_status st = db_begin(req->db);
	if (st == DB_OK && old_id)
		if ((st = templates_db_get(req->db, old_id, &before)) == DB_OK)
			st = templates_db_supersede(req->db, old_id, old_version);
	if (st == DB_OK)
		st = templates_db_insert(req->db, lineage, old_version + 1, name, description, req->user.id, items, n,
					 &id);
	if (st == DB_OK && (st = templates_db_get(req->db, id, &after)) == DB_OK &&
	    (st = audit_write(req, old_id ? "new_version" : "create", "template", id, before, after)) == DB_OK &&
	    (st = db_commit(req->db)) == DB_OK)
		visits_db_schools_forget(); /* the default template may have changed */
	json_decref(before);
	if (st == DB_OK)
		return res_json(res, HTTP_created, after);
	db_rollback(req->db);
	json_decref(after);
	if (st == DB_CONFLICT)
		return res_error(res, HTTP_conflict, "version", "该检查表已有更新的版本，请刷新后再修改");
	return res_db_error(res, st);
}

int templates_create(http_req *req, http_res *res)
{
	template_item items[TEMPLATE_MAX_ITEMS];
	char codes[TEMPLATE_MAX_ITEMS][CODE_MAX + 1];
	const char *name, *description;
	size_t n = 0;
	if (body_string(req, res, "name", 1, 100, &name) ||
	    body_string(req, res, "description", 0, 500, &description) ||
	    template_items_parse(req, res, json_object_get(req->json, "items"), items, codes, &n))
		return res->status;
	return template_write(req, res, 0, 0, 0, name, description ? description : "", items, n);
}

int templates_update(http_req *req, http_res *res)
{
	template_item items[TEMPLATE_MAX_ITEMS];
	char codes[TEMPLATE_MAX_ITEMS][CODE_MAX + 1];
	const char *name, *description;
	long long version, id = req_param_id(req, 0);
	json_t *old = NULL, *arr;
	size_t n = 0;
	db_status st;

	if (body_int(req, res, "version", 1, 1, 1LL << 31, &version) ||
	    body_string(req, res, "name", BODY_NOT_BLANK, 100, &name) ||
	    body_string(req, res, "description", 0, 500, &description))
		return res->status;
	if ((st = templates_db_get(req->db, id, &old)) != DB_OK)
		return res_db_error(res, st);
	/* Without items the new version keeps the old ones. */
	arr = json_object_get(req->json, "items");
	if (template_items_parse(req, res, arr ? arr : json_object_get(old, "items"), items, codes, &n) == 0)
		template_write(req, res, id, version, json_integer_value(json_object_get(old, "lineage_id")),
			       name ? name : json_string_value(json_object_get(old, "name")),
			       description ? description : json_string_value(json_object_get(old, "description")),
			       items, n);
	json_decref(old);
	return res->status;
}
