/* db_config.c - the database URL, mysql://user:password@host:port/database?socket=PATH,
 * taken apart into a db_config (db.h). */
#include "db.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

static int url_take(char *dst, size_t n, const char *src, size_t len)
{
	if (len >= n)
		return -1;
	memcpy(dst, src, len);
	dst[len] = '\0';
	return 0;
}

int db_config_parse(const char *url, db_config *cfg, char *err, size_t errlen)
{
	const char *p, *at, *slash, *q, *colon;
	memset(cfg, 0, sizeof(*cfg));
	if (strncmp(url, "mysql://", 8) != 0) {
		snprintf(err, errlen, "database URL must start with mysql://");
		return -1;
	}
	p = url + 8;
	slash = strchr(p, '/');
	if (!slash || !slash[1]) {
		snprintf(err, errlen, "database URL has no database name");
		return -1;
	}
	at = memchr(p, '@', (size_t)(slash - p));
	if (at) {
		colon = memchr(p, ':', (size_t)(at - p));
		if (url_take(cfg->user, sizeof(cfg->user), p, (size_t)((colon ? colon : at) - p)) ||
		    (colon && url_take(cfg->password, sizeof(cfg->password), colon + 1,
				       (size_t)(at - colon - 1))))
			goto toolong;
		p = at + 1;
	}
	colon = memchr(p, ':', (size_t)(slash - p));
	if (url_take(cfg->host, sizeof(cfg->host), p, (size_t)((colon ? colon : slash) - p)))
		goto toolong;
	if (colon)
		cfg->port = (unsigned)strtoul(colon + 1, NULL, 10);
	q = strchr(slash, '?');
	if (url_take(cfg->database, sizeof(cfg->database), slash + 1,
		     q ? (size_t)(q - slash - 1) : strlen(slash + 1)))
		goto toolong;
	if (q && strncmp(q + 1, "socket=", 7) == 0 &&
	    str_copy(cfg->socket, sizeof(cfg->socket), q + 8) != 0)
		goto toolong;
	if (!cfg->host[0])
		str_copy(cfg->host, sizeof(cfg->host), "localhost");
	return 0;
toolong:
	snprintf(err, errlen, "database URL has a part that is too long");
	return -1;
}
