/* config.h - settings from flags and environment, with their defaults. */
#ifndef DUDAO_CONFIG_H
#define DUDAO_CONFIG_H

#include <stddef.h>
#include "db.h"

typedef struct {
	char root[1024];          /* project root: web/, schema/ and var/ live here */
	char db_url[1024];        /* DUDAO_DB or the private database under var/ */
	db_config db;
	char listen_host[64];     /* DUDAO_HOST, default 127.0.0.1 */
	unsigned port;            /* DUDAO_PORT, default 8080; 0 picks a free port */
	int workers;              /* DUDAO_WORKERS, default: number of cores */
	char today[11];           /* DUDAO_TODAY "YYYY-MM-DD", "" for the clock */
	char timezone[64];        /* DUDAO_TZ, default Asia/Shanghai */
	int session_hours;        /* DUDAO_SESSION_HOURS, default 12 */
	size_t max_body;          /* bytes accepted for a JSON body, default 1 MiB */
	size_t max_upload;        /* bytes accepted for an upload body, default 12 MiB */
	size_t max_headers;       /* bytes of request headers, default 16 KiB */
	int timeout_s;            /* DUDAO_TIMEOUT: idle read/write timeout of a connection, default 30 s */
	unsigned cache_ms;        /* DUDAO_CACHE_MS: how long a list may be served from memory, default 5000 */
	int secure_cookie;        /* DUDAO_SECURE_COOKIE=1 behind TLS */
	char port_file[1024];     /* write the bound port here once listening */
} config;

#define CONFIG_TIMEOUT_MAX 3600 /* seconds, the most --timeout accepts */
#define CONFIG_CACHE_MS_MAX 60000 /* the most --cache-ms accepts */

/* Fills cfg from the environment, then from argv (flags override the environment).
 * Returns 0, or -1 after printing what is wrong. */
int config_load(config *cfg, int argc, char **argv, int *argi);

/* Prints the flags and environment variables to f. */
void config_usage(const char *prog);

#endif
