#!/usr/bin/env bash
# redmine-prep.sh - run ONCE (as root) before ../shared/bench/redmine-peer.sh setup on
# Debian 12. Installs the peer benchmark's Debian packages in a way that lets
# the "redmine" package configure, or finishes a half-configured one left by an
# earlier failed attempt. Idempotent and non-interactive; Debian packages only,
# no gem downloads.
#
# Why it is needed (two problems; redmine-peer.sh itself is read-only):
#
# 1. redmine's postinst runs `bundle install --local` in /usr/share/redmine.
#    libruby3.1 always includes a copy of bundler as a default gem. In
#    3.1.2-7+deb12u1 that copy is 2.3.7. In 3.1.7-1~deb12u2 (bookworm-security,
#    what an up-to-date Debian 12 gets) it is 2.3.27. /usr/bin/bundle starts the
#    highest installed bundler, so 2.3.27 now runs instead of Debian's
#    ruby-bundler 2.3.15. Only Debian's copy is patched so
#    that Bundler::Specification#deleted_gem? ignores gems under
#    /usr/share/rubygems-integration. Many Debian gem packages (ruby-racc,
#    ruby-websocket-driver, ruby-mail, ruby-rotp, ruby-sprockets,
#    ruby-request-store, ...) ship only a gemspec there, with no gems/NAME-VERSION
#    directory. Bundler 2.3.27 therefore treats them as deleted, tries to
#    reinstall them from a .gem file that does not exist, and the postinst fails:
#      Bundler::GemNotFound: Could not find racc-1.6.2.gem for installation
#    No package is missing, and no Gemfile.lock is stale: the postinst removes
#    /var/lib/redmine/Gemfile.lock before it runs bundler. The fix is to select
#    Debian's patched bundler with BUNDLER_VERSION for the apt/dpkg run. After
#    that, Gemfile.lock records "BUNDLED WITH 2.3.15". redmine-peer.sh only uses
#    `bundle lock --local` and `bundle exec`. Neither calls deleted_gem?, so
#    they work with either bundler.
# 2. redmine-peer.sh exports BUNDLE_GEMFILE=$BASE/Gemfile before its own
#    apt-get install, while that Gemfile does not exist yet. The postinst's
#    bundler then fails with "There was an error parsing `Gemfile`". Installing
#    every package here first, with all BUNDLE_* variables removed, makes
#    redmine-peer.sh's install step print "packages present" and skip apt.
set -euo pipefail

# Same package list and debconf answers as redmine-peer.sh install_packages.
PACKAGES=(redmine redmine-mysql puma mariadb-server mariadb-client wrk curl python3)

log() { echo "redmine-prep: $*" >&2; }
installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }

[ "$(id -u)" -eq 0 ] || { log "must run as root (apt-get/dpkg)"; exit 1; }

# Remove inherited bundler settings, for example BUNDLE_GEMFILE from a shell that
# sourced the peer script. The postinst must see only Debian's own Gemfile.
for v in $(compgen -e | grep '^BUNDLE_' || true); do unset "$v"; done
unset BUNDLER_VERSION
export DEBIAN_FRONTEND=noninteractive
APT=(apt-get -y -q -o DPkg::Lock::Timeout=600)

need=()
for p in "${PACKAGES[@]}"; do installed "$p" || need+=("$p"); done
if [ ${#need[@]} -eq 0 ] && [ -z "$(dpkg --audit 2>/dev/null)" ]; then
	log "all packages installed and configured; nothing to do"
	exit 0
fi

debconf-set-selections <<'EOF'
redmine redmine/instances/default/dbconfig-install boolean false
redmine redmine/instances/default/database-type select mysql
dbconfig-common dbconfig-common/dbconfig-install boolean false
EOF

# Step 1: install Debian's patched bundler first, so that its version can be
# read from its own file list instead of being hard-coded.
if ! installed ruby-bundler; then
	log "installing ruby-bundler"
	apt-get update -qq
	"${APT[@]}" install --no-install-recommends ruby-bundler
fi
BV=$(dpkg -L ruby-bundler | sed -n 's#^/usr/share/rubygems-integration/all/specifications/bundler-\(.*\)\.gemspec$#\1#p' | head -1)
if [ -n "$BV" ]; then
	export BUNDLER_VERSION=$BV
	log "maintainer scripts will use Debian's bundler $BV (BUNDLER_VERSION)"
else
	log "warning: no bundler gemspec in ruby-bundler; leaving BUNDLER_VERSION unset"
fi

# Step 2: finish configuring a package that an earlier failed attempt left
# half-configured (for example redmine in state iF).
if [ -n "$(dpkg --audit 2>/dev/null)" ]; then
	log "finishing interrupted package configuration (dpkg --configure -a)"
	dpkg --configure -a
fi

# Step 3: install the rest (the same set and options as redmine-peer.sh).
need=()
for p in "${PACKAGES[@]}"; do installed "$p" || need+=("$p"); done
if [ ${#need[@]} -gt 0 ]; then
	log "installing: ${need[*]}"
	apt-get update -qq
	"${APT[@]}" install --no-install-recommends "${need[@]}"
fi

# Check the result.
bad=()
for p in "${PACKAGES[@]}"; do installed "$p" || bad+=("$p"); done
if [ ${#bad[@]} -gt 0 ] || [ -n "$(dpkg --audit 2>/dev/null)" ]; then
	log "still not installed/configured: ${bad[*]}"; dpkg --audit || true; exit 1
fi
log "ok: ${PACKAGES[*]} installed and configured; now run ../shared/bench/redmine-peer.sh setup"
