#!/usr/bin/env bash
# Runs an MLflow tracking server on this machine without Docker: SQLite backend, local artifacts served through the
# server's artifact proxy (the steps upload and download models over HTTP), from the project's .venv.
#
#   infrastructure/local/mlflow.sh start|stop|status
#
# State lives under .local/mlflow/ in the repository (LOCAL_STATE_DIR/mlflow/ when set): mlflow.db, artifacts/,
# mlflow.log, mlflow.pid, mlflow.port.
# status exits 0 when the server runs, 3 when it does not.
# Port: LOCAL_MLFLOW_PORT (default 5000), on 127.0.0.1 only.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
STATE="${LOCAL_STATE_DIR:-$ROOT/.local}/mlflow"
PID_FILE="$STATE/mlflow.pid"
PORT_FILE="$STATE/mlflow.port"
LOG="$STATE/mlflow.log"
PORT="${LOCAL_MLFLOW_PORT:-5000}"
READY_TIMEOUT_S="${LOCAL_MLFLOW_READY_TIMEOUT:-120}"
MLFLOW="${MLFLOW_BIN:-$ROOT/.venv/bin/mlflow}"

NAME=mlflow
MATCH="mlflow server"
URL_SCHEME="http://"
# shellcheck source=infrastructure/local/service.sh
source "$ROOT/infrastructure/local/service.sh"

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
    say "already running (pid $pid) on $(address)"
    return 0
  fi
  rm -f "$PID_FILE" "$PORT_FILE"
  if port_open "$PORT"; then
    fail "port $PORT on 127.0.0.1 is taken by another process: stop it, or set LOCAL_MLFLOW_PORT"
  fi
  [[ -x "$MLFLOW" ]] || fail "$MLFLOW not found: run 'make venv' first"
  mkdir -p "$STATE/artifacts"

  mark_log
  # Its own session: the server runs its web workers as child processes, and stop ends the whole group.
  MLFLOW_ENABLE_TELEMETRY=false DO_NOT_TRACK=true nohup setsid "$MLFLOW" server \
    --host 127.0.0.1 --port "$PORT" --workers 1 \
    --backend-store-uri "sqlite:///$STATE/mlflow.db" \
    --artifacts-destination "file://$STATE/artifacts" --serve-artifacts \
    >>"$LOG" 2>&1 < /dev/null &
  pid=$!
  echo "$pid" > "$PID_FILE"
  echo "$PORT" > "$PORT_FILE"

  wait_ready "$pid" healthy "$PORT"
  say "MLflow ready on http://127.0.0.1:$PORT"
}

service_main "$@"
