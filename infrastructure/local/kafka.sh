#!/usr/bin/env bash
# Runs a single-node Kafka broker (KRaft) on this machine without Docker, from the Maven Central jars.
#
#   infrastructure/local/kafka.sh start|stop|status
#
# State lives under .local/kafka/ in the repository (LOCAL_STATE_DIR/kafka/ when set): data/, kafka.log, kafka.pid,
# classpath.txt.
# status exits 0 when the broker runs, 3 when it does not.
# Ports: LOCAL_KAFKA_PORT (default 9092) and LOCAL_KAFKA_CONTROLLER_PORT (default 9093), on 127.0.0.1 only.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CONF_DIR="$ROOT/infrastructure/kafka"
STATE="${LOCAL_STATE_DIR:-$ROOT/.local}/kafka"
PID_FILE="$STATE/kafka.pid"
LOG="$STATE/kafka.log"
CLASSPATH_FILE="$STATE/classpath.txt"
PORT="${LOCAL_KAFKA_PORT:-9092}"
CONTROLLER_PORT="${LOCAL_KAFKA_CONTROLLER_PORT:-9093}"
READY_TIMEOUT_S="${LOCAL_KAFKA_READY_TIMEOUT:-90}"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"

NAME=kafka
PORT_FILE="$STATE/kafka.port"
MATCH="kafka.Kafka "
URL_SCHEME=""
# shellcheck source=infrastructure/local/service.sh
source "$ROOT/infrastructure/local/service.sh"

classpath() {
  if [[ ! -s "$CLASSPATH_FILE" || "$CONF_DIR/pom.xml" -nt "$CLASSPATH_FILE" ]]; then
    say "resolving the broker classpath (first run downloads Kafka from Maven Central)" >&2
    mkdir -p "$STATE"
    # Offline first: the jars are usually in the local Maven repository already.
    local mvn_args=(-q -B -f "$CONF_DIR/pom.xml" dependency:build-classpath -Dmdep.outputFile="$CLASSPATH_FILE")
    mvn -o "${mvn_args[@]}" >/dev/null 2>&1 || mvn "${mvn_args[@]}" >&2 \
      || fail "could not resolve the Kafka jars with Maven: check network access to Maven Central"
  fi
  cat "$CLASSPATH_FILE"
}

start() {
  local pid
  if pid="$(running_pid)"; then
    say "already running (pid $pid) on $(address)"
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

  mark_log
  nohup "$JAVA" "${jvm[@]}" kafka.Kafka "$STATE/server.properties" >>"$LOG" 2>&1 < /dev/null &
  pid=$!
  echo "$pid" > "$PID_FILE"
  echo "$PORT" > "$PORT_FILE"
  wait_ready "$pid" started
  say "Kafka ready on 127.0.0.1:$PORT"
}

# Ready once the port answers and the log says so.
# grep -c reads to the end: grep -q would stop at the first match, and with pipefail tail's SIGPIPE would fail the
# check whenever this start wrote more than a pipe's buffer (as after the transaction log's 50 partitions exist).
started() {
  port_open "$PORT" && [[ "$(tail -c +"$((LOG_OFFSET + 1))" "$LOG" | grep -c "Kafka Server started")" != 0 ]]
}

service_main "$@"
