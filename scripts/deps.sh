#!/usr/bin/env bash
# deps.sh - installs what the project needs and is missing: Debian packages
# (build libraries, MariaDB, a Chinese font, Chromium for browser tests) and
# the npm packages of the browser tests. Fast when everything is there.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
PACKAGES=(
	gcc make pkg-config
	libevent-dev libmariadb-dev mariadb-server mariadb-client
	libcmark-gfm-dev libcmark-gfm-extensions-dev libgd-dev fonts-wqy-microhei
	libjansson-dev libsodium-dev libxlsxwriter-dev libzip-dev libexpat1-dev
	curl chromium nodejs npm
	libreoffice-calc-nogui   # tests/xlsx.sh opens the ledger workbook in LibreOffice
)

missing=()
for p in "${PACKAGES[@]}"; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed' || missing+=("$p")
done
# node and npm may come from elsewhere than Debian (the machine image ships its own).
if command -v node >/dev/null && command -v npm >/dev/null; then
	missing=("${missing[@]/nodejs/}"); missing=("${missing[@]/npm/}")
fi
want=()
for p in "${missing[@]}"; do [ -n "$p" ] && want+=("$p"); done

if [ ${#want[@]} -gt 0 ]; then
	echo "deps: installing ${want[*]}" >&2
	SUDO=
	[ "$(id -u)" -ne 0 ] && SUDO=sudo
	$SUDO apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q -o DPkg::Lock::Timeout=600 \
		--no-install-recommends "${want[@]}"
fi

# Browser tests: playwright-core drives Debian's Chromium; it never downloads a browser.
if [ "${DUDAO_SKIP_NPM:-0}" != 1 ] && [ -f "$ROOT/tests/browser/package-lock.json" ] &&
	[ ! -d "$ROOT/tests/browser/node_modules/playwright-core" ]; then
	echo "deps: npm ci in tests/browser" >&2
	(cd "$ROOT/tests/browser" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)
fi
