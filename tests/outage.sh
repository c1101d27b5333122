#!/usr/bin/env bash
# outage.sh DBDIR - the database goes away under a running server and comes
# back: requests get 503 meanwhile, the service recovers by itself, and
# SIGTERM then stops it cleanly (exit 0). Uses the throwaway MariaDB in DBDIR.
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DIR=${1:?usage: outage.sh DBDIR}
BIN=${DUDAO_BIN:-$ROOT/build/dudao}
SOCK=$DIR/mysqld.sock
export DUDAO_DB="mysql://root@localhost/dudao_outage?socket=$SOCK"
TMP=$(mktemp -d)
passed=0 failed=0
check() { if eval "$2"; then passed=$((passed + 1)); echo "ok - $1"; else failed=$((failed + 1)); echo "not ok - $1"; fi; }
status() { curl -s -o "$TMP/body" -w '%{http_code}' "$@"; }

"$BIN" migrate 2>/dev/null && "$BIN" demo 2>/dev/null
"$BIN" serve --port 0 --port-file "$TMP/port" --workers 2 >"$TMP/log" 2>&1 &
pid=$!
for i in $(seq 1 100); do [ -s "$TMP/port" ] && break; sleep 0.1; done
URL="http://127.0.0.1:$(cat "$TMP/port")"

check "healthz 200 with the database up" '[ "$(status "$URL/healthz")" = 200 ]'
# Until the process is gone, not only its socket: while mariadbd is still exiting,
# db.sh test-start below would take it for running and not start it again.
dbpid=$(cat "$DIR/mysqld.pid")
kill -TERM "$dbpid"
for i in $(seq 1 600); do kill -0 "$dbpid" 2>/dev/null || break; sleep 0.05; done
check "healthz 503 with the database down" '[ "$(status "$URL/healthz")" = 503 ]'
check "an API call gets 503 in the error shape" \
	'[ "$(status -H "Content-Type: application/json" -d "{\"username\":\"admin\",\"password\":\"x\"}" "$URL/api/v1/session")" = 503 ] && grep -q "\"code\":\"unavailable\"" "$TMP/body"'
check "every worker answers 503, none hangs" \
	'for i in 1 2 3 4 5 6; do [ "$(status "$URL/healthz")" = 503 ] || exit 1; done; true'
"$ROOT/scripts/db.sh" test-start "$DIR" >/dev/null
check "healthz recovers by itself once the database is back" \
	'ok=0; for i in 1 2 3 4 5 6 7 8; do [ "$(status "$URL/healthz")" = 200 ] && ok=$((ok + 1)); done; [ $ok = 8 ]'
check "login works again after the outage" \
	'[ "$(status -H "Content-Type: application/json" -d "{\"username\":\"admin\",\"password\":\"Dudao@2026\"}" "$URL/api/v1/session")" = 201 ]'
kill -TERM "$pid"
wait "$pid"
rc=$?
check "SIGTERM stops the server cleanly (exit $rc)" '[ $rc = 0 ]'
check "the server logged the stop" 'grep -q "finishing requests and stopping" "$TMP/log"'
rm -rf "$TMP"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
