#!/usr/bin/env bash
# A Vulkan driver for the WebGPU tests: Mesa's llvmpipe (software Vulkan) from
# bookworm-backports. Bookworm's own Mesa 22.3.6 lavapipe gives Dawn no adapter
# ("shaderUniform*ArrayDynamicIndexing required"); Mesa 25 does. Adds the suite
# to apt's sources where it is missing. Installs only what is missing.
set -euo pipefail

version=$(dpkg-query -W -f='${Version}' mesa-vulkan-drivers 2>/dev/null || true)
if [ -n "$version" ] && dpkg --compare-versions "$version" ge 25; then exit 0; fi

sudo=()
[ "$(id -u)" -eq 0 ] || sudo=(sudo)
. /etc/os-release
suite="${VERSION_CODENAME:-bookworm}-backports"
if ! grep -rqs "$suite" /etc/apt/sources.list /etc/apt/sources.list.d/; then
  echo "webgpu deps: adding $suite to apt's sources" >&2
  printf 'Types: deb\nURIs: http://deb.debian.org/debian\nSuites: %s\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' "$suite" |
    "${sudo[@]}" tee /etc/apt/sources.list.d/layerlab-backports.sources > /dev/null
fi
echo "webgpu deps: installing mesa-vulkan-drivers from $suite" >&2
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq -t "$suite" mesa-vulkan-drivers libvulkan1 > /dev/null
