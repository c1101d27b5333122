/* server.c - the service under test: migrate a fresh database, load the demo
 * county, run `dudao serve` on a free port, and stop it cleanly at the end. */
#define _POSIX_C_SOURCE 200809L

#include "server.h"
#include "harness.h"

#include <errno.h>
#include <fcntl.h>
#include <mysql.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define SETUP_TIMEOUT_MS (300 * 1000) /* migrate and demo hash passwords; slow under ASan */
#define START_TIMEOUT_MS (10 * 1000)
#define STOP_TIMEOUT_MS (20 * 1000)

/* The process under test and where its files go. Set by server_start. */
static struct {
	const char *bin;
	char dir[256];        /* work directory: port file and log */
	char port_file[300];
	char log_file[300];
	pid_t pid;
} srv;

/* Waits up to timeout_ms for pid; returns 0 with *status filled, or -1 on timeout. */
static int wait_child(pid_t pid, long timeout_ms, int *status)
{
	for (long waited = 0; waited <= timeout_ms; waited += 20) {
		pid_t r = waitpid(pid, status, WNOHANG);

		if (r == pid)
			return 0;
		if (r < 0 && errno != EINTR)
			return -1;
		harness_sleep_ms(20);
	}
	return -1;
}

/* Starts `$DUDAO_BIN args...` with stdout to out_fd (-1: the log) and stderr to the log. */
static pid_t spawn(const char *const *args, int out_fd)
{
	pid_t pid = fork();

	if (pid == 0) {
		const char *argv[16];
		size_t n = 0;
		int log = open(srv.log_file, O_WRONLY | O_CREAT | O_APPEND, 0600);

		argv[n++] = srv.bin;
		for (size_t i = 0; args[i] && n < 15; i++)
			argv[n++] = args[i];
		argv[n] = NULL;
		if (log >= 0) {
			dup2(out_fd >= 0 ? out_fd : log, 1);
			dup2(log, 2);
		}
		execv(srv.bin, (char *const *)argv);
		perror("execv");
		_exit(127);
	}
	return pid;
}

