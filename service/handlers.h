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

#endif
