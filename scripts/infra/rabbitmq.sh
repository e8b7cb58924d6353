#!/usr/bin/env bash
# Makes sure RabbitMQ answers on 127.0.0.1:5672 (guest/guest, which RabbitMQ allows from localhost).
# Installs Debian's rabbitmq-server when missing and starts the node when stopped.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

amqp_up() { (exec 3<>/dev/tcp/127.0.0.1/5672) 2>/dev/null; }
broker_up() { amqp_up && rabbitmq-diagnostics -q check_running >/dev/null 2>&1; }

if ! command -v rabbitmq-server >/dev/null 2>&1; then
  apt_install rabbitmq-server
fi
if ! amqp_up; then
  log "starting RabbitMQ"
  rabbitmq-server -detached >/dev/null 2>&1 || true
fi
# A node whose application was stopped (rabbitmqctl stop_app) still runs: start it again.
if ! broker_up; then
  rabbitmqctl -q start_app >/dev/null 2>&1 || true
fi
wait_until 120 RabbitMQ broker_up
log "RabbitMQ ready"
