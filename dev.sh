#!/usr/bin/env bash
# Developer commands of django-oscar-mlm. Needs Debian (12) with python3.11;
# creates .venv in the repo on first use.
#
#   ./dev.sh sandbox   set up and serve the sandbox shop at http://localhost:8000/
#                      (PORT=8001 ./dev.sh sandbox for another port)
#   ./dev.sh test      the whole suite: ruff, pytest on SQLite, pytest on a throwaway
#                      PostgreSQL, browser tests in Chromium, docs (-W), translations
#                      (./dev.sh test sqlite e2e runs only those stages; stages: ruff
#                      sqlite postgres e2e docs translations)
#   ./dev.sh docs      build the Sphinx docs into docs/_build/html (warnings are errors)
#   ./dev.sh pg        start a throwaway PostgreSQL, print its URL; Ctrl-C stops it
#   ./dev.sh venv      only create/update .venv
#
# Environment:
#   MLM_REQUIRE_PG=1       fail (instead of warn and skip) when PostgreSQL cannot be had
#   MLM_REQUIRE_BROWSER=1  the same for Chromium; CI=true implies both
#   MLM_NO_APT=1           never install Debian packages (postgresql, chromium, gettext)
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
EXTRAS="test,docs,sandbox"
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
    run_pytest sqlite 0 MLM_TEST_DATABASE_URL= -- -m "not e2e"
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
    run_pytest postgres 0 MLM_TEST_DATABASE_URL="$url" -- -m "not e2e"
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

ALL_STAGES=(ruff sqlite postgres e2e docs translations)

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
