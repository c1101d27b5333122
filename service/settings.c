/* settings.c - GET /api/v1/settings: the rules the admin sets (default deadlines
 * by severity, escalation thresholds, visits per semester, eligible categories),
 * as the service applies them and as stored. Read-only: there is no write route. */
#include "handlers.h"
#include "rectifications.h"
#include "roster.h"
#include "settings.h"
#include "students.h"
#include "visits.h"

/* The rules in force, each read by the function its users call, so that a
 * missing or invalid stored value shows as the default the service applies. */
static json_t *settings_effective(const rectify_rules *rules, long long required, unsigned mask)
{
	json_t *deadline = json_object(), *escalate = json_object(), *categories = json_array();
	int i;
	for (i = SEV_COUNT - 1; i >= 0; i--)
		json_object_set_new(deadline, rectify_severity_name((rect_severity)i),
				    json_integer(rules->deadline_days[i]));
	for (i = ESC_REMIND; i < ESC_COUNT; i++)
		json_object_set_new(escalate, rectify_escalation_name((rect_escalation)i),
				    json_integer(rules->escalate_days[i]));
	for (i = 0; roster_categories[i]; i++)
		if (mask & (1u << i))
			json_array_append_new(categories, json_string(roster_categories[i]));
	return json_pack("{s:o,s:o,s:I,s:o}", "deadline_days", deadline, "escalate_days", escalate,
			 "visits_per_semester", (json_int_t)required, "eligible_categories", categories);
}

int settings_get(http_req *req, http_res *res)
{
	rectify_rules rules;
	long long required = 0;
	unsigned mask = 0;
	json_t *rows = NULL, *out;
	db_status st = rect_db_rules(req->db, &rules);
	if (st == DB_OK)
		st = visits_db_required(req->db, &required);
	if (st == DB_OK)
		st = students_db_eligible_mask(req->db, &mask);
	if (st == DB_OK)
		st = settings_db_rules(req->db, &rows);
	if (st != DB_OK)
		return res_db_error(res, st);
	out = settings_effective(&rules, required, mask);
	json_object_set_new(out, "items", rows);
	return res_json(res, HTTP_ok, out);
}
