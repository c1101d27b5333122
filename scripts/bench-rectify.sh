#!/usr/bin/env bash
# bench-rectify.sh - issue 4's benchmark, run by scripts/bench.sh (contract there):
# Dudao against Redmine 5.0 from Debian's packages (../shared/bench/redmine-peer.sh),
# one after the other on the same machine, never at the same time, 8 connections:
#   create  POST /api/v1/visits with "file": true and one finding: the visit is filed
#           and the finding becomes a rectification item (Redmine: create an issue)
#   list    GET /api/v1/rectifications?town=T&state=open,reopened&per_page=100 with
#           20,000 items present (Redmine: 100 open issues of a project, 20,000 issues);
#           the service answers a repeated list from its read cache until the next
#           write, so the list is measured twice: as the issue states it (list), and
#           with a parameter of its own on each request, read from the database each
#           time (list_read: what a list costs after every write)
#   answer  POST /api/v1/rectifications/{id}/answer by the school's principal with a
#           note and one evidence file: open -> submitted plus a journal entry; each
#           request answers another item (Redmine: a status change with a note)
# Creates and answers carry an Idempotency-Key, as the pages send them. Each phase
# is warmed up for 3 s, then measured BENCH_RUNS times for BENCH_DUR s (median).
# Prints a Markdown table: req/s and p99 of both, the ratio, the goal of issue 4
# (>= 100x Redmine for creates and answers, >= 500x for the list, list p99 < 20 ms),
# and every run with the load average before it.
#
# Settings: BENCH_REDMINE=0 skips Redmine (the ratios then use the figures quoted in
# the issue); BENCH_REDMINE_RUNS (default 1: Redmine's ten phases take ~4 minutes a
# run); REDMINE_PEER (default ../shared/bench/redmine-peer.sh); BASE (the peer's
# state, default /tmp/redmine-peer); BENCH_LIST_ITEMS (default 20000);
# BENCH_ANSWER_MAX_RPS (default 3000: open items prepared per answer run = BENCH_DUR x it).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$ROOT/scripts/bench/lib.sh"
SUITE=rectify
OUT=$BENCH_RESULTS/$SUITE
LUA=$BENCH_LUA_DIR
LIST_ITEMS=${BENCH_LIST_ITEMS:-20000}
MAX_RPS=${BENCH_ANSWER_MAX_RPS:-3000}
PEER=${REDMINE_PEER:-$(cd "$ROOT/.." && pwd)/shared/bench/redmine-peer.sh}
export BASE=${BASE:-/tmp/redmine-peer}
REDMINE_STARTED=0 CHILD=
mkdir -p "$OUT"
: >"$OUT/redmine-runs.txt"

# peer ARGS...: the Redmine peer script, in the background so that a TERM is handled at once.
peer() {
	local rc=0
	env -u BUNDLE_GEMFILE "$PEER" "$@" </dev/null >&2 &
	CHILD=$!
	wait "$CHILD" || rc=$?
	CHILD=
	return "$rc"
}

stop_redmine() {
	if [ -n "$CHILD" ]; then kill -TERM "$CHILD" 2>/dev/null; wait "$CHILD" 2>/dev/null || true; CHILD=; fi
	if [ "$REDMINE_STARTED" = 1 ]; then
		bench_log "stopping Redmine (puma and its MariaDB)"
		peer stop || true
		REDMINE_STARTED=0
	fi
}
trap 'stop_redmine' EXIT
trap 'exit 143' TERM
trap 'exit 130' INT

# ---------------------------------------------------------------- data

