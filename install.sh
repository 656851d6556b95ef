#!/bin/sh
# Installs the headroom executable for this machine, without sudo:
#
#   curl -fsSL https://github.com/headroom-dev/headroom/releases/latest/download/install.sh | sh
#
# Settings (environment):
#   HEADROOM_VERSION           a version to install, e.g. 0.1.0 (default: the latest release)
#   HEADROOM_INSTALL_DIR       where to put the executable (default: ~/.local/bin)
#   HEADROOM_INSTALL_BASE_URL  a mirror of the releases: archives and SHA256SUMS are fetched
#                              from BASE/latest/ or BASE/vVERSION/
#
# Every archive is checked against the release's SHA256SUMS before anything is installed.
set -eu

REPOSITORY="headroom-dev/headroom"

say() { printf 'headroom-install: %s\n' "$*" >&2; }
fail() {
  say "$*"
  exit 1
}

# Which release archive fits this machine: linux/darwin/windows, x64/arm64, glibc/musl.
detect_target() {
  os=$(uname -s)
  arch=$(uname -m)
  case "$os" in
    Linux) os=linux ;;
    Darwin) os=darwin ;;
    MINGW* | MSYS* | CYGWIN* | Windows_NT)
      fail "on Windows, install from PowerShell instead: irm https://github.com/$REPOSITORY/releases/latest/download/install.ps1 | iex"
      ;;
    *) fail "there is no headroom release for $os; releases exist for Linux and macOS (x64, arm64) and Windows x64" ;;
  esac
  case "$arch" in
    x86_64 | amd64) arch=x64 ;;
    aarch64 | arm64) arch=arm64 ;;
    *) fail "there is no headroom release for $os on $arch; releases exist for x64 and arm64" ;;
  esac
  # A shell running under Rosetta reports x86_64 on an Apple-silicon Mac: the native build is faster.
  if [ "$os" = darwin ] && [ "$arch" = x64 ] && [ "$(sysctl -n sysctl.proc_translated 2>/dev/null || true)" = 1 ]; then
    arch=arm64
  fi
  target="$os-$arch"
  if [ "$os" = linux ]; then
    if is_musl; then
      target="$target-musl"
    elif [ "$arch" = x64 ] && [ -r /proc/cpuinfo ] && ! grep -q avx2 /proc/cpuinfo; then
      # Older x64 CPUs without AVX2 need the baseline build.
      target="$target-baseline"
    fi
  fi
  echo "$target"
}

is_musl() {
  if command -v ldd >/dev/null 2>&1 && ldd --version 2>&1 | grep -qi musl; then
    return 0
  fi
  for loader in /lib/ld-musl-*.so.1; do
    [ -e "$loader" ] && return 0
  done
  return 1
}

download() { # url file
  if command -v curl >/dev/null 2>&1; then
    curl -fsSL --retry 2 -o "$2" "$1" || fail "could not download $1"
  elif command -v wget >/dev/null 2>&1; then
    wget -q -O "$2" "$1" || fail "could not download $1"
  else
    fail "neither curl nor wget is installed; install one and run this again"
  fi
}

sha256_of() { # file
  if command -v sha256sum >/dev/null 2>&1; then
    sha256sum "$1" | cut -d' ' -f1
  elif command -v shasum >/dev/null 2>&1; then
    shasum -a 256 "$1" | cut -d' ' -f1
  elif command -v openssl >/dev/null 2>&1; then
    openssl dgst -sha256 "$1" | sed 's/^.*= //'
  else
    fail "no sha256sum, shasum or openssl to verify the download with"
  fi
}

release_url() {
  version=${HEADROOM_VERSION:-}
  version=${version#v}
  if [ -n "${HEADROOM_INSTALL_BASE_URL:-}" ]; then
    base=${HEADROOM_INSTALL_BASE_URL%/}
    if [ -n "$version" ]; then echo "$base/v$version"; else echo "$base/latest"; fi
  elif [ -n "$version" ]; then
    echo "https://github.com/$REPOSITORY/releases/download/v$version"
  else
    echo "https://github.com/$REPOSITORY/releases/latest/download"
  fi
}

main() {
  target=$(detect_target)
  url=$(release_url)
  archive="headroom-$target.tar.gz"
  install_dir=${HEADROOM_INSTALL_DIR:-${HOME:?HOME is not set}/.local/bin}

  tmp=$(mktemp -d 2>/dev/null || mktemp -d -t headroom)
  trap 'rm -rf "$tmp"' EXIT INT TERM

  say "downloading $archive from $url"
  download "$url/$archive" "$tmp/$archive"
  download "$url/SHA256SUMS" "$tmp/SHA256SUMS"

  expected=$(awk -v name="$archive" '$2 == name || $2 == "*" name { print $1 }' "$tmp/SHA256SUMS")
  [ -n "$expected" ] || fail "SHA256SUMS has no line for $archive; refusing to install"
  actual=$(sha256_of "$tmp/$archive")
  if [ "$actual" != "$expected" ]; then
    fail "checksum mismatch for $archive (expected $expected, got $actual): the download is corrupt or was tampered with; nothing was installed"
  fi

  mkdir -p "$tmp/unpacked"
  tar -xzf "$tmp/$archive" -C "$tmp/unpacked" || fail "could not unpack $archive"
  [ -f "$tmp/unpacked/headroom" ] || fail "$archive holds no headroom executable"
  chmod 755 "$tmp/unpacked/headroom"
  new_version=$("$tmp/unpacked/headroom" --version 2>/dev/null) ||
    fail "the downloaded headroom does not run on this machine ($target); please report it"

  mkdir -p "$install_dir" || fail "cannot create $install_dir; choose another with HEADROOM_INSTALL_DIR"
  destination="$install_dir/headroom"
  old_version=""
  if [ -x "$destination" ]; then
    old_version=$("$destination" --version 2>/dev/null || true)
  fi
  # Copy next to the destination, then rename over it: a running headroom keeps its old file.
  cp "$tmp/unpacked/headroom" "$install_dir/.headroom.new.$$" ||
    fail "cannot write to $install_dir; choose another with HEADROOM_INSTALL_DIR"
  mv -f "$install_dir/.headroom.new.$$" "$destination"

  if [ -n "$old_version" ] && [ "$old_version" != "$new_version" ]; then
    say "upgraded $old_version to $new_version at $destination"
    say "a proxy that is already running keeps the old version until it is restarted"
  else
    say "installed $new_version at $destination"
  fi
  case ":${PATH:-}:" in
    *":$install_dir:"*) ;;
    *)
      say "$install_dir is not on your PATH; add it, e.g. in ~/.profile:"
      say "  export PATH=\"$install_dir:\$PATH\""
      ;;
  esac
  say "next: headroom wrap claude (or codex), or headroom proxy; headroom doctor checks the setup"
}

main "$@"
