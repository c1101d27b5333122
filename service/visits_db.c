/* visits_db.c - SQL for visits, their inspectors, answers and findings. A
 * draft's lists are replaced whole on update; a filed visit is never changed. */
#include "visits.h"

#include <stdlib.h>
#include <string.h>

#include "batch.h"
#include "rectifications.h"
#include "util.h"

const char *const visit_kinds[] = {"经常性督导", "专项督导", "回头看", NULL};
const char *const visit_results[] = {"符合", "不符合", "不适用", NULL};
const char *const visit_severities[] = {"一般", "较重", "严重", NULL};

/* created_at and updated_at are given, so that the answer knows them without a read;
 * NULL is the server's now (UTC_TIMESTAMP() is one value within a statement). A
 * draft has state 'draft', no filer and version 1; a visit created and filed in
 * one request 'filed', its filer and date, and version 2, as if created, then filed. */
#define VISIT_INSERT(rows) \
	"INSERT INTO visits (school_id, template_id, visit_date, kind, summary, created_by, created_at, updated_at," \
	" state, filed_by, filed_on, version) VALUES " rows
#define VISIT_PARAMS 12
static const char *const SQL_VISIT_INSERT[BATCH_SIZES] = BATCH_SQL(
	VISIT_INSERT, "(?, ?, ?, ?, ?, ?, COALESCE(?, UTC_TIMESTAMP()), COALESCE(?, UTC_TIMESTAMP()), ?, ?, ?, ?)");
static const char SQL_VISIT_UPDATE[] =
	"UPDATE visits SET visit_date = COALESCE(?, visit_date), kind = COALESCE(?, kind),"
	" summary = COALESCE(?, summary), version = version + 1, updated_at = UTC_TIMESTAMP()"
	" WHERE id = ? AND version = ? AND state = 'draft'";
static const char SQL_VISIT_FILE[] =
	"UPDATE visits SET state = 'filed', filed_by = ?, filed_on = ?, version = version + 1,"
	" updated_at = UTC_TIMESTAMP() WHERE id = ? AND version = ? AND state = 'draft'";
static const char SQL_VISIT_LOAD[] =
	"SELECT v.id, v.school_id, v.template_id, v.version, v.state = 'filed', v.kind, v.visit_date, s.path"
	" FROM visits v JOIN orgs s ON s.id = v.school_id"
	" WHERE v.id = ? AND s.path LIKE CONCAT(?, '%') AND (? = 1 OR v.state = 'filed')";
static const char SQL_INSPECTORS_DELETE[] = "DELETE FROM visit_inspectors WHERE visit_id = ?";
/* VISIT_MAX_INSPECTORS ids; fewer are padded with the first again (IN names it once). */
#define INSPECTOR_IDS "?,?,?,?,?,?,?,?,?,?"
_Static_assert(sizeof(INSPECTOR_IDS) == 2 * VISIT_MAX_INSPECTORS, "one placeholder per inspector");
/* A list of links in one statement: the rows read are the ones the foreign key
 * check locks anyway, and every id was checked before (batch_links counts them). */
static const char SQL_INSPECTORS_INSERT[] =
	"INSERT INTO visit_inspectors (visit_id, user_id) SELECT ?, u.id FROM users u WHERE u.id IN (" INSPECTOR_IDS ")";
/* The links of new visits, checked before (visits_db_inspectors_ok, evidence_db_of_school). */
#define INSPECTOR_LINK(rows) "INSERT INTO visit_inspectors (visit_id, user_id) VALUES " rows
static const char *const SQL_INSPECTOR_LINKS[BATCH_SIZES] = BATCH_SQL(INSPECTOR_LINK, "(?,?)");
#define EVIDENCE_LINK(rows) "INSERT INTO finding_evidence (finding_id, evidence_id) VALUES " rows
static const char *const SQL_EVIDENCE_LINKS[BATCH_SIZES] = BATCH_SQL(EVIDENCE_LINK, "(?,?)");
static const char SQL_ANSWERS_DELETE[] = "DELETE FROM visit_answers WHERE visit_id = ?";
/* A checklist's answers in one multi-row statement (16 rows for the default template). */
#define ANSWER_INSERT(rows) "INSERT INTO visit_answers (visit_id, item_id, result, note) VALUES " rows
static const char *const SQL_ANSWER_INSERT[BATCH_SIZES] = BATCH_SQL(ANSWER_INSERT, "(?,?,?,?)");
static const char SQL_FINDINGS_DELETE[] = "DELETE FROM findings WHERE visit_id = ?";
#define FINDING_INSERT(rows) \
	"INSERT INTO findings (visit_id, position, item_id, severity, description, deadline) VALUES " rows
#define FINDING_PARAMS 6
static const char *const SQL_FINDING_INSERT[BATCH_SIZES] = BATCH_SQL(FINDING_INSERT, "(?, ?, ?, ?, ?, ?)");
static const char SQL_FINDING_EVIDENCE_INSERT[] =
	"INSERT INTO finding_evidence (finding_id, evidence_id) SELECT ?, e.id FROM evidence e WHERE e.id IN ("
	EVIDENCE_ID_LIST ")";
