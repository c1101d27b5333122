/* config.c - settings from the environment, then flags. Defaults run the
 * project's private MariaDB under var/ and serve on 127.0.0.1:8080. */
#include "config.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "util.h"

/* Finds the project root: DUDAO_ROOT, else the nearest directory above the
 * executable holding schema/ (build/dudao and build/asan/dudao both work). */
static int find_root(char *out, size_t n)
{
	char exe[PATH_MAX], probe[PATH_MAX + 16];
	const char *env = getenv("DUDAO_ROOT");
	ssize_t len;
	char *slash;

	if (env && *env)
		return str_copy(out, n, env);
	len = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (len <= 0)
		return -1;
	exe[len] = '\0';
	while ((slash = strrchr(exe, '/')) != NULL) {
		*slash = '\0';
		snprintf(probe, sizeof(probe), "%s/schema", exe[0] ? exe : "/");
		if (access(probe, F_OK) == 0)
			return str_copy(out, n, exe[0] ? exe : "/");
	}
	return -1;
}

/* A decimal number from min to max into *out; 0, or -1 after printing what is wrong. */
static int parse_range(const char *name, const char *v, unsigned long min, unsigned long max, unsigned long *out)
{
	char *end;
	unsigned long x = strtoul(v, &end, 10);
	if (*v < '0' || *v > '9' || *end || x < min || x > max) {
		fprintf(stderr, "dudao: %s must be a number from %lu to %lu, not '%s'\n", name, min, max, v);
		return -1;
	}
	*out = x;
	return 0;
}

static int parse_uint(const char *name, const char *v, unsigned long max, unsigned long *out)
{
	return parse_range(name, v, 0, max, out);
}

/* Applies one setting by its environment name. Returns 0 or -1. */
static int config_set(config *cfg, const char *name, const char *v)
{
	unsigned long x;
	if (!strcmp(name, "DUDAO_DB"))
		return str_copy(cfg->db_url, sizeof(cfg->db_url), v);
	if (!strcmp(name, "DUDAO_HOST"))
		return str_copy(cfg->listen_host, sizeof(cfg->listen_host), v);
	if (!strcmp(name, "DUDAO_TZ"))
		return str_copy(cfg->timezone, sizeof(cfg->timezone), v);
	if (!strcmp(name, "DUDAO_PORT_FILE"))
		return str_copy(cfg->port_file, sizeof(cfg->port_file), v);
	if (!strcmp(name, "DUDAO_TODAY")) {
		if (*v && !date_valid(v)) {
			fprintf(stderr, "dudao: DUDAO_TODAY must be a date YYYY-MM-DD, not '%s'\n", v);
			return -1;
		}
		return str_copy(cfg->today, sizeof(cfg->today), v);
	}
	if (!strcmp(name, "DUDAO_PORT")) {
		if (parse_uint(name, v, 65535, &x))
			return -1;
		cfg->port = (unsigned)x;
	} else if (!strcmp(name, "DUDAO_WORKERS")) {
		if (parse_range(name, v, 1, 64, &x))
			return -1;
		cfg->workers = (int)x;
	} else if (!strcmp(name, "DUDAO_SESSION_HOURS")) {
		if (parse_uint(name, v, 24 * 30, &x))
			return -1;
		cfg->session_hours = (int)x;
	} else if (!strcmp(name, "DUDAO_TIMEOUT")) {
		if (parse_range(name, v, 1, CONFIG_TIMEOUT_MAX, &x))
			return -1;
		cfg->timeout_s = (int)x;
	} else if (!strcmp(name, "DUDAO_CACHE_MS")) {
		if (parse_uint(name, v, CONFIG_CACHE_MS_MAX, &x))
			return -1;
		cfg->cache_ms = (unsigned)x;
	} else if (!strcmp(name, "DUDAO_SECURE_COOKIE")) {
		cfg->secure_cookie = !strcmp(v, "1");
	}
	return 0;
}

static const struct { const char *flag, *env; } flags[] = {
	{"--db", "DUDAO_DB"},         {"--host", "DUDAO_HOST"},
	{"--port", "DUDAO_PORT"},     {"--workers", "DUDAO_WORKERS"},
	{"--today", "DUDAO_TODAY"},   {"--tz", "DUDAO_TZ"},
	{"--port-file", "DUDAO_PORT_FILE"},
	{"--session-hours", "DUDAO_SESSION_HOURS"},
	{"--timeout", "DUDAO_TIMEOUT"},
	{"--cache-ms", "DUDAO_CACHE_MS"},
};

