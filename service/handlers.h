/* handlers.h - every request handler, one file per resource. Each reads an
 * http_req, fills an http_res and returns the status. */
#ifndef DUDAO_HANDLERS_H
#define DUDAO_HANDLERS_H

#include "http.h"

/* health.c, openapi.c */
int health_get(http_req *req, http_res *res);
int openapi_get(http_req *req, http_res *res);

/* session.c */
int session_create(http_req *req, http_res *res);
int session_get(http_req *req, http_res *res);
int session_delete(http_req *req, http_res *res);

/* tokens.c */
int tokens_create(http_req *req, http_res *res);
int tokens_list(http_req *req, http_res *res);
int tokens_delete(http_req *req, http_res *res);

/* orgs.c */
int orgs_list(http_req *req, http_res *res);
int orgs_get(http_req *req, http_res *res);
int orgs_create(http_req *req, http_res *res);
int orgs_update(http_req *req, http_res *res);

/* users.c */
int users_list(http_req *req, http_res *res);
int users_get(http_req *req, http_res *res);
int users_create(http_req *req, http_res *res);
int users_update(http_req *req, http_res *res);

/* audit.c */
int audit_list(http_req *req, http_res *res);

/* settings.c: the admin's rules, read and changed */
int settings_get(http_req *req, http_res *res);
int settings_update(http_req *req, http_res *res);

/* templates.c: checklist templates */
int templates_list(http_req *req, http_res *res);
int templates_get(http_req *req, http_res *res);
int templates_create(http_req *req, http_res *res);
int templates_update(http_req *req, http_res *res);

/* evidence.c */
int evidence_upload(http_req *req, http_res *res);
int evidence_get(http_req *req, http_res *res);

/* visits.c */
int visits_list(http_req *req, http_res *res);
int visits_get(http_req *req, http_res *res);
int visits_create(http_req *req, http_res *res);
int visits_update(http_req *req, http_res *res);
int visits_file(http_req *req, http_res *res);
int visits_compliance(http_req *req, http_res *res);
int visits_report(http_req *req, http_res *res);

/* rectifications.c, ledger.c: rectification items and their life cycle */
int rect_list(http_req *req, http_res *res);
int rect_get(http_req *req, http_res *res);
int rect_ledger(http_req *req, http_res *res);
int rect_answer(http_req *req, http_res *res);
int rect_return(http_req *req, http_res *res);
int rect_close(http_req *req, http_res *res);
int rect_reopen(http_req *req, http_res *res);
int rect_extensions_list(http_req *req, http_res *res);
int rect_extension_request(http_req *req, http_res *res);
int rect_extension_approve(http_req *req, http_res *res);
int rect_extension_refuse(http_req *req, http_res *res);

/* inbox.c */
int inbox_get(http_req *req, http_res *res);
int inbox_digest(http_req *req, http_res *res);

/* metrics_api.c: pairing and home-visit metrics, the coverage chart */
int metrics_pairing_coverage(http_req *req, http_res *res);
int metrics_unpaired(http_req *req, http_res *res);
int metrics_home_visit_coverage(http_req *req, http_res *res);
int metrics_key_students_unvisited(http_req *req, http_res *res);
int charts_pairing_coverage(http_req *req, http_res *res);

/* students.c, staff.c, pairings.c, import_roster.c, import_pairings.c: the roster (issue 3) */
int students_list(http_req *req, http_res *res);
int students_get(http_req *req, http_res *res);
int students_create(http_req *req, http_res *res);
int students_update(http_req *req, http_res *res);
int students_enrol(http_req *req, http_res *res);
int households_list(http_req *req, http_res *res);
int households_get(http_req *req, http_res *res);
int staff_list(http_req *req, http_res *res);
int staff_get(http_req *req, http_res *res);
int staff_create(http_req *req, http_res *res);
int staff_update(http_req *req, http_res *res);
int pairings_list(http_req *req, http_res *res);
int pairings_get(http_req *req, http_res *res);
int pairings_create(http_req *req, http_res *res);
int pairings_update(http_req *req, http_res *res);
int home_visits_list(http_req *req, http_res *res);
int home_visits_create(http_req *req, http_res *res);
int imports_roster(http_req *req, http_res *res);
int imports_pairings(http_req *req, http_res *res);

#endif