setup_ids() {
	SCHOOLS=$(bench_sql "SELECT GROUP_CONCAT(id ORDER BY id) FROM orgs WHERE kind = 'school'")
	ITEMS=$(bench_sql "SELECT GROUP_CONCAT(id ORDER BY position) FROM checklist_items WHERE template_id =
		(SELECT id FROM checklist_templates WHERE is_current = 1 ORDER BY lineage_id LIMIT 1)")
	# the town with the most schools
	TOWN=$(bench_sql "SELECT s.parent_id FROM orgs s JOIN orgs t ON t.id = s.parent_id AND t.kind = 'town'
		WHERE s.kind = 'school' GROUP BY s.parent_id ORDER BY COUNT(*) DESC, s.parent_id LIMIT 1")
	export BENCH_SCHOOLS=$SCHOOLS BENCH_ITEMS=$ITEMS
	if [ -z "$SCHOOLS" ] || [ -z "$ITEMS" ] || [ -z "$TOWN" ]; then
		bench_log "no schools, items or town in the demo"; exit 1
	fi
}

items_total() { bench_sql "SELECT COUNT(*) FROM rectification_items"; }

# top_up N: adds N rectification items (visits of 100 findings, filed through the API).
top_up() {
	local n=$1 t0 made
	[ "$n" -gt 0 ] || return 0
	t0=$(date +%s.%N)
	made=$(python3 "$LUA/rectify_prep.py" bulk "$n")
	bench_log "added $made items through the API in $(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1f", b-a}') s"
}

# warm LUA: 3 s of load, not measured.
warm() { wrk -t1 -c8 -d3s -s "$1" "$DUDAO_URL" >/dev/null; }

# ---------------------------------------------------------------- Dudao phases

phase_list() {
	local have r code
	have=$(items_total)
	if [ "$have" -lt "$LIST_ITEMS" ]; then top_up $((LIST_ITEMS - have)); fi
	export BENCH_LIST_PATH="/api/v1/rectifications?town=$TOWN&state=open,reopened&per_page=100"
	code=$(curl -s -o "$OUT/list-sample.json" -w '%{http_code}' -H "Authorization: Bearer $DUDAO_TOKEN" "$DUDAO_URL$BENCH_LIST_PATH")
	[ "$code" = 200 ] || { bench_log "list answered $code: $(head -c 300 "$OUT/list-sample.json")"; exit 1; }
	LIST_PRESENT=$(items_total)
	LIST_MATCHING=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["total"], len(d["items"]))' "$OUT/list-sample.json")
	bench_log "list: $LIST_PRESENT items present; the town's open items and page size: $LIST_MATCHING"
	warm "$LUA/rectify-list.lua"
	for r in $(seq 1 "$BENCH_RUNS"); do bench_wrk "$SUITE" list "$r" 8 "$LUA/rectify-list.lua" >&2; done
	# the same list with nothing kept: a new URI each request, so every one reads the database
	export BENCH_LIST_UNIQUE=1
	warm "$LUA/rectify-list.lua"
	for r in $(seq 1 "$BENCH_RUNS"); do bench_wrk "$SUITE" list_read "$r" 8 "$LUA/rectify-list.lua" >&2; done
	unset BENCH_LIST_UNIQUE
}

phase_create() {
	local r before
	before=$(items_total)
	BENCH_KEY="warm-$(date +%s)" warm "$LUA/rectify-create.lua"
	for r in $(seq 1 "$BENCH_RUNS"); do
		BENCH_KEY="create$r-$(date +%s%N)" bench_wrk "$SUITE" create "$r" 8 "$LUA/rectify-create.lua" >&2
	done
	bench_log "create: $(($(items_total) - before)) items created (warm-up included)"
}

# answers_file N FILE: N open items of schools with a principal token, in random
# order, as "item_id version evidence_id token" lines.
answers_file() {
	bench_sql "SELECT id, version, school_id FROM rectification_items WHERE state = 'open'
		ORDER BY RAND($RANDOM) LIMIT $1" |
		awk 'NR == FNR { tok[$1] = $2; ev[$1] = $3; next } ($3 in tok) { print $1, $2, ev[$3], tok[$3] }' \
			"$OUT/principals.txt" - >"$2"
}

answers_journaled() { bench_sql "SELECT COUNT(*) FROM rectification_events WHERE action = 'answer'"; }

