#!/usr/bin/env bash
# Starts a throwaway PostgreSQL server for the tests, from Debian's packages (installed when run as
# root): a new cluster in $MLOPS_TEST_SERVICES_DIR/postgres, listening on 127.0.0.1 only (port
# $MLOPS_TEST_POSTGRES_PORT, default 5439) and on a socket in that folder, run as the `postgres`
# system user when started by root (the server refuses root). A user `mlops` with a password (scram)
# and a database `mlops_test`; and a user named like a Cloud SQL IAM user
# (`mlops-bot-bot@test-project.iam`, trusted from 127.0.0.1 as Cloud SQL trusts the connector's
# client certificate) for the Cloud SQL connector test. Leaves a running one alone. Prints the
# variables the tests read (MLOPS_TEST_POSTGRES_URL=..., MLOPS_TEST_POSTGRES_IAM_USER=...) on
# stdout; stop it with scripts/stop-test-services.sh.
set -euo pipefail
state="${MLOPS_TEST_SERVICES_DIR:-/tmp/mlops-bot-test-services}"
port="${MLOPS_TEST_POSTGRES_PORT:-5439}"
dir="$state/postgres"
user=mlops
password=mlops-test-password
database=mlops_test
log() { printf 'test-services: %s\n' "$*" >&2; }

find_bin() { compgen -G '/usr/lib/postgresql/*/bin/initdb' | sort -V | tail -1 | xargs -r dirname; }
bin=$(find_bin)
if [ -z "$bin" ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  log "installing postgresql (apt-get)"
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql; } >/dev/null
  bin=$(find_bin)
fi
if [ -z "$bin" ]; then
  log "no PostgreSQL server (Debian package postgresql): the PostgreSQL tests will say they were skipped"
  exit 0
fi

# As root, the server and its tools run as `postgres` (or `nobody`); otherwise as this user.
as_server() { "$@"; }
if [ "$(id -u)" = 0 ]; then
  owner=postgres
  id postgres >/dev/null 2>&1 || owner=nobody
  as_server() { runuser -u "$owner" -- "$@"; }
fi

if ! "$bin/pg_isready" -q -h 127.0.0.1 -p "$port"; then
  log "starting PostgreSQL ($("$bin/postgres" --version | awk '{print $3}')) on 127.0.0.1:$port"
  rm -rf "$dir"
  mkdir -p "$dir"
  printf '%s\n' "$password" >"$dir/password"
  [ "$(id -u)" = 0 ] && chown -R "$owner" "$dir"
  as_server "$bin/initdb" -D "$dir/data" -U "$user" --pwfile="$dir/password" --auth-host=scram-sha-256 --auth-local=trust \
    -E UTF8 --locale=C.UTF-8 --no-sync >"$dir/initdb.log" 2>&1 \
    || { log "initdb failed; see $dir/initdb.log"; tail -5 "$dir/initdb.log" >&2; exit 1; }
  rm -f "$dir/password"
  as_server "$bin/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$dir -c max_connections=300" start >/dev/null \
    || { log "PostgreSQL did not start; see $dir/postgres.log"; tail -20 "$dir/postgres.log" >&2; exit 1; }
  as_server "$bin/createdb" -h "$dir" -p "$port" -U "$user" "$database"
fi
# The IAM-like user (made on every run, so a server started before this step gets it too).
iam_user=mlops-bot-bot@test-project.iam
hba="$dir/data/pg_hba.conf"
if ! grep -q "\"$iam_user\"" "$hba"; then
  as_server sed -i "1i host all \"$iam_user\" 127.0.0.1/32 trust" "$hba"
  as_server "$bin/pg_ctl" -D "$dir/data" reload >/dev/null
fi
as_server "$bin/psql" -q -h "$dir" -p "$port" -U "$user" -d "$database" -v ON_ERROR_STOP=1 >/dev/null <<SQL
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$iam_user') THEN CREATE ROLE "$iam_user" LOGIN; END IF;
END \$\$;
GRANT CREATE ON DATABASE $database TO "$iam_user";
SQL
printf 'MLOPS_TEST_POSTGRES_URL=postgres://%s:%s@127.0.0.1:%s/%s\n' "$user" "$password" "$port" "$database"
printf 'MLOPS_TEST_POSTGRES_IAM_USER=%s\n' "$iam_user"