static void config_defaults(config *cfg)
{
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	memset(cfg, 0, sizeof(*cfg));
	str_copy(cfg->listen_host, sizeof(cfg->listen_host), "127.0.0.1");
	str_copy(cfg->timezone, sizeof(cfg->timezone), "Asia/Shanghai");
	cfg->port = 8080;
	cfg->workers = cores > 0 ? (int)(cores < 64 ? cores : 64) : 2;
	cfg->session_hours = 12;
	cfg->max_body = 1 << 20;
	cfg->max_upload = 12 << 20;
	cfg->max_headers = 16 << 10;
	cfg->timeout_s = 30;
	cfg->cache_ms = 5000;
}

int config_load(config *cfg, int argc, char **argv, int *argi)
{
	size_t f;
	char err[256];
	int i = *argi;

	config_defaults(cfg);
	if (find_root(cfg->root, sizeof(cfg->root)) != 0) {
		fprintf(stderr, "dudao: cannot find the project root (set DUDAO_ROOT)\n");
		return -1;
	}
	for (f = 0; f < sizeof(flags) / sizeof(flags[0]); f++) {
		const char *v = getenv(flags[f].env);
		if (v && config_set(cfg, flags[f].env, v) != 0)
			return -1;
	}
	if (getenv("DUDAO_SECURE_COOKIE"))
		config_set(cfg, "DUDAO_SECURE_COOKIE", getenv("DUDAO_SECURE_COOKIE"));
	for (; i < argc && !strncmp(argv[i], "--", 2); i += 2) {
		for (f = 0; f < sizeof(flags) / sizeof(flags[0]); f++)
			if (!strcmp(argv[i], flags[f].flag))
				break;
		if (f == sizeof(flags) / sizeof(flags[0]) || i + 1 >= argc) {
			fprintf(stderr, "dudao: unknown flag or missing value: %s\n", argv[i]);
			return -1;
		}
		if (config_set(cfg, flags[f].env, argv[i + 1]) != 0)
			return -1;
	}
	*argi = i;
	if (!cfg->db_url[0] &&
	    snprintf(cfg->db_url, sizeof(cfg->db_url), "mysql://root@localhost/dudao?socket=%.900s/var/db/mysqld.sock",
		     cfg->root) >= (int)sizeof(cfg->db_url))
		return -1;
	if (db_config_parse(cfg->db_url, &cfg->db, err, sizeof(err)) != 0) {
		fprintf(stderr, "dudao: %s\n", err);
		return -1;
	}
	setenv("TZ", cfg->timezone, 1);
	tzset();
	return 0;
}

void config_usage(const char *prog)
{
	fprintf(stderr,
		"usage: %s COMMAND [flags]\n"
		"commands:\n"
		"  serve                 serve HTTP (migrates first)\n"
		"  migrate               create the database if missing and apply schema/\n"
		"  demo                  load the demo county (once)\n"
		"  user add NAME ROLE ORG_ID DISPLAY_NAME   add a user; the password is read from stdin\n"
		"  routes                print the route table\n"
		"  dropdb                drop the configured database (tests)\n"
		"flags (environment in brackets):\n"
		"  --db URL              [DUDAO_DB] mysql://user[:pw]@host[:port]/db[?socket=path];\n"
		"                        default: the private MariaDB under var/db\n"
		"  --host ADDR           [DUDAO_HOST] listen address, default 127.0.0.1\n"
		"  --port N              [DUDAO_PORT] default 8080; 0 picks a free port\n"
		"  --port-file PATH      [DUDAO_PORT_FILE] write the bound port there\n"
		"  --workers N           [DUDAO_WORKERS] worker threads, default: number of cores\n"
		"  --today YYYY-MM-DD    [DUDAO_TODAY] fix today's date (tests, demos)\n"
		"  --tz ZONE             [DUDAO_TZ] the bureau's time zone, default Asia/Shanghai\n"
		"  --session-hours N     [DUDAO_SESSION_HOURS] session lifetime, default 12\n"
		"  --timeout SECONDS     [DUDAO_TIMEOUT] a connection idle this long while reading a request\n"
		"                        or writing an answer is closed; 1..3600, default 30\n"
		"  --cache-ms N          [DUDAO_CACHE_MS] a list, the ledger, an inbox or a coverage is answered from memory\n"
		"                        until the next write this process handles, at most N ms (a change by\n"
		"                        hand or by another process shows after that); 0 reads every time;\n"
		"                        0..60000, default 5000\n"
		"                        [DUDAO_SECURE_COOKIE=1] mark cookies Secure (behind TLS)\n",
		prog);
}
