#!/bin/sh
# Install labcheck from a GitHub release: the binary for this machine and the labs,
# checked against the release's SHA-256 checksum. No Rust needed.
#
#   curl -fsSL https://github.com/OWNER/labcheck/releases/latest/download/install.sh | sh
#
# Settings (environment):
#   LABCHECK_VERSION   a release tag such as v0.2.0 (default: the latest release)
#   LABCHECK_BIN_DIR   where the binary goes (default: ~/.local/bin)
#   LABCHECK_DATA_DIR  where the labs go (default: ${XDG_DATA_HOME:-~/.local/share}/labcheck),
#                      the folder labcheck looks in when there is no ./labs
#   LABCHECK_RELEASES  the releases' base URL (default: the project's GitHub releases;
#                      a mirror, or a local server in tests)
set -eu

REPO_RELEASES="https://github.com/OWNER/labcheck/releases"
releases="${LABCHECK_RELEASES:-$REPO_RELEASES}"
version="${LABCHECK_VERSION:-latest}"
bin_dir="${LABCHECK_BIN_DIR:-$HOME/.local/bin}"
data_dir="${LABCHECK_DATA_DIR:-${XDG_DATA_HOME:-$HOME/.local/share}/labcheck}"

say() { printf 'labcheck install: %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }

# This machine's build: static musl binaries on Linux, native ones on macOS.
os=$(uname -s)
arch=$(uname -m)
case "$arch" in
  x86_64 | amd64) arch=x86_64 ;;
  aarch64 | arm64) arch=aarch64 ;;
  *) die "no build for the $arch processor (builds: x86_64, aarch64); build from source: cargo install --locked --path ." ;;
esac
case "$os" in
  Linux) target="$arch-unknown-linux-musl" ;;
  Darwin) target="$arch-apple-darwin" ;;
  *) die "no build for $os here; on Windows download labcheck-x86_64-pc-windows-msvc.zip from $releases" ;;
esac

if [ "$version" = latest ]; then
  base="$releases/latest/download"
else
  base="$releases/download/$version"
fi
archive="labcheck-$target.tar.gz"

fetch() { # URL FILE
  if command -v curl >/dev/null 2>&1; then
    curl -fsSL --retry 3 -o "$2" "$1"
  elif command -v wget >/dev/null 2>&1; then
    wget -q -O "$2" "$1"
  else
    die "neither curl nor wget is installed"
  fi
}

sha256() {
  if command -v sha256sum >/dev/null 2>&1; then
    sha256sum "$1" | cut -d' ' -f1
  elif command -v shasum >/dev/null 2>&1; then
    shasum -a 256 "$1" | cut -d' ' -f1
  else
    die "neither sha256sum nor shasum is installed: cannot check the download"
  fi
}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM

say "downloading $archive ($version)"
fetch "$base/$archive" "$work/$archive" || die "could not download $base/$archive"
fetch "$base/$archive.sha256" "$work/$archive.sha256" || die "could not download $base/$archive.sha256"
expected=$(cut -d' ' -f1 <"$work/$archive.sha256")
actual=$(sha256 "$work/$archive")
[ -n "$expected" ] && [ "$expected" = "$actual" ] ||
  die "$archive does not match its checksum (expected ${expected:-nothing}, got $actual): not installed"

tar xzf "$work/$archive" -C "$work"
unpacked="$work/labcheck-$target"
[ -x "$unpacked/labcheck" ] && [ -d "$unpacked/labs" ] || die "$archive does not hold labcheck and its labs"

mkdir -p "$bin_dir" "$data_dir"
# Replace the labs whole (a lab removed upstream goes too), then the binary.
rm -rf "$data_dir/labs.new"
cp -R "$unpacked/labs" "$data_dir/labs.new"
rm -rf "$data_dir/labs"
mv "$data_dir/labs.new" "$data_dir/labs"
cp "$unpacked/labcheck" "$bin_dir/labcheck.new"
chmod 755 "$bin_dir/labcheck.new"
mv "$bin_dir/labcheck.new" "$bin_dir/labcheck"

say "installed $("$bin_dir/labcheck" --version) in $bin_dir, its labs in $data_dir/labs"
case ":$PATH:" in
  *":$bin_dir:"*) ;;
  *) say "add $bin_dir to your PATH, e.g. echo 'export PATH=\"$bin_dir:\$PATH\"' >> ~/.profile" ;;
esac
if [ -n "${LABCHECK_DATA_DIR:-}" ]; then
  say "labcheck looks for ./labs, then ~/.local/share/labcheck/labs: point it at these with LABCHECK_LABS=$data_dir/labs"
fi
