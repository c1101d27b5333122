#!/usr/bin/env bash
# bench.sh - `make bench`: the timed benchmarks (never part of `make test`). Starts a
# benchmark MariaDB with DURABLE commits under var/bench-db (InnoDB defaults: the log
# is flushed at every commit; no relaxed flushing), a fresh database, `dudao migrate`
# and `dudao demo`, the server on a free port (workers = cores unless BENCH_WORKERS),
# then runs every scripts/bench-*.sh in name order, one after the other, and stops
# everything it started (also on error or signal). Runs unattended, as root or not,
# without a terminal. Results: var/bench/<timestamp>/results.txt (what the scripts
# printed), bench.log (progress), server.log (the request log), <suite>.jsonl.
#
# Settings: BENCH_DUR (seconds per measured run, default 15), BENCH_RUNS (runs per
# phase, reported as the median; default 3), BENCH_WORKERS (server workers),
# BENCH_BIN (the binary to measure, default build/dudao),
# BENCH_ONLY (a name, e.g. "rectify": run scripts/bench-rectify.sh only), and
# whatever a script documents (bench-rectify.sh: BENCH_REDMINE=0 skips Redmine).
#
# The contract of a scripts/bench-NAME.sh (executable; it may source
# scripts/bench/lib.sh for bench_wrk, bench_median, bench_sql, bench_token, bench_log):
#   It gets, exported:
#     DUDAO_URL          http://127.0.0.1:PORT of the running server
#     DUDAO_TOKEN        Bearer token of juzhang (bureau_head: sees and may write everything)
#     DUDAO_DB           mysql://root@localhost/dudao_bench?socket=... (the demo county,
#                        migrated; the script may add data, through the API or SQL)
#     DUDAO_BIN, DUDAO_ROOT, DUDAO_TODAY   the binary, the tree, the server's "today"
#     BENCH_DUR, BENCH_RUNS                as above
#     BENCH_RESULTS      the results directory; write files under $BENCH_RESULTS/NAME/
#     BENCH_SERVER_PID, BENCH_MARIADB_PID  for CPU time from /proc
#     BENCH_LUA_DIR      scripts/bench (done.lua and the wrk scripts)
#   It prints its results on stdout, as Markdown (a heading and a table, each figure
#   with its unit and the goal it is measured against); progress and diagnostics go
#   to stderr. It exits 0 when it measured everything (goals missed are not failures),
#   non-zero when it could not measure. It must not leave anything running and must
#   run nothing concurrently with its measurements.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
# shellcheck source=bench/lib.sh
. "$ROOT/scripts/bench/lib.sh"

export BENCH_DUR=${BENCH_DUR:-15} BENCH_RUNS=${BENCH_RUNS:-3}
export DUDAO_ROOT=$ROOT DUDAO_BIN=${BENCH_BIN:-$ROOT/build/dudao}
export DUDAO_TODAY=${DUDAO_TODAY:-$(TZ=Asia/Shanghai date +%F)}
BENCH_RESULTS=$ROOT/var/bench/$(date +%Y%m%d-%H%M%S)
export BENCH_RESULTS
DBDIR=$ROOT/var/bench-db
SERVER_PID='' CHILD_PID=''
mkdir -p "$BENCH_RESULTS"
exec 2> >(tee -a "$BENCH_RESULTS/bench.log" >&2)

