#!/usr/bin/env bash
# A throwaway PostgreSQL server for tests and benchmarks.
#
# Uses Debian's postgresql package (installed with apt-get when missing, we are
# root and MLM_NO_APT is not set). The cluster lives in a temporary directory,
# listens on 127.0.0.1 on a free port with trust authentication, and is
# removed again when stopped.
#
#   scripts/throwaway-pg.sh available        exit 0 if initdb can be had (installs it if allowed)
#   scripts/throwaway-pg.sh start DIR        start a cluster in the new directory DIR; prints its URL
#   scripts/throwaway-pg.sh stop DIR         stop that cluster and delete DIR
#   scripts/throwaway-pg.sh restart DIR [SECONDS]
#                                            restart that cluster (fast shutdown: open
#                                            connections are cut, as in a failover),
#                                            down for SECONDS (default 0) in between
#   scripts/throwaway-pg.sh run CMD [ARG...] start, run CMD with DATABASE_URL and
#                                            MLM_TEST_DATABASE_URL set, stop; exits with CMD's code
#   scripts/throwaway-pg.sh serve            start, print the URL, wait for Ctrl-C, stop
#
# The URL is postgresql://postgres@127.0.0.1:PORT/postgres (superuser, so the
# test runner can create its test database). Durability is off (fsync=off and
# friends) because the data is thrown away; set MLM_PG_DURABLE=1 to keep the
# defaults, e.g. for benchmarks that should include commit costs.
#
# MLM_PG_BINDIR=/usr/lib/postgresql/16/bin picks a server version (default: the
# newest under /usr/lib/postgresql). Messages go to stderr; `start` prints only
# the URL on stdout.
set -euo pipefail

log() { printf 'throwaway-pg: %s\n' "$*" >&2; }

