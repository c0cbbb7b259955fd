#!/usr/bin/env bash
# The browser tests drive Debian's Chromium; install it when it is missing.
set -euo pipefail
command -v chromium >/dev/null 2>&1 || "$(dirname "$0")/apt-install.sh" chromium fonts-noto-core
