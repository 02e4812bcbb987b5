#!/usr/bin/env bash
# Runs an MLflow tracking server on this machine without Docker: SQLite backend, local artifacts served through the
# server's artifact proxy (the steps upload and download models over HTTP), from the project's .venv.
#
#   infrastructure/local/mlflow.sh start|stop|status
#
# State lives under .local/mlflow/ in the repository: mlflow.db, artifacts/, mlflow.log, mlflow.pid, mlflow.port.
# status exits 0 when the server runs, 3 when it does not.
# Port: LOCAL_MLFLOW_PORT (default 5000), on 127.0.0.1 only.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
STATE="$ROOT/.local/mlflow"
PID_FILE="$STATE/mlflow.pid"
PORT_FILE="$STATE/mlflow.port"
LOG="$STATE/mlflow.log"
PORT="${LOCAL_MLFLOW_PORT:-5000}"
READY_TIMEOUT_S="${LOCAL_MLFLOW_READY_TIMEOUT:-120}"
MLFLOW="${MLFLOW_BIN:-$ROOT/.venv/bin/mlflow}"

# The port the running server listens on, which may differ from this shell's LOCAL_MLFLOW_PORT.
running_port() { cat "$PORT_FILE" 2>/dev/null || echo "$PORT"; }

say() { echo "mlflow: $*"; }
fail() { echo "mlflow: $*" >&2; exit 1; }

running_pid() {
  [[ -f "$PID_FILE" ]] || return 1
  local pid
  pid="$(cat "$PID_FILE")"
  # The pid must still be our server, not a process that reused the number.
  if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null && ps -p "$pid" -o args= 2>/dev/null | grep -qF "mlflow server"; then
    echo "$pid"
  else
    return 1
  fi
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

healthy() {
  # bash alone: the image or machine may have neither curl nor wget.
  local reply
  reply="$( (exec 3<>"/dev/tcp/127.0.0.1/$1" && printf 'GET /health HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' >&3 \
    && timeout 5 head -n 1 <&3) 2>/dev/null)" || return 1
  [[ "$reply" == *" 200 "* ]]
}

start() {
  local pid
  if pid="$(running_pid)"; then
    say "already running (pid $pid) on http://127.0.0.1:$(running_port)"
    return 0
  fi
  rm -f "$PID_FILE" "$PORT_FILE"
  if port_open "$PORT"; then
    fail "port $PORT on 127.0.0.1 is taken by another process: stop it, or set LOCAL_MLFLOW_PORT"
  fi
  [[ -x "$MLFLOW" ]] || fail "$MLFLOW not found: run 'make venv' first"
  mkdir -p "$STATE/artifacts"

  local log_offset
  log_offset="$(stat -c %s "$LOG" 2>/dev/null || echo 0)"
  # Its own session: the server runs its web workers as child processes, and stop ends the whole group.
  MLFLOW_ENABLE_TELEMETRY=false DO_NOT_TRACK=true nohup setsid "$MLFLOW" server \
    --host 127.0.0.1 --port "$PORT" --workers 1 \
    --backend-store-uri "sqlite:///$STATE/mlflow.db" \
    --artifacts-destination "file://$STATE/artifacts" --serve-artifacts \
    >>"$LOG" 2>&1 < /dev/null &
  pid=$!
  echo "$pid" > "$PID_FILE"
  echo "$PORT" > "$PORT_FILE"

  local waited=0
  until healthy "$PORT"; do
    if ! kill -0 "$pid" 2>/dev/null; then
      rm -f "$PID_FILE" "$PORT_FILE"
      tail -c +"$((log_offset + 1))" "$LOG" | tail -n 20 >&2
      fail "the server exited while starting: see $LOG"
    fi
    if (( waited >= READY_TIMEOUT_S * 2 )); then
      tail -n 20 "$LOG" >&2
      fail "the server was not ready after ${READY_TIMEOUT_S} s: see $LOG (still running as pid $pid; run '$0 stop')"
    fi
    sleep 0.5
    waited=$((waited + 1))
  done
  say "MLflow ready on http://127.0.0.1:$PORT"
}

stop() {
  local pid
  if ! pid="$(running_pid)"; then
    rm -f "$PID_FILE" "$PORT_FILE"
    say "not running"
    return 0
  fi
  # The server leads its own process group (setsid): signal the group so its workers stop too.
  kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid"
  for _ in $(seq 1 40); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.5
  done
  if kill -0 -- "-$pid" 2>/dev/null; then
    say "server did not stop within 20 s, killing process group $pid"
    kill -KILL -- "-$pid" 2>/dev/null || true
  fi
  rm -f "$PID_FILE" "$PORT_FILE"
  say "stopped"
}

status() {
  local pid
  if pid="$(running_pid)"; then
    say "running (pid $pid) on http://127.0.0.1:$(running_port)"
  else
    say "not running"
    return 3
  fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