pg_bindir() {
    local initdb
    if [[ -n "${MLM_PG_BINDIR:-}" ]]; then
        [[ -x "$MLM_PG_BINDIR/initdb" ]] || return 1
        echo "$MLM_PG_BINDIR"
        return 0
    fi
    initdb=$(printf "%s\n" /usr/lib/postgresql/*/bin/initdb | sort -V | tail -n 1)
    [[ -n "$initdb" && -x "$initdb" ]] || return 1
    dirname "$initdb"
}

# Install Debian's postgresql when it is missing and we may.
ensure_postgres() {
    pg_bindir >/dev/null && return 0
    if [[ -n "${MLM_NO_APT:-}" ]]; then
        log "PostgreSQL is not installed and MLM_NO_APT is set: not installing it."
        return 1
    fi
    if [[ "$(id -u)" != 0 ]] || ! command -v apt-get >/dev/null; then
        log "PostgreSQL is not installed (need root and apt-get to install Debian's 'postgresql')."
        return 1
    fi
    log "installing Debian's postgresql package ..."
    export DEBIAN_FRONTEND=noninteractive
    if [[ -z "${MLM_APT_UPDATED:-}" ]]; then
        apt-get update >&2 || { log "apt-get update failed"; return 1; }
    fi
    apt-get install -y --no-install-recommends postgresql >&2 || { log "apt-get install postgresql failed"; return 1; }
    pg_bindir >/dev/null
}

free_port() {
    python3 - <<'EOF'
import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()
EOF
}

# Run a PostgreSQL binary as the owner of the cluster: initdb and the server
# refuse to run as root, so root runs them as the 'postgres' user.
as_owner() {
    if [[ "$(id -u)" == 0 ]]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

cmd_start() {
    local dir=${1:?usage: throwaway-pg.sh start DIR}
    local bindir port url
    ensure_postgres || return 1
    bindir=$(pg_bindir)
    if [[ -e "$dir" && -n "$(ls -A "$dir" 2>/dev/null)" ]]; then
        log "$dir exists and is not empty"
        return 1
    fi
    mkdir -p "$dir"
    if [[ "$(id -u)" == 0 ]]; then
        id postgres >/dev/null 2>&1 || { log "no 'postgres' user to run the server as"; return 1; }
        chown postgres: "$dir"
        # The server must be able to reach its directory through its parents.
        local parent
        parent=$(dirname "$(readlink -f "$dir")")
        if ! runuser -u postgres -- test -x "$parent"; then
            log "the postgres user cannot enter $parent; use a directory under /tmp"
            return 1
        fi
    fi
    as_owner "$bindir/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 \
        --locale=C.UTF-8 --no-sync >"$dir/initdb.log" 2>&1 || {
        log "initdb failed:"; cat "$dir/initdb.log" >&2; return 1; }

    local opts="-c listen_addresses=127.0.0.1 -c unix_socket_directories=$dir"
    opts+=" -c max_connections=100 -c shared_buffers=128MB"
    if [[ -z "${MLM_PG_DURABLE:-}" ]]; then
        opts+=" -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    fi
    local tries
    for tries in 1 2 3; do
        port=$(free_port)
        if as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
            -o "$opts -c port=$port" start >/dev/null 2>&1; then
            url="postgresql://postgres@127.0.0.1:$port/postgres"
            echo "$url" >"$dir/url"
            log "PostgreSQL $(basename "$(dirname "$bindir")") running at $url (data in $dir)"
            echo "$url"
            return 0
        fi
        log "start on port $port failed (try $tries):"
        tail -n 5 "$dir/server.log" >&2 || true
    done
    return 1
}

cmd_stop() {
    local dir=${1:?usage: throwaway-pg.sh stop DIR}
    local bindir
    [[ -d "$dir" ]] || return 0
    if [[ -f "$dir/data/postmaster.pid" ]] && bindir=$(pg_bindir); then
        as_owner "$bindir/pg_ctl" -D "$dir/data" -m immediate -w -t 30 stop >/dev/null 2>&1 ||
            log "pg_ctl stop failed (server already gone?)"
    fi
    rm -rf "$dir"
}

cmd_restart() {
    local dir=${1:?usage: throwaway-pg.sh restart DIR [SECONDS]} down=${2:-0}
    local bindir
    bindir=$(pg_bindir) || return 1
    if [[ "$down" != 0 ]]; then
        as_owner "$bindir/pg_ctl" -D "$dir/data" -m fast -w -t 60 stop >/dev/null
        sleep "$down"
    fi
    # pg_ctl restart starts the server with the options of its last start (postmaster.opts),
    # also when it is down.
    as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -m fast -w -t 60 restart \
        >/dev/null 2>&1 || { log "restart failed:"; tail -n 5 "$dir/server.log" >&2; return 1; }
    log "PostgreSQL in $dir restarted"
}

cmd_run() {
    [[ $# -gt 0 ]] || { log "usage: throwaway-pg.sh run CMD [ARG...]"; return 2; }
    local dir url rc=0
    dir=$(mktemp -d "${TMPDIR:-/tmp}/mlm-pg.XXXXXX")
    # shellcheck disable=SC2064
    trap "cmd_stop '$dir'" EXIT
    trap 'exit 130' INT TERM
    url=$(cmd_start "$dir") || return 1
    DATABASE_URL="$url" MLM_TEST_DATABASE_URL="$url" "$@" || rc=$?
    return "$rc"
}

cmd_serve() {
    local dir url
    dir=$(mktemp -d "${TMPDIR:-/tmp}/mlm-pg.XXXXXX")
    # shellcheck disable=SC2064
    trap "cmd_stop '$dir'; log stopped" EXIT
    trap 'exit 0' INT TERM
    url=$(cmd_start "$dir") || return 1
    cat <<EOF

  PostgreSQL is running: $url

  Use it, for example:
    export DATABASE_URL=$url           # sandbox, benchmarks
    export MLM_TEST_DATABASE_URL=$url  # pytest
  Ctrl-C stops the server and deletes its data.

EOF
    while true; do sleep 1; done
}

main() {
    local cmd=${1:-}
    shift || true
    case "$cmd" in
        available) ensure_postgres ;;
        start) cmd_start "$@" ;;
        stop) cmd_stop "$@" ;;
        restart) cmd_restart "$@" ;;
        run) cmd_run "$@" ;;
        serve) cmd_serve "$@" ;;
        *)
            awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0" >&2
            return 2
            ;;
    esac
}

main "$@"
