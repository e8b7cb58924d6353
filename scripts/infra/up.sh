#!/usr/bin/env bash
# Brings up what distributed mode needs on a plain Debian machine — PostgreSQL, RabbitMQ, Redis —
# and MariaDB (a legacy source for the migration toolkit's tests), installing the Debian packages
# when missing, and waits until each answers.
# With --env, prints the variables to export for `npm run start:cluster`:
#   eval "$(scripts/infra/up.sh --env)"
set -euo pipefail
here=$(dirname "$0")
bash "$here/postgres.sh" >&2
bash "$here/rabbitmq.sh" >&2
bash "$here/redis.sh" >&2
bash "$here/mariadb.sh" >&2
if [ "${1:-}" = "--env" ]; then
  echo "export DATABASE_URL=postgres://postgres:postgres@127.0.0.1:5432/only"
  echo "export RABBITMQ_URL=amqp://guest:guest@127.0.0.1:5672"
  echo "export REDIS_URL=redis://127.0.0.1:6379"
  echo "export MARIADB_URL=mysql://root@127.0.0.1:3306"
fi
