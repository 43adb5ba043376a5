#!/usr/bin/env bash
# A streaming read replica of the local PostgreSQL cluster, for the replica tests
# (tests/ops/test_replica.py, run by .ci/run): Debian's postgresql-common tools, as root.
#
#   scripts/pg-replica.sh start   # make it (pg_basebackup -R) and start it; idempotent
#   scripts/pg-replica.sh stop    # stop it and remove it (configuration and data)
#
# The replica is the cluster named "replica" of the primary's PostgreSQL version, on
# 127.0.0.1:$REPLICA_PORT (5433), replicating every database of the primary on
# 127.0.0.1:$PRIMARY_PORT (5432) over a physical replication connection of user postgres (a
# pg_hba line allowing it from 127.0.0.1 is added, and the primary reloaded, when missing).
# No replication slot: a forgotten replica never makes the primary keep WAL. The primary is
# otherwise never touched; `stop` removes only a cluster named "replica" that is a standby.
set -euo pipefail

PRIMARY_PORT="${PRIMARY_PORT:-5432}"
REPLICA_PORT="${REPLICA_PORT:-5433}"
NAME=replica # fixed on purpose: `stop` drops this cluster and no other

die() { echo "pg-replica: $*" >&2; exit 1; }
say() { echo "pg-replica: $*"; }

[ "$(id -u)" = 0 ] || die "run as root (pg_createcluster, pg_ctlcluster, pg_dropcluster)"
command -v pg_lsclusters >/dev/null || die "postgresql-common is not installed"

# the version of the cluster serving the primary's port: the replica must be the same
version=$(pg_lsclusters --no-header | awk -v p="$PRIMARY_PORT" '$3 == p { print $1; exit }')
[[ "$version" =~ ^[0-9]+$ ]] || die "no local cluster on port $PRIMARY_PORT"
[ "$REPLICA_PORT" != "$PRIMARY_PORT" ] || die "the replica needs a port of its own"
bin="/usr/lib/postgresql/$version/bin"

primary() { psql -X -q -h 127.0.0.1 -p "$PRIMARY_PORT" -U postgres -d postgres -At "$@"; }
replica() { psql -X -q -h 127.0.0.1 -p "$REPLICA_PORT" -U postgres -d postgres -At "$@"; }
exists() { pg_lsclusters --no-header | awk -v v="$version" -v n="$NAME" '$1 == v && $2 == n { f = 1 } END { exit !f }'; }
status() { pg_lsclusters --no-header | awk -v v="$version" -v n="$NAME" '$1 == v && $2 == n { print $4 }'; }
datadir() { pg_lsclusters --no-header | awk -v v="$version" -v n="$NAME" '$1 == v && $2 == n { print $6 }'; }

replication_allowed() {
  psql -X -q -At "host=127.0.0.1 port=$PRIMARY_PORT user=postgres replication=true" \
    -c "IDENTIFY_SYSTEM" >/dev/null 2>&1
}

allow_replication() {
  replication_allowed && return 0
  local hba
  hba=$(primary -c "SHOW hba_file")
  [ -f "$hba" ] || die "cannot find the primary's pg_hba.conf"
  say "allowing replication connections of postgres from 127.0.0.1 ($hba)"
  printf '%s\n' "host    replication     postgres        127.0.0.1/32            trust" >>"$hba"
  primary -c "SELECT pg_reload_conf()" >/dev/null
  for _ in $(seq 1 20); do replication_allowed && return 0; sleep 0.25; done
  die "the primary still refuses replication connections: check $hba"
}

wait_streaming() {
  for _ in $(seq 1 120); do
    if pg_isready -q -h 127.0.0.1 -p "$REPLICA_PORT" \
      && [ "$(replica -c "SELECT status FROM pg_stat_wal_receiver" 2>/dev/null)" = streaming ]; then
      return 0
    fi
    sleep 0.5
  done
  die "the replica does not stream (see /var/log/postgresql/postgresql-$version-$NAME.log)"
}

