# Shared set-up for scripts/run and scripts/test: a virtual environment in .venv
# and a database. Sourced, not run. Idempotent: a second run reuses both.
#
# DATABASE_URL, when set, names the database to use. When it is not set, a
# private PostgreSQL cluster is created in var/postgres (git-ignored) and
# started on a loopback port of its own, with a generated password.

set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
VAR="$ROOT/var"
PYTHON="${PYTHON:-python3.11}"

say() { printf '==> %s\n' "$*"; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

ensure_venv() {
    command -v "$PYTHON" >/dev/null 2>&1 || PYTHON=python3
    "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
        || die "Python 3.11 or newer is needed (found $("$PYTHON" --version 2>&1))."
    if [ ! -x .venv/bin/python ]; then
        say "creating the virtual environment in .venv"
        "$PYTHON" -m venv .venv || die "could not create .venv: install python3-venv"
    fi
    local stamp=.venv/.requirements.sha256 want
    want="$(cat requirements*.txt | sha256sum | cut -d' ' -f1)"
    if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
        say "installing requirements into .venv"
        .venv/bin/python -m pip install --quiet --disable-pip-version-check \
            -r requirements.txt -r requirements-dev.txt
        echo "$want" > "$stamp"
    else
        say "requirements already installed in .venv"
    fi
}

pg_bindir() {
    local dir
    if command -v pg_config >/dev/null 2>&1; then
        dir="$(pg_config --bindir 2>/dev/null || true)"
        [ -x "$dir/initdb" ] && { echo "$dir"; return; }
    fi
    for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
        [ -x "$dir/initdb" ] && { echo "$dir"; return; }
    done
    dir="$(dirname "$(command -v initdb 2>/dev/null || echo /nonexistent/x)")"
    [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ] && { echo "$dir"; return; }
    return 1
}

# Run a PostgreSQL server command as the cluster's owner: initdb refuses root.
as_pg_owner() {
    if [ "$(id -u)" = 0 ]; then
        runuser -u "$PG_OWNER" -- "$@"
    else
        "$@"
    fi
}

free_port() {
    .venv/bin/python - <<'PY'
import socket
for port in range(55432, 55532):
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            continue
        print(port)
        break
PY
}

ensure_database() {
    if [ -n "${DATABASE_URL:-}" ]; then
        say "using the database in DATABASE_URL"
        return
    fi
    local bindir
    bindir="$(pg_bindir)" || die "PostgreSQL server binaries not found: install them with 'apt-get install postgresql postgresql-contrib', or set DATABASE_URL."
    PG_OWNER="$(id -un)"
    PGDATA_DIR="$VAR/postgres"
    if [ "$(id -u)" = 0 ]; then
        # As root the cluster belongs to an unprivileged user that must reach var/.
        PG_OWNER=postgres
        id "$PG_OWNER" >/dev/null 2>&1 || useradd --system --no-create-home "$PG_OWNER"
        if ! runuser -u "$PG_OWNER" -- test -x "$ROOT"; then
            PGDATA_DIR="/tmp/catalogue-postgres-$(echo "$ROOT" | sha256sum | cut -c1-12)"
        fi
    fi
    mkdir -p "$VAR"
    if [ ! -s "$PGDATA_DIR/PG_VERSION" ]; then
        say "creating a private PostgreSQL cluster in ${PGDATA_DIR#"$ROOT"/}"
        mkdir -p "$PGDATA_DIR"
        [ "$(id -u)" = 0 ] && chown "$PG_OWNER" "$PGDATA_DIR"
        chmod 700 "$PGDATA_DIR"
        local pwfile="$PGDATA_DIR.pw"
        head -c 18 /dev/urandom | base64 | tr -d '/+=' > "$VAR/db-password"
        cp "$VAR/db-password" "$pwfile"
        [ "$(id -u)" = 0 ] && chown "$PG_OWNER" "$pwfile"
        as_pg_owner "$bindir/initdb" -D "$PGDATA_DIR" -U catalogue --pwfile="$pwfile" \
            --auth=scram-sha-256 --encoding=UTF8 --locale=C.UTF-8 >"$VAR/initdb.log" 2>&1 \
            || { cat "$VAR/initdb.log" >&2; rm -f "$pwfile"; die "initdb failed"; }
        rm -f "$pwfile"
        free_port > "$VAR/db-port"
    fi
    local port password
    port="$(cat "$VAR/db-port")"
    password="$(cat "$VAR/db-password")"
    if ! as_pg_owner "$bindir/pg_ctl" -D "$PGDATA_DIR" status >/dev/null 2>&1; then
        say "starting PostgreSQL on 127.0.0.1:$port"
        touch "$VAR/postgres.log"
        [ "$(id -u)" = 0 ] && chown "$PG_OWNER" "$VAR/postgres.log"
        as_pg_owner "$bindir/pg_ctl" -D "$PGDATA_DIR" -l "$VAR/postgres.log" -w -t 60 start \
            -o "-p $port -c listen_addresses=127.0.0.1 -c unix_socket_directories=''" >/dev/null \
            || { tail -20 "$VAR/postgres.log" >&2; die "PostgreSQL did not start"; }
    else
        say "PostgreSQL already running on 127.0.0.1:$port"
    fi
    export DATABASE_URL="postgres://catalogue:$password@127.0.0.1:$port/catalogue"
    if ! PGPASSWORD="$password" "$bindir/psql" -h 127.0.0.1 -p "$port" -U catalogue -d postgres \
        -tAc "select 1 from pg_database where datname = 'catalogue'" | grep -q 1; then
        say "creating database 'catalogue'"
        PGPASSWORD="$password" "$bindir/createdb" -h 127.0.0.1 -p "$port" -U catalogue catalogue
    fi
}

# A SECRET_KEY for local runs: generated once into var/secret-key (git-ignored) and
# kept, so sessions survive a restart. An exported SECRET_KEY wins.
ensure_secret_key() {
    if [ -z "${SECRET_KEY:-}" ]; then
        mkdir -p "$VAR"
        [ -s "$VAR/secret-key" ] || head -c 48 /dev/urandom | base64 | tr -d '/+=\n' > "$VAR/secret-key"
        SECRET_KEY="$(cat "$VAR/secret-key")"
    fi
    export SECRET_KEY
}

# serve PORT: what scripts/run ends with. With DEBUG on, Django's development server;
# otherwise the production configuration: static files collected into STATIC_ROOT
# (whitenoise serves them, compressed and with hashed names) and gunicorn, over plain
# HTTP on 127.0.0.1 (HTTPS=false unless set: no proxy terminates TLS here).
serve() {
    local port="$1" debug
    debug="$(printf '%s' "${DEBUG:-false}" | tr '[:upper:]' '[:lower:]')"
    case "$debug" in
        1|true|yes|on)
            say "serving the development server (DEBUG on) at http://127.0.0.1:$port/ (Ctrl-C stops)"
            exec .venv/bin/python manage.py runserver "127.0.0.1:$port"
            ;;
    esac
    export HTTPS="${HTTPS:-false}"
    say "collecting static files"
    .venv/bin/python manage.py collectstatic --no-input -v 0
    say "serving the catalogue with gunicorn at http://127.0.0.1:$port/ (admin at /admin/; Ctrl-C stops)"
    exec .venv/bin/gunicorn catalogue_site.wsgi --bind "127.0.0.1:$port" \
        --workers "${WEB_CONCURRENCY:-2}" --timeout 60 --access-logfile -
}