static const char SQL_FINDINGS_OF[] =
	"SELECT id, severity, deadline FROM findings WHERE visit_id = ? ORDER BY position";
static const char SQL_CONTRADICTION[] =
	"SELECT f.position, a.result FROM findings f JOIN visit_answers a ON a.visit_id = f.visit_id AND a.item_id = f.item_id"
	" WHERE f.visit_id = ? AND a.result <> '不符合' ORDER BY f.position LIMIT 1";
static const char SQL_FINDINGS_BEFORE[] =
	"SELECT COUNT(*) FROM findings WHERE visit_id = ? AND deadline < ?";
static const char SQL_INSPECTORS_OK[] =
	"SELECT u.id, u.display_name FROM users u JOIN orgs o ON o.id = u.org_id WHERE u.id IN (" INSPECTOR_IDS ")"
	" AND u.active = 1 AND u.role IN ('inspector', 'bureau_head') AND ? LIKE CONCAT(o.path, '%')";
static const char SQL_VISIT_GET[] =
	"SELECT v.id, v.school_id, s.name AS school_name, s.code AS school_code, t.id AS town_id,"
	" t.name AS town_name, v.template_id, ct.name AS template_name, ct.version AS template_version,"
	" v.visit_date, v.kind, v.state, v.summary, v.created_by, cu.display_name AS created_by_name,"
	" v.filed_by, v.filed_on, v.version, v.created_at, v.updated_at"
	" FROM visits v JOIN orgs s ON s.id = v.school_id LEFT JOIN orgs t ON t.id = s.parent_id AND t.kind = 'town'"
	" JOIN checklist_templates ct ON ct.id = v.template_id JOIN users cu ON cu.id = v.created_by"
	" WHERE v.id = ? AND s.path LIKE CONCAT(?, '%') AND (? = 1 OR v.state = 'filed')";
static const char SQL_VISIT_INSPECTORS[] =
	"SELECT u.id, u.display_name FROM visit_inspectors vi JOIN users u ON u.id = vi.user_id"
	" WHERE vi.visit_id = ? ORDER BY u.id";
static const char SQL_VISIT_ANSWERS[] =
	"SELECT a.item_id, c.code, c.category, c.title, a.result, a.note FROM visit_answers a"
	" JOIN checklist_items c ON c.id = a.item_id WHERE a.visit_id = ? ORDER BY c.position";
static const char SQL_VISIT_FINDINGS[] =
	"SELECT f.id, f.position, f.item_id, c.code AS item_code, c.title AS item_title, f.severity, f.description,"
	" f.deadline, r.id AS rectification_id, r.deadline AS rectification_deadline,"
	" r.state AS rectification_state FROM findings f JOIN checklist_items c ON c.id = f.item_id"
	" LEFT JOIN rectification_items r ON r.finding_id = f.id WHERE f.visit_id = ? ORDER BY f.position";
/* For the 督导意见书: the deadline each finding's item had when a 回头看 first
 * reopened it (the one this visit issued, or an approved extension of it), and
 * the items this visit reopened (a 回头看 that found a problem come back). */
static const char SQL_REPORT_ISSUED[] =
	"SELECT r.finding_id, e.deadline_before FROM rectification_items r JOIN rectification_events e ON e.item_id = r.id"
	" WHERE r.visit_id = ? AND e.id = (SELECT MIN(x.id) FROM rectification_events x"
	" WHERE x.item_id = r.id AND x.action = 'reopen')";
static const char SQL_REPORT_REOPENED[] =
	"SELECT c.title AS item_title, f.description, r.severity, e.deadline_after AS deadline, e.note,"
	" ov.visit_date AS found_on FROM rectification_events e JOIN rectification_items r ON r.id = e.item_id"
	" JOIN findings f ON f.id = r.finding_id JOIN checklist_items c ON c.id = f.item_id"
	" JOIN visits ov ON ov.id = r.visit_id WHERE e.visit_id = ? AND e.action = 'reopen' ORDER BY e.id";
static const char SQL_VISIT_FINDING_EVIDENCE[] =
	"SELECT fe.finding_id, fe.evidence_id FROM finding_evidence fe JOIN findings f ON f.id = fe.finding_id"
	" WHERE f.visit_id = ? ORDER BY fe.finding_id, fe.evidence_id";

/* The answer of visit `visit` on the point of finding `finding` (its checklist item's code
 * in the same template lineage: the 回头看 may use a newer version) when it found the
 * point in order (符合) or not applying (不适用): such a 回头看 did not find it again. */
