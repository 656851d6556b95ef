#!/bin/sh
# The Debian packages some tests drive as real programs: promtool checks /metrics, Chromium
# renders the dashboard, shellcheck lints install.sh, which downloads with curl, nginx balances
# three replicas with the shipped deploy/nginx.conf, and redis-server is the store a team's
# replicas share.
#
#   sh scripts/ensure-test-tools.sh            checks only (npm test's pretest): names what is
#                                              missing and stops, never installs anything
#   sh scripts/ensure-test-tools.sh --install  installs what is missing (npm run setup:test),
#                                              saying what and why first
set -eu
missing=""
command -v promtool >/dev/null 2>&1 || missing="$missing prometheus"
command -v chromium >/dev/null 2>&1 || missing="$missing chromium"
command -v shellcheck >/dev/null 2>&1 || missing="$missing shellcheck"
command -v curl >/dev/null 2>&1 || missing="$missing curl ca-certificates"
command -v nginx >/dev/null 2>&1 || missing="$missing nginx"
command -v redis-server >/dev/null 2>&1 || missing="$missing redis-server"
[ -z "$missing" ] && exit 0

if [ "${1:-}" != "--install" ]; then
  echo "headroom tests need these Debian packages:$missing; install them with: npm run setup:test" >&2
  exit 1
fi

echo "npm run setup:test installs these Debian packages:$missing" >&2
echo "  (promtool checks /metrics, Chromium renders the dashboard, shellcheck lints install.sh," >&2
echo "   curl is what install.sh downloads with, nginx runs deploy/nginx.conf," >&2
echo "   redis-server is the store replicas share)" >&2
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  as_root=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  as_root="sudo"
else
  echo "cannot install as this user; run: sudo apt-get install$missing" >&2
  exit 1
fi
$as_root apt-get update -qq >/dev/null
# shellcheck disable=SC2086 # the package list is meant to split; as_root may be empty
$as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
echo "installed:$missing" >&2
