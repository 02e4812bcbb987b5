#!/usr/bin/env bash
# Runs a single-node Kafka broker (KRaft) on this machine without Docker, from the Maven Central jars.
#
#   infrastructure/local/kafka.sh start|stop|status
#
# State lives under .local/kafka/ in the repository: data/, kafka.log, kafka.pid, classpath.txt.
# status exits 0 when the broker runs, 3 when it does not.
# Ports: LOCAL_KAFKA_PORT (default 9092) and LOCAL_KAFKA_CONTROLLER_PORT (default 9093), on 127.0.0.1 only.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CONF_DIR="$ROOT/infrastructure/kafka"
STATE="$ROOT/.local/kafka"
PID_FILE="$STATE/kafka.pid"
LOG="$STATE/kafka.log"
CLASSPATH_FILE="$STATE/classpath.txt"
PORT="${LOCAL_KAFKA_PORT:-9092}"
CONTROLLER_PORT="${LOCAL_KAFKA_CONTROLLER_PORT:-9093}"
READY_TIMEOUT_S="${LOCAL_KAFKA_READY_TIMEOUT:-90}"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"

# The port the running broker listens on, which may differ from this shell's LOCAL_KAFKA_PORT.
running_port() { cat "$STATE/kafka.port" 2>/dev/null || echo "$PORT"; }

say() { echo "kafka: $*"; }
fail() { echo "kafka: $*" >&2; exit 1; }

running_pid() {
  [[ -f "$PID_FILE" ]] || return 1
  local pid
  pid="$(cat "$PID_FILE")"
  # The pid must still be our broker, not a process that reused the number.
  if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null && ps -p "$pid" -o args= 2>/dev/null | grep -qF "kafka.Kafka "; then
    echo "$pid"
  else
    return 1
  fi
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

classpath() {
  if [[ ! -s "$CLASSPATH_FILE" || "$CONF_DIR/pom.xml" -nt "$CLASSPATH_FILE" ]]; then
    say "resolving the broker classpath (first run downloads Kafka from Maven Central)" >&2
    mvn -q -B -f "$CONF_DIR/pom.xml" dependency:build-classpath -Dmdep.outputFile="$CLASSPATH_FILE" >&2 \
      || fail "could not resolve the Kafka jars with Maven: check network access to Maven Central"
  fi
  cat "$CLASSPATH_FILE"
}

start() {
  local pid
  if pid="$(running_pid)"; then
    say "already running (pid $pid) on 127.0.0.1:$(running_port)"
    return 0
  fi
  rm -f "$PID_FILE"
  for p in "$PORT" "$CONTROLLER_PORT"; do
    if port_open "$p"; then
      fail "port $p on 127.0.0.1 is taken by another process: stop it, or set LOCAL_KAFKA_PORT / LOCAL_KAFKA_CONTROLLER_PORT"
    fi
  done
  command -v "$JAVA" >/dev/null || fail "java not found: install a JDK 17+ or set JAVA_HOME"
  mkdir -p "$STATE/data"
  local cp
  cp="$(classpath)"
  # Ports may change between runs; the data folder keeps the cluster id of its first format.
  sed -e "s|@PORT@|$PORT|g" -e "s|@CONTROLLER_PORT@|$CONTROLLER_PORT|g" -e "s|@DATA_DIR@|$STATE/data|g" \
    "$CONF_DIR/server.properties" > "$STATE/server.properties"
  local jvm=(-Xmx512m -Dlog4j2.configurationFile="$CONF_DIR/log4j2.properties" -cp "$cp")

  if [[ ! -f "$STATE/data/meta.properties" ]]; then
    local cluster_id
    cluster_id="$("$JAVA" -cp "$cp" kafka.tools.StorageTool random-uuid 2>>"$LOG" | tail -n 1)"
    "$JAVA" "${jvm[@]}" kafka.tools.StorageTool format -t "$cluster_id" -c "$STATE/server.properties" \
      --ignore-formatted >>"$LOG" 2>&1 || fail "formatting Kafka storage failed: see $LOG"
  fi

  local log_offset
  log_offset="$(stat -c %s "$LOG" 2>/dev/null || echo 0)"
  nohup "$JAVA" "${jvm[@]}" kafka.Kafka "$STATE/server.properties" >>"$LOG" 2>&1 < /dev/null &
  pid=$!
  echo "$pid" > "$PID_FILE"
  echo "$PORT" > "$STATE/kafka.port"

  local waited=0
  until port_open "$PORT" && tail -c +"$((log_offset + 1))" "$LOG" | grep -q "Kafka Server started"; do
    if ! kill -0 "$pid" 2>/dev/null; then
      rm -f "$PID_FILE"
      tail -n 20 "$LOG" >&2
      fail "the broker exited while starting: see $LOG"
    fi
    if (( waited >= READY_TIMEOUT_S * 2 )); then
      tail -n 20 "$LOG" >&2
      fail "the broker was not ready after ${READY_TIMEOUT_S} s: see $LOG (still running as pid $pid; run '$0 stop')"
    fi
    sleep 0.5
    waited=$((waited + 1))
  done
  say "Kafka ready on 127.0.0.1:$PORT"
}

stop() {
  local pid
  if ! pid="$(running_pid)"; then
    rm -f "$PID_FILE"
    say "not running"
    return 0
  fi
  kill "$pid"
  # A controlled shutdown takes a few seconds; force it after 30.
  for _ in $(seq 1 60); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.5
  done
  if kill -0 "$pid" 2>/dev/null; then
    say "broker did not stop within 30 s, killing pid $pid"
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$PID_FILE" "$STATE/kafka.port"
  say "stopped"
}

status() {
  local pid
  if pid="$(running_pid)"; then
    say "running (pid $pid) on 127.0.0.1:$(running_port)"
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
