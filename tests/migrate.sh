#!/usr/bin/env bash
# migrate.sh - migrations against a real MariaDB: applied in order and
# recorded; re-running is a no-op; a broken one stops with a clear message and
# leaves the schema at the previous version, with nothing of it applied.
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=${DUDAO_BIN:-$ROOT/build/dudao}
SOCK=${DUDAO_TEST_SOCKET:?the test runner sets DUDAO_TEST_SOCKET}
TMP=$(mktemp -d)
export DUDAO_DB="mysql://root@localhost/dudao_migrate_test?socket=$SOCK"
export DUDAO_ROOT=$TMP
passed=0 failed=0
check() { if eval "$2"; then passed=$((passed + 1)); echo "ok - $1"; else failed=$((failed + 1)); echo "not ok - $1"; fi; }
sql() { mariadb --no-defaults -uroot -S "$SOCK" -N -B dudao_migrate_test -e "$1" 2>/dev/null; }

mkdir -p "$TMP/schema"
cp "$ROOT"/schema/*.sql "$TMP/schema/"
last=$(ls "$TMP/schema" | tail -n 1 | cut -c1-3)
last=$((10#$last))
"$BIN" dropdb >/dev/null 2>&1
check "a fresh database migrates" '"$BIN" migrate >"$TMP/out" 2>&1'
check "every migration is recorded" '[ "$(sql "SELECT MAX(version) FROM schema_migrations")" = "$last" ]'
check "re-running applies nothing" '"$BIN" migrate >"$TMP/out" 2>&1 && ! grep -q applied "$TMP/out"'

n=$(printf '%03d' $((last + 1)))
cat >"$TMP/schema/${n}_broken.sql" <<'SQL'
CREATE TABLE migrate_probe (id INT PRIMARY KEY);
ALTER TABLE no_such_table ADD COLUMN x INT;
SQL
"$BIN" migrate >"$TMP/out" 2>&1
rc=$?
check "a broken migration fails the command" '[ $rc -ne 0 ]'
check "the message names the file and the error" 'grep -q "${n}_broken.sql failed" "$TMP/out" && grep -qi "no_such_table" "$TMP/out"'
check "the schema stays at the previous version" '[ "$(sql "SELECT MAX(version) FROM schema_migrations")" = "$last" ]'
check "nothing of the broken migration was applied" '[ -z "$(sql "SHOW TABLES LIKE '"'"'migrate_probe'"'"'")" ]'
check "no rehearsal database is left behind" '[ -z "$(mariadb --no-defaults -uroot -S "$SOCK" -N -B -e "SHOW DATABASES LIKE '"'"'%rehearsal%'"'"'")" ]'

echo 'CREATE TABLE migrate_probe (id INT PRIMARY KEY);' >"$TMP/schema/${n}_broken.sql"
check "once fixed, it applies" '"$BIN" migrate >"$TMP/out" 2>&1 && [ "$(sql "SELECT MAX(version) FROM schema_migrations")" = "$((last + 1))" ]'
"$BIN" dropdb >/dev/null 2>&1
rm -rf "$TMP"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
