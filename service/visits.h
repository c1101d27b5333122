/* visits.h - school visits (督导检查): the parsed body of a visit and the data
 * access shared by the visit handlers and the visit report. */
#ifndef DUDAO_VISITS_H
#define DUDAO_VISITS_H

#include <stddef.h>
#include <jansson.h>

#include "db.h"
#include "evidence.h"
#include "http.h"

#define VISIT_MAX_FINDINGS 100
#define VISIT_MAX_INSPECTORS 10

extern const char *const visit_kinds[];    /* 经常性督导, 专项督导, 回头看; NULL-terminated */
extern const char *const visit_results[];  /* 符合, 不符合, 不适用; NULL-terminated */
#define VISIT_RESULT_FAIL 1                /* 不符合: the one result a finding may stand on */
extern const char *const visit_severities[]; /* 一般, 较重, 严重: the order of rect_severity */
#define VISIT_KIND_RECHECK 2

typedef struct {
	long long item_id;
	int result;              /* index in visit_results */
	const char *note;        /* "" when none */
} visit_answer;

typedef struct {
	long long item_id;
	int severity;            /* rect_severity */
	const char *description;
	const char *deadline;    /* NULL: the admin's default for the severity */
	long long evidence_ids[EVIDENCE_MAX_PER_ENTRY];
	size_t nevidence;
} visit_finding;

/* A visit as sent in a body; strings borrow from the request's JSON. */
typedef struct {
	long long school_id, template_id;
	const char *visit_date;  /* NULL: unchanged */
	const char *summary;     /* NULL: unchanged */
	int kind;                /* index in visit_kinds, -1: unchanged */
	long long inspector_ids[VISIT_MAX_INSPECTORS];
	size_t ninspectors;
	int has_inspectors, has_answers, has_findings;
	visit_answer *answers;   /* owned; visit_input_free */
	size_t nanswers;
	visit_finding *findings; /* owned; visit_input_free */
	size_t nfindings;
} visit_input;

void visit_input_free(visit_input *in);

/* The fields of a stored visit the handlers check. */
typedef struct {
	long long id, school_id, template_id, version;
	int filed;
	int kind;
	char visit_date[11];
	char school_path[256];
} visit_row;

/* What a new visit needs to know before it is written: the school (in scope)
 * and, as the visit's JSON names them (see visits_db_get_json), its school_name,
 * school_code, town_id, town_name, the creator's created_by_name and the
 * created_at it is written with (now); and the id of the default template. */
typedef struct {
	char path[256];          /* the school's */
	char created_at[20];     /* "YYYY-MM-DD HH:MM:SS", UTC, written as created_at and updated_at */
	long long default_template_id;   /* 0: there is none */
	json_t *fields;          /* owned: json_decref */
} visit_school;
/* Fills out for school_id in scope_path, created by user_name (display name);
 * DB_NOT_FOUND when it is not a school in scope (out->fields is NULL unless DB_OK).
 * What it reads of the school is kept SCHOOL_KEPT_MS (5 s) for every thread. */
db_status visits_db_school(db *d, const char *scope_path, long long school_id, const char *user_name,
			   visit_school *out);
/* Forgets the schools kept by visits_db_school: an org or a template was changed. */
void visits_db_schools_forget(void);
/* The first finding (by position) of visit_id on an item its answers call 符合 or
 * 不适用: *position and *result (index in visit_results); DB_NOT_FOUND when none. */
db_status visits_db_contradiction(db *d, long long visit_id, long long *position, int *result);

/* The ids a new visit got: its own, its findings' in order and, when filed, each
 * finding's rectification item and deadline. */
typedef struct {
	long long id;
	long long finding_ids[VISIT_MAX_FINDINGS];
	long long item_ids[VISIT_MAX_FINDINGS];
	char deadlines[VISIT_MAX_FINDINGS][11];
} visit_written;
/* A new visit: a draft, or with filed_on (the bureau's date) filed at once by
 * user_id with one rectification item per finding as visits_db_file makes them.
 * created_at ("YYYY-MM-DD HH:MM:SS", NULL: the server's now) is its created_at and
 * updated_at. out receives the ids. */
typedef struct {
	const visit_input *in;
	long long user_id;
	const char *filed_on;
	const char *created_at;
	visit_written *out;
} visit_new;
/* Inserts n new visits with their inspectors, answers, findings and items inside
 * the caller's transaction, each kind of row for all of them in as few statements
 * as it can (batch.h: step is batch_id_step's). Reads nothing back. */