#define POINT_CLEARED(finding, visit) \
	"SELECT a.result FROM visit_answers a JOIN checklist_items c ON c.id = a.item_id" \
	" JOIN checklist_templates ct ON ct.id = c.template_id JOIN findings ff ON ff.id = " finding \
	" JOIN checklist_items fc ON fc.id = ff.item_id JOIN checklist_templates ft ON ft.id = fc.template_id" \
	" WHERE a.visit_id = " visit " AND c.code = fc.code AND ct.lineage_id = ft.lineage_id" \
	" AND a.result IN ('符合', '不适用')"
static const char SQL_POINT_CLEARED[] = POINT_CLEARED("?", "?") " LIMIT 1";
/* The visits a closed item may be reopened on (rect_reopen): the filed 回头看 of its
 * school on or after its closing that did not clear its point. */
#define REOPEN_BASIS(item) \
	"EXISTS (SELECT 1 FROM rectification_items r WHERE r.id = " item \
	" AND r.state = 'closed' AND r.school_id = v.school_id AND v.kind = '回头看' AND v.state = 'filed'" \
	" AND v.visit_date >= r.closed_on AND NOT EXISTS (" POINT_CLEARED("r.finding_id", "v.id") "))"

#define VISIT_LIST_FROM \
	" FROM visits v JOIN orgs s ON s.id = v.school_id LEFT JOIN orgs t ON t.id = s.parent_id AND t.kind = 'town'" \
	" WHERE s.path LIKE CONCAT(?, '%') AND (? = 1 OR v.state = 'filed') AND (? IS NULL OR s.parent_id = ?)" \
	" AND (? IS NULL OR v.school_id = ?) AND (? IS NULL OR v.kind = ?) AND (? IS NULL OR v.state = ?)" \
	" AND (? IS NULL OR v.visit_date >= ?) AND (? IS NULL OR v.visit_date <= ?)" \
	" AND (? IS NULL OR " REOPEN_BASIS("?") ")"
#define VISIT_LIST_NPARAMS 16
static const char SQL_VISIT_LIST[] =
	"SELECT v.id, v.school_id, s.name AS school_name, t.id AS town_id, t.name AS town_name, v.visit_date,"
	" v.kind, v.state, v.template_id, v.version,"
	" (SELECT COUNT(*) FROM findings f WHERE f.visit_id = v.id) AS finding_count, v.created_at"
	VISIT_LIST_FROM " ORDER BY v.visit_date DESC, v.id DESC LIMIT ? OFFSET ?";
static const char SQL_VISIT_COUNT[] = "SELECT COUNT(*)" VISIT_LIST_FROM;
static const char SQL_COMPLIANCE[] =
	"SELECT s.id AS school_id, s.name AS school_name, t.id AS town_id, t.name AS town_name, COUNT(v.id) AS visits"
	" FROM orgs s LEFT JOIN orgs t ON t.id = s.parent_id AND t.kind = 'town'"
	" LEFT JOIN visits v ON v.school_id = s.id AND v.state = 'filed' AND v.visit_date BETWEEN ? AND ?"
	" WHERE s.kind = 'school' AND s.path LIKE CONCAT(?, '%') AND (? IS NULL OR s.parent_id = ?)"
	" GROUP BY s.id, s.name, t.id, t.name ORDER BY t.name, s.name";
static const char SQL_REQUIRED[] = "SELECT value FROM settings WHERE name = 'visits_per_semester'";

void visit_input_free(visit_input *in)
{
	free(in->answers);
	free(in->findings);
	in->answers = NULL;
	in->findings = NULL;
}

/* Runs a statement with the visit id as its only parameter. */
static db_status exec_visit(db *d, const char *sql, long long id)
{
	db_param p[] = {DP_INT(id)};
	return db_exec(d, sql, p, 1, NULL, NULL);
}

static db_status insert_inspectors(db *d, long long id, const visit_input *in, int replace)
{
	db_status st = replace ? exec_visit(d, SQL_INSPECTORS_DELETE, id) : DB_OK;
	if (st == DB_OK && in->ninspectors)
		st = batch_links(d, SQL_INSPECTORS_INSERT, id, in->inspector_ids, in->ninspectors,
				  VISIT_MAX_INSPECTORS);
	return st;
}

/* An answer or a finding of a visit, for the row functions. */
typedef struct {
	long long visit_id;
	size_t pos;              /* the finding's place in its visit */
	const visit_answer *a;
	const visit_finding *f;
} list_ref;

static void answer_row(void *ctx, size_t i, db_param *p)
{
	const list_ref *r = (const list_ref *)ctx + i;
	p[0] = DP_INT(r->visit_id);
	p[1] = DP_INT(r->a->item_id);
	p[2] = DP_STR(visit_results[r->a->result]);
	p[3] = DP_STR(r->a->note);
}

static void finding_row(void *ctx, size_t i, db_param *p)
{
	const list_ref *r = (const list_ref *)ctx + i;
	p[0] = DP_INT(r->visit_id);
	p[1] = DP_INT(r->pos + 1);
	p[2] = DP_INT(r->f->item_id);
	p[3] = DP_STR(visit_severities[r->f->severity]);
	p[4] = DP_STR(r->f->description);
	p[5] = DP_STR(r->f->deadline);
}