ready() {
  wait_streaming
  [ "$(replica -c "SELECT pg_is_in_recovery()")" = t ] || die "$version/$NAME is not a standby"
  # a test that stopped half-way may have left replay paused: a fresh start replays
  replica -c "SELECT pg_wal_replay_resume() WHERE pg_get_wal_replay_pause_state() <> 'not paused'" >/dev/null
  say "$version/$NAME streams from 127.0.0.1:$PRIMARY_PORT, read-only on 127.0.0.1:$REPLICA_PORT"
}

start() {
  pg_isready -q -h 127.0.0.1 -p "$PRIMARY_PORT" || die "the primary (port $PRIMARY_PORT) is not running"
  allow_replication
  if exists; then
    [ -f "$(datadir)/standby.signal" ] || die "$version/$NAME exists and is not a standby: not touching it"
    if [[ "$(status)" != online* ]]; then # a running standby is "online,recovery"
      pg_ctlcluster --skip-systemctl-redirect "$version" "$NAME" start
    fi
    ready
    return
  fi
  if pg_isready -q -h 127.0.0.1 -p "$REPLICA_PORT"; then
    die "port $REPLICA_PORT is taken by another server"
  fi
  local dir="/var/lib/postgresql/$version/$NAME"
  [ ! -e "$dir" ] || die "$dir exists without a cluster: remove it first"
  [ ! -e "/etc/postgresql/$version/$NAME" ] || die "/etc/postgresql/$version/$NAME exists without a cluster"
  install -d -o postgres -g postgres -m 0700 "$dir"
  # remove what this run made when a later step fails
  trap 'rm -rf -- "/var/lib/postgresql/$version/$NAME"; rm -rf -- "/etc/postgresql/$version/$NAME"' ERR
  say "copying the primary (pg_basebackup, fast checkpoint) into $dir"
  runuser -u postgres -- "$bin/pg_basebackup" -h 127.0.0.1 -p "$PRIMARY_PORT" -U postgres \
    -D "$dir" -X stream -R --checkpoint=fast --no-sync
  # The primary's configuration lives in /etc (Debian), so the copy holds none: give it a
  # minimal one, which pg_createcluster moves to /etc/postgresql/$version/$NAME and completes
  # (data directory, port, socket directory). A standby needs at least the primary's values
  # of these settings; fsync is off as for any throw-away test server.
  {
    echo "listen_addresses = '127.0.0.1'"
    echo "hot_standby = on"
    echo "fsync = off"
    for setting in max_connections max_worker_processes max_wal_senders \
      max_prepared_transactions max_locks_per_transaction; do
      echo "$setting = $(primary -c "SHOW $setting")"
    done
  } >"$dir/postgresql.conf"
  printf '%s\n' 'local all all trust' 'host all all 127.0.0.1/32 trust' >"$dir/pg_hba.conf"
  : >"$dir/pg_ident.conf"
  chown postgres:postgres "$dir/postgresql.conf" "$dir/pg_hba.conf" "$dir/pg_ident.conf"
  pg_createcluster "$version" "$NAME" -p "$REPLICA_PORT" -d "$dir" >/dev/null
  pg_ctlcluster --skip-systemctl-redirect "$version" "$NAME" start
  trap - ERR
  ready
}

stop() {
  if ! exists; then
    say "no cluster $version/$NAME: nothing to stop"
    return
  fi
  [ -f "$(datadir)/standby.signal" ] || die "$version/$NAME is not a standby: not removing it"
  # a throw-away copy: no shutdown checkpoint to wait for
  if [[ "$(status)" == online* ]]; then
    pg_ctlcluster --skip-systemctl-redirect "$version" "$NAME" stop -m immediate
  fi
  pg_dropcluster "$version" "$NAME"
  say "$version/$NAME stopped and removed"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