db_status visits_db_create(db *d, const visit_new *v, size_t n, long long step);
/* Inserts a draft and its inspectors, answers and findings; *id receives its id. */
db_status visits_db_insert(db *d, const visit_input *in, long long user_id, long long *id);
/* Updates a draft's fields and replaces the lists that are set; DB_CONFLICT when
 * the version is stale or the visit is filed. */
db_status visits_db_update(db *d, long long id, long long version, const visit_input *in);
/* Marks a draft filed by user_id on date; DB_CONFLICT when stale or filed already. */
db_status visits_db_mark_filed(db *d, long long id, long long version, long long user_id, const char *date);
/* Files draft v inside the caller's transaction, as user_id on on_date (the
 * bureau's date): marks it filed and creates one rectification item per finding
 * (deadline: the finding's, else the visit date + the admin's days for the
 * severity), each with its creation event. item_ids is NULL or has room for every
 * finding: it receives the items' ids in finding order. DB_CONFLICT when v is
 * stale or filed already. Shared by the handlers and the demo county. */
db_status visits_db_file(db *d, const visit_row *v, long long user_id, const char *on_date, long long *item_ids);
/* Loads a visit in scope; drafts only when drafts is set. DB_NOT_FOUND otherwise. */
db_status visits_db_load(db *d, const char *scope_path, int drafts, long long id, visit_row *out);
/* The visit as JSON with inspectors, answers and findings (each with its evidence
 * ids and rectification item). New reference. */
db_status visits_db_get_json(db *d, const char *scope_path, int drafts, long long id, json_t **out);
/* The findings of a visit: columns 0 id, 1 severity, 2 deadline (NULL: default). */
db_status visits_db_findings(db *d, long long visit_id, db_rows **out);
/* What the 督导意见书 of visit_id needs beyond the visit: issued, rows of (finding
 * id, the deadline its item had when a 回头看 first reopened it), for the findings
 * whose items were reopened; reopened, a new array of the items this visit reopened
 * ({"item_title","description","severity","deadline","note","found_on"}). */
db_status visits_db_report_rounds(db *d, long long visit_id, db_rows **issued, json_t **reopened);
/* How many findings of visit_id have a deadline before date. */
db_status visits_db_findings_before(db *d, long long visit_id, const char *date, long long *count);
/* Checks in one statement that every id (n <= VISIT_MAX_INSPECTORS) is an active
 * inspector or bureau head whose scope holds school_path; known is an id the
 * caller has checked already (itself), or 0. DB_NOT_FOUND with *bad the index of
 * the first that is not. names, when not NULL, receives on DB_OK a new array of
 * {"id","display_name"} of the ids but known (in no particular order). */
db_status visits_db_inspectors_ok(db *d, const char *school_path, const long long *ids, size_t n, long long known,
				  size_t *bad, json_t **names);

typedef struct {
	const char *scope_path;
	int drafts;
	long long town_id, school_id;
	const char *kind, *state, *from, *to;
	long long reopens;  /* the visits closed item `reopens` may be reopened on (rect_reopen's rule) */
} visit_filter;
/* Visits matching f, newest first. New reference in *items. */
db_status visits_db_list(db *d, const visit_filter *f, const paging *pg, json_t **items, long long *total);
/* What visit_id answered on the point of finding_id (its checklist item's code in
 * the same template lineage) when it found it in order: "符合" or "不适用" into
 * result; DB_NOT_FOUND when it did not (不符合, or no answer on that point). */
db_status visits_db_point_cleared(db *d, long long visit_id, long long finding_id, char result[16]);
/* Filed visits per school in scope (and town) between start and end. New reference. */
db_status visits_db_compliance(db *d, const char *scope_path, long long town_id, const char *start,
			       const char *end, json_t **items);
/* The admin's required visits per school per semester (default 2; a stored value
 * outside 1..VISITS_REQUIRED_MAX is taken as the default). */
#define VISITS_REQUIRED_MAX 100
db_status visits_db_required(db *d, long long *required);

/* The 督导意见书 of a visit as a printable HTML page (visit_report.c). *html is
 * new (caller frees) with its length. DB_NOT_FOUND out of scope. */
db_status visit_report_html(db *d, const char *scope_path, int drafts, long long id, const char *today,
			    char **html, size_t *len);

#endif