/* A link row (owner id, linked id). */
static void link_row(void *ctx, size_t i, db_param *p)
{
	const long long *pair = (const long long *)ctx + 2 * i;
	p[0] = DP_INT(pair[0]);
	p[1] = DP_INT(pair[1]);
}

static db_status insert_answers(db *d, long long id, const visit_input *in, int replace)
{
	list_ref *refs = xcalloc(in->nanswers + 1, sizeof(*refs));
	size_t i;
	db_status st = replace ? exec_visit(d, SQL_ANSWERS_DELETE, id) : DB_OK;
	for (i = 0; i < in->nanswers; i++)
		refs[i] = (list_ref){id, 0, &in->answers[i], NULL};
	if (st == DB_OK && in->nanswers)
		st = batch_exec(d, SQL_ANSWER_INSERT, NULL, 0, 4, NULL, 0, in->nanswers, answer_row, refs);
	free(refs);
	return st;
}

/* Inserts one finding and its evidence links; *fid receives its id. */
static db_status insert_finding(db *d, long long id, size_t pos, const visit_finding *f, unsigned long long *fid)
{
	list_ref r = {id, pos, NULL, f};
	db_param p[FINDING_PARAMS];
	db_status st;
	finding_row(&r, 0, p);
	st = db_exec(d, BATCH_ONE(SQL_FINDING_INSERT), p, FINDING_PARAMS, NULL, fid);
	if (st == DB_OK && f->nevidence)
		st = batch_links(d, SQL_FINDING_EVIDENCE_INSERT, (long long)*fid, f->evidence_ids, f->nevidence,
				  EVIDENCE_MAX_PER_ENTRY);
	return st;
}

/* Replaces the findings of draft id with those of in. */
static db_status replace_findings(db *d, long long id, const visit_input *in)
{
	unsigned long long fid = 0;
	size_t i;
	/* evidence links go by cascade */
	db_status st = exec_visit(d, SQL_FINDINGS_DELETE, id);
	for (i = 0; st == DB_OK && i < in->nfindings; i++)
		st = insert_finding(d, id, i, &in->findings[i], &fid);
	return st;
}

/* Replaces the lists of draft id that in carries. */
static db_status replace_lists(db *d, long long id, const visit_input *in)
{
	db_status st = DB_OK;
	if (in->has_inspectors)
		st = insert_inspectors(d, id, in, 1);
	if (st == DB_OK && in->has_answers)
		st = insert_answers(d, id, in, 1);
	if (st == DB_OK && in->has_findings)
		st = replace_findings(d, id, in);
	return st;
}

db_status visits_db_update(db *d, long long id, long long version, const visit_input *in)
{
	unsigned long long n = 0;
	db_param p[] = {DP_STR(in->visit_date), in->kind >= 0 ? DP_STR(visit_kinds[in->kind]) : DP_NULL,
			DP_STR(in->summary), DP_INT(id), DP_INT(version)};
	db_status st = db_exec(d, SQL_VISIT_UPDATE, p, DB_NPARAMS(p), &n, NULL);
	if (st == DB_OK && n == 0)
		return DB_CONFLICT;
	return st == DB_OK ? replace_lists(d, id, in) : st;
}

db_status visits_db_mark_filed(db *d, long long id, long long version, long long user_id, const char *date)
{
	unsigned long long n = 0;
	db_param p[] = {DP_INT(user_id), DP_STR(date), DP_INT(id), DP_INT(version)};
	db_status st = db_exec(d, SQL_VISIT_FILE, p, DB_NPARAMS(p), &n, NULL);
	return st == DB_OK && n == 0 ? DB_CONFLICT : st;
}

db_status visits_db_load(db *d, const char *scope_path, int drafts, long long id, visit_row *out)
{
	db_param p[] = {DP_INT(id), DP_STR(scope_path), DP_INT(drafts != 0)};
	db_rows *r;
	int k;
	db_status st = db_query_one(d, SQL_VISIT_LOAD, p, DB_NPARAMS(p), &r);
	if (st != DB_OK)
		return st;
	memset(out, 0, sizeof(*out));
	out->id = db_rows_int(r, 0, 0);
	out->school_id = db_rows_int(r, 0, 1);
	out->template_id = db_rows_int(r, 0, 2);
	out->version = db_rows_int(r, 0, 3);
	out->filed = db_rows_int(r, 0, 4) != 0;
	for (k = 0, out->kind = -1; visit_kinds[k]; k++)
		if (!strcmp(visit_kinds[k], db_rows_str(r, 0, 5)))
			out->kind = k;
	str_copy(out->visit_date, sizeof(out->visit_date), db_rows_str(r, 0, 6));
	str_copy(out->school_path, sizeof(out->school_path), db_rows_str(r, 0, 7));
	db_rows_free(r);
	return DB_OK;
}

/* What filing needs of a finding: its id, severity and deadline (NULL: default). */
typedef struct {
	long long id;
	int severity;
	const char *deadline;
} filed_finding;

