#!/usr/bin/env bash
# run.sh - `make run` and `make stop`: the private MariaDB under var/db, the
# migrations, the demo county (loaded once), and the server in the background
# on http://127.0.0.1:${DUDAO_PORT:-8080} with its log in var/dudao.log.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
VAR=$ROOT/var
BIN=$ROOT/build/dudao
PORT=${DUDAO_PORT:-8080}
PIDFILE=$VAR/dudao.pid

server_running() { [ -f "$PIDFILE" ] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; }

start() {
	local t0 i
	t0=$(date +%s.%N)
	mkdir -p "$VAR"
	if [ -z "${DUDAO_DB:-}" ]; then
		"$ROOT/scripts/db.sh" start
	fi
	"$BIN" migrate
	"$BIN" demo
	if server_running; then
		echo "dudao is already running (pid $(cat "$PIDFILE")); 'make stop' stops it"
	else
		setsid "$BIN" serve --port "$PORT" </dev/null >>"$VAR/dudao.log" 2>&1 &
		echo $! >"$PIDFILE"
		for i in $(seq 1 100); do
			curl -fsS "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break
			if ! server_running; then
				echo "dudao did not start; last lines of var/dudao.log:" >&2
				tail -n 20 "$VAR/dudao.log" >&2
				exit 1
			fi
			sleep 0.1
		done
	fi
	awk -v p="$PORT" -v t0="$t0" -v t1="$(date +%s.%N)" \
		'BEGIN { printf "Dudao serves on http://127.0.0.1:%s (ready in %.1f s)\n", p, t1 - t0 }' 
	echo "Demo logins (password Dudao@2026): admin, juzhang (局长), duxue (督学), zizhu (资助中心), xiaozhang (校长)"
	echo "Log: var/dudao.log. Stop with: make stop"
}

stop() {
	local pid i
	if server_running; then
		pid=$(cat "$PIDFILE")
		kill -TERM "$pid"
		for i in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
		echo "dudao stopped"
	fi
	rm -f "$PIDFILE"
	"$ROOT/scripts/db.sh" stop
	echo "database stopped"
}

case "${1:-}" in
start) start ;;
stop) stop ;;
*) echo "usage: run.sh start|stop" >&2; exit 2 ;;
esac