phase_answer() {
	local r need open before
	bench_sql "SELECT u.org_id, MIN(u.username) FROM users u JOIN orgs o ON o.id = u.org_id
		WHERE u.role = 'principal' AND u.active = 1 AND o.kind = 'school' GROUP BY u.org_id" |
		python3 "$LUA/rectify_prep.py" principals >"$OUT/principals.txt"
	bench_log "answer: $(wc -l <"$OUT/principals.txt") principals signed in, each with a token and one evidence file"
	need=$((BENCH_DUR * MAX_RPS))
	before=$(answers_journaled)
	answers_file 2000 "$OUT/answers-warm.txt"
	BENCH_ANSWERS=$OUT/answers-warm.txt BENCH_KEY="warm-$(date +%s)" warm "$LUA/rectify-answer.lua"
	for r in $(seq 1 "$BENCH_RUNS"); do
		open=$(bench_sql "SELECT COUNT(*) FROM rectification_items WHERE state = 'open'")
		if [ "$open" -lt "$need" ]; then top_up $((need - open)); fi
		answers_file "$need" "$OUT/answers-$r.txt"
		BENCH_ANSWERS=$OUT/answers-$r.txt BENCH_KEY="answer$r-$(date +%s%N)" \
			bench_wrk "$SUITE" answer "$r" 8 "$LUA/rectify-answer.lua" >&2
	done
	bench_log "answer: $(($(answers_journaled) - before)) answers journaled (warm-up included)"
}

# ---------------------------------------------------------------- the box's ceiling