/* The rectification item of finding f of visit v, its deadline f's or the
 * rules' default for its severity. */
static db_status new_item(const rectify_rules *rules, const visit_row *v, const filed_finding *f, rect_item *it)
{
	memset(it, 0, sizeof(*it));
	it->finding_id = f->id;
	it->visit_id = v->id;
	it->school_id = v->school_id;
	it->severity = (rect_severity)f->severity;
	str_copy(it->found_on, sizeof(it->found_on), v->visit_date);
	if (f->deadline)
		str_copy(it->deadline, sizeof(it->deadline), f->deadline);
	else if (rectify_default_deadline(rules, it->severity, v->visit_date, it->deadline) != 0)
		return DB_ERR;
	memcpy(it->original_deadline, it->deadline, sizeof(it->deadline));
	return DB_OK;
}

/* The journal's first event of item it (its id set), filed by user_id on on_date. */
static rect_event creation_event(const rect_item *it, long long user_id, const char *on_date)
{
	rect_event ev = {0};
	ev.item_id = it->id;
	ev.user_id = user_id;
	ev.visit_id = it->visit_id;
	ev.action = RA_CREATE;
	ev.from_state = -1;
	ev.to_state = RS_OPEN;
	ev.on_date = on_date;
	ev.deadline_after = it->deadline;
	return ev;
}

/* One rectification item and its creation event for finding f of visit v; *id
 * receives the item's id. */
static db_status file_item(db *d, const rectify_rules *rules, const visit_row *v, const filed_finding *f,
			   long long user_id, const char *on_date, long long *id)
{
	rect_item it;
	rect_event ev;
	db_status st = new_item(rules, v, f, &it);
	if (st == DB_OK)
		st = rect_db_insert(d, &it, &it.id);
	if (st != DB_OK)
		return st;
	*id = it.id;
	ev = creation_event(&it, user_id, on_date);
	return rect_db_event(d, &ev);
}

/* Reads the admin's rules when one of the n findings leaves its deadline to them. */
static db_status rules_if_needed(db *d, const filed_finding *f, size_t n, rectify_rules *rules)
{
	size_t i;
	for (i = 0; i < n && f[i].deadline; i++)
		;
	return i < n ? rect_db_rules(d, rules) : DB_OK;
}

/* One item per finding; the admin's rules are read only when a deadline is left
 * to them. item_ids and deadlines are NULL or receive each item's id and deadline. */
static db_status file_findings(db *d, const visit_row *v, const filed_finding *f, size_t n, long long user_id,
			       const char *on_date, long long *item_ids)
{
	rectify_rules rules;
	long long id = 0;
	size_t i;
	db_status st = rules_if_needed(d, f, n, &rules);
	for (i = 0; st == DB_OK && i < n; i++) {
		st = file_item(d, &rules, v, &f[i], user_id, on_date, &id);
		if (item_ids)
			item_ids[i] = id;
	}
	return st;
}

db_status visits_db_file(db *d, const visit_row *v, long long user_id, const char *on_date, long long *item_ids)
{
	db_rows *r = NULL;
	filed_finding *f = NULL;
	size_t i, n = 0;
	db_status st = visits_db_mark_filed(d, v->id, v->version, user_id, on_date);
	if (st == DB_OK)
		st = visits_db_findings(d, v->id, &r);
	if (st == DB_OK && (n = db_rows_count(r)) > 0) {
		f = xcalloc(n, sizeof(*f));
		for (i = 0; i < n; i++)
			f[i] = (filed_finding){db_rows_int(r, i, 0), rectify_severity_from_name(db_rows_str(r, i, 1)),
					       db_rows_str(r, i, 2)};
		st = file_findings(d, v, f, n, user_id, on_date, item_ids);
	}
	free(f);
	db_rows_free(r);
	return st;
}

/* ---------------------------------------------------------------- new visits, together */

/* The lists of n new visits, flattened for multi-row statements. */
typedef struct {
	list_ref *answers, *findings;
	size_t nanswers, nfindings;
	long long *inspectors, *evidence;  /* link pairs */
	size_t ninspectors, nevidence;
} new_lists;

static void new_lists_free(new_lists *l)
{
	free(l->answers);
	free(l->findings);
	free(l->inspectors);
	free(l->evidence);
}

/* Collects the lists of v[0..n) once their visit ids are known. */
static void new_lists_collect(const visit_new *v, size_t n, new_lists *l)
{
	size_t i, k, na = 0, nf = 0, ni = 0;
	for (i = 0; i < n; i++) {
		na += v[i].in->nanswers;
		nf += v[i].in->nfindings;
		ni += v[i].in->ninspectors;
	}
	memset(l, 0, sizeof(*l));
	l->answers = xcalloc(na + 1, sizeof(*l->answers));
	l->findings = xcalloc(nf + 1, sizeof(*l->findings));
	l->inspectors = xcalloc(2 * ni + 2, sizeof(*l->inspectors));
	for (i = 0; i < n; i++) {
		const visit_input *in = v[i].in;
		long long id = v[i].out->id;
		for (k = 0; k < in->nanswers; k++)
			l->answers[l->nanswers++] = (list_ref){id, k, &in->answers[k], NULL};
		for (k = 0; k < in->nfindings; k++)
			l->findings[l->nfindings++] = (list_ref){id, k, NULL, &in->findings[k]};
		for (k = 0; k < in->ninspectors; k++, l->ninspectors++) {
			l->inspectors[2 * l->ninspectors] = id;
			l->inspectors[2 * l->ninspectors + 1] = in->inspector_ids[k];
		}
	}
}

