#!/usr/bin/env bash
# Developer commands of django-oscar-mlm. Needs Debian (12) with python3.11;
# creates .venv in the repo on first use.
#
#   ./dev.sh sandbox   set up and serve the sandbox shop at http://localhost:8000/
#                      (PORT=8001 ./dev.sh sandbox for another port)
#   ./dev.sh test      the whole suite: ruff, pytest on SQLite, pytest on a throwaway
#                      PostgreSQL, browser tests in Chromium, docs (-W), translations
#                      (./dev.sh test sqlite e2e runs only those stages; stages: ruff
#                      sqlite postgres e2e production docs translations; production
#                      starts the stack of ./dev.sh prod and tests it over HTTP)
#   ./dev.sh prod      the production stack on this machine: sandbox/settings_production.py
#                      under gunicorn (several processes) on http://127.0.0.1:8000/, a
#                      throwaway PostgreSQL, Redis (cache and sessions), two task workers,
#                      static files by WhiteNoise, demo data; Ctrl-C stops all of it
#                      (docs/hosting.rst; PORT=8001 for another port)
#   ./dev.sh load      benchmarks/load.py: a load test of that stack (--help for options)
#   ./dev.sh docs      build the Sphinx docs into docs/_build/html (warnings are errors)
#   ./dev.sh pg        start a throwaway PostgreSQL, print its URL; Ctrl-C stops it
#   ./dev.sh venv      only create/update .venv
#
# Environment:
#   MLM_REQUIRE_PG=1       fail (instead of warn and skip) when PostgreSQL cannot be had
#   MLM_REQUIRE_BROWSER=1  the same for Chromium; CI=true implies both
#   MLM_NO_APT=1           never install Debian packages (postgresql, chromium, gettext,
#                          redis-server)
#   MLM_GUNICORN_WORKERS=N gunicorn's worker processes in `prod` (default 4)
#   MLM_TASK_WORKERS=N     task workers (manage.py db_worker) in `prod` (default 2)
#   MLM_DEMO_SIZE=N        members of the demo network in `prod` (default 60)
#   MLM_PROD_ENV_FILE=PATH `prod` writes the stack's environment there once it serves
#                          (tests and benchmarks/load.py read it)
#   MLM_CHROMIUM=PATH      the Chromium binary (default /usr/bin/chromium)
#   MLM_PG_BINDIR=DIR      PostgreSQL's bin directory (default the newest /usr/lib/postgresql/*/bin)
#   MLM_STAGE_TIMEOUT=SEC  time limit of one pytest stage (default 1500)
#   PYTHON=python3.11      interpreter for the virtualenv
#   PYTEST_ADDOPTS="-x -k signup"  extra pytest options for every pytest stage
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cd "$ROOT"

VENV="$ROOT/.venv"
PY="$VENV/bin/python"
EXTRAS="test,docs,sandbox,production,load"
STAMP="$VENV/.mlm-install-stamp"
CHROMIUM=${MLM_CHROMIUM:-/usr/bin/chromium}
STAGE_TIMEOUT=${MLM_STAGE_TIMEOUT:-1500}
export PIP_DISABLE_PIP_VERSION_CHECK=1

if [[ "${CI:-}" == "true" ]]; then
    MLM_REQUIRE_PG=${MLM_REQUIRE_PG:-1}
    MLM_REQUIRE_BROWSER=${MLM_REQUIRE_BROWSER:-1}
fi
export MLM_REQUIRE_PG=${MLM_REQUIRE_PG:-}
export MLM_REQUIRE_BROWSER=${MLM_REQUIRE_BROWSER:-}

say() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }
is_true() { [[ -n "${1:-}" && "$1" != 0 && "$1" != false ]]; }

loud_warning() {
    local line
    printf '\n' >&2
    printf '!%.0s' {1..78} >&2
    printf '\n' >&2
    for line in "$@"; do printf '!!  %s\n' "$line" >&2; done
    printf '!%.0s' {1..78} >&2
    printf '\n\n' >&2
}

# --- Debian packages ---------------------------------------------------------------------------

can_apt() { [[ -z "${MLM_NO_APT:-}" && "$(id -u)" == 0 ]] && command -v apt-get >/dev/null; }

