/* test_timeout.c - --timeout / DUDAO_TIMEOUT (and --cache-ms): out-of-range values
 * stop the start; with a 1 s timeout, an import that runs 2.5 s (the students table held
 * by another session) still gets its answer, and an upload that keeps sending
 * for longer than the timeout is read to the end (the timeout is idle time).
 * While an import waits, its worker answers other requests (imports run off
 * the loop). A second server, on the test database, is started for this with
 * one worker, and with --cache-ms 0: a list reads the database each time. */
#define _POSIX_C_SOURCE 200809L

#include "server.h"
#include "suites.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <mysql.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define HOLD_SQL "DO SLEEP(2.5); UNLOCK TABLES"

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Starts $DUDAO_BIN with args (NULL-terminated), stdout and stderr to log; env_set
 * ("NAME=value" or NULL) is added to its environment. Returns the pid or -1. */
static pid_t spawn_bin(const char *const *args, const char *log, const char *env_set)
{
	const char *bin = getenv("DUDAO_BIN");
	pid_t pid = bin ? fork() : -1;
	if (pid == 0) {
		const char *argv[16] = {bin};
		size_t n = 1;
		int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		for (size_t i = 0; args[i] && n < 15; i++)
			argv[n++] = args[i];
		argv[n] = NULL;
		if (env_set)
			putenv((char *)env_set);
		if (fd >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
		}
		execv(bin, (char *const *)argv);
		_exit(127);
	}
	return pid;
}

/* True when the file at path contains needle. */
static int file_has(const char *path, const char *needle)
{
	char buf[4096];
	size_t n;
	FILE *f = fopen(path, "r");
	if (!f)
		return 0;
	n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	return strstr(buf, needle) != NULL;
}

/* `serve` with a bad value of flag (or env_set instead) exits 2 at once, saying
 * what the value must be (says). */
static void refused_start(const char *flag, const char *value, const char *env_set, const char *says,
			  const char *log)
{
	const char *args[] = {"serve", "--port", "0", value ? flag : NULL, value, NULL};
	int status = -1;
	pid_t pid = spawn_bin(args, log, env_set);
	for (int waited = 0; pid > 0 && waited < 10000; waited += 20) {
		if (waitpid(pid, &status, WNOHANG) == pid)
			break;
		harness_sleep_ms(20);
	}
	if (pid > 0 && !(WIFEXITED(status) || WIFSIGNALED(status))) {
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
	}
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 2 && file_has(log, says),
	      "serve %s %s refuses to start with exit 2 and says why", value ? flag : env_set, value ? value : "");
}

static void flag_validation(const char *dir)
{
	static const char *const bad[] = {"0", "3601", "10s", "-5", ""};
	static const char timeout_says[] = "DUDAO_TIMEOUT must be a number from 1 to 3600";
	static const char cache_says[] = "DUDAO_CACHE_MS must be a number from 0 to 60000";
	char log[300];
	snprintf(log, sizeof log, "%s/refused.log", dir);
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		refused_start("--timeout", bad[i], NULL, timeout_says, log);
	refused_start(NULL, NULL, "DUDAO_TIMEOUT=0", timeout_says, log);
	refused_start(NULL, NULL, "DUDAO_TIMEOUT=99999", timeout_says, log);
	refused_start("--cache-ms", "60001", NULL, cache_says, log);
	refused_start("--cache-ms", "5s", NULL, cache_says, log);
	refused_start(NULL, NULL, "DUDAO_CACHE_MS=-1", cache_says, log);
	unlink(log);
}

/* ------------------------------------------------------------ the second server */

typedef struct {
	pid_t pid;
	char port_file[300], log[300];
	int port;
} short_server;

static int short_start(short_server *s, const char *dir)
{
	const char *args[] = {"serve", "--port", "0", "--port-file", s->port_file, "--workers", "1", "--timeout", "1",
			      "--cache-ms", "0", NULL};
	snprintf(s->port_file, sizeof s->port_file, "%s/port", dir);
	snprintf(s->log, sizeof s->log, "%s/serve.log", dir);
	s->pid = spawn_bin(args, s->log, NULL);
	for (int waited = 0; s->pid > 0 && waited < 20000; waited += 50) {
		FILE *f = fopen(s->port_file, "r");
		if (f && fscanf(f, "%d", &s->port) == 1 && s->port > 0) {
			fclose(f);
			return 1;
		}
		if (f)
			fclose(f);
		if (waitpid(s->pid, NULL, WNOHANG) == s->pid)
			break;
		harness_sleep_ms(50);
	}
	return CHECK(0, "serve --timeout 1 started (log %s)", s->log);
}

