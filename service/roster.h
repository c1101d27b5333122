/* roster.h - what the student, staff, pairing and import modules share: the
 * enumerations of the roster tables (in their SQL order), SET columns as bit
 * masks and JSON arrays, who sees names unmasked, query-string checks and the
 * audit entry for bulk reads of personal data. */
#ifndef DUDAO_ROSTER_H
#define DUDAO_ROSTER_H

#include <stddef.h>
#include <jansson.h>

#include "http.h"

/* NULL-terminated, in the order of the ENUM/SET definitions in schema/004_roster.sql. */
extern const char *const roster_stages[];     /* 学前 小学 初中 高中 中职 */
extern const char *const roster_statuses[];   /* 在校 转出 辍学 劝返复学 毕业 县外就读 */
extern const char *const roster_categories[]; /* 建档立卡 防返贫监测 低保 特困供养 残疾 孤儿 留守 随迁 */
extern const char *const roster_staff_roles[];/* 班主任 任课教师 干部 党员 */
extern const char *const roster_visit_kinds[];/* 入户 电话 到校 */
extern const char *const roster_genders[];    /* 男 女 */

/* Bit i stands for names[i], as MariaDB numbers SET members. */
unsigned roster_set_mask(const char *const *names, const char *text);
/* The SET text of mask ("建档立卡,低保") into out; "" for 0. */
void roster_set_text(const char *const *names, unsigned mask, char *out, size_t n);
/* The SET text as a JSON array of strings. New reference. */
json_t *roster_set_array(const char *text);
/* Replaces obj[key] (a SET string) with its array, in place. */
void roster_set_to_array(json_t *obj, const char *key);
/* Index of s in names, or -1. */
int roster_index(const char *const *names, const char *s);

/* Principals and aid officers work with named students; the other roles
 * (bureau_head, inspector, admin) see names masked (张*明). */
int roster_names_visible(int role);
/* Masks obj[key] in place when it is a string and names are not visible. */
void roster_mask(json_t *obj, const char *key, int visible);

/* Reads body field as an array of names from the list into a mask; absent or
 * null leaves *given 0. Returns 0, or -1 after a 400 naming the field. */
int roster_body_set(http_req *req, http_res *res, const char *field, const char *const *names,
		    unsigned *mask, int *given);
/* Optional query parameters: a positive id (0 when absent), a real date, one of
 * the names. Each returns 0, or -1 after a 400 naming the parameter. */
int roster_query_id(http_req *req, http_res *res, const char *name, long long *out);
int roster_query_date(http_req *req, http_res *res, const char *name, const char **out);
int roster_query_enum(http_req *req, http_res *res, const char *name, const char *const *names,
		      const char **out);

/* Logs a read that returned personal data of count records to the audit log
 * (action "read", the query string and whether names were masked). */
db_status roster_audit_read(http_req *req, const char *entity, size_t count);

/* The calendar day before date ("YYYY-MM-DD") into out[11]. */
void roster_day_before(const char *date, char out[11]);

#endif
