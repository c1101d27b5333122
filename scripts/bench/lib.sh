# shellcheck shell=bash
# lib.sh - shell helpers for scripts/bench.sh and every scripts/bench-*.sh (sourced,
# never run). Measuring one phase: bench_wrk runs wrk against $DUDAO_URL and
# records requests/s, latency percentiles (from wrk's histogram, done.lua) and the
# CPU time the server and mariadbd spent per request (from /proc: steadier than
# req/s on a small shared box), plus the load average before the phase.
# Needs: DUDAO_URL, BENCH_DUR, BENCH_RESULTS, BENCH_SERVER_PID, BENCH_MARIADB_PID.

BENCH_LUA_DIR=${BENCH_LUA_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)}
export BENCH_LUA_DIR

bench_log() { echo "[$(date +%T)] $*" >&2; }

# 1-, 5- and 15-minute load averages.
bench_loadavg() { cut -d' ' -f1-3 /proc/loadavg; }

# bench_ticks PID...: CPU clock ticks (user + system, all threads) used so far.
bench_ticks() {
	local t=0 p
	for p in "$@"; do
		[ -r "/proc/$p/stat" ] && t=$((t + $(awk '{print $14 + $15}' "/proc/$p/stat")))
	done
	echo "$t"
}

# Busy and total ticks of the whole box, from /proc/stat.
bench_systicks() { awk '/^cpu /{print $2+$3+$4+$7+$8+$9, $2+$3+$4+$5+$6+$7+$8+$9}' /proc/stat; }

# bench_drain: wait (30 s at most) until the server and mariadbd are idle, so a
# phase does not pay for the requests or the purge left over by the previous one.
bench_drain() {
	local a b _
	for _ in $(seq 1 30); do
		a=$(bench_ticks "$BENCH_SERVER_PID" "$BENCH_MARIADB_PID")
		sleep 1
		b=$(bench_ticks "$BENCH_SERVER_PID" "$BENCH_MARIADB_PID")
		[ $((b - a)) -lt 5 ] && return 0
	done
	bench_log "server or database still busy after 30 s; measuring anyway"
}

# bench_wrk SUITE PHASE RUN CONNS LUA: one measured wrk run of BENCH_DUR seconds.
# Prints one JSON line and appends it to $BENCH_RESULTS/SUITE.jsonl; wrk's own
# output is kept in $BENCH_RESULTS/SUITE/PHASE.RUN.wrk.txt. Fails when wrk printed
# no result line. Extra environment for the Lua script is inherited.
bench_wrk() {
	local suite=$1 phase=$2 run=$3 conns=$4 lua=$5
	local dir=$BENCH_RESULTS/$suite hz load a0 m0 s0 a1 m1 s1 json req extra
	mkdir -p "$dir"
	bench_drain
	hz=$(getconf CLK_TCK)
	load=$(bench_loadavg)
	bench_log "$suite $phase run $run: ${BENCH_DUR}s, $conns connections, load average before: $load"
	a0=$(bench_ticks "$BENCH_SERVER_PID"); m0=$(bench_ticks "$BENCH_MARIADB_PID"); s0=$(bench_systicks)
	local TIMEFORMAT='%U %S'
	{ time wrk -t1 -c"$conns" -d"${BENCH_DUR}s" --timeout 30s -s "$lua" "$DUDAO_URL" \
		>"$dir/$phase.$run.wrk.txt" 2>&1; } 2>"$dir/$phase.$run.wrktime"
	a1=$(bench_ticks "$BENCH_SERVER_PID"); m1=$(bench_ticks "$BENCH_MARIADB_PID"); s1=$(bench_systicks)
	json=$(grep '^{"requests"' "$dir/$phase.$run.wrk.txt" | tail -n 1)
	if [ -z "$json" ]; then
		bench_log "wrk printed no result for $phase:"; cat "$dir/$phase.$run.wrk.txt" >&2
		return 1
	fi
	req=$(echo "$json" | sed 's/.*"requests":\([0-9]*\).*/\1/')
	# other_cpu_pct: the box's CPU used by everything but the server, mariadbd and wrk.
	extra=$(awk -v a=$((a1 - a0)) -v m=$((m1 - m0)) -v r="$req" -v hz="$hz" -v l="${load%% *}" \
		-v s0="$s0" -v s1="$s1" -v wt="$(cat "$dir/$phase.$run.wrktime")" 'BEGIN {
		split(s0, x, " "); split(s1, y, " "); split(wt, w, " ");
		busy = y[1] - x[1]; tot = y[2] - x[2]; wrk = (w[1] + w[2]) * hz;
		oth = busy - a - m - wrk; if (oth < 0) oth = 0; if (r < 1) r = 1; if (tot < 1) tot = 1;
		printf "\"server_cpu_ms\":%.3f,\"mariadb_cpu_ms\":%.3f,\"wrk_cpu_pct\":%.0f,\"other_cpu_pct\":%.0f,\"loadavg\":%s",
			a * 1000 / hz / r, m * 1000 / hz / r, 100 * wrk / tot, 100 * oth / tot, l }')
	json="{\"suite\":\"$suite\",\"phase\":\"$phase\",\"run\":$run,\"conns\":$conns,$extra,${json#\{}"
	echo "$json" >>"$BENCH_RESULTS/$suite.jsonl"
	echo "$json"
}

# bench_median SUITE PHASE: "rps p50_ms p99_ms server_cpu_ms mariadb_cpu_ms runs errors"
# over the runs of PHASE in $BENCH_RESULTS/SUITE.jsonl (medians; errors = non-2xx +
# socket errors summed over the runs). Prints nothing when there is no run.
bench_median() {
	python3 - "$BENCH_RESULTS/$1.jsonl" "$2" <<'PY'
import json, statistics as st, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.startswith('{')]
rows = [r for r in rows if r['phase'] == sys.argv[2]]
if rows:
    m = lambda k: st.median(r[k] for r in rows)
    print('%.1f %.2f %.2f %.3f %.3f %d %d' % (m('rps'), m('p50_ms'), m('p99_ms'), m('server_cpu_ms'),
          m('mariadb_cpu_ms'), len(rows), sum(r['non2xx'] + r['sock_err'] for r in rows)))
PY
}

# bench_sql SQL...: runs SQL on the benchmark database (DUDAO_DB's socket and name),
# tab-separated, no column names.
bench_sql() {
	local sock=${DUDAO_DB##*socket=} name=${DUDAO_DB%%\?*}
	name=${name##*/}
	mariadb --no-defaults -uroot -S "$sock" -N -B "$name" -e "$*"
}

# bench_token USER [PASSWORD]: signs in (cookie + CSRF) and prints a new Bearer token.
bench_token() {
	local user=$1 pw=${2:-Dudao@2026} jar out csrf
	jar=$(mktemp)
	out=$(curl -fsS -c "$jar" -H 'Content-Type: application/json' \
		-d "{\"username\":\"$user\",\"password\":\"$pw\"}" "$DUDAO_URL/api/v1/session") || { rm -f "$jar"; return 1; }
	csrf=$(echo "$out" | sed -n 's/.*"csrf_token":"\([0-9a-f]*\)".*/\1/p')
	out=$(curl -fsS -b "$jar" -H 'Content-Type: application/json' -H "X-CSRF-Token: $csrf" \
		-d '{"name":"bench"}' "$DUDAO_URL/api/v1/tokens") || { rm -f "$jar"; return 1; }
	rm -f "$jar"
	echo "$out" | sed -n 's/.*"token":"\([0-9a-f]*\)".*/\1/p'
}
