#!/usr/bin/env bash
# Makes sure Redis answers on 127.0.0.1:6379. Installs Debian's redis-server when missing and starts
# it (in memory only: nothing saved to disk) when stopped.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

redis_up() { redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null | grep -q PONG; }

if ! command -v redis-server >/dev/null 2>&1; then
  apt_install redis-server
fi
if ! redis_up; then
  log "starting Redis"
  mkdir -p /var/lib/redis /var/log/redis
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/only.log
fi
wait_until 30 Redis redis_up
log "Redis ready"
