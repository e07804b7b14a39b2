#!/usr/bin/env bash
# Builds what the lent GPU machine lacks (it reaches no registry): .dev/ (this node binary, xz'd, and
# node_modules without other platforms' Dawn builds and the browser-test tooling) and .gl/ (Debian
# packages of the Vulkan loader and GLVND, plus the X libraries they link). Both paths are
# ignored by git; carry them with the run: `carry: [".dev", ".gl"]`, then `source .dev/setup.sh`.
set -euo pipefail
cd "$(dirname "$0")/../.."
grep -qx '/.dev/' .git/info/exclude 2>/dev/null || printf '/.dev/\n/.gl/\n' >> .git/info/exclude
mkdir -p .dev .gl/x
cp scripts/device/setup.sh .dev/setup.sh
xz -9 -T2 -c "$(command -v node)" > .dev/node.xz
tar -cJf .dev/nm.txz \
  --exclude='node_modules/webgpu/dist/darwin-*' --exclude='node_modules/webgpu/dist/win32-*' \
  --exclude='node_modules/webgpu/dist/linux-arm64' --exclude=node_modules/typescript \
  --exclude=node_modules/puppeteer-core --exclude=node_modules/chromium-bidi --exclude=node_modules/devtools-protocol \
  node_modules
(cd .gl && apt-get download -oAPT::Architecture=amd64 libvulkan1 libegl1 libglvnd0 libopengl0 libgl1 libglx0 libgles2)
(cd .gl/x && apt-get download -oAPT::Architecture=amd64 libx11-6 libxext6 libxcb1 libxau6 libxdmcp6 libbsd0 libmd0)
du -sh .dev .gl
