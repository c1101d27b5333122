#!/usr/bin/env bash
# db.sh - the project's private MariaDB: a durable one under var/db for `make run`,
# and throwaway ones on tmpfs for tests. Unix socket only (no TCP), no system
# service touched; works as root (mariadbd --user=root) and as an ordinary user.
#
#   scripts/db.sh start            start var/db (initialise on first use)
#   scripts/db.sh stop             stop it
#   scripts/db.sh url              print the DUDAO_DB URL of var/db
#   scripts/db.sh test-start DIR   initialise and start a throwaway server in DIR, print its socket
#   scripts/db.sh test-stop DIR    stop it and remove DIR
#   scripts/db.sh bench-start DIR [FLAGS]  start a DURABLE server in DIR (InnoDB defaults: log
#                                  flushed at every commit, doublewrite on), print its socket
#   scripts/db.sh bench-stop DIR   stop it (DIR is kept)
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
VAR=$ROOT/var/db
MARIADBD=${MARIADBD:-/usr/sbin/mariadbd}

log() { echo "db: $*" >&2; }

user_flag() {
	if [ "$(id -u)" -eq 0 ]; then echo "--user=root"; else echo "--user=$(id -un)"; fi
}

# init DIR: create the data directory once.
init() {
	local dir=$1
	[ -d "$dir/data/mysql" ] && return 0
	mkdir -p "$dir/data" "$dir/tmp"
	chmod 700 "$dir"
	if ! mariadb-install-db --no-defaults "$(user_flag)" --datadir="$dir/data" \
		--auth-root-authentication-method=normal --skip-test-db \
		--skip-name-resolve >"$dir/install.log" 2>&1; then
		log "initialising $dir failed; see $dir/install.log"
		tail -n 20 "$dir/install.log" >&2
		rm -rf "$dir/data"
		return 1
	fi
}

running() { [ -f "$1/mysqld.pid" ] && kill -0 "$(cat "$1/mysqld.pid")" 2>/dev/null; }

# wait_ready DIR: until the server answers on its socket (30 s at most).
wait_ready() {
	local dir=$1 i
	for i in $(seq 1 300); do
		if [ -S "$dir/mysqld.sock" ] && mariadb-admin --no-defaults -uroot -S "$dir/mysqld.sock" \
			--connect-timeout=1 ping >/dev/null 2>&1; then
			return 0
		fi
		if ! running "$dir" && [ "$i" -gt 20 ]; then break; fi
		sleep 0.1
	done
	log "mariadbd in $dir did not start; last lines of $dir/error.log:"
	tail -n 20 "$dir/error.log" >&2 || true
	return 1
}

# launch DIR [extra mariadbd flags...]
# MariaDB's thread pool: as many statements run at once as there are cores, the
# others queue (a statement that waits on a lock or the disk lets another run).
# Measured with 8 clients on 2 cores (make bench's database): a town's list read
# from the database 305-318 -> 376-487 req/s, creates 873-1,014 -> 910-1,233 req/s.
launch() {
	local dir=$1; shift
	running "$dir" && return 0
	rm -f "$dir/mysqld.sock"
	setsid "$MARIADBD" --no-defaults "$(user_flag)" --datadir="$dir/data" \
		--socket="$dir/mysqld.sock" --pid-file="$dir/mysqld.pid" --skip-networking \
		--log-error="$dir/error.log" --tmpdir="$dir/tmp" \
		--character-set-server=utf8mb4 --collation-server=utf8mb4_unicode_ci \
		--skip-name-resolve --max-connections=500 --max-allowed-packet=64M \
		--default-time-zone=+00:00 --thread-handling=pool-of-threads "$@" </dev/null >/dev/null 2>&1 &
	wait_ready "$dir"
}

# halt DIR: SIGTERM and wait for the process to go (mariadbd shuts down cleanly on it).
halt() {
	local dir=$1 pid i
	running "$dir" || return 0
	pid=$(cat "$dir/mysqld.pid")
	kill -TERM "$pid"
	for i in $(seq 1 600); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.05; done
	log "mariadbd $pid did not stop in 30 s"
	return 1
}

case "${1:-}" in
start)
	init "$VAR"
	launch "$VAR" --innodb-buffer-pool-size=256M
	;;
stop) halt "$VAR" ;;
url) echo "mysql://root@localhost/dudao?socket=$VAR/mysqld.sock" ;;
test-start)
	dir=${2:?usage: db.sh test-start DIR}
	init "$dir"
	# Throwaway: relaxed flushing, small buffers. Never used for `make run`.
	launch "$dir" --innodb-flush-log-at-trx-commit=0 --sync-binlog=0 --innodb-doublewrite=0 \
		--innodb-buffer-pool-size=128M --innodb-log-file-size=48M
	echo "$dir/mysqld.sock"
	;;
test-stop)
	dir=${2:?usage: db.sh test-stop DIR}
	halt "$dir"
	rm -rf "$dir"
	;;
bench-start)
	dir=${2:?usage: db.sh bench-start DIR [mariadbd flags]}
	shift 2
	init "$dir"
	# Benchmarks: durable commits, exactly like a production server (no relaxed flushing).
	launch "$dir" --innodb-buffer-pool-size=256M "$@"
	echo "$dir/mysqld.sock"
	;;
bench-stop) halt "${2:?usage: db.sh bench-stop DIR}" ;;
*)
	sed -n '2,13p' "$0" >&2
	exit 2
	;;
esac