APT_UPDATED=
apt_install() {
    can_apt || return 1
    export DEBIAN_FRONTEND=noninteractive
    if [[ -z "$APT_UPDATED" ]]; then
        say "apt-get update"
        apt-get update || return 1
        APT_UPDATED=1
        export MLM_APT_UPDATED=1
    fi
    say "apt-get install $*"
    apt-get install -y --no-install-recommends "$@"
}

# --- virtualenv ----------------------------------------------------------------------------------

pick_python() {
    local candidate
    for candidate in ${PYTHON:-} python3 python3.11 python3.12; do
        if command -v "$candidate" >/dev/null &&
            "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
            echo "$candidate"
            return 0
        fi
    done
    echo "dev.sh: need Python 3.11 or newer (set PYTHON=...)" >&2
    return 1
}

install_stamp() {
    { sha256sum pyproject.toml; echo "extras=$EXTRAS"; } | sha256sum | cut -d' ' -f1
}

ensure_venv() {
    if [[ ! -x "$PY" ]]; then
        local python
        python=$(pick_python)
        say "creating .venv with $python ($("$python" --version))"
        if ! "$python" -m venv "$VENV"; then
            rm -rf "$VENV"
            # Debian's own python3 needs python3-venv for ensurepip.
            apt_install python3-venv || { echo "dev.sh: cannot create a virtualenv" >&2; return 1; }
            "$python" -m venv "$VENV"
        fi
    fi
    local want
    want=$(install_stamp)
    if [[ -f "$STAMP" && "$(cat "$STAMP")" == "$want" ]] &&
        "$PY" -c 'import importlib.metadata as m; m.version("django-oscar-mlm")' 2>/dev/null; then
        return 0
    fi
    say "installing django-oscar-mlm[$EXTRAS] into .venv (pyproject.toml changed or first run)"
    rm -f "$STAMP"
    "$PY" -m pip install -e ".[$EXTRAS]"
    echo "$want" >"$STAMP"
}

# --- sandbox -------------------------------------------------------------------------------------

