#!/usr/bin/env bash
# Provides a local PostgreSQL for the database tests: installs Debian's postgresql if missing,
# starts the cluster, ensures role `memtape` (CREATEDB, so migration tooling can create shadow
# databases) and database `memtape_test`, then prints the connection URL on stdout.
# Safe to run repeatedly. Progress goes to stderr so `URL=$(scripts/ci-postgres.sh)` works.
set -euo pipefail

role=memtape
password=memtape
database=memtape_test

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

as_postgres() {
  as_root runuser -u postgres -- "$@"
}

if ! command -v pg_ctlcluster >/dev/null 2>&1; then
  echo "installing postgresql" >&2
  as_root apt-get update -qq >&2
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
fi

# Debian creates one cluster at install time; use whichever version is present.
read -r version cluster port status _ < <(pg_lsclusters --no-header | head -n 1)
if [ "$status" != "online" ]; then
  echo "starting cluster $version/$cluster" >&2
  as_root pg_ctlcluster "$version" "$cluster" start
fi

psql_admin() {
  as_postgres psql --port "$port" --no-psqlrc --quiet --tuples-only --no-align "$@"
}

if [ "$(psql_admin -c "SELECT 1 FROM pg_roles WHERE rolname = '$role'")" != "1" ]; then
  echo "creating role $role" >&2
  psql_admin -c "CREATE ROLE $role LOGIN CREATEDB PASSWORD '$password'"
fi

if [ "$(psql_admin -c "SELECT 1 FROM pg_database WHERE datname = '$database'")" != "1" ]; then
  echo "creating database $database" >&2
  psql_admin -c "CREATE DATABASE $database OWNER $role"
fi

echo "postgresql://$role:$password@127.0.0.1:$port/$database"
