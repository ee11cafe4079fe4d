#!/usr/bin/env bash
# System packages of the test suites, for CI on Debian: the browser, the rg that
# stands in for @vscode/ripgrep's download, unzip for the packaged VSIX, and what
# code-server's native modules build with (the end-to-end suite); clang and lld,
# with which a test checks that the committed WebAssembly kernels are what their
# C sources compile to; procps, whose `ps` the server-restart tests find the
# server with. Installs only what is missing.
set -euo pipefail

packages=(chromium ripgrep unzip libkrb5-dev build-essential python3 pkg-config clang lld procps)

missing=()
for package in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)
  [ "$status" = "install ok installed" ] || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=()
[ "$(id -u)" -eq 0 ] || sudo=(sudo)
echo "e2e deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq "${missing[@]}" > /dev/null