cmd_sandbox() {
    local port=${PORT:-8000}
    ensure_venv
    cd "$ROOT/sandbox"
    say "migrating the sandbox database"
    "$PY" manage.py migrate --noinput
    "$PY" manage.py mlm_init
    # E-mails link to the Site: the address served now, whatever an earlier run used.
    "$PY" manage.py sandbox_site --port "$port"
    # The demo commands are idempotent: on a database that has the demo already
    # they change nothing.
    say "demo data"
    "$PY" manage.py sandbox_demo_catalogue
    "$PY" manage.py mlm_demo_network --orders 400
    "$PY" manage.py sandbox_demo_extras
    cat <<EOF

================================================================================
  django-oscar-mlm sandbox

  Company site:    http://localhost:$port/
  Dashboard:       http://localhost:$port/dashboard/
  Anna's storefront, customer link:  http://anna.localhost:$port/
                     partner link:   http://anna.localhost:$port/join/
  (the same under shop.localhost: http://anna.shop.localhost:$port/ keeps
   the visitor's sponsor on http://shop.localhost:$port/ too)

  Logins:     admin@example.com / admin   (staff)
              anna@example.com  / anna    (distributor, storefront "anna")
              ben@example.com   / ben     (distributor below Anna)
              dora@example.com  / dora    (customer of Anna)

  A background worker (manage.py db_worker) runs the dashboard's queued tasks
  (credit expiry, returning orphan spends). Ctrl-C stops server and worker.
================================================================================

EOF
    # The worker does not reload on code changes: restart the sandbox after editing tasks.
    "$PY" manage.py db_worker --interval 2 --no-reload --verbosity 0 &
    local worker=$!
    # exec below makes this shell's pid the server's; a watcher stops the worker once the
    # server is gone, however it ends (Ctrl-C, kill, a crash).
    (while kill -0 $$ 2>/dev/null; do sleep 2; done; kill "$worker" 2>/dev/null) &
    exec "$PY" manage.py runserver "0.0.0.0:$port"
}

# --- production stack ----------------------------------------------------------------------------
#
# What docs/hosting.rst describes for a real server, on this machine: PostgreSQL (throwaway,
# durable commits), Redis, gunicorn with sandbox/settings_production.py where the reverse proxy
# forwards to, task workers under a supervisor that starts them again when they end.
# Everything lives in one temporary directory ($PROD_DIR) and goes when the stack stops.

PROD_DIR=
GUNICORN_PID=
REDIS_PID=
SUPERVISOR_PIDS=()

ensure_redis() {
    command -v redis-server >/dev/null || apt_install redis-server || true
    if ! command -v redis-server >/dev/null; then
        echo "dev.sh: redis-server is missing (Debian package redis-server)" >&2
        return 1
    fi
}

free_port() {
    "$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# end_process PID [SECONDS]: waits for the process to end; kills it after SECONDS (15).
end_process() {
    local pid=$1 patience=${2:-15} i
    [[ -n "$pid" ]] || return 0
    for ((i = 0; i < patience * 5; i++)); do
        kill -0 "$pid" 2>/dev/null || return 0
        sleep 0.2
    done
    kill -KILL "$pid" 2>/dev/null || true
}

# supervise NAME CMD...: runs CMD, and again whenever it ends, until the stack stops.
# The running process's id is in $PROD_DIR/NAME.pid.
supervise() {
    local name=$1
    shift
    (
        trap '' INT # Ctrl-C reaches the worker itself; the stack's stop ends this loop
        while [[ ! -e "$PROD_DIR/stopping" ]]; do
            "$@" &
            echo $! >"$PROD_DIR/$name.pid"
            rc=0
            wait $! || rc=$?
            sleep 1
            [[ ! -e "$PROD_DIR/stopping" ]] || break
            echo "dev.sh prod: $name ended (exit $rc); starting it again" >&2
        done
    ) &
    SUPERVISOR_PIDS+=($!)
}

stop_prod() {
    [[ -n "$PROD_DIR" && -d "$PROD_DIR" ]] || return 0
    say "stopping the production stack"
    touch "$PROD_DIR/stopping"
    [[ -z "${MLM_PROD_ENV_FILE:-}" ]] || rm -f "$MLM_PROD_ENV_FILE"
    local pidfile pid
    [[ -z "$GUNICORN_PID" ]] || kill -TERM "$GUNICORN_PID" 2>/dev/null || true
    for pidfile in "$PROD_DIR"/*.pid; do
        [[ -f "$pidfile" ]] || continue
        kill -TERM "$(cat "$pidfile")" 2>/dev/null || true
    done
    end_process "$GUNICORN_PID" 30
    for pidfile in "$PROD_DIR"/*.pid; do
        [[ -f "$pidfile" ]] || continue
        end_process "$(cat "$pidfile")" 30
    done
    for pid in "${SUPERVISOR_PIDS[@]}"; do end_process "$pid" 5; done
    if [[ -n "$REDIS_PID" ]]; then
        kill -TERM "$REDIS_PID" 2>/dev/null || true
        end_process "$REDIS_PID" 15
    fi
    scripts/throwaway-pg.sh stop "$PROD_DIR/pg" || true
    rm -rf "$PROD_DIR"
    PROD_DIR=
}

# True once GET / of the company site, sent as the proxy sends it, answers.
prod_answers() {
    "$PY" - "$1" <<'EOF'
import http.client
import sys

try:
    conn = http.client.HTTPConnection("127.0.0.1", int(sys.argv[1]), timeout=5)
    conn.request("GET", "/", headers={"Host": "shop.example", "X-Forwarded-Proto": "https"})
    sys.exit(0 if conn.getresponse().status in (200, 301, 302) else 1)
except OSError:
    sys.exit(1)
EOF
}

cmd_prod() {
    local port=${PORT:-8000}
    local workers=${MLM_GUNICORN_WORKERS:-4} task_workers=${MLM_TASK_WORKERS:-2}
    local size=${MLM_DEMO_SIZE:-60}
    ensure_venv
    ensure_redis
    scripts/throwaway-pg.sh available || { echo "dev.sh: PostgreSQL cannot be had" >&2; return 1; }
    PROD_DIR=$(mktemp -d "${TMPDIR:-/tmp}/mlm-prod.XXXXXX")
    chmod 755 "$PROD_DIR" # the postgres user must reach its data directory below it

    say "PostgreSQL (durable commits)"
    local database_url
    database_url=$(MLM_PG_DURABLE=1 scripts/throwaway-pg.sh start "$PROD_DIR/pg")

    say "Redis (cache and sessions)"
    local redis_port
    redis_port=$(free_port)
    mkdir -p "$PROD_DIR/redis"
    redis-server --bind 127.0.0.1 --port "$redis_port" --dir "$PROD_DIR/redis" \
        --appendonly yes --save "" --daemonize no --logfile "$PROD_DIR/redis.log" &
    REDIS_PID=$!

    export DJANGO_SETTINGS_MODULE=sandbox.settings_production PYTHONPATH="$ROOT"
    export DATABASE_URL="$database_url" REDIS_URL="redis://127.0.0.1:$redis_port/0"
    SECRET_KEY=$("$PY" -c 'import secrets; print(secrets.token_urlsafe(50))')
    export SECRET_KEY
    export SANDBOX_WHOOSH_PATH="$PROD_DIR/whoosh" STATIC_ROOT="$PROD_DIR/static"
    export MEDIA_ROOT="$PROD_DIR/media"
    # No mail relay here: mails go to files.
    export EMAIL_BACKEND=django.core.mail.backends.filebased.EmailBackend
    export EMAIL_FILE_PATH="$PROD_DIR/mail"
    local manage=("$PY" sandbox/manage.py)

    say "migrating, demo data ($size members), static files"
    "${manage[@]}" migrate --noinput --verbosity 0
    "${manage[@]}" mlm_init
    "${manage[@]}" sandbox_demo_catalogue
    "${manage[@]}" mlm_demo_network --size "$size" --orders 400 --no-progress --verbosity 0
    "${manage[@]}" sandbox_demo_extras
    "${manage[@]}" shell --verbosity 0 -c "from django.contrib.sites.models import Site; \
Site.objects.filter(pk=1).update(domain='shop.example', name='MLM Sandbox')"
    "${manage[@]}" collectstatic --noinput --verbosity 0

    say "gunicorn ($workers processes) and $task_workers task workers"
    "$VENV/bin/gunicorn" sandbox.wsgi --bind "127.0.0.1:$port" --workers "$workers" \
        --timeout 30 --graceful-timeout 10 \
        --access-logfile "$PROD_DIR/access.log" \
        --access-logformat '%(h)s %(p)s %({host}i)s "%(r)s" %(s)s %(b)s %(M)sms' &
    GUNICORN_PID=$!
    local i
    for ((i = 1; i <= task_workers; i++)); do
        supervise "task-worker-$i" "${manage[@]}" db_worker --no-reload --interval 1 \
            --worker-id "task-worker-$i-$RANDOM" --verbosity 1
    done
    for ((i = 0; i < 120; i++)); do
        prod_answers "$port" && break
        kill -0 "$GUNICORN_PID" 2>/dev/null || { echo "dev.sh: gunicorn did not start" >&2; return 1; }
        sleep 0.5
    done
    prod_answers "$port" || { echo "dev.sh: the shop does not answer on port $port" >&2; return 1; }

    cat >"$PROD_DIR/env" <<EOF
MLM_PROD_URL=http://127.0.0.1:$port
MLM_PROD_DIR=$PROD_DIR
MLM_PROD_GUNICORN_PID=$GUNICORN_PID
MLM_PROD_REDIS_PID=$REDIS_PID
MLM_PROD_TASK_WORKERS=$task_workers
MLM_PROD_SUPERVISOR_PIDS=${SUPERVISOR_PIDS[*]}
DJANGO_SETTINGS_MODULE=$DJANGO_SETTINGS_MODULE
PYTHONPATH=$ROOT
DATABASE_URL=$DATABASE_URL
REDIS_URL=$REDIS_URL
SECRET_KEY=$SECRET_KEY
SANDBOX_WHOOSH_PATH=$SANDBOX_WHOOSH_PATH
STATIC_ROOT=$STATIC_ROOT
MEDIA_ROOT=$MEDIA_ROOT
EMAIL_BACKEND=$EMAIL_BACKEND
EMAIL_FILE_PATH=$EMAIL_FILE_PATH
EOF
    if [[ -n "${MLM_PROD_ENV_FILE:-}" ]]; then
        cp "$PROD_DIR/env" "$MLM_PROD_ENV_FILE.tmp" && mv "$MLM_PROD_ENV_FILE.tmp" "$MLM_PROD_ENV_FILE"
    fi
    cat <<EOF

================================================================================
  django-oscar-mlm production stack (sandbox/settings_production.py)

  gunicorn:     http://127.0.0.1:$port/  ($workers processes; access log
                $PROD_DIR/access.log)
  PostgreSQL:   $DATABASE_URL
  Redis:        $REDIS_URL
  Task workers: $task_workers (started again when they end)

  The stack stands where the reverse proxy forwards to: it answers the hosts
  of shop.example and expects the proxy's headers, e.g.

    curl -H 'Host: anna.shop.example' -H 'X-Forwarded-Proto: https' \\
         http://127.0.0.1:$port/catalogue/

  Logins as in the sandbox (admin@example.com / admin, ...). The stack's
  environment: $PROD_DIR/env. Ctrl-C stops everything.
================================================================================

EOF
    while kill -0 "$GUNICORN_PID" 2>/dev/null; do sleep 1; done
    echo "dev.sh prod: gunicorn ended; stopping the stack" >&2
    return 1
}

# --- docs ----------------------------------------------------------------------------------------

build_docs() {
    # -E: read every document again, so warnings of unchanged pages count too.
    "$PY" -m sphinx -W --keep-going -E -q -b html docs docs/_build/html
}

cmd_docs() {
    ensure_venv
    if [[ ! -f docs/conf.py ]]; then
        echo "dev.sh: docs/conf.py does not exist yet" >&2
        return 1
    fi
    build_docs
    echo "docs built: $ROOT/docs/_build/html/index.html"
}

# --- PostgreSQL ----------------------------------------------------------------------------------

PG_DIR=
stop_pg() {
    if [[ -n "$PG_DIR" ]]; then
        scripts/throwaway-pg.sh stop "$PG_DIR" || true
        PG_DIR=
    fi
}

cmd_pg() {
    exec scripts/throwaway-pg.sh serve
}

# --- test ----------------------------------------------------------------------------------------

STAGES=()
RESULTS=()
NOTES=()
WARNINGS=()
record() {
    STAGES+=("$1")
    RESULTS+=("$2")
    NOTES+=("$3")
    [[ "$2" != SKIP || "$1" == docs || "$1" == translations ]] ||
        WARNINGS+=("SKIPPED stage $1: $3. This run did NOT test everything.")
}

# run_pytest STAGE ALLOW_EMPTY [VAR=value ...] -- PYTEST-ARGS...
#
# Pytest's exit code 5 means "no tests collected". ALLOW_EMPTY=1 makes that a
# pass for this stage (a stage whose tests may not exist yet, e.g. e2e);
# ALLOW_EMPTY=0 makes it a failure (the SQLite and PostgreSQL runs must run tests).
run_pytest() {
    local stage=$1 allow_empty=$2
    shift 2
    local envs=()
    while [[ $# -gt 0 && "$1" != "--" ]]; do envs+=("$1"); shift; done
    shift
    local rc=0
    env "${envs[@]}" timeout --foreground -k 30 "$STAGE_TIMEOUT" \
        "$PY" -m pytest -rfEsx --junitxml="$RESULTS_DIR/$stage.xml" "$@" || rc=$?
    case $rc in
        0) record "$stage" PASS "" ;;
        5)
            if [[ "$allow_empty" == 1 ]]; then
                record "$stage" PASS "no tests collected (allowed for this stage)"
            else
                record "$stage" FAIL "no tests collected (pytest exit 5)"
            fi
            ;;
        124 | 137) record "$stage" FAIL "timed out after ${STAGE_TIMEOUT}s" ;;
        *) record "$stage" FAIL "pytest exit code $rc" ;;
    esac
}

stage_ruff() {
    say "stage ruff: ruff check ."
    local rc=0
    "$VENV/bin/ruff" check . || rc=$?
    if [[ $rc == 0 ]]; then record ruff PASS ""; else record ruff FAIL "ruff check found problems"; fi
}

stage_sqlite() {
    say "stage sqlite: pytest on SQLite (postgres-marked tests are skipped here)"
    run_pytest sqlite 0 MLM_TEST_DATABASE_URL= -- -m "not e2e and not production"
}

stage_postgres() {
    say "stage postgres: pytest on a throwaway PostgreSQL"
    if ! scripts/throwaway-pg.sh available; then
        if is_true "$MLM_REQUIRE_PG"; then
            record postgres FAIL "PostgreSQL is required (MLM_REQUIRE_PG/CI) but cannot be installed"
        else
            loud_warning "PostgreSQL is not available: SKIPPING the PostgreSQL run." \
                "The concurrency tests (marker 'postgres') did NOT run." \
                "Install Debian's postgresql package (or run as root with apt-get) and re-run."
            record postgres SKIP "PostgreSQL not available"
        fi
        return 0
    fi
    local url
    PG_DIR=$(mktemp -d "${TMPDIR:-/tmp}/mlm-pg.XXXXXX")
    if ! url=$(scripts/throwaway-pg.sh start "$PG_DIR"); then
        stop_pg
        if is_true "$MLM_REQUIRE_PG"; then
            record postgres FAIL "the throwaway PostgreSQL did not start"
        else
            loud_warning "The throwaway PostgreSQL did not start: SKIPPING the PostgreSQL run."
            record postgres SKIP "PostgreSQL did not start"
        fi
        return 0
    fi
    run_pytest postgres 0 MLM_TEST_DATABASE_URL="$url" -- -m "not e2e and not production"
    stop_pg
}

stage_e2e() {
    say "stage e2e: browser tests (Playwright + $CHROMIUM) on SQLite"
    if [[ ! -x "$CHROMIUM" && "$CHROMIUM" == /usr/bin/chromium ]]; then
        apt_install chromium fonts-liberation || true
    fi
    if [[ ! -x "$CHROMIUM" ]]; then
        if is_true "$MLM_REQUIRE_BROWSER"; then
            record e2e FAIL "Chromium is required (MLM_REQUIRE_BROWSER/CI) but $CHROMIUM is missing"
        else
            loud_warning "Chromium ($CHROMIUM) is not available: SKIPPING the browser tests." \
                "Install Debian's chromium package (or run as root with apt-get) and re-run."
            record e2e SKIP "Chromium not available"
        fi
        return 0
    fi
    run_pytest e2e 1 MLM_TEST_DATABASE_URL= MLM_CHROMIUM="$CHROMIUM" -- -m e2e
}

stage_production() {
    say "stage production: HTTP tests against the stack of ./dev.sh prod (gunicorn, PostgreSQL, Redis, task workers)"
    local missing=
    ensure_redis || missing="redis-server"
    scripts/throwaway-pg.sh available || missing="${missing:+$missing, }PostgreSQL"
    if [[ -n "$missing" ]]; then
        if is_true "$MLM_REQUIRE_PG"; then
            record production FAIL "$missing cannot be had"
        else
            loud_warning "$missing is not available: SKIPPING the production stack tests."
            record production SKIP "$missing not available"
        fi
        return 0
    fi
    run_pytest production 0 MLM_TEST_DATABASE_URL= MLM_PRODUCTION_TESTS=1 -- -m production tests/production
}

stage_docs() {
    say "stage docs: sphinx-build -W"
    if [[ ! -f docs/conf.py ]]; then
        record docs SKIP "no docs/conf.py yet"
        return 0
    fi
    local rc=0
    build_docs || rc=$?
    if [[ $rc == 0 ]]; then record docs PASS ""; else record docs FAIL "sphinx-build -W failed"; fi
}

# Every .po compiles (msgfmt --check) and its .mo beside it holds the same
# messages (so `django-admin compilemessages` was run after the last edit).
stage_translations() {
    say "stage translations: msgfmt --check of oscar_mlm/locale/*/LC_MESSAGES/*.po"
    local pos=()
    mapfile -t pos < <(find oscar_mlm -path '*/locale/*' -name '*.po' | sort)
    if [[ ${#pos[@]} == 0 ]]; then
        record translations SKIP "no .po files yet"
        return 0
    fi
    if ! command -v msgfmt >/dev/null; then
        apt_install gettext || true
    fi
    if ! command -v msgfmt >/dev/null; then
        if [[ "${CI:-}" == "true" ]]; then
            record translations FAIL "msgfmt (gettext) is missing"
        else
            loud_warning "msgfmt (Debian package gettext) is missing: SKIPPING the translation check."
            record translations SKIP "gettext not available"
        fi
        return 0
    fi
    local po mo bad=0 tmp
    tmp=$(mktemp -d)
    for po in "${pos[@]}"; do
        mo=${po%.po}.mo
        if ! msgfmt --check -o /dev/null "$po"; then
            echo "FAIL: $po does not compile" >&2
            bad=1
            continue
        fi
        if [[ ! -f "$mo" ]]; then
            echo "FAIL: $mo is missing: run 'django-admin compilemessages' in oscar_mlm" >&2
            bad=1
            continue
        fi
        msgfmt -o "$tmp/fresh.mo" "$po"
        if ! cmp -s <(msgunfmt "$tmp/fresh.mo") <(msgunfmt "$mo"); then
            echo "FAIL: $mo is out of date: run 'django-admin compilemessages' in oscar_mlm" >&2
            bad=1
            continue
        fi
        echo "ok: $po"
    done
    rm -rf "$tmp"
    if [[ $bad == 0 ]]; then
        record translations PASS "${#pos[@]} catalogue(s)"
    else
        record translations FAIL "a .po does not compile or its .mo is missing/stale"
    fi
}

# Prints "passed failed skipped errors" summed over the junit files given.
junit_totals() {
    "$PY" - "$@" <<'EOF'
import sys
import xml.etree.ElementTree as ET

passed = failed = skipped = 0
for path in sys.argv[1:]:
    try:
        root = ET.parse(path).getroot()
    except (OSError, ET.ParseError):
        continue
    suites = [root] if root.tag == "testsuite" else root.iter("testsuite")
    for s in suites:
        tests, fail = int(s.get("tests", 0)), int(s.get("failures", 0)) + int(s.get("errors", 0))
        skip = int(s.get("skipped", 0))
        passed += tests - fail - skip
        failed += fail
        skipped += skip
print(passed, failed, skipped)
EOF
}

ALL_STAGES=(ruff sqlite postgres e2e production docs translations)

cmd_test() {
    local stage wanted=("$@")
    [[ $# -gt 0 ]] || wanted=("${ALL_STAGES[@]}")
    for stage in "${wanted[@]}"; do
        if [[ " ${ALL_STAGES[*]} " != *" $stage "* ]]; then
            echo "dev.sh test: unknown stage '$stage' (stages: ${ALL_STAGES[*]})" >&2
            return 2
        fi
    done
    ensure_venv
    RESULTS_DIR=$(mktemp -d "${TMPDIR:-/tmp}/mlm-test-results.XXXXXX")
    local started=$SECONDS

    for stage in "${wanted[@]}"; do
        "stage_$stage"
    done

    # Tests: passed/failed/skipped from pytest's junit files. A stage that
    # failed without a failing test (ruff, docs, a missing PostgreSQL...) counts
    # as one failure, so the closing line never says "0 failed" on a red run.
    local i stage_failed=0 passed failed skipped line
    local -A stage_line=()
    for i in "${!STAGES[@]}"; do
        line="-"
        if [[ -f "$RESULTS_DIR/${STAGES[$i]}.xml" ]]; then
            read -r passed failed skipped < <(junit_totals "$RESULTS_DIR/${STAGES[$i]}.xml")
            line="$passed passed, $failed failed, $skipped skipped"
            if [[ "${RESULTS[$i]}" == FAIL && $failed == 0 ]]; then stage_failed=$((stage_failed + 1)); fi
        elif [[ "${RESULTS[$i]}" == FAIL ]]; then
            stage_failed=$((stage_failed + 1))
        fi
        stage_line[$i]=$line
    done
    read -r passed failed skipped < <(junit_totals "$RESULTS_DIR"/*.xml)
    rm -rf "$RESULTS_DIR"

    local any_fail=0
    [[ ${#WARNINGS[@]} == 0 ]] || loud_warning "${WARNINGS[@]}"
    printf '\n================================ summary ================================\n'
    for i in "${!STAGES[@]}"; do
        printf '  %-13s %-5s %-36s %s\n' "${STAGES[$i]}" "${RESULTS[$i]}" "${stage_line[$i]}" "${NOTES[$i]}"
        [[ "${RESULTS[$i]}" != FAIL ]] || any_fail=1
    done
    printf '  (%d tests skipped; %ds in all)\n' "$skipped" $((SECONDS - started))
    printf '==========================================================================\n'
    if [[ $any_fail == 1 ]]; then
        echo "RESULT: FAILED"
    else
        echo "RESULT: OK"
    fi
    echo "$passed passed, $((failed + stage_failed)) failed"
    return "$any_fail"
}

cleanup() {
    stop_prod
    stop_pg
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

usage() {
    awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"
}

case "${1:-}" in
    sandbox) cmd_sandbox ;;
    prod) cmd_prod ;;
    load) shift; ensure_venv; exec "$PY" benchmarks/load.py "$@" ;;
    test) shift; cmd_test "$@" ;;
    docs) cmd_docs ;;
    pg) cmd_pg ;;
    venv) ensure_venv ;;
    -h | --help | help | "") usage ;;
    *)
        usage >&2
        exit 2
        ;;
esac
