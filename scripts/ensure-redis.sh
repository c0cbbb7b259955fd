#!/usr/bin/env bash
# Installs Debian's redis-server when missing; the cache tests start their own throwaway server.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v redis-server >/dev/null 2>&1 && [ ! -x /usr/bin/redis-server ]; then
  scripts/apt-install.sh redis-server
fi
