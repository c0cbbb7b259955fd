#!/usr/bin/env bash
# Installs Debian's mosquitto (broker with the dynamic-security plugin, and mosquitto_ctrl)
# when missing; the sensors tests and benchmark start their own throwaway broker from it.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v mosquitto >/dev/null 2>&1 && [ ! -x /usr/sbin/mosquitto ]; then
  scripts/apt-install.sh mosquitto mosquitto-clients
fi
