#!/usr/bin/env bash
# Runs "$@" with DATABASE_URL pointing at PostgreSQL.
# Uses the server at 127.0.0.1:5432 when one answers; otherwise starts a throwaway
# cluster from Debian's PostgreSQL binaries (installing them if needed) and stops it after.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -n "${PG_URL:-}" ]; then
  export DATABASE_URL="$PG_URL"; exec "$@"
fi

# PG_THROWAWAY=1 skips the shared server (to exercise the fallback path).
if [ -z "${PG_THROWAWAY:-}" ] && command -v pg_isready >/dev/null 2>&1 && pg_isready -q -h 127.0.0.1 -p 5432; then
  for role in postgres root; do
    if psql -h 127.0.0.1 -p 5432 -U "$role" -d postgres -Atc 'select 1' >/dev/null 2>&1; then
      export DATABASE_URL="postgresql://$role@127.0.0.1:5432/kotacerdas"
      echo "== PostgreSQL: the server at 127.0.0.1:5432 (user $role)"
      exec "$@"
    fi
  done
fi

if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  scripts/apt-install.sh postgresql
fi
BIN_DIR=$(dirname "$(ls /usr/lib/postgresql/*/bin/initdb | sort -V | tail -n 1)")
DATA=$(mktemp -d /tmp/kotacerdas-pg.XXXXXX)
PORT=${PG_TEST_PORT:-55432}
RUN_AS=()
if [ "$(id -u)" -eq 0 ]; then
  chown postgres "$DATA"
  RUN_AS=(runuser -u postgres --)
fi
"${RUN_AS[@]}" "$BIN_DIR/initdb" -D "$DATA" -U postgres -A trust >/dev/null
"${RUN_AS[@]}" "$BIN_DIR/pg_ctl" -D "$DATA" -o "-p $PORT -k $DATA -c listen_addresses=127.0.0.1 -c fsync=off" -w start >/dev/null
cleanup() { "${RUN_AS[@]}" "$BIN_DIR/pg_ctl" -D "$DATA" -m fast -w stop >/dev/null || true; rm -rf "$DATA"; }
trap cleanup EXIT
echo "== PostgreSQL: throwaway cluster on port $PORT"
export DATABASE_URL="postgresql://postgres@127.0.0.1:$PORT/kotacerdas"
"$@"
