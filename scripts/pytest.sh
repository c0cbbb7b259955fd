#!/usr/bin/env bash
# Runs the pytest suite against $DATABASE_URL; "no tests collected" (exit 5) is a failure.
set -uo pipefail
cd "$(dirname "$0")/.."
echo "== pytest on ${DATABASE_URL%%:*}"
# A base temp directory of our own: /tmp is shared with anything else running pytest.
vendor=${DATABASE_URL%%:*}
mkdir -p var
.venv/bin/pytest -p no:cacheprovider -n "${PYTEST_WORKERS:-2}" --dist loadgroup \
  --basetemp "var/pytest-${vendor}" "$@"
status=$?
if [ "$status" -eq 5 ]; then
  echo "pytest collected no tests: that is a failure here" >&2
  exit 1
fi
exit "$status"
