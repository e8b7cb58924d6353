#!/usr/bin/env bash
# Makes sure PostgreSQL answers on 127.0.0.1:5432 with user postgres / password postgres.
# Installs Debian's postgresql when missing and starts the cluster when stopped.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

pg_up() { pg_isready -h 127.0.0.1 -p 5432 -q; }

if ! command -v pg_ctlcluster >/dev/null 2>&1; then
  apt_install postgresql postgresql-client
fi
if ! pg_up; then
  version=$(ls /etc/postgresql | sort -V | tail -n 1)
  log "starting PostgreSQL $version"
  pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
fi
wait_until 60 PostgreSQL pg_up
# A fresh install only lets postgres in over the socket: give it the password tests use.
if ! PGPASSWORD=postgres psql -h 127.0.0.1 -U postgres -d postgres -tAc 'select 1' >/dev/null 2>&1; then
  su postgres -c "psql -q -c \"alter user postgres password 'postgres'\""
fi
log "PostgreSQL ready"
