#!/usr/bin/env bash
# One entry point for people and CI. Each task sets up what it needs first.
#   bash tasks.sh demo    install into .venv, then run `outreach demo` (offline, no key, no network)
#   bash tasks.sh test    install into .venv, then ruff, mypy, the test suite, the eval gate
#   bash tasks.sh bench   install into .venv, then run the benchmarks and print their figures
set -euo pipefail
cd "$(dirname "$0")"

VENV="${OUTREACH_VENV:-.venv}"
PYTHON="${PYTHON:-python3}"

file_hash() {
  if command -v sha256sum >/dev/null 2>&1; then sha256sum "$1"; else shasum -a 256 "$1"; fi | cut -c1-16
}

setup() {
  if ! "$PYTHON" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)'; then
    echo "Outreach Architect needs Python 3.11 or newer (found: $("$PYTHON" --version 2>&1))." >&2
    exit 1
  fi
  if [ ! -x "$VENV/bin/python" ]; then
    echo "Creating virtualenv $VENV"
    "$PYTHON" -m venv "$VENV"
  fi
  # Reinstall only when the dependency list changed since the last install.
  local stamp
  stamp="$VENV/.installed-$(file_hash pyproject.toml)"
  if [ ! -f "$stamp" ]; then
    echo "Installing Outreach Architect and its dependencies into $VENV"
    "$VENV/bin/python" -m pip install --quiet --upgrade pip
    "$VENV/bin/python" -m pip install --quiet -e ".[dev]"
    rm -f "$VENV"/.installed-* && touch "$stamp"
  fi
}

# Browser tests drive Debian's Chromium through Playwright (`playwright install` cannot
# download browsers everywhere, so the system package is used via executable_path).
ensure_chromium() {
  if [ -n "${OUTREACH_CHROMIUM_PATH:-}" ] || [ -x /usr/bin/chromium ] \
     || [ -x /usr/bin/chromium-browser ] || [ -x /usr/bin/google-chrome ]; then
    return
  fi
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    echo "Installing Chromium for the browser tests"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "Chromium not found: browser tests will be skipped (they fail when CI=true)." \
         "Install it with 'apt-get install -y chromium' or set OUTREACH_CHROMIUM_PATH." >&2
  fi
}

# Storage tests run on PostgreSQL too (127.0.0.1:5432, database "test"); start it if this
# machine has it installed but stopped. Without one, those tests skip (and fail when CI=true).
ensure_postgres() {
  if command -v pg_isready >/dev/null 2>&1 && pg_isready -q -h 127.0.0.1 -p 5432; then
    return
  fi
  if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
    echo "Starting PostgreSQL for the storage tests"
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n 1)" main start || true
    for _ in 1 2 3 4 5 6 7 8 9 10; do pg_isready -q -h 127.0.0.1 -p 5432 && return; sleep 1; done
  fi
  echo "PostgreSQL not reachable on 127.0.0.1:5432: its storage tests will be skipped" \
       "(they fail when CI=true)." >&2
}

# The distributed tests run real workers on a real broker (Redis and RabbitMQ) and share rate
# limits in Redis; start them if this machine has them installed but stopped.
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

ensure_redis() {
  port_open 6379 && return
  if command -v redis-server >/dev/null 2>&1; then
    echo "Starting Redis for the distributed tests"
    mkdir -p /var/lib/redis /var/log/redis 2>/dev/null || true
    redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
      --dir /var/lib/redis --logfile /var/log/redis/ci.log || true
    for _ in 1 2 3 4 5 6 7 8 9 10; do port_open 6379 && return; sleep 1; done
  fi
  echo "Redis not reachable on 127.0.0.1:6379: the distributed tests will be skipped" \
       "(they fail when CI=true)." >&2
}

ensure_rabbitmq() {
  port_open 5672 && return
  if command -v rabbitmq-server >/dev/null 2>&1; then
    echo "Starting RabbitMQ for the distributed tests"
    rabbitmq-server -detached || true
    for _ in $(seq 1 60); do port_open 5672 && return; sleep 1; done
  fi
  echo "RabbitMQ not reachable on 127.0.0.1:5672: its distributed tests will be skipped" \
       "(they fail when CI=true)." >&2
}

case "${1:-}" in
  demo)
    setup
    shift
    exec "$VENV/bin/outreach" demo "$@"
    ;;
  test)
    setup
    ensure_chromium
    ensure_postgres
    ensure_redis
    ensure_rabbitmq
    shift
    echo "== ruff check"; "$VENV/bin/ruff" check .
    echo "== ruff format --check"; "$VENV/bin/ruff" format --check .
    echo "== mypy"; "$VENV/bin/mypy"
    echo "== import contracts (pyproject.toml [tool.importlinter])"; "$VENV/bin/lint-imports" --no-logo
    # One worker per core (pytest-xdist); OUTREACH_TEST_WORKERS=0 runs in one process.
    echo "== pytest"; "$VENV/bin/python" -m pytest -n "${OUTREACH_TEST_WORKERS:-auto}" "$@"
    # The offline eval must not regress against the blessed baseline, and the critic must
    # catch every labelled hallucination and placeholder leak.
    echo "== eval (golden leads vs evals/baselines/offline.json)"
    "$VENV/bin/outreach" eval --provider offline --no-cache --out "${OUTREACH_EVAL_OUT:-.eval-report}"
    echo "== critic calibration"; "$VENV/bin/outreach" calibrate
    # Messages the critic was not tuned on: printed to watch how it generalises, not a gate.
    echo "== critic, held-out messages (report only)"
    "$VENV/bin/outreach" calibrate --cases evals/calibration_holdout || true
    ;;
  bench)
    setup
    shift
    exec "$VENV/bin/python" -m benchmarks "$@"
    ;;
  *)
    echo "usage: bash tasks.sh demo|test|bench [args...]" >&2
    exit 2
    ;;
esac
