#!/usr/bin/env bash
# xlsx.sh - the ledger's XLSX opens cleanly in LibreOffice with the Chinese
# intact: the workbook is downloaded from the real server, converted to CSV by
# LibreOffice (headless) and compared with the JSON ledger of the same filters.
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=${DUDAO_BIN:-$ROOT/build/dudao}
SOCK=${DUDAO_TEST_SOCKET:?the test runner sets DUDAO_TEST_SOCKET}
TMP=$(mktemp -d)
export DUDAO_DB="mysql://root@localhost/dudao_xlsx_test?socket=$SOCK"
passed=0 failed=0
check() { if eval "$2"; then passed=$((passed + 1)); echo "ok - $1"; else failed=$((failed + 1)); echo "not ok - $1"; fi; }
finish() { [ -n "${pid:-}" ] && kill -TERM "$pid" 2>/dev/null && wait "$pid"; "$BIN" dropdb >/dev/null 2>&1; rm -rf "$TMP"; }
trap finish EXIT

"$BIN" dropdb >/dev/null 2>&1
"$BIN" migrate >/dev/null 2>&1 && "$BIN" demo >/dev/null 2>&1
"$BIN" serve --port 0 --port-file "$TMP/port" --workers 1 >"$TMP/log" 2>&1 &
pid=$!
for i in $(seq 1 100); do [ -s "$TMP/port" ] && break; sleep 0.1; done
URL="http://127.0.0.1:$(cat "$TMP/port")"
curl -s -c "$TMP/jar" -H 'Content-Type: application/json' \
	-d '{"username":"juzhang","password":"Dudao@2026"}' "$URL/api/v1/session" >/dev/null
curl -s -b "$TMP/jar" "$URL/api/v1/rectifications/ledger?per_page=1" >"$TMP/ledger.json"
curl -s -b "$TMP/jar" -D "$TMP/headers" -o "$TMP/ledger.xlsx" "$URL/api/v1/rectifications/ledger?format=xlsx"
total=$(grep -o '"total":[0-9]*' "$TMP/ledger.json" | tail -n 1 | cut -d: -f2)
sentence=$(grep -o '"sentence":"[^"]*"' "$TMP/ledger.json" | cut -d'"' -f4)

check "the ledger is served as XLSX" 'grep -qi "spreadsheetml.sheet" "$TMP/headers" && [ "$(head -c 2 "$TMP/ledger.xlsx")" = PK ]'
check "the download has a Chinese file name" 'grep -qi "filename\*=UTF-8'"''"'" "$TMP/headers"'
soffice -env:UserInstallation="file://$TMP/profile" --headless --norestore \
	--convert-to 'csv:Text - txt - csv (StarCalc):44,34,76' --outdir "$TMP" "$TMP/ledger.xlsx" >"$TMP/lo.log" 2>&1
check "LibreOffice opens and converts the workbook" '[ -s "$TMP/ledger.csv" ]'
check "the header row is intact Chinese" 'grep -q "序号,街镇,学校" "$TMP/ledger.csv"'
check "the summary sentence is in the sheet, as in the JSON ledger" '[ -n "$sentence" ] && grep -qF "$sentence" "$TMP/ledger.csv"'
check "a school directly under the bureau says so in 街镇, as the 督导意见书 does" 'grep -q "^[0-9]*,教育局直属," "$TMP/ledger.csv"'
rows=$(awk -F, '$1 ~ /^[0-9]+$/' "$TMP/ledger.csv" | wc -l)
check "one numbered row per ledger item ($rows rows, $total items)" '[ -n "$total" ] && [ "$rows" -eq "$total" ]'
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
