/* test_db_config.c - parsing DUDAO_DB URLs. */
#include <string.h>

#include "db.h"
#include "harness.h"

void test_db_config(void)
{
	db_config c;
	char err[128];
	CHECK(db_config_parse("mysql://root@localhost/dudao?socket=/tmp/x.sock", &c, err, sizeof(err)) == 0 &&
		      !strcmp(c.user, "root") && !strcmp(c.database, "dudao") && !strcmp(c.socket, "/tmp/x.sock"),
	      "socket URL");
	CHECK(db_config_parse("mysql://u:p%w@db.example:3307/d", &c, err, sizeof(err)) == 0 && c.port == 3307 &&
		      !strcmp(c.password, "p%w") && !strcmp(c.host, "db.example"),
	      "TCP URL with password and port");
	CHECK(db_config_parse("postgres://x/y", &c, err, sizeof(err)) == -1, "another scheme is refused");
	CHECK(db_config_parse("mysql://localhost/", &c, err, sizeof(err)) == -1, "a URL without database is refused");
}