/* The evidence links of the findings, once their ids are known (fids, in the order of l->findings). */
static void new_lists_evidence(new_lists *l, const long long *fids)
{
	size_t i, k, n = 0;
	for (i = 0; i < l->nfindings; i++)
		n += l->findings[i].f->nevidence;
	l->evidence = xcalloc(2 * n + 2, sizeof(*l->evidence));
	for (i = 0; i < l->nfindings; i++)
		for (k = 0; k < l->findings[i].f->nevidence; k++, l->nevidence++) {
			l->evidence[2 * l->nevidence] = fids[i];
			l->evidence[2 * l->nevidence + 1] = l->findings[i].f->evidence_ids[k];
		}
}

static void visit_new_row(void *ctx, size_t i, db_param *p)
{
	const visit_new *v = (const visit_new *)ctx + i;
	const visit_input *in = v->in;
	p[0] = DP_INT(in->school_id);
	p[1] = DP_INT(in->template_id);
	p[2] = DP_STR(in->visit_date);
	p[3] = DP_STR(visit_kinds[in->kind]);
	p[4] = DP_STR(in->summary ? in->summary : "");
	p[5] = DP_INT(v->user_id);
	p[6] = DP_STR(v->created_at);
	p[7] = DP_STR(v->created_at);
	p[8] = DP_STR(v->filed_on ? "filed" : "draft");
	p[9] = v->filed_on ? DP_INT(v->user_id) : DP_NULL;
	p[10] = DP_STR(v->filed_on);
	p[11] = DP_INT(v->filed_on ? 2 : 1);
}

/* A finding of a filed visit among new ones: the visit and the finding's place. */
typedef struct {
	const visit_new *v;
	size_t k;
} filed_ref;

/* The items of the findings of the filed visits among v[0..n) (fids: the ids of
 * every finding, in order) and their creation events; each out receives its
 * items' ids and deadlines. */
static db_status file_new(db *d, const visit_new *v, size_t n, const long long *fids, size_t nfindings,
			  long long step)
{
	filed_finding *f = xcalloc(nfindings + 1, sizeof(*f));
	filed_ref *ref = xcalloc(nfindings + 1, sizeof(*ref));
	rect_item *items = xcalloc(nfindings + 1, sizeof(*items));
	rect_event *evs = xcalloc(nfindings + 1, sizeof(*evs));
	long long *ids = xcalloc(nfindings + 1, sizeof(*ids));
	rectify_rules rules;
	size_t i, k, j = 0, m = 0;
	db_status st;
	for (i = 0; i < n; i++)
		for (k = 0; k < v[i].in->nfindings; k++, j++)
			if (v[i].filed_on) {
				const visit_finding *vf = &v[i].in->findings[k];
				f[m] = (filed_finding){fids[j], vf->severity, vf->deadline};
				ref[m++] = (filed_ref){&v[i], k};
			}
	st = rules_if_needed(d, f, m, &rules);
	for (i = 0; st == DB_OK && i < m; i++) {
		visit_row vr = {0};
		vr.id = ref[i].v->out->id;
		vr.school_id = ref[i].v->in->school_id;
		str_copy(vr.visit_date, sizeof(vr.visit_date), ref[i].v->in->visit_date);
		st = new_item(&rules, &vr, &f[i], &items[i]);
	}
	if (st == DB_OK && m)
		st = rect_db_insert_many(d, items, m, step, ids);
	for (i = 0; st == DB_OK && i < m; i++) {
		visit_written *out = ref[i].v->out;
		items[i].id = out->item_ids[ref[i].k] = ids[i];
		memcpy(out->deadlines[ref[i].k], items[i].deadline, sizeof(items[i].deadline));
		evs[i] = creation_event(&items[i], ref[i].v->user_id, ref[i].v->filed_on);
	}
	if (st == DB_OK && m)
		st = rect_db_events_many(d, evs, m, step);
	free(f);
	free(ref);
	free(items);
	free(evs);
	free(ids);
	return st;
}