# Server settings for a catalogue of a million articles on one machine (the
# benchmark's; docs/scaling.md explains each). All take effect on a reload, so
# nothing connected to the private cluster is interrupted.
tune_database() {
    local bindir port password setting
    bindir="$(pg_bindir)"
    port="$(cat "$VAR/db-port")"
    password="$(cat "$VAR/db-password")"
    say "tuning PostgreSQL for a large catalogue (work_mem, jit, planner costs, WAL)"
    for setting in work_mem=64MB maintenance_work_mem=1GB effective_cache_size=12GB \
        random_page_cost=1.1 jit=off max_wal_size=8GB checkpoint_timeout=30min; do
        PGPASSWORD="$password" "$bindir/psql" -h 127.0.0.1 -p "$port" -U catalogue -d postgres \
            -q -c "ALTER SYSTEM SET ${setting%%=*} = '${setting#*=}'"
    done
    PGPASSWORD="$password" "$bindir/psql" -h 127.0.0.1 -p "$port" -U catalogue -d postgres \
        -qtAc "SELECT pg_reload_conf()" >/dev/null
}

# The browser tests drive Debian's Chromium through Playwright; no browser is
# ever downloaded by Playwright itself. As root (CI, a fresh machine) install it
# from Debian's packages when missing; otherwise say how, and the tests skip.
ensure_chromium() {
    if command -v chromium >/dev/null 2>&1; then
        return
    fi
    if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
        say "Chromium is missing, so the browser tests will skip: sudo apt-get install chromium"
        return
    fi
    say "installing Chromium from Debian's packages for the browser tests"
    mkdir -p "$VAR"
    if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; } \
        >"$VAR/chromium-install.log" 2>&1; then
        tail -20 "$VAR/chromium-install.log" >&2
        die "could not install Chromium (apt-get install chromium)"
    fi
}

# The PDF tests typeset Cyrillic with DejaVu Sans (Debian's fonts-dejavu-core).
# As root install it when missing; otherwise say how (the generator then fails
# with the same advice).
ensure_fonts() {
    if [ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] \
        && [ -e /usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf ]; then
        return
    fi
    if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
        say "DejaVu Sans is missing, so the PDF tests will fail: sudo apt-get install fonts-dejavu-core"
        return
    fi
    say "installing DejaVu Sans from Debian's packages for the PDF tests"
    mkdir -p "$VAR"
    if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-dejavu-core; } \
        >"$VAR/fonts-install.log" 2>&1; then
        tail -20 "$VAR/fonts-install.log" >&2
        die "could not install DejaVu Sans (apt-get install fonts-dejavu-core)"
    fi
}
