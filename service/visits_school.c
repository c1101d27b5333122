/* visits_school.c - what a new visit reads of its school (path, names, town,
 * default template), kept a few seconds for every thread so that a burst of new
 * visits runs no statement for it (visits_db_school). */
#include "visits.h"

#include <pthread.h>
#include <string.h>
#include <time.h>

#include "templates.h"
#include "util.h"

/* What a new visit needs of its school. The columns are named as in visits_db.c's
 * SQL_VISIT_GET, so that the answer is the same JSON; path (first) and
 * default_template_id (last) are not part of it. */
static const char SQL_NEW_VISIT_SCHOOL[] =
	"SELECT s.path, s.name, s.code, t.id, t.name, (" TEMPLATE_DEFAULT_ID_SQL ")"
	" FROM orgs s LEFT JOIN orgs t ON t.id = s.parent_id AND t.kind = 'town'"
	" WHERE s.id = ? AND s.kind = 'school'";

/* What a new visit reads of its school, kept a few seconds for every thread: a
 * change made through the API (an org renamed or moved, a template published)
 * applies to the very next visit this process takes (visits_db_schools_forget),
 * one made by hand or through another process within SCHOOL_KEPT_MS, as for who
 * a caller is (auth.c). */
#define SCHOOL_KEPT_MS 5000.0
#define SCHOOL_KEPT_SLOTS 256

typedef struct {
	long long id, town_id, default_template_id;  /* town_id 0: directly under the bureau */
	unsigned long generation;                     /* 0: an empty slot */
	double at;                                    /* clock_ms() when read */
	int has_code;
	char path[256], name[404], code[44], town_name[404];
} kept_school;

static pthread_mutex_t schools_lock = PTHREAD_MUTEX_INITIALIZER;
static kept_school schools[SCHOOL_KEPT_SLOTS];
static unsigned long schools_generation = 1;

void visits_db_schools_forget(void)
{
	pthread_mutex_lock(&schools_lock);
	schools_generation++;
	pthread_mutex_unlock(&schools_lock);
}

/* Copies the kept school id into out: 1 when it is there and fresh. *generation
 * receives the generation a read made now would be kept under. */
static int school_kept(long long id, kept_school *out, unsigned long *generation)
{
	kept_school *k = &schools[(unsigned long long)id % SCHOOL_KEPT_SLOTS];
	int hit;
	pthread_mutex_lock(&schools_lock);
	hit = k->generation == schools_generation && k->id == id && clock_ms() - k->at < SCHOOL_KEPT_MS;
	if (hit)
		*out = *k;
	*generation = schools_generation;
	pthread_mutex_unlock(&schools_lock);
	return hit;
}

/* Keeps k, unless a change was made since generation was read. */
static void school_keep(kept_school *k, unsigned long generation)
{
	pthread_mutex_lock(&schools_lock);
	if (generation == schools_generation) {
		k->generation = generation;
		k->at = clock_ms();
		schools[(unsigned long long)k->id % SCHOOL_KEPT_SLOTS] = *k;
	}
	pthread_mutex_unlock(&schools_lock);
}

static db_status school_read(db *d, long long id, kept_school *k)
{
	db_param p[] = {DP_INT(id)};
	db_rows *r;
	db_status st = db_query_one(d, SQL_NEW_VISIT_SCHOOL, p, DB_NPARAMS(p), &r);
	if (st != DB_OK)
		return st;
	memset(k, 0, sizeof(*k));
	k->id = id;
	str_copy(k->path, sizeof(k->path), db_rows_str(r, 0, 0));
	str_copy(k->name, sizeof(k->name), db_rows_str(r, 0, 1));
	k->has_code = db_rows_str(r, 0, 2) != NULL;
	str_copy(k->code, sizeof(k->code), k->has_code ? db_rows_str(r, 0, 2) : "");
	k->town_id = db_rows_int(r, 0, 3);
	str_copy(k->town_name, sizeof(k->town_name), k->town_id ? db_rows_str(r, 0, 4) : "");
	k->default_template_id = db_rows_int(r, 0, 5);
	db_rows_free(r);
	return DB_OK;
}

db_status visits_db_school(db *d, const char *scope_path, long long school_id, const char *user_name,
			   visit_school *out)
{
	kept_school k;
	unsigned long generation;
	char iso[24];
	time_t now = time(NULL);
	struct tm tm;
	db_status st;
	out->fields = NULL;
	if (!school_kept(school_id, &k, &generation)) {
		if ((st = school_read(d, school_id, &k)) != DB_OK)
			return st;
		school_keep(&k, generation);
	}
	if (strncmp(k.path, scope_path, strlen(scope_path)) != 0)
		return DB_NOT_FOUND;
	gmtime_r(&now, &tm);
	strftime(out->created_at, sizeof(out->created_at), "%Y-%m-%d %H:%M:%S", &tm);
	strftime(iso, sizeof(iso), "%Y-%m-%dT%H:%M:%SZ", &tm);
	str_copy(out->path, sizeof(out->path), k.path);
	out->default_template_id = k.default_template_id;
	out->fields = json_pack("{s:s,s:s?,s:o,s:s?,s:s,s:s}", "school_name", k.name, "school_code",
				k.has_code ? k.code : NULL, "town_id", k.town_id ? json_integer(k.town_id) : json_null(),
				"town_name", k.town_id ? k.town_name : NULL, "created_by_name", user_name, "created_at", iso);
	return out->fields ? DB_OK : DB_ERR;
}