db_status visits_db_create(db *d, const visit_new *v, size_t n, long long step)
{
	long long *ids = xcalloc(n, sizeof(*ids)), *fids;
	new_lists l;
	size_t i, k, j;
	db_status st = batch_insert_ids(d, SQL_VISIT_INSERT, VISIT_PARAMS, n, visit_new_row, (void *)v, step, ids);
	for (i = 0; i < n; i++)
		v[i].out->id = ids[i];
	free(ids);
	if (st != DB_OK)
		return st;
	new_lists_collect(v, n, &l);
	fids = xcalloc(l.nfindings + 1, sizeof(*fids));
	if (l.ninspectors)
		st = batch_exec(d, SQL_INSPECTOR_LINKS, NULL, 0, 2, NULL, 0, l.ninspectors, link_row, l.inspectors);
	if (st == DB_OK && l.nanswers)
		st = batch_exec(d, SQL_ANSWER_INSERT, NULL, 0, 4, NULL, 0, l.nanswers, answer_row, l.answers);
	if (st == DB_OK && l.nfindings)
		st = batch_insert_ids(d, SQL_FINDING_INSERT, FINDING_PARAMS, l.nfindings, finding_row, l.findings, step,
				      fids);
	for (i = j = 0; st == DB_OK && i < n; i++)
		for (k = 0; k < v[i].in->nfindings; k++)
			v[i].out->finding_ids[k] = fids[j++];
	if (st == DB_OK)
		new_lists_evidence(&l, fids);
	if (st == DB_OK && l.nevidence)
		st = batch_exec(d, SQL_EVIDENCE_LINKS, NULL, 0, 2, NULL, 0, l.nevidence, link_row, l.evidence);
	if (st == DB_OK)
		st = file_new(d, v, n, fids, l.nfindings, step);
	free(fids);
	new_lists_free(&l);
	return st;
}

db_status visits_db_insert(db *d, const visit_input *in, long long user_id, long long *id)
{
	visit_written w;
	visit_new v = {in, user_id, NULL, NULL, &w};
	db_status st = visits_db_create(d, &v, 1, 0);
	*id = w.id;
	return st;
}

/* A query by visit id returned as a JSON array. */
static db_status visit_array(db *d, const char *sql, long long id, json_t **out)
{
	db_param p[] = {DP_INT(id)};
	db_rows *r;
	db_status st = db_query(d, sql, p, 1, &r);
	if (st != DB_OK)
		return st;
	*out = db_rows_array(r);
	db_rows_free(r);
	return DB_OK;
}

/* The findings with "evidence_ids" from (finding_id, evidence_id) rows. */
static db_status visit_findings(db *d, long long id, json_t **out)
{
	db_param p[] = {DP_INT(id)};
	db_rows *r;
	json_t *f;
	size_t i, k = 0;
	db_status st = visit_array(d, SQL_VISIT_FINDINGS, id, out);
	if (st != DB_OK || (st = db_query(d, SQL_VISIT_FINDING_EVIDENCE, p, 1, &r)) != DB_OK)
		return st;
	json_array_foreach(*out, i, f) {
		long long fid = json_integer_value(json_object_get(f, "id"));
		json_t *ids = json_array();
		while (k < db_rows_count(r) && db_rows_int(r, k, 0) < fid)
			k++;
		for (; k < db_rows_count(r) && db_rows_int(r, k, 0) == fid; k++)
			json_array_append_new(ids, json_integer(db_rows_int(r, k, 1)));
		json_object_set_new(f, "evidence_ids", ids);
	}
	db_rows_free(r);
	return DB_OK;
}

db_status visits_db_get_json(db *d, const char *scope_path, int drafts, long long id, json_t **out)
{
	db_param p[] = {DP_INT(id), DP_STR(scope_path), DP_INT(drafts != 0)};
	json_t *v, *inspectors = NULL, *answers = NULL, *findings = NULL;
	db_rows *r;
	db_status st = db_query_one(d, SQL_VISIT_GET, p, DB_NPARAMS(p), &r);
	if (st != DB_OK)
		return st;
	v = db_rows_object(r, 0);
	db_rows_free(r);
	if ((st = visit_array(d, SQL_VISIT_INSPECTORS, id, &inspectors)) == DB_OK &&
	    (st = visit_array(d, SQL_VISIT_ANSWERS, id, &answers)) == DB_OK)
		st = visit_findings(d, id, &findings);
	json_object_set_new(v, "inspectors", inspectors ? inspectors : json_array());
	json_object_set_new(v, "answers", answers ? answers : json_array());
	json_object_set_new(v, "findings", findings ? findings : json_array());
	if (st != DB_OK) {
		json_decref(v);
		return st;
	}
	*out = v;
	return DB_OK;
}

db_status visits_db_findings(db *d, long long visit_id, db_rows **out)
{
	db_param p[] = {DP_INT(visit_id)};
	return db_query(d, SQL_FINDINGS_OF, p, 1, out);
}

db_status visits_db_report_rounds(db *d, long long visit_id, db_rows **issued, json_t **reopened)
{
	db_param p[] = {DP_INT(visit_id)};
	db_status st = db_query(d, SQL_REPORT_ISSUED, p, 1, issued);
	if (st == DB_OK && (st = visit_array(d, SQL_REPORT_REOPENED, visit_id, reopened)) != DB_OK) {
		db_rows_free(*issued);
		*issued = NULL;
	}
	return st;
}

