#!/usr/bin/env bash
# Helpers to make sure a local service is installed (Debian packages) and running.

log() { printf '[infra] %s\n' "$*" >&2; }

# Runs apt-get update once per invocation, then installs the given packages.
apt_install() {
  if [ -z "${ONLY_APT_UPDATED:-}" ]; then
    log "apt-get update"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
    export ONLY_APT_UPDATED=1
  fi
  log "installing $*"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

# wait_until <seconds> <description> <command...>: retries the command until it succeeds.
wait_until() {
  local seconds=$1 what=$2
  shift 2
  local deadline=$((SECONDS + seconds))
  until "$@" >/dev/null 2>&1; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      log "$what is not ready after ${seconds}s"
      return 1
    fi
    sleep 0.5
  done
}
