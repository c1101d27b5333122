/* server.h - start and stop the dudao binary under test against a fresh database
 * on the throwaway MariaDB named by DUDAO_TEST_SOCKET. */
#ifndef DUDAO_API_SERVER_H
#define DUDAO_API_SERVER_H

/* Creates the database dudao_api_<pid> (migrate), loads the demo county, starts
 * `serve --port 0 --workers 2` and points the HTTP client at it.
 * Returns 0, or -1 after printing what went wrong. */
int server_start(void);

/* Sends SIGTERM, waits, CHECKs the exit status is 0, then drops the database.
 * Keeps the work directory (logs) when any check failed. */
void server_stop(void);

/* Runs `$DUDAO_BIN <arg>` with the test environment and returns its standard
 * output as a new string the caller frees, or NULL when it did not exit 0. */
char *server_run_capture(const char *arg);

/* The server's log: its request lines (one per request, dispatch.c). */
const char *server_log_path(void);

/* A connection of the test's own to the database under test (for what a test does
 * beside the service: a change by hand, a table held); NULL after a failed CHECK. */
typedef struct st_mysql MYSQL;
MYSQL *server_db_connect(unsigned long flags);
/* Sets item's deadline in the database by hand, as an operator would (a prepared
 * UPDATE of one row); 0, or -1 after a failed CHECK. */
int server_item_deadline(long long item, const char *deadline);
/* Holds row id of table ("orgs" or "evidence") FOR UPDATE until
 * server_release_row: the service's writes that need it wait (a foreign key
 * check), and the requests sent meanwhile wait in the worker's sockets.
 * NULL after a failed CHECK. */
MYSQL *server_hold_row(const char *table, long long id);
/* Lets the row go once the requests sent had time to reach the server. */
void server_release_row(MYSQL *m);
/* How many lines of the server's log hold both needles. */
long server_log_lines(const char *a, const char *b);
/* Makes the Idempotency-Key key two days old (expired) by hand; 0, or -1 after a failed CHECK. */
int server_key_aged(const char *key);

#endif