/* Runs a command to completion; returns its exit status, or -1. */
static int run_cmd(const char *const *args, int out_fd, long timeout_ms)
{
	int status;
	pid_t pid = spawn(args, out_fd);

	if (pid < 0)
		return -1;
	if (wait_child(pid, timeout_ms, &status) < 0) {
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
		fprintf(stderr, "api_test: %s %s timed out\n", srv.bin, args[0]);
		return -1;
	}
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* Prints the end of the server log to stderr, to see why it failed. */
static void show_log_tail(void)
{
	char line[1024];
	FILE *f = fopen(srv.log_file, "r");
	long lines = 0, skip;

	if (!f)
		return;
	while (fgets(line, sizeof line, f))
		lines++;
	rewind(f);
	skip = lines > 60 ? lines - 60 : 0;
	fprintf(stderr, "api_test: last lines of %s:\n", srv.log_file);
	for (long i = 0; fgets(line, sizeof line, f); i++)
		if (i >= skip)
			fprintf(stderr, "  %s", line);
	fclose(f);
}

/* Sets the child environment: the database URL and the fixed "today". */
static int set_env(void)
{
	const char *sock = getenv("DUDAO_TEST_SOCKET");
	char url[1024];

	srv.bin = getenv("DUDAO_BIN");
	if (!srv.bin || !*srv.bin || !sock || !*sock) {
		fprintf(stderr, "api_test: set DUDAO_BIN and DUDAO_TEST_SOCKET\n");
		return -1;
	}
	snprintf(url, sizeof url, "mysql://root@localhost/dudao_api_%ld?socket=%s", (long)getpid(), sock);
	setenv("DUDAO_DB", url, 1);
	setenv("DUDAO_TODAY", "2026-11-23", 1);
	return 0;
}

/* Reads the port the server wrote, or 0 while it has not yet. */
static int read_port_file(void)
{
	FILE *f = fopen(srv.port_file, "r");
	int port = 0;

	if (!f)
		return 0;
	if (fscanf(f, "%d", &port) != 1)
		port = 0;
	fclose(f);
	return port > 0 && port < 65536 ? port : 0;
}

/* Starts `serve` and waits until the port file holds its port. Returns the port, or -1. */
static int start_serving(void)
{
	const char *args[] = {"serve", "--port", "0", "--port-file", srv.port_file, "--workers", "2", NULL};
	int status;

	srv.pid = spawn(args, -1);
	if (srv.pid < 0)
		return -1;
	for (long waited = 0; waited < START_TIMEOUT_MS; waited += 50) {
		int port = read_port_file();

		if (port)
			return port;
		if (waitpid(srv.pid, &status, WNOHANG) == srv.pid) {
			fprintf(stderr, "api_test: dudao serve exited early (status %d)\n", status);
			srv.pid = 0;
			return -1;
		}
		harness_sleep_ms(50);
	}
	fprintf(stderr, "api_test: no port in %s after %d ms\n", srv.port_file, START_TIMEOUT_MS);
	return -1;
}

int server_start(void)
{
	const char *migrate[] = {"migrate", NULL}, *demo[] = {"demo", NULL};
	int port;

	if (set_env() < 0)
		return -1;
	snprintf(srv.dir, sizeof srv.dir, "/tmp/dudao_api_%ld_XXXXXX", (long)getpid());
	if (!mkdtemp(srv.dir)) {
		perror("api_test: mkdtemp");
		return -1;
	}
	snprintf(srv.port_file, sizeof srv.port_file, "%s/port", srv.dir);
	snprintf(srv.log_file, sizeof srv.log_file, "%s/server.log", srv.dir);
	if (run_cmd(migrate, -1, SETUP_TIMEOUT_MS) != 0 || run_cmd(demo, -1, SETUP_TIMEOUT_MS) != 0) {
		fprintf(stderr, "api_test: dudao migrate or demo failed\n");
		show_log_tail();
		return -1;
	}
	port = start_serving();
	if (port < 0) {
		show_log_tail();
		if (srv.pid > 0) {
			kill(srv.pid, SIGKILL);
			waitpid(srv.pid, NULL, 0);
			srv.pid = 0;
		}
		return -1;
	}
	http_set_port(port);
	return 0;
}

char *server_run_capture(const char *arg)
{
	const char *args[] = {arg, NULL};
	char path[320], *text = NULL;
	FILE *f;
	long len;
	int fd, rc;

	snprintf(path, sizeof path, "%s/%s.out", srv.dir, arg);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0)
		return NULL;
	rc = run_cmd(args, fd, SETUP_TIMEOUT_MS);
	close(fd);
	f = fopen(path, "rb");
	if (rc == 0 && f && fseek(f, 0, SEEK_END) == 0 && (len = ftell(f)) >= 0) {
		rewind(f);
		text = calloc(1, (size_t)len + 1);
		if (text && fread(text, 1, (size_t)len, f) != (size_t)len) {
			free(text);
			text = NULL;
		}
	}
	if (f)
		fclose(f);
	unlink(path);
	return text;
}

/* Removes the work directory (only the files we put there). */
static void remove_dir(void)
{
	unlink(srv.port_file);
	unlink(srv.log_file);
	rmdir(srv.dir);
}

void server_stop(void)
{
	const char *dropdb[] = {"dropdb", NULL};
	int status = 0;

	if (!srv.bin || !srv.dir[0])
		return;
	if (srv.pid > 0) {
		kill(srv.pid, SIGTERM);
		if (wait_child(srv.pid, STOP_TIMEOUT_MS, &status) < 0) {
			CHECK(0, "dudao serve did not exit within %d ms of SIGTERM", STOP_TIMEOUT_MS);
			kill(srv.pid, SIGKILL);
			waitpid(srv.pid, &status, 0);
		} else if (!CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0,
				  "dudao serve exit status after SIGTERM: %s %d (a sanitizer report?)",
				  WIFEXITED(status) ? "exit" : "signal",
				  WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status))) {
			show_log_tail();
		}
		srv.pid = 0;
	}
	/* dropdb may not exist; the throwaway server is wiped anyway. */
	run_cmd(dropdb, -1, SETUP_TIMEOUT_MS);
	if (harness_failed() == 0)
		remove_dir();
	else
		fprintf(stderr, "api_test: server log kept in %s\n", srv.log_file);
}

const char *server_log_path(void)
{
	return srv.log_file;
}

MYSQL *server_db_connect(unsigned long flags)
{
	char dbname[64];
	MYSQL *m = mysql_init(NULL);
	snprintf(dbname, sizeof dbname, "dudao_api_%ld", (long)getpid());
	if (!m || !mysql_real_connect(m, NULL, "root", NULL, dbname, 0, getenv("DUDAO_TEST_SOCKET"), flags) ||
	    mysql_set_character_set(m, "utf8mb4")) {
		CHECK(0, "connecting to %s: %s", dbname, m ? mysql_error(m) : "no memory");
		mysql_close(m);
		return NULL;
	}
	return m;
}

