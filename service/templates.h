/* templates.h - checklist templates, versioned: editing a template creates a
 * new version (same lineage, version + 1) and the old one stays for the visits
 * made with it. Data access shared by the template handlers and visits. */
#ifndef DUDAO_TEMPLATES_H
#define DUDAO_TEMPLATES_H

#include <stddef.h>
#include <jansson.h>

#include "db.h"

#define TEMPLATE_MAX_ITEMS 200

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
/* The current version of the first lineage (the default template). */
db_status templates_db_default(db *d, long long *id);
/* The item ids of a template version, in position order, into a new array
 * (*ids, caller frees) of *n. */
db_status templates_db_item_ids(db *d, long long template_id, long long **ids, size_t *n);
/* Inserts a version: lineage_id 0 starts a new lineage (version 1). *id receives its id. */
db_status templates_db_insert(db *d, long long lineage_id, long long version, const char *name,
			      const char *description, long long user_id, const template_item *items, size_t n,
			      long long *id);
/* Marks version `version` of template id as superseded. DB_CONFLICT when it is
 * not the current version any more (or version is stale), DB_NOT_FOUND when missing. */
db_status templates_db_supersede(db *d, long long id, long long version);

#endif
