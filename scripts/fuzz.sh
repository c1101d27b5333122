#!/usr/bin/env bash
# fuzz.sh - builds the libFuzzer targets in fuzz/ with clang (address and
# undefined sanitizers) and runs each for FUZZ_SECONDS (default 60), starting
# from the seed corpus in fuzz/corpus/<target>/. Not part of `make test`: a
# fuzzer's run is open-ended; a crash leaves its input under build/fuzz/.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
SECONDS_EACH=${FUZZ_SECONDS:-60}
need=()
command -v clang >/dev/null || need+=(clang)
dpkg-query -W -f='${Status}' libclang-rt-14-dev 2>/dev/null | grep -q 'install ok installed' || need+=(libclang-rt-14-dev)
if [ ${#need[@]} -gt 0 ]; then
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${need[@]}"
fi
make --no-print-directory build/fuzz/fuzz_csv build/fuzz/fuzz_xlsx build/fuzz/fuzz_idnum
for t in fuzz_csv fuzz_xlsx fuzz_idnum; do
	mkdir -p "build/fuzz/corpus-$t"
	echo "== $t for ${SECONDS_EACH}s"
	(cd build/fuzz && "./$t" -max_total_time="$SECONDS_EACH" -max_len=65536 -print_final_stats=1 \
		"corpus-$t" "$ROOT/fuzz/corpus/$t" 2>&1 | grep -E 'stat::number_of_executed_units|ERROR|SUMMARY|Done' || true)
done