/* --cache-ms 0 (the second server's): a deadline changed by hand shows in the very
 * next list, where the first server keeps the list it answered (test_read_cache). */
static void cache_off(const client *head)
{
	char was[16];
	http_resp *r = api(head, "GET", "/api/v1/rectifications?per_page=1", NULL, NULL);
	long long id = r->status == 200 ? jint(r->json, "items.0.id") : 0;
	const char *deadline = r->status == 200 ? jstr(r->json, "items.0.deadline") : NULL;
	snprintf(was, sizeof was, "%s", deadline ? deadline : "");
	http_resp_free(r);
	if (!CHECK(id > 0 && *was, "the bureau head lists an item") || server_item_deadline(id, "2020-01-02") != 0)
		return;
	r = api(head, "GET", "/api/v1/rectifications?per_page=1", NULL, NULL);
	CHECK_STR(jstr(r->json, "items.0.deadline"), "2020-01-02", "with --cache-ms 0 the next list has it");
	http_resp_free(r);
	server_item_deadline(id, was);
}

/* Stops the second server unless a test did (pid 0), and removes its files. */
static void short_stop(short_server *s)
{
	int status = -1;
	if (s->pid > 0) {
		kill(s->pid, SIGTERM);
		waitpid(s->pid, &status, 0);
		CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "serve --timeout 1 stops cleanly (log %s)", s->log);
	}
	unlink(s->port_file);
	if (harness_failed() == 0)
		unlink(s->log);
}

/* Another session takes the students table and lets it go 2.5 s later by itself. NULL on failure. */
static MYSQL *hold_students(void)
{
	MYSQL *m = server_db_connect(CLIENT_MULTI_STATEMENTS);
	if (m && (mysql_query(m, "LOCK TABLES students WRITE") || mysql_send_query(m, HOLD_SQL, strlen(HOLD_SQL)))) {
		CHECK(0, "holding the students table: %s", mysql_error(m));
		mysql_close(m);
		return NULL;
	}
	return m;
}

static void hold_release(MYSQL *m)
{
	mysql_read_query_result(m);
	while (mysql_next_result(m) == 0)
		;
	mysql_close(m);
}

/* A real roster import that waits 2.5 s for the table answers 200, once. */
static void slow_import(const client *aid, const char *school_name)
{
	char id[19], csv[512], cookie[200], csrf[200], path[128];
	const char *h[] = {cookie, csrf, "Content-Type: text/csv", NULL};
	long long before = roster_count(aid, "students", NULL);
	MYSQL *m = hold_students();
	double start = now_s(), took;
	http_resp *r;
	if (!m)
		return;
	roster_id_number("20160701", 971, id);
	snprintf(csv, sizeof csv, "姓名,身份证号,学校,年级,类别\n慢导甲,%s,%s,三年级,建档立卡\n", id, school_name);
	snprintf(cookie, sizeof cookie, "Cookie: %s", aid->cookie);
	snprintf(csrf, sizeof csrf, "X-CSRF-Token: %s", aid->csrf);
	r = http_do("POST", "/api/v1/imports/roster?file_name=slow.csv", h, csv, strlen(csv));
	took = now_s() - start;
	hold_release(m);
	CHECK(took >= 2.0, "the import waited for the table (%.2f s), longer than the 1 s timeout", took);
	CHECK(r->status == 200 && jint(r->json, "added") == 1,
	      "the slow import gets its answer (status %d, %.2f s): %.200s", r->status, took, r->body ? r->body : "");
	http_resp_free(r);
	CHECK_INT(roster_count(aid, "students", NULL), before + 1, "students after the slow import");
	snprintf(path, sizeof path, "/api/v1/students?id_number=%s", id);
	CHECK_INT(roster_count(aid, "students", strchr(path, '?') + 1), 1, "the student was written once");
}