/* A string and an integer parameter of a prepared statement. */
static MYSQL_BIND bind_str(const char *v, unsigned long *len)
{
	MYSQL_BIND b;
	memset(&b, 0, sizeof b);
	*len = strlen(v);
	b.buffer_type = MYSQL_TYPE_STRING;
	b.buffer = (void *)(uintptr_t)v;
	b.buffer_length = *len;
	b.length = len;
	return b;
}

static MYSQL_BIND bind_int(long long *v)
{
	MYSQL_BIND b;
	memset(&b, 0, sizeof b);
	b.buffer_type = MYSQL_TYPE_LONGLONG;
	b.buffer = v;
	return b;
}

/* Runs sql with the parameters b on m (a row set is read and dropped): the rows
 * it changed or found, or -1 with the error in err. */
static long long run_bound(MYSQL *m, const char *sql, MYSQL_BIND *b, char *err, size_t n)
{
	MYSQL_STMT *st = mysql_stmt_init(m);
	long long rows = -1;
	if (st && !mysql_stmt_prepare(st, sql, strlen(sql)) && !mysql_stmt_bind_param(st, b) &&
	    !mysql_stmt_execute(st) && !mysql_stmt_store_result(st))
		rows = mysql_stmt_field_count(st) ? (long long)mysql_stmt_num_rows(st)
						  : (long long)mysql_stmt_affected_rows(st);
	snprintf(err, n, "%s", st ? mysql_stmt_error(st) : mysql_error(m));
	if (st)
		mysql_stmt_close(st);
	return rows;
}

/* Runs a change of one row by hand on a connection of its own; 0, or -1 after a
 * failed CHECK naming what. */
static int by_hand(const char *sql, MYSQL_BIND *b, const char *what)
{
	char err[256];
	MYSQL *m = server_db_connect(0);
	int ok = m && run_bound(m, sql, b, err, sizeof err) == 1;
	if (m)
		CHECK(ok, "%s by hand: %s", what, err);
	mysql_close(m);
	return ok ? 0 : -1;
}

MYSQL *server_hold_row(const char *table, long long id)
{
	static const struct {
		const char *table, *sql;
	} holdable[] = {
		{"orgs", "SELECT id FROM orgs WHERE id = ? FOR UPDATE"},
		{"evidence", "SELECT id FROM evidence WHERE id = ? FOR UPDATE"},
	};
	MYSQL_BIND b[1] = {bind_int(&id)};
	char err[256] = "";
	size_t i;
	MYSQL *m;
	for (i = 0; i < sizeof holdable / sizeof holdable[0] && strcmp(holdable[i].table, table); i++)
		;
	if (!CHECK(i < sizeof holdable / sizeof holdable[0], "a row of %s can be held", table) ||
	    !(m = server_db_connect(0)))
		return NULL;
	if (mysql_query(m, "START TRANSACTION") || run_bound(m, holdable[i].sql, b, err, sizeof err) != 1) {
		CHECK(0, "holding row %lld of %s: %s%s", id, table, mysql_error(m), err);
		mysql_close(m);
		return NULL;
	}
	return m;
}

void server_release_row(MYSQL *m)
{
	harness_sleep_ms(400);
	if (m) {
		CHECK(mysql_query(m, "COMMIT") == 0, "the row let go");
		mysql_close(m);
	}
}

long server_log_lines(const char *a, const char *b)
{
	char line[2048];
	long n = 0;
	FILE *f = fopen(server_log_path(), "r");
	while (f && fgets(line, sizeof line, f))
		n += strstr(line, a) && strstr(line, b);
	if (f)
		fclose(f);
	return n;
}

int server_item_deadline(long long item, const char *deadline)
{
	unsigned long len;
	char what[96];
	MYSQL_BIND b[2] = {bind_str(deadline, &len), bind_int(&item)};
	snprintf(what, sizeof what, "the deadline of item %lld set to %s", item, deadline);
	return by_hand("UPDATE rectification_items SET deadline = ? WHERE id = ?", b, what);
}

int server_key_aged(const char *key)
{
	unsigned long len;
	char what[200];
	MYSQL_BIND b[1] = {bind_str(key, &len)};
	snprintf(what, sizeof what, "the Idempotency-Key %s made two days old", key);
	return by_hand("UPDATE idempotency_keys SET created_at = UTC_TIMESTAMP() - INTERVAL 2 DAY WHERE idem_key = ?", b,
		       what);
}
