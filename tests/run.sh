#!/usr/bin/env bash
# run.sh - every test: unit, API against the normal and the sanitizer builds,
# the database-outage test, and the browser tests, each against its own
# database on a throwaway MariaDB (tmpfs, relaxed flushing). Ends with the
# line "N passed, N failed"; exits 1 when anything failed.
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
export DUDAO_TODAY=${DUDAO_TODAY:-2026-11-23}
OUT=$(mktemp -d /tmp/dudao-tests.XXXXXX)
base=/dev/shm
[ -d "$base" ] && [ -w "$base" ] || base=$ROOT/var
mkdir -p "$base"
DBDIR=$(mktemp -d "$base/dudao-testdb.XXXXXX")
SERVER_PID=
passed=0 failed=0

cleanup() {
	[ -n "$SERVER_PID" ] && kill -TERM "$SERVER_PID" 2>/dev/null
	scripts/db.sh test-stop "$DBDIR" >/dev/null 2>&1
	rm -rf "$OUT"
}
trap cleanup EXIT

# suite NAME CMD...: runs CMD, shows its output, adds its "N passed, N failed" line.
suite() {
	local name=$1 log=$OUT/$1.log line p f
	shift
	echo "== $name"
	"$@" >"$log" 2>&1
	local rc=$?
	grep -vE '^(ok|PASS) ' "$log" | tail -n 40
	line=$(grep -E '^([a-z-]+: )?[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)
	if [ -z "$line" ]; then
		echo "$name: no result line (exit $rc); counted as one failure"
		failed=$((failed + 1))
		return
	fi
	p=$(echo "$line" | sed -E 's/^([a-z-]+: )?([0-9]+) passed.*/\2/')
	f=$(echo "$line" | sed -E 's/.* ([0-9]+) failed.*/\1/')
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "$name: exit $rc with no failed test; counted as one failure"
		f=1
	fi
	passed=$((passed + p))
	failed=$((failed + f))
	echo "$name: $p passed, $f failed"
}

SOCK=$(scripts/db.sh test-start "$DBDIR") || { echo "cannot start the test database"; echo "0 passed, 1 failed"; exit 1; }
export DUDAO_TEST_SOCKET=$SOCK

suite unit build/unit_test
suite api env DUDAO_BIN="$ROOT/build/dudao" build/api_test
suite api-asan env DUDAO_BIN="$ROOT/build/asan/dudao" \
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:exitcode=86 UBSAN_OPTIONS=print_stacktrace=1 build/api_test
suite outage tests/outage.sh "$DBDIR"
suite migrate tests/migrate.sh
suite xlsx tests/xlsx.sh

# Browser tests: the real server with the demo county on a free port.
browser() {
	local db="mysql://root@localhost/dudao_browser?socket=$SOCK" pf=$OUT/port i
	DUDAO_DB=$db build/dudao migrate && DUDAO_DB=$db build/dudao demo || return 1
	DUDAO_DB=$db build/dudao serve --port 0 --port-file "$pf" >"$OUT/browser-server.log" 2>&1 &
	SERVER_PID=$!
	for i in $(seq 1 100); do [ -s "$pf" ] && break; sleep 0.1; done
	DUDAO_URL="http://127.0.0.1:$(cat "$pf")" node tests/browser/run.mjs
	local rc=$?
	kill -TERM "$SERVER_PID"; wait "$SERVER_PID"; SERVER_PID=
	return $rc
}
suite browser browser

echo
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