/* A dry run whose body comes in four pieces 600 ms apart (2.4 s in all, never
 * 1 s idle) is read to the end and answered. */
static void trickled_upload(const client *aid, const char *school_name)
{
	char id[19], csv[512], head[1024], answer[16384] = "";
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)http_port())};
	struct timeval tv = {10, 0};
	size_t len, part;
	ssize_t n = 0;
	int fd = socket(AF_INET, SOCK_STREAM, 0), ok;
	roster_id_number("20160702", 972, id);
	snprintf(csv, sizeof csv, "姓名,身份证号,学校,年级,类别\n慢传甲,%s,%s,三年级,建档立卡\n", id, school_name);
	len = strlen(csv);
	part = len / 4;
	snprintf(head, sizeof head, "POST /api/v1/imports/roster?dry_run=1 HTTP/1.1\r\nHost: 127.0.0.1\r\n"
				    "Cookie: %s\r\nX-CSRF-Token: %s\r\nContent-Type: text/csv\r\nContent-Length: %zu\r\n"
				    "Connection: close\r\n\r\n", aid->cookie, aid->csrf, len);
	inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr);
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	ok = fd >= 0 && connect(fd, (struct sockaddr *)&sa, sizeof sa) == 0 && http_send_all(fd, head, strlen(head)) == 0;
	for (int i = 0; ok && i < 4; i++) {
		harness_sleep_ms(600);
		ok = http_send_all(fd, csv + i * part, i == 3 ? len - 3 * part : part) == 0;
	}
	for (len = 0; ok && len < sizeof answer - 1 && (n = recv(fd, answer + len, sizeof answer - 1 - len, 0)) > 0;)
		len += (size_t)n;
	answer[ok ? len : 0] = '\0';
	if (fd >= 0)
		close(fd);
	CHECK(!strncmp(answer, "HTTP/1.1 200", 12) && strstr(answer, "\"dry_run\":true"),
	      "an upload sent over 2.4 s with pauses under the 1 s timeout is answered: %.120s", answer);
}

/* A socket connected to the server under test, with a 10 s receive timeout; -1 on failure. */
static int raw_connect(void)
{
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)http_port())};
	struct timeval tv = {10, 0};
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr);
	if (fd >= 0 && (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv) != 0 ||
			connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0)) {
		close(fd);
		fd = -1;
	}
	return fd;
}

/* Sends a roster import of one student (name; id number from birth and serial
 * into id) on a new socket with Connection: close, then waits 300 ms: the import
 * is then waiting for the table held by hold_students. The socket, or -1. */
static int send_waiting_import(const client *aid, const char *school_name, const char *name, const char *birth,
			       int serial, char id[19])
{
	char csv[512], head[1024];
	int fd = raw_connect();
	roster_id_number(birth, serial, id);
	snprintf(csv, sizeof csv, "姓名,身份证号,学校,年级,类别\n%s,%s,%s,三年级,建档立卡\n", name, id, school_name);
	snprintf(head, sizeof head, "POST /api/v1/imports/roster HTTP/1.1\r\nHost: 127.0.0.1\r\n"
				    "Cookie: %s\r\nX-CSRF-Token: %s\r\nContent-Type: text/csv\r\nContent-Length: %zu\r\n"
				    "Connection: close\r\n\r\n%s", aid->cookie, aid->csrf, strlen(csv), csv);
	if (!CHECK(fd >= 0 && http_send_all(fd, head, strlen(head)) == 0, "the import of %s was sent", name) && fd >= 0) {
		close(fd);
		fd = -1;
	}
	harness_sleep_ms(300);
	return fd;
}

/* Everything the server sends on fd until it closes, NUL-terminated into buf; closes fd. */
static void recv_until_closed(int fd, char *buf, size_t size)
{
	size_t len = 0;
	ssize_t n;
	while (fd >= 0 && len < size - 1 && (n = recv(fd, buf + len, size - 1 - len, 0)) > 0)
		len += (size_t)n;
	buf[len] = '\0';
	if (fd >= 0)
		close(fd);
}

