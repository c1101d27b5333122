/* templates.h - checklist templates, versioned: editing a template creates a
 * new version (same lineage, version + 1) and the old one stays for the visits
 * made with it. Data access shared by the template handlers and visits. */
#ifndef DUDAO_TEMPLATES_H
#define DUDAO_TEMPLATES_H

#include <stddef.h>
#include <jansson.h>

#include "db.h"

#define TEMPLATE_MAX_ITEMS 200
#define TEMPLATE_KEPT_MAX 64

typedef struct {
	const char *code;      /* short, unique in the template, kept across versions */
	const char *category;
	const char *title;
	const char *hint;      /* may be "" */
} template_item;

/* Templates as JSON (without items), current versions only unless all. New reference. */
db_status templates_db_list(db *d, int all, json_t **out);
/* One template version with its items; DB_NOT_FOUND when missing. New reference. */
db_status templates_db_get(db *d, long long id, json_t **out);
/* The current version of the first lineage (the default template), as a subquery. */
#define TEMPLATE_DEFAULT_ID_SQL "SELECT id FROM checklist_templates WHERE is_current = 1 ORDER BY lineage_id LIMIT 1"
/* The current version of the first lineage (the default template). */
db_status templates_db_default(db *d, long long *id);
/* One item of a template version as a visit names it. */
typedef struct {
	long long id;
	const char *code, *category, *title;
} checklist_entry;

/* A template version with its items in position order; the strings borrow from rows. */
typedef struct {
	long long id, version;   /* 0 when the template was not found */
	const char *name;
	checklist_entry *items;
	size_t nitems;           /* 0: no such template (every template has items) */
	db_rows *rows;
	int kept;                /* items and rows are the process's, shared: never freed */
} template_checklist;

/* Template version id (0: the default template) with its items, in one
 * statement. A version never changes once written, so a version named by its id
 * is read once and then kept for the process's life (up to TEMPLATE_KEPT_MAX
 * versions; a new visit names the default by the id read with its school); id 0
 * reads the default each time. A missing template is DB_OK with
 * nitems 0. Free out with template_checklist_free, also after an error. */
db_status templates_db_checklist(db *d, long long id, template_checklist *out);
void template_checklist_free(template_checklist *t);
/* The place of item_id in t, or -1 when t has no such item. */
long template_checklist_find(const template_checklist *t, long long item_id);
/* Inserts a version: lineage_id 0 starts a new lineage (version 1). *id receives its id. */
db_status templates_db_insert(db *d, long long lineage_id, long long version, const char *name,
			      const char *description, long long user_id, const template_item *items, size_t n,
			      long long *id);
/* Marks version `version` of template id as superseded. DB_CONFLICT when it is
 * not the current version any more (or version is stale), DB_NOT_FOUND when missing. */
db_status templates_db_supersede(db *d, long long id, long long version);

#endif
