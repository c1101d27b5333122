/* rect_sql.h - the SQL pieces of an item row that rectifications_db.c (one item)
 * and rect_list_db.c (lists) share. Private to those two files. */
#ifndef DUDAO_RECT_SQL_H
#define DUDAO_RECT_SQL_H

/* Evidence ids come as a comma list in the row they belong to (IDS_COLUMN), which
 * spares a statement per list; ids_column makes it a JSON array. */
#define IDS_COLUMN(table, id_col, owner) \
	" (SELECT GROUP_CONCAT(ev.evidence_id ORDER BY ev.evidence_id) FROM " table " ev WHERE ev." id_col " = " owner ")"
#define ITEM_COLUMNS \
	"i.id, i.visit_id, i.finding_id, i.school_id, s.name AS school_name, t.id AS town_id," \
	" t.name AS town_name, f.item_id, c.code AS item_code, c.title AS item_title," \
	" c.category AS item_category, i.severity, f.description, i.found_on, v.kind AS visit_kind," \
	" i.deadline, i.original_deadline, i.state, i.last_action, i.submitted_on, i.closed_on," \
	" i.return_count, i.recurrence_count, x.id IS NOT NULL AS extension_pending, i.version," \
	" i.created_at, i.updated_at"
/* The joins of an item row. At most one extension is pending per item, so x adds no rows. */
#define ITEM_JOINS \
	" JOIN orgs s ON s.id = i.school_id LEFT JOIN orgs t ON t.id = s.parent_id AND t.kind = 'town'" \
	" JOIN findings f ON f.id = i.finding_id JOIN checklist_items c ON c.id = f.item_id" \
	" JOIN visits v ON v.id = i.visit_id" \
	" LEFT JOIN rectification_extensions x ON x.item_id = i.id AND x.state = 'pending'"

#endif