# slap QUERIES QUERY: mariadb-slap, 8 connections, on the scratch database; prints
# queries/s, or "failed" (said in the log).
slap() {
	local sock=${DUDAO_DB##*socket=} t0 t1 rc=0
	t0=$(date +%s.%N)
	mariadb-slap --no-defaults -uroot -S "$sock" --concurrency=8 --iterations=1 --number-of-queries="$1" \
		--create-schema=bench_ceiling --delimiter=";" --query="$2" >"$OUT/slap.log" 2>&1 || rc=$?
	if [ "$rc" != 0 ] || grep -q 'ERROR' "$OUT/slap.log"; then
		bench_log "mariadb-slap failed ($rc): $(head -c 300 "$OUT/slap.log")"; echo failed; return 0
	fi
	t1=$(date +%s.%N)
	awk -v n="$1" -v a="$t0" -v b="$t1" 'BEGIN { printf "%.0f", n / (b - a) }'
}

# What durable transactions alone cost on this box, without the service: the same
# MariaDB, 8 connections (mariadb-slap), inserts of one small row into a table
# with a primary key only: the box's floor, for scale (the service's statements
# cost more to execute than to send; see README, Benchmarks).
ceiling() {
	local sock=${DUDAO_DB##*socket=} ins='INSERT INTO t (v, s) VALUES (1, REPEAT("x", 100))' q7='' i one nine call
	for i in 1 2 3 4 5 6 7; do q7="$q7 $ins;"; done
	printf '%s\n' "DROP DATABASE IF EXISTS bench_ceiling; CREATE DATABASE bench_ceiling; USE bench_ceiling;" \
		"CREATE TABLE t (id BIGINT AUTO_INCREMENT PRIMARY KEY, v INT, s VARCHAR(200));" "DELIMITER //" \
		"CREATE PROCEDURE seven() BEGIN START TRANSACTION; $q7 COMMIT; END //" |
		mariadb --no-defaults -uroot -S "$sock" || { bench_log "ceiling: no scratch database"; return 0; }
	one=$(slap 24000 "$ins")
	nine=$(slap 72000 "START TRANSACTION; $q7 COMMIT")
	[ "$nine" = failed ] || nine=$((nine / 9))
	call=$(slap 16000 "CALL seven()")
	mariadb --no-defaults -uroot -S "$sock" -e "DROP DATABASE bench_ceiling" || true
	bench_log "ceiling: $one one-insert commits/s; $nine transactions/s of 9 round trips; $call of one CALL"
	{
		echo "## The box's ceiling: durable transactions without the service"
		echo
		echo "mariadb-slap on the same MariaDB, 8 connections, inserts of one small row (primary key only), one run each:"
		echo
		echo "| transaction | round trips | transactions/s |"
		echo "|---|---|---|"
		echo "| one INSERT, autocommit | 1 | $one |"
		echo "| START TRANSACTION, 7 INSERTs, COMMIT | 9 | $nine |"
		echo "| the same in a stored procedure, one CALL | 1 | $call |"
		echo
		echo "For scale: the service writes the new visits a worker reads in one turn together, 9 statements (START,"
		echo "7 multi-row inserts, COMMIT) for 2 to 4 of them here, and the answers likewise, 10 statements (START,"
		echo "one UPDATE, 4 multi-row inserts, 3 reads for the replies, COMMIT) beside 2 reads of each answer's own."
		echo "Its statements (joins, foreign keys, secondary indexes, 1 KB of JSON) cost more to execute than to send."
		echo
	} >"$OUT/ceiling.md"
}

# ---------------------------------------------------------------- Redmine

redmine() {
	local r dur=$BENCH_DUR
	[ "${BENCH_REDMINE:-1}" = 0 ] && { bench_log "Redmine skipped (BENCH_REDMINE=0)"; return 0; }
	[ -x "$PEER" ] || { bench_log "no peer script at $PEER"; return 1; }
	[ "$(id -u)" -eq 0 ] || { bench_log "Redmine needs root (apt, /var/lib/redmine); skipped"; return 1; }
	[ "$dur" -le 20 ] || dur=20
	# Called in an || list, so set -e does not hold here: every step is checked.
	"$ROOT/scripts/redmine-prep.sh" </dev/null >&2 || return 1
	if [ -f "$BASE/puma.pid" ] && kill -0 "$(cat "$BASE/puma.pid")" 2>/dev/null; then
		bench_log "Redmine was already running (pid $(cat "$BASE/puma.pid")): measuring it, leaving it running"
	else
		REDMINE_STARTED=1
	fi
	peer setup || return 1
	peer start || return 1
	for r in $(seq 1 "${BENCH_REDMINE_RUNS:-1}"); do
		bench_log "Redmine run $r: the peer's ten phases of ${dur} s (load average $(bench_loadavg))"
		DUR=$dur peer bench || return 1
		readlink -f "$BASE/results/latest" >>"$OUT/redmine-runs.txt"
	done
	env -u BUNDLE_GEMFILE "$PEER" report >"$OUT/redmine-report.txt" 2>&1 || true
	stop_redmine
}

# ---------------------------------------------------------------- report

report() {
	LIST_PRESENT=$LIST_PRESENT LIST_MATCHING=$LIST_MATCHING TOWN=$TOWN python3 - "$BENCH_RESULTS/$SUITE.jsonl" "$OUT/redmine-runs.txt" <<'PY'
import json, os, statistics as st, sys
med = lambda rows, k: st.median(r[k] for r in rows)
dudao = [json.loads(l) for l in open(sys.argv[1]) if l.startswith('{')]
runs = [l.strip() for l in open(sys.argv[2]) if l.strip()]
red = []
for d in runs:
    red += [json.loads(l) for l in open(os.path.join(d, 'results.jsonl')) if l.startswith('{')]
# (label, dudao phase, redmine phase, issue's Redmine figure, goal ratio)
work = [('create: visit filed, finding -> item', 'create', 'post_c8', 19.0, 100),
        ('update: answer with evidence + journal', 'answer', 'put_c8', 18.0, 100),
        ('list: 100 open of a town, 20k present', 'list', 'get20k_c8', 5.6, 500),
        ('the same list, read from the database each time (no answer kept)', 'list_read', 'get20k_c8', 5.6, 500)]
src = 'this run (%d run%s of the peer)' % (len(runs), '' if len(runs) == 1 else 's') if runs else \
      "the issue's figures (Redmine not run)"
print('## Rectification (issue 4): Dudao and Redmine 5.0 (Debian), 8 connections\n')
print(f'Redmine figures: {src}. Dudao: median of the runs below; CPU = ms of CPU per request '
      f'(server process, mariadbd). Durable commits on both. CPU ratio = Redmine\'s CPU ms per request '
      f'(puma + mariadbd) / Dudao\'s: steadier than the req/s ratio on a busy box.\n')
print('| work | Dudao req/s | Dudao p50 ms | Dudao p99 ms | CPU server/mariadbd ms | Redmine req/s | Redmine p99 ms | ratio | CPU ratio | goal | met |')
print('|---|---|---|---|---|---|---|---|---|---|---|')
for label, ph, rph, ref, goal in work:
    rows = [r for r in dudao if r['phase'] == ph]
    rr = [r for r in red if r['phase'] == rph and not r['non2xx'] and not r['sock_err'] and r['requests'] >= 3]
    if not rows:
        print(f'| {label} | not measured | | | | | | | | ≥{goal}× | no |'); continue
    rps, p50, p99 = med(rows, 'rps'), med(rows, 'p50_ms'), med(rows, 'p99_ms')
    errs = sum(r['non2xx'] + r['sock_err'] for r in rows)
    rrps = med(rr, 'rps') if rr else (None if runs else ref)
    rp99 = '%.0f' % med(rr, 'p99_ms') if rr else ('—' if runs else 'n/a')
    ratio = rps / rrps if rrps else None
    dcpu = med(rows, 'server_cpu_ms') + med(rows, 'mariadb_cpu_ms')
    cratio = (med(rr, 'puma_cpu_ms_per_req') + med(rr, 'mariadb_cpu_ms_per_req')) / dcpu if rr and dcpu else None
    ok = ratio is not None and ratio >= goal and errs == 0
    g = f'≥{goal}×'
    if ph.startswith('list'):
        g += ', p99 < 20 ms'; ok = ok and p99 < 20
    print(f"| {label} | {rps:.0f}{' (%d errors)' % errs if errs else ''} | {p50:.1f} | {p99:.1f} | "
          f"{med(rows, 'server_cpu_ms'):.2f} / {med(rows, 'mariadb_cpu_ms'):.2f} | "
          f"{'%.1f' % rrps if rrps else '—'} | {rp99} | {'%.0f×' % ratio if ratio else '—'} | {'%.0f×' % cratio if cratio else '—'} | {g} | {'yes' if ok else 'no'} |")
print(f"\nList: {os.environ['LIST_PRESENT']} items present; the town (id {os.environ['TOWN']}) has "
      f"{os.environ['LIST_MATCHING'].split()[0]} open ones, a page holds {os.environ['LIST_MATCHING'].split()[1]}.\n")
print('Every run (load average = 1-minute load before the run; other CPU = share of the box used by other processes):\n')
print('| system | phase | run | req/s | p50 ms | p99 ms | CPU server/mariadbd ms | load avg | other CPU % | errors |')
print('|---|---|---|---|---|---|---|---|---|---|')
for r in dudao:
    print(f"| Dudao | {r['phase']} | {r['run']} | {r['rps']:.0f} | {r['p50_ms']:.1f} | {r['p99_ms']:.1f} | "
          f"{r['server_cpu_ms']:.2f} / {r['mariadb_cpu_ms']:.2f} | {r['loadavg']} | {r['other_cpu_pct']} | {r['non2xx'] + r['sock_err']} |")
for r in red:
    if r['phase'] in ('post_c8', 'put_c8', 'get20k_c8'):
        print(f"| Redmine | {r['phase']} | | {r['rps']:.1f} | {r['p50_ms']:.0f} | {r['p99_ms']:.0f} | "
              f"{r['puma_cpu_ms_per_req']:.0f} / {r['mariadb_cpu_ms_per_req']:.1f} | {r['loadavg_before']} | "
              f"{r.get('other_cpu_pct', '')} | {r['non2xx'] + r['sock_err']} |")
PY
}

setup_ids
LIST_PRESENT=0 LIST_MATCHING="0 0"
rc=0
phase_list
phase_create
phase_answer
ceiling
redmine || rc=$?
report
cat "$OUT/ceiling.md" 2>/dev/null || true
exit "$rc"
