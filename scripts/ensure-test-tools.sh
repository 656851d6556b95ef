#!/bin/sh
# Installs the Debian packages some tests drive as real programs (promtool checks /metrics,
# Chromium renders the dashboard, shellcheck lints install.sh, which
# downloads with curl), when they are missing and this user may install packages.
set -eu
missing=""
command -v promtool >/dev/null 2>&1 || missing="$missing prometheus"
command -v chromium >/dev/null 2>&1 || missing="$missing chromium"
command -v shellcheck >/dev/null 2>&1 || missing="$missing shellcheck"
command -v curl >/dev/null 2>&1 || missing="$missing curl ca-certificates"
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing test tools:$missing" >&2
  apt-get update -qq >/dev/null
  # shellcheck disable=SC2086 # the package list is meant to split
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  echo "installing test tools:$missing" >&2
  sudo apt-get update -qq >/dev/null
  # shellcheck disable=SC2086 # the package list is meant to split
  sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
else
  echo "headroom tests need these Debian packages:$missing (run: sudo apt-get install$missing)" >&2
  exit 1
fi
