#!/usr/bin/env bash
# bench-roster.sh - issue 3's benchmark, run by scripts/bench.sh (contract there):
#   demo      GET /api/v1/metrics/pairing-coverage of the demo county (by town), 200
#             sequential requests on one keep-alive connection after 10 to warm up:
#             median and p99 against the goal of 20 ms
#   province  a province in a database of its own on the same durable MariaDB
#             (dudao_bench_province, its own dudao server): 400 towns and 20,000
#             schools created through the API, a generated roster of 2,000,000
#             students (scripts/bench/roster_gen.awk: deterministic, valid ID
#             numbers) imported through POST /api/v1/imports/roster in chunks of
#             100,000 rows (rows/s over the whole import and the median chunk, goal
#             20,000), the pairing register of most of them (one helper each, a
#             second for 3 in 100, none for 4 in 100) through /imports/pairings,
#             then coverage by town at the root (median of 5 after one warm-up,
#             goal 2 s) and of one town, then one chunk imported again with every
#             row changed (rows/s, goal 20,000).
# Prints a Markdown table of the figures against the goals, with the load average
# before each measurement (the box is shared: read the figures with it). Removes
# what it made (the province database, its server, the CSV files) also on error.
#
# Settings: BENCH_ROSTER_TOWNS (400), BENCH_ROSTER_SCHOOLS (schools per town, 50),
# BENCH_ROSTER_STUDENTS (per school, 100), BENCH_ROSTER_CHUNK (rows per upload,
# 100000; an upload is at most 12 MiB, ~110,000 rows), BENCH_ROSTER_POOL (the
# InnoDB buffer pool during the province phase, default 1G: the demo's 256 MB
# cannot hold the indexes coverage reads for 2,000,000 students, which a server
# of that size would; "keep" leaves it; restored afterwards), BENCH_ROSTER_KEEP=1
# keeps the province database and the files for a look afterwards.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$ROOT/scripts/bench/lib.sh"
GEN=$ROOT/scripts/bench/roster_gen.awk
TOWNS=${BENCH_ROSTER_TOWNS:-400}
PER_TOWN=${BENCH_ROSTER_SCHOOLS:-50}
PER_SCHOOL=${BENCH_ROSTER_STUDENTS:-100}
CHUNK=${BENCH_ROSTER_CHUNK:-100000}
POOL=${BENCH_ROSTER_POOL:-1G}
TOTAL=$((TOWNS * PER_TOWN * PER_SCHOOL))
NCHUNKS=$(((TOTAL + CHUNK - 1) / CHUNK))
OUT=$BENCH_RESULTS/roster
SOCK=${DUDAO_DB##*socket=}
PDB=dudao_bench_province
PURL=mysql://root@localhost/$PDB?socket=$SOCK
PW=Bench-Province@2026
WORK=$(mktemp -d "${TMPDIR:-/tmp}/dudao-bench-roster.XXXXXX")
PSERVER= POOL_BEFORE=
mkdir -p "$OUT"

sql() { mariadb --no-defaults -uroot -S "$SOCK" -N -B "$@"; }
gen() { awk -v towns="$TOWNS" -v schools_per_town="$PER_TOWN" -v per_school="$PER_SCHOOL" "$@" -f "$GEN" </dev/null; }

cleanup() {
	local rc=$? i
	trap - EXIT INT TERM
	if [ -n "$PSERVER" ] && kill -0 "$PSERVER" 2>/dev/null; then
		kill -TERM "$PSERVER"
		for i in $(seq 1 300); do kill -0 "$PSERVER" 2>/dev/null || break; sleep 0.1; done
	fi
	if [ "${BENCH_ROSTER_KEEP:-0}" != 1 ]; then
		sql -e "DROP DATABASE IF EXISTS $PDB" || true
		rm -rf "$WORK"
	else
		bench_log "kept $PDB and $WORK"
	fi
	[ -n "$POOL_BEFORE" ] && sql -e "SET GLOBAL innodb_buffer_pool_size = $POOL_BEFORE" || true
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 143' TERM
trap 'exit 130' INT

# ms_stats FILE: "median p99" of the milliseconds in FILE, one a line.
ms_stats() {
	sort -n "$1" | awk '{v[NR] = $1} END {
		m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
		p = int(NR * 0.99); if (p < NR * 0.99) p++; if (p < 1) p = 1
		printf "%.1f %.1f\n", m, v[p] }'
}

# timed_gets URL TOKEN N WARM FILE: N sequential GETs on one keep-alive connection
# after WARM unmeasured ones; the milliseconds of each into FILE. Fails on a non-200.
timed_gets() {
	python3 - "$@" <<'PY'
import http.client, sys, time, urllib.parse
url, token, n, warm, out = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
u = urllib.parse.urlparse(url)
c = http.client.HTTPConnection(u.hostname, u.port, timeout=300)
path = u.path + '?' + (u.query + '&' if u.query else '')
times = []
for i in range(warm + n):
    t = time.perf_counter()
    # a parameter of its own (ignored by the service): the read cache never answers,
    # so each figure is the computation's
    c.request('GET', path + '_=%d' % i, headers={'Authorization': 'Bearer ' + token})
    r = c.getresponse()
    body = r.read()
    if r.status != 200:
        sys.exit('GET %s: %d %s' % (path, r.status, body[:300]))
    if i >= warm:
        times.append((time.perf_counter() - t) * 1000)
open(out, 'w').write(''.join('%.3f\n' % x for x in times))
open(out + '.json', 'wb').write(body)
PY
}

# upload URL TOKEN ROUTE FILE NAME: POSTs a CSV file to /api/v1/imports/ROUTE; prints
# "seconds added changed unchanged rejected"; fails unless the import was written.
# The server drops a connection whose request ran past its 30 s timeout even when
# it answered: then the import's audit entry (file_name NAME.csv) tells what it wrote.
upload() {
	local url=$1 token=$2 route=$3 file=$4 name=$5 code audited
	code=$(curl -sS -o "$OUT/$name.json" -w '%{http_code} %{time_total}' -H 'Expect:' \
		-H "Authorization: Bearer $token" -H 'Content-Type: text/csv' --data-binary "@$file" \
		"$url/api/v1/imports/$route?file_name=$name.csv" || true)
	if [ "${code%% *}" != 200 ]; then
		audited=$(sql "$PDB" -e "SELECT after_json FROM audit_log WHERE action = 'import' AND
			JSON_VALUE(after_json, '$.file_name') = '$name.csv' ORDER BY id DESC LIMIT 1")
		if [ -z "$audited" ]; then
			bench_log "import $name: HTTP ${code%% *} after ${code#* } s"; head -c 600 "$OUT/$name.json" >&2 || true
			return 1
		fi
		bench_log "import $name: connection dropped after ${code#* } s (server timeout), written: $audited"
		echo "$audited" >"$OUT/$name.json"
		echo "${code#* } s, response lost: counts from the audit log" >>"$OUT/dropped.txt"
	fi
	# the counts lead the answer and the audit entry: {"added":N,"changed":N,"unchanged":N,...}
	echo "${code#* } $(grep -o '"\(added\|changed\|unchanged\)": *[0-9]*' "$OUT/$name.json" | head -n 3 |
		sed 's/.*: *//' | tr '\n' ' ')$(grep -o '"rejected": *[0-9]*' "$OUT/$name.json" | head -n 1 | sed 's/.*: *//')"
}

# ---------------------------------------------------------------- demo county

demo_coverage() {
	bench_log "demo county: coverage by town, 200 sequential requests"
	DEMO_LOAD=$(bench_loadavg)
	timed_gets "$DUDAO_URL/api/v1/metrics/pairing-coverage" "$DUDAO_TOKEN" 200 10 "$OUT/demo-coverage.ms"
	read -r DEMO_MED DEMO_P99 < <(ms_stats "$OUT/demo-coverage.ms")
	DEMO_ELIGIBLE=$(python3 -c 'import json, sys; d = json.load(open(sys.argv[1]))
print("%d eligible in %d rows" % (d["totals"]["eligible"], len(d["rows"])))' "$OUT/demo-coverage.ms.json")
}

# ---------------------------------------------------------------- province

province_server() {
	local i
	sql -e "DROP DATABASE IF EXISTS $PDB"
	DUDAO_DB=$PURL "$DUDAO_BIN" migrate >&2
	DUDAO_DB=$PURL DUDAO_PASSWORD=$PW "$DUDAO_BIN" user add benchadmin admin >&2
	DUDAO_DB=$PURL "$DUDAO_BIN" serve --port 0 --port-file "$WORK/port" ${BENCH_WORKERS:+--workers "$BENCH_WORKERS"} \
		</dev/null >"$OUT/province-server.log" 2>&1 &
	PSERVER=$!
	for i in $(seq 1 100); do [ -s "$WORK/port" ] && break; sleep 0.1; done
	PROV_URL=http://127.0.0.1:$(cat "$WORK/port")
	PROV_TOKEN=$(DUDAO_URL=$PROV_URL bench_token benchadmin "$PW")
	[ -n "$PROV_TOKEN" ] || { bench_log "no token from the province server"; return 1; }
	ROOT_ID=$(sql "$PDB" -e "SELECT id FROM orgs WHERE parent_id IS NULL")
	curl -fsS -o /dev/null -X PATCH -H "Authorization: Bearer $PROV_TOKEN" -H 'Content-Type: application/json' \
		-d '{"version": 1, "name": "基准省教育厅"}' "$PROV_URL/api/v1/orgs/$ROOT_ID"
}

province_orgs() {
	local t0
	bench_log "province: $TOWNS towns and $((TOWNS * PER_TOWN)) schools through POST /api/v1/orgs"
	t0=$(date +%s.%N)
	gen -v mode=orgs | DUDAO_URL=$PROV_URL DUDAO_TOKEN=$PROV_TOKEN python3 "$ROOT/scripts/bench/roster_orgs.py" "$ROOT_ID" 4 >&2
	ORGS_SECONDS=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN {printf "%.0f", b - a}')
}

# import_all ROUTE MODE: generates every chunk, then uploads them one after the other.
# Sets IMPORT_ROWS, IMPORT_SECONDS (the uploads' times added up), IMPORT_WALL (the
# phase's wall time, with the script's own work between uploads), IMPORT_MEDIAN
# (rows/s of the median chunk), IMPORT_LOAD.
import_all() {
	local route=$1 mode=$2 k t0 line secs added rows=0
	bench_log "province: generating the $route CSV ($NCHUNKS chunks)"
	for k in $(seq 0 $((NCHUNKS - 1))); do
		gen -v mode="$mode" -v from=$((k * CHUNK)) -v n="$CHUNK" >"$WORK/$route-$k.csv"
	done
	BENCH_SERVER_PID=$PSERVER bench_drain
	IMPORT_LOAD=$(bench_loadavg)
	bench_log "province: importing $route, load average $IMPORT_LOAD"
	: >"$OUT/$route-chunks.txt"
	t0=$(date +%s.%N)
	for k in $(seq 0 $((NCHUNKS - 1))); do
		line=$(upload "$PROV_URL" "$PROV_TOKEN" "$route" "$WORK/$route-$k.csv" "$route-$k")
		read -r secs added _ <<<"$line"
		echo "$k $line $(bench_loadavg)" >>"$OUT/$route-chunks.txt"
		bench_log "  $route chunk $k: $added added in $secs s"
		rows=$((rows + added))
		rm -f "$WORK/$route-$k.csv"
	done
	IMPORT_ROWS=$rows
	IMPORT_WALL=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN {printf "%.1f", b - a}')
	IMPORT_SECONDS=$(awk '{s += $2} END {printf "%.1f", s}' "$OUT/$route-chunks.txt")
	IMPORT_MEDIAN=$(awk '{r = ($3 + $4 + $5) / $2; print r}' "$OUT/$route-chunks.txt" | sort -n |
		awk '{v[NR] = $1} END {printf "%.0f", NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}')
}

province_coverage() {
	local town
	BENCH_SERVER_PID=$PSERVER bench_drain
	COV_LOAD=$(bench_loadavg)
	bench_log "province: coverage by town at the root, 5 requests after 1, load average $COV_LOAD"
	timed_gets "$PROV_URL/api/v1/metrics/pairing-coverage" "$PROV_TOKEN" 5 1 "$OUT/province-coverage.ms"
	read -r COV_MED _ < <(ms_stats "$OUT/province-coverage.ms")
	COV_FIGURES=$(python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); t = d["totals"]
print("%d rows; %d eligible, %d paired (%.1f%%); %d helpers" % (len(d["rows"]), t["eligible"], t["paired"],
      t["coverage_permille"] / 10, d["split"]["helpers"]))' "$OUT/province-coverage.ms.json")
	town=$(sql "$PDB" -e "SELECT id FROM orgs WHERE kind = 'town' ORDER BY id LIMIT 1")
	timed_gets "$PROV_URL/api/v1/metrics/pairing-coverage?org_id=$town" "$PROV_TOKEN" 5 1 "$OUT/town-coverage.ms"
	read -r TOWN_MED _ < <(ms_stats "$OUT/town-coverage.ms")
}

province_changed() {
	local line secs changed
	gen -v mode=roster -v from=0 -v n="$CHUNK" -v changed=1 >"$WORK/changed.csv"
	BENCH_SERVER_PID=$PSERVER bench_drain
	CHANGED_LOAD=$(bench_loadavg)
	bench_log "province: one chunk again, every row changed, load average $CHANGED_LOAD"
	line=$(upload "$PROV_URL" "$PROV_TOKEN" roster "$WORK/changed.csv" roster-changed)
	read -r secs _ changed _ <<<"$line"
	[ "$changed" -eq "$CHUNK" ] || { bench_log "the changed chunk changed $changed rows, not $CHUNK"; return 1; }
	CHANGED_SECONDS=$secs
	CHANGED_RATE=$(awk -v n="$changed" -v s="$secs" 'BEGIN {printf "%.0f", n / s}')
}

province() {
	if [ "$POOL" != keep ]; then
		POOL_BEFORE=$(sql -e "SELECT @@innodb_buffer_pool_size")
		sql -e "SET GLOBAL innodb_buffer_pool_size = $(numfmt --from=iec "$POOL")"
	fi
	province_server
	province_orgs
	import_all roster roster
	ROSTER_ROWS=$IMPORT_ROWS ROSTER_SECONDS=$IMPORT_SECONDS ROSTER_MEDIAN=$IMPORT_MEDIAN ROSTER_LOAD=$IMPORT_LOAD
	ROSTER_WALL=$IMPORT_WALL
	[ "$ROSTER_ROWS" -eq "$TOTAL" ] || { bench_log "imported $ROSTER_ROWS students, not $TOTAL"; return 1; }
	import_all pairings pairings
	PAIR_ROWS=$IMPORT_ROWS PAIR_SECONDS=$IMPORT_SECONDS PAIR_LOAD=$IMPORT_LOAD
	province_coverage
	province_changed
}

# goal_met VALUE OP LIMIT: "yes" or "no".
goal_met() { awk -v v="$1" -v l="$3" -v op="$2" 'BEGIN {print ((op == "<" ? v < l : v >= l) ? "yes" : "no")}'; }

report() {
	local rate
	rate=$(awk -v n="$ROSTER_ROWS" -v s="$ROSTER_SECONDS" 'BEGIN {printf "%.0f", n / s}')
	echo "## Roster, pairings and coverage (issue 3)"
	echo
	echo "Demo county: $DEMO_ELIGIBLE. Province: $TOWNS towns, $((TOWNS * PER_TOWN)) schools (created in" \
		"$ORGS_SECONDS s), $TOTAL students in $NCHUNKS CSV uploads of $CHUNK rows; InnoDB buffer pool" \
		"$(sql -e "SELECT @@innodb_buffer_pool_size DIV 1048576") MB during the province phase; coverage: $COV_FIGURES."
	echo
	echo "| measure | result | goal | met | load average before |"
	echo "|---|---|---|---|---|"
	echo "| demo county coverage by town, median of 200 sequential | $DEMO_MED ms | < 20 ms | $(goal_met "$DEMO_MED" '<' 20) | $DEMO_LOAD |"
	echo "| demo county coverage by town, p99 of 200 | $DEMO_P99 ms | | | |"
	echo "| province roster import, $ROSTER_ROWS new rows | $rate rows/s ($ROSTER_SECONDS s of uploads, $ROSTER_WALL s wall) | >= 20,000 rows/s | $(goal_met "$rate" '>=' 20000) | $ROSTER_LOAD |"
	echo "| province roster import, median chunk | $ROSTER_MEDIAN rows/s | >= 20,000 rows/s | $(goal_met "$ROSTER_MEDIAN" '>=' 20000) | |"
	echo "| pairing register import, $PAIR_ROWS pairings | $(awk -v n="$PAIR_ROWS" -v s="$PAIR_SECONDS" 'BEGIN {printf "%.0f", n / s}') rows/s ($PAIR_SECONDS s) | | | $PAIR_LOAD |"
	echo "| province coverage by town at the root, median of 5 | $(awk -v m="$COV_MED" 'BEGIN {printf "%.2f", m / 1000}') s | < 2 s | $(goal_met "$COV_MED" '<' 2000) | $COV_LOAD |"
	echo "| province coverage of one town, median of 5 | $TOWN_MED ms | | | |"
	echo "| re-import of $CHUNK rows, every row changed | $CHANGED_RATE rows/s ($CHANGED_SECONDS s) | >= 20,000 rows/s | $(goal_met "$CHANGED_RATE" '>=' 20000) | $CHANGED_LOAD |"
	echo
	echo "Per chunk (seconds, added, changed, unchanged, rejected, load average): $OUT/roster-chunks.txt, pairings-chunks.txt."
	if [ -s "$OUT/dropped.txt" ]; then
		echo "$(wc -l <"$OUT/dropped.txt") uploads ran past the server's 30 s timeout: written, their answer lost (counts from the audit log)."
	fi
}

demo_coverage
province
report
