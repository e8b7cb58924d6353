#!/usr/bin/env bash
# Makes sure MariaDB answers on 127.0.0.1:3306 with root and no password — the legacy database the
# migration toolkit's tests read from. Installs Debian's mariadb-server when missing and starts it
# when stopped.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

mariadb_up() { mariadb -h 127.0.0.1 -P 3306 -u root -e 'select 1'; }

if ! command -v mariadbd >/dev/null 2>&1 && ! [ -x /usr/sbin/mariadbd ]; then
  apt_install mariadb-server mariadb-client
fi
if ! mariadb_up >/dev/null 2>&1; then
  log "starting MariaDB"
  mkdir -p /run/mysqld && chown mysql:mysql /run/mysqld 2>/dev/null || true
  if [ ! -d /var/lib/mysql/mysql ]; then
    mariadb-install-db --user=mysql --datadir=/var/lib/mysql >/dev/null
  fi
  (/usr/sbin/mariadbd --user=mysql --bind-address=127.0.0.1 --port=3306 >/var/log/mariadb-only.log 2>&1 &)
  wait_until 60 MariaDB mariadb -u root -e 'select 1'
  # A fresh install lets root in by socket only; the tests connect over TCP without a password.
  mariadb -u root -e "ALTER USER 'root'@'localhost' IDENTIFIED VIA mysql_native_password USING PASSWORD(''); CREATE USER IF NOT EXISTS 'root'@'127.0.0.1' IDENTIFIED BY ''; GRANT ALL ON *.* TO 'root'@'127.0.0.1' WITH GRANT OPTION; FLUSH PRIVILEGES;" || true
fi
wait_until 60 MariaDB mariadb_up
log "MariaDB ready"
