#!/bin/sh
# Installs the openclaw binary for this machine from the folder this script is in (a release: dist/ of
# `npm run release`): checks its SHA-256 against SHA256SUMS, copies it to ~/.local/bin/openclaw, and with
# --service also installs and starts the gateway service (openclaw gateway install).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
bindir="${OPENCLAW_INSTALL_DIR:-$HOME/.local/bin}"
service=no
for arg in "$@"; do
  case "$arg" in
    --service) service=yes ;;
    --help|-h) echo "usage: install.sh [--service]   (env OPENCLAW_INSTALL_DIR, default ~/.local/bin)"; exit 0 ;;
    *) echo "install.sh: unknown option $arg" >&2; exit 2 ;;
  esac
done
case "$(uname -s)-$(uname -m)" in
  Linux-x86_64|Linux-amd64) name=openclaw-linux-x64 ;;
  Linux-aarch64|Linux-arm64) name=openclaw-linux-arm64 ;;
  *) echo "install.sh: no release binary for $(uname -s) $(uname -m) (Linux x86_64 and aarch64 only; a 32-bit Raspberry Pi OS needs the 64-bit one)" >&2; exit 1 ;;
esac
[ -f "$here/$name" ] || { echo "install.sh: $here/$name is missing" >&2; exit 1; }
if [ -f "$here/SHA256SUMS" ]; then
  expected=$(grep " $name\$" "$here/SHA256SUMS" | cut -d' ' -f1)
  actual=$(sha256sum "$here/$name" | cut -d' ' -f1)
  [ "$expected" = "$actual" ] || { echo "install.sh: $name does not match SHA256SUMS (expected $expected, got $actual)" >&2; exit 1; }
fi
mkdir -p "$bindir"
cp "$here/$name" "$bindir/openclaw.tmp.$$" && chmod 755 "$bindir/openclaw.tmp.$$" && mv "$bindir/openclaw.tmp.$$" "$bindir/openclaw"
echo "Installed $bindir/openclaw ($("$bindir/openclaw" --version))."
case ":$PATH:" in
  *":$bindir:"*) ;;
  *) echo "Add $bindir to PATH, e.g.: echo 'export PATH=\"$bindir:\$PATH\"' >> ~/.profile" ;;
esac
if [ "$service" = yes ]; then "$bindir/openclaw" gateway install; else echo "Next: openclaw up   (or: openclaw gateway install, to run it as a service)"; fi