/* With the one worker's import waiting for the table, /healthz and a list are
 * answered, and the import's answer comes only after them, once the table is free. */
static void import_beside_others(const client *aid, const char *school_name)
{
	char id[19], answer[16384];
	MYSQL *m = hold_students();
	int fd = m ? send_waiting_import(aid, school_name, "旁导甲", "20160703", 973, id) : -1;
	struct pollfd pfd = {.fd = fd, .events = POLLIN};
	http_resp *r = http_do("GET", "/healthz", NULL, NULL, 0);
	CHECK(r->status == 200, "the worker answers /healthz while its import waits (status %d)", r->status);
	http_resp_free(r);
	r = api(aid, "GET", "/api/v1/orgs?per_page=1", NULL, NULL); /* a table the import does not wait for */
	CHECK(r->status == 200, "and a list (status %d)", r->status);
	http_resp_free(r);
	CHECK(fd >= 0 && poll(&pfd, 1, 0) == 0, "the import has not answered before them");
	if (m)
		hold_release(m);
	recv_until_closed(fd, answer, sizeof answer);
	CHECK(!strncmp(answer, "HTTP/1.1 200", 12) && strstr(answer, "\"added\":1"),
	      "the import is answered once the table is free: %.200s", answer);
}

/* A client that leaves while its import waits: the import still commits (what
 * was sent is kept) and the server goes on serving (under ASan too: the answer
 * to a closed connection frees only what it must). */
static void import_client_leaves(const client *aid, const char *school_name)
{
	char id[19], path[128];
	long long before = roster_count(aid, "students", NULL), now = before;
	MYSQL *m = hold_students();
	int fd = m ? send_waiting_import(aid, school_name, "离导甲", "20160704", 974, id) : -1;
	http_resp *r;
	if (fd >= 0)
		close(fd);
	if (m)
		hold_release(m);
	for (int waited = 0; now == before && waited < 10000; waited += 100) {
		harness_sleep_ms(100);
		now = roster_count(aid, "students", NULL);
	}
	CHECK_INT(now, before + 1, "the import of the client who left was kept");
	snprintf(path, sizeof path, "id_number=%s", id);
	CHECK_INT(roster_count(aid, "students", path), 1, "its student was written once");
	r = http_do("GET", "/healthz", NULL, NULL, 0);
	CHECK(r->status == 200, "the server goes on serving (status %d)", r->status);
	http_resp_free(r);
}

/* SIGTERM while an import waits: the server stops accepting, answers the import
 * once the table is free, then exits 0 (the last test of the second server). */
static void stop_during_import(const client *aid, const char *school_name, short_server *srv)
{
	char id[19], answer[16384];
	int status = -1;
	MYSQL *m = hold_students();
	int fd = m ? send_waiting_import(aid, school_name, "停导甲", "20160705", 975, id) : -1;
	kill(srv->pid, SIGTERM);
	harness_sleep_ms(300);
	CHECK(waitpid(srv->pid, &status, WNOHANG) == 0, "the server waits for the import it is running");
	if (m)
		hold_release(m);
	recv_until_closed(fd, answer, sizeof answer);
	CHECK(!strncmp(answer, "HTTP/1.1 200", 12) && strstr(answer, "\"added\":1"),
	      "the import is answered after SIGTERM: %.200s", answer);
	waitpid(srv->pid, &status, 0);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "then the server exits 0 (log %s)", srv->log);
	srv->pid = 0;
}

void test_timeout(void)
{
	char dir[] = "/tmp/dudao_timeout_XXXXXX";
	short_server s = {0};
	roster_demo d;
	int main_port = http_port();
	harness_group("timeout: --timeout, slow imports and slow uploads");
	if (!mkdtemp(dir) || !roster_schools(&d))
		return;
	flag_validation(dir);
	if (short_start(&s, dir)) {
		http_set_port(s.port);
		cache_off(&d.head);
		slow_import(&d.aid, d.school_name);
		trickled_upload(&d.aid, d.school_name);
		import_beside_others(&d.aid, d.school_name);
		import_client_leaves(&d.aid, d.school_name);
		stop_during_import(&d.aid, d.school_name, &s);
		http_set_port(main_port);
	}
	short_stop(&s);
	rmdir(dir);
}