db_status visits_db_findings_before(db *d, long long visit_id, const char *date, long long *count)
{
	db_param p[] = {DP_INT(visit_id), DP_STR(date)};
	return db_query_int(d, SQL_FINDINGS_BEFORE, p, DB_NPARAMS(p), count);
}

db_status visits_db_contradiction(db *d, long long visit_id, long long *position, int *result)
{
	db_param p[] = {DP_INT(visit_id)};
	db_rows *r;
	int k;
	db_status st = db_query_one(d, SQL_CONTRADICTION, p, 1, &r);
	if (st != DB_OK)
		return st;
	*position = db_rows_int(r, 0, 0);
	for (k = 0, *result = 0; visit_results[k]; k++)
		if (!strcmp(visit_results[k], db_rows_str(r, 0, 1)))
			*result = k;
	db_rows_free(r);
	return DB_OK;
}

/* Whether some row of r has id in column 0. */
static int rows_have_id(const db_rows *r, long long id)
{
	size_t i;
	for (i = 0; i < db_rows_count(r); i++)
		if (db_rows_int(r, i, 0) == id)
			return 1;
	return 0;
}

db_status visits_db_inspectors_ok(db *d, const char *school_path, const long long *ids, size_t n, long long known,
				  size_t *bad, json_t **names)
{
	db_param p[VISIT_MAX_INSPECTORS + 1];
	db_rows *r;
	size_t i, k = 0;
	db_status st;
	for (i = 0; i < n && i < VISIT_MAX_INSPECTORS; i++)
		if (ids[i] != known)
			p[k++] = DP_INT(ids[i]);
	if (k == 0) {
		if (names)
			*names = json_array();
		return DB_OK;
	}
	for (i = k; i < VISIT_MAX_INSPECTORS; i++)
		p[i] = p[0];
	p[VISIT_MAX_INSPECTORS] = DP_STR(school_path);
	if ((st = db_query(d, SQL_INSPECTORS_OK, p, DB_NPARAMS(p), &r)) != DB_OK)
		return st;
	for (i = 0; i < n; i++)
		if (ids[i] != known && !rows_have_id(r, ids[i])) {
			*bad = i;
			db_rows_free(r);
			return DB_NOT_FOUND;
		}
	if (names)
		*names = db_rows_array(r);
	db_rows_free(r);
	return DB_OK;
}

db_status visits_db_list(db *d, const visit_filter *f, const paging *pg, json_t **items, long long *total)
{
	db_param p[] = {DP_STR(f->scope_path), DP_INT(f->drafts != 0), db_param_id_or_null(f->town_id),
			db_param_id_or_null(f->town_id), db_param_id_or_null(f->school_id),
			db_param_id_or_null(f->school_id), DP_STR(f->kind), DP_STR(f->kind), DP_STR(f->state),
			DP_STR(f->state), DP_STR(f->from), DP_STR(f->from), DP_STR(f->to), DP_STR(f->to),
			db_param_id_or_null(f->reopens), db_param_id_or_null(f->reopens), DP_INT(pg->limit),
			DP_INT(pg->offset)};
	db_rows *r;
	db_status st = db_query_int(d, SQL_VISIT_COUNT, p, VISIT_LIST_NPARAMS, total);
	if (st != DB_OK || (st = db_query(d, SQL_VISIT_LIST, p, DB_NPARAMS(p), &r)) != DB_OK)
		return st;
	*items = db_rows_array(r);
	db_rows_free(r);
	return DB_OK;
}

db_status visits_db_point_cleared(db *d, long long visit_id, long long finding_id, char result[16])
{
	db_param p[] = {DP_INT(finding_id), DP_INT(visit_id)};
	return db_query_str(d, SQL_POINT_CLEARED, p, DB_NPARAMS(p), result, 16);
}

db_status visits_db_compliance(db *d, const char *scope_path, long long town_id, const char *start,
			       const char *end, json_t **items)
{
	db_param p[] = {DP_STR(start), DP_STR(end), DP_STR(scope_path), db_param_id_or_null(town_id),
			db_param_id_or_null(town_id)};
	db_rows *r;
	db_status st = db_query(d, SQL_COMPLIANCE, p, DB_NPARAMS(p), &r);
	if (st != DB_OK)
		return st;
	*items = db_rows_array(r);
	db_rows_free(r);
	return DB_OK;
}

db_status visits_db_required(db *d, long long *required)
{
	db_rows *r;
	char *end;
	long v;
	db_status st = db_query_one(d, SQL_REQUIRED, NULL, 0, &r);
	*required = 2;
	if (st == DB_NOT_FOUND)
		return DB_OK;
	if (st != DB_OK)
		return st;
	v = strtol(db_rows_str(r, 0, 0), &end, 10);
	if (!*end && v >= 1 && v <= VISITS_REQUIRED_MAX)
		*required = v;
	db_rows_free(r);
	return DB_OK;
}