cleanup() {
	local rc=$? _
	trap - EXIT INT TERM HUP PIPE
	exec 2>>"$BENCH_RESULTS/bench.log"   # the tee on stderr may be gone (killed with our caller)
	if [ -n "$CHILD_PID" ] && kill -0 "$CHILD_PID" 2>/dev/null; then
		# the script and what it runs (wrk, curl, python) form one process group
		bench_log "stopping $CHILD_PID (a benchmark script) and its processes"
		kill -TERM -- "-$CHILD_PID" 2>/dev/null; wait "$CHILD_PID" 2>/dev/null || true
	fi
	if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
		kill -TERM "$SERVER_PID"
		for _ in $(seq 1 100); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
	fi
	"$ROOT/scripts/db.sh" bench-stop "$DBDIR" || true
	bench_log "stopped the server and the benchmark database; results in $BENCH_RESULTS"
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP
trap 'exit 141' PIPE

# as_root CMD...: runs CMD as root (directly, or with sudo when it needs no password).
as_root() {
	if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo -n "$@"; fi
}

tools() {
	if ! command -v wrk >/dev/null; then
		bench_log "installing wrk (Debian package)"
		as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q -o DPkg::Lock::Timeout=600 wrk >&2 ||
			{ as_root apt-get update -qq && as_root env DEBIAN_FRONTEND=noninteractive \
				apt-get install -y -q -o DPkg::Lock::Timeout=600 wrk >&2; }
	fi
	local t
	for t in wrk curl python3 mariadb; do
		command -v "$t" >/dev/null || { bench_log "missing: $t"; exit 1; }
	done
	[ -x "$DUDAO_BIN" ] || { bench_log "no $DUDAO_BIN: run make bench (it builds first)"; exit 1; }
}

# The durable database, a fresh schema with the demo county, MariaDB's slow log.
database() {
	local sock
	sock=$("$ROOT/scripts/db.sh" bench-start "$DBDIR")
	export DUDAO_DB="mysql://root@localhost/dudao_bench?socket=$sock"
	export BENCH_MARIADB_PID; BENCH_MARIADB_PID=$(cat "$DBDIR/mysqld.pid")
	mariadb --no-defaults -uroot -S "$sock" -e "SET GLOBAL slow_query_log_file = '$BENCH_RESULTS/mariadb-slow.log';
		SET GLOBAL long_query_time = 0.02; SET GLOBAL slow_query_log = 1"
	"$DUDAO_BIN" dropdb >/dev/null 2>&1 || true
	"$DUDAO_BIN" migrate >&2
	"$DUDAO_BIN" demo >&2
}

server() {
	local pf=$BENCH_RESULTS/port _
	"$DUDAO_BIN" serve --port 0 --port-file "$pf" ${BENCH_WORKERS:+--workers "$BENCH_WORKERS"} \
		</dev/null >"$BENCH_RESULTS/server.log" 2>&1 &
	SERVER_PID=$!
	export BENCH_SERVER_PID=$SERVER_PID
	for _ in $(seq 1 100); do [ -s "$pf" ] && break; sleep 0.1; done
	DUDAO_URL="http://127.0.0.1:$(cat "$pf" 2>/dev/null)"
	export DUDAO_URL
	curl -fsS "$DUDAO_URL/healthz" >"$BENCH_RESULTS/healthz.json" ||
		{ bench_log "the server did not start:"; tail -n 20 "$BENCH_RESULTS/server.log" >&2; exit 1; }
	DUDAO_TOKEN=$(bench_token juzhang)
	[ -n "$DUDAO_TOKEN" ] || { bench_log "could not get a token for juzhang"; exit 1; }
	export DUDAO_TOKEN
}

header() {
	local sock=${DUDAO_DB##*socket=}
	echo "# Dudao benchmarks, $(date -Is)"
	echo
	echo "- machine: $(nproc) cores, $(awk '/MemTotal/{printf "%.1f GB", $2/1048576}' /proc/meminfo)," \
		"$(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -n 1)"
	echo "- server: $(sed 's/[{}"]//g' "$BENCH_RESULTS/healthz.json"); today $DUDAO_TODAY"
	echo "- database: $(mariadb --no-defaults -uroot -S "$sock" -N -B -e "SELECT CONCAT(VERSION(),
		', innodb_flush_log_at_trx_commit=', @@innodb_flush_log_at_trx_commit, ', doublewrite=', @@innodb_doublewrite,
		', binlog=', @@log_bin, ', buffer pool ', @@innodb_buffer_pool_size DIV 1048576, ' MB')"), datadir $DBDIR"
	echo "- each phase: ${BENCH_DUR} s x ${BENCH_RUNS} runs (median), wrk 1 thread; load average at start: $(bench_loadavg)"
	echo
}

# Server-side milliseconds per route, from the request log (ids folded to {id}).
route_times() {
	echo "## Server-side time per route (request log)"
	echo
	python3 - "$BENCH_RESULTS/server.log" <<'PY'
import re, sys, statistics as st
groups = {}
for line in open(sys.argv[1], errors='replace'):
    m = re.match(r'\S+ info (GET|POST|PUT|PATCH|DELETE) (\S+) (\d{3}) ([\d.]+)ms', line)
    if m:
        key = (m[1], re.sub(r'/\d+', '/{id}', m[2]), m[3])
        groups.setdefault(key, []).append(float(m[4]))
print('| route | status | count | median ms | p99 ms |')
print('|---|---|---|---|---|')
for (meth, path, status), v in sorted(groups.items(), key=lambda kv: -len(kv[1])):
    if len(v) < 20: continue
    v.sort()
    print(f'| {meth} {path} | {status} | {len(v)} | {st.median(v):.1f} | {v[min(len(v) - 1, int(len(v) * 0.99))]:.1f} |')
PY
	echo
	echo "Slow statements (>= 20 ms) in MariaDB's slow log: $(grep -c '^# Query_time' "$BENCH_RESULTS/mariadb-slow.log" 2>/dev/null || echo 0)"
}

run_scripts() {
	local s name rc failed=0
	for s in "$ROOT"/scripts/bench-*.sh; do
		[ -x "$s" ] || continue
		name=$(basename "$s" .sh); name=${name#bench-}
		[ -n "${BENCH_ONLY:-}" ] && [ "$BENCH_ONLY" != "$name" ] && continue
		bench_log "== $name ($s)"
		rc=0
		setsid "$s" </dev/null >"$BENCH_RESULTS/$name.md" &
		CHILD_PID=$!
		wait "$CHILD_PID" || rc=$?
		CHILD_PID=
		cat "$BENCH_RESULTS/$name.md" >>"$BENCH_RESULTS/results.txt"
		if [ "$rc" -ne 0 ]; then
			echo "**$name: could not measure everything (exit $rc); see bench.log**" >>"$BENCH_RESULTS/results.txt"
			failed=$((failed + 1))
		fi
		echo >>"$BENCH_RESULTS/results.txt"
	done
	return "$failed"
}

tools
database
server
header >"$BENCH_RESULTS/results.txt"
failed=0
run_scripts || failed=$?
route_times >>"$BENCH_RESULTS/results.txt"
cat "$BENCH_RESULTS/results.txt"
echo
echo "Results: $BENCH_RESULTS/results.txt"
[ "$failed" -eq 0 ]
