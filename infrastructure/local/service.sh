# shellcheck shell=bash
# What kafka.sh and mlflow.sh share: finding, waiting for, stopping and reporting a local service started in the
# background. Sourced, not run. The caller sets NAME, STATE, PID_FILE, PORT_FILE, PORT, LOG, READY_TIMEOUT_S,
# MATCH (text the service's command line contains) and URL_SCHEME ("" or "http://"), and defines start.

say() { echo "$NAME: $*"; }
fail() { echo "$NAME: $*" >&2; exit 1; }

# The port the running service listens on, which may differ from this shell's setting.
running_port() { cat "$PORT_FILE" 2>/dev/null || echo "$PORT"; }
address() { echo "${URL_SCHEME}127.0.0.1:$(running_port)"; }

running_pid() {
  [[ -f "$PID_FILE" ]] || return 1
  local pid
  pid="$(cat "$PID_FILE")"
  # The pid must still be our service, not a process that reused the number.
  if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null && ps -p "$pid" -o args= 2>/dev/null | grep -qF "$MATCH"; then
    echo "$pid"
  else
    return 1
  fi
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Where the log ends now, so wait_ready shows only what the new process wrote.
LOG_OFFSET=0
mark_log() { LOG_OFFSET="$(stat -c %s "$LOG" 2>/dev/null || echo 0)"; }

# wait_ready PID CHECK...: waits until CHECK succeeds; fails with the log's tail when the process dies or
# READY_TIMEOUT_S passes.
wait_ready() {
  local pid="$1" waited=0
  shift
  until "$@"; do
    if ! kill -0 "$pid" 2>/dev/null; then
      rm -f "$PID_FILE" "$PORT_FILE"
      tail -c +"$((LOG_OFFSET + 1))" "$LOG" | tail -n 20 >&2
      fail "exited while starting: see $LOG"
    fi
    if (( waited >= READY_TIMEOUT_S * 2 )); then
      tail -n 20 "$LOG" >&2
      fail "not ready after ${READY_TIMEOUT_S} s: see $LOG (still running as pid $pid; run '$0 stop')"
    fi
    sleep 0.5
    waited=$((waited + 1))
  done
}

stop() {
  local pid
  if ! pid="$(running_pid)"; then
    rm -f "$PID_FILE" "$PORT_FILE"
    say "not running"
    return 0
  fi
  # A service that leads its own process group (started with setsid) is signalled with its children.
  kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid"
  # A controlled shutdown takes a few seconds; force it after 30.
  for _ in $(seq 1 60); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.5
  done
  if kill -0 "$pid" 2>/dev/null || kill -0 -- "-$pid" 2>/dev/null; then
    say "did not stop within 30 s, killing pid $pid"
    kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$PID_FILE" "$PORT_FILE"
  say "stopped"
}

status() {
  local pid
  if pid="$(running_pid)"; then
    say "running (pid $pid) on $(address)"
  else
    say "not running"
    return 3
  fi
}

# start|stop|status from the command line.
service_main() {
  case "${1:-}" in
    start) start ;;
    stop) stop ;;
    status) status ;;
    *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
  esac
}
