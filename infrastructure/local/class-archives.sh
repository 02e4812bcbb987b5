#!/usr/bin/env bash
# Writes a class-data archive beside each ETL step's jar (tasks/<step>/target/<step>.jsa), for the steps that run
# every few minutes: consume-batch, hot-write, cold-write, commit-offsets. The DAGs start each step with
# -XX:SharedArchiveFile=<the archive>, so the JVM maps the classes a run needs (Kafka client, Parquet, Jackson,
# picocli, logback) instead of loading them from a 40-70 MB jar: a one-flow batch through the four took 4.2 s of
# starting and 1.7-2.0 s with the archives (2 cores). An archive belongs to one build of its jar and one JDK: the JVM
# silently ignores one that does not match, so a stale archive costs speed, never a failure.
#
#   infrastructure/local/class-archives.sh [BOOTSTRAP]
#
# Each step runs once on a real batch, through the Kafka at BOOTSTRAP or a throwaway one on free ports when none
# is given, and lists the classes it loads (-XX:DumpLoadedClassList); the JVM then writes a static archive of
# them (-Xshare:dump). A static archive holds picocli's classes too, which are compiled for Java 5 and which an
# archive dumped at exit (-XX:ArchiveClassesAtExit) leaves out. `make build` and `make jars` run it; when it fails
# the jars still work, they only start slower.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
ARCHIVED=(consume-batch hot-write cold-write commit-offsets)
# The DAGs' options (dags/nids_common.py JAVA_OPTS): the archive is dumped by the JVM that will map it.
read -r -a JAVA_OPTS <<< "${NIDS_JAVA_OPTS:--Xmx2g -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:CICompilerCount=1}"

say() { echo "class-archives: $*"; }
fail() { echo "class-archives: $*; the jars work without the archives, they only start slower" >&2; exit 1; }

WORK="$(mktemp -d)"
OWN_KAFKA=""
cleanup() {
  if [[ -n "$OWN_KAFKA" ]]; then
    LOCAL_STATE_DIR="$WORK/state" "$ROOT/infrastructure/local/kafka.sh" stop >/dev/null 2>&1 || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

bootstrap="${1:-}"
if [[ -z "$bootstrap" ]]; then
  OWN_KAFKA=1
  port="$(free_port)"
  LOCAL_STATE_DIR="$WORK/state" LOCAL_KAFKA_PORT="$port" LOCAL_KAFKA_CONTROLLER_PORT="$(free_port)" \
    "$ROOT/infrastructure/local/kafka.sh" start >"$WORK/kafka-start.log" 2>&1 \
    || { cat "$WORK/kafka-start.log" >&2; fail "could not start a throwaway Kafka"; }
  bootstrap="127.0.0.1:$port"
fi

topic="class-archives-$$"
group="class-archives-$$"
jar() { echo "$ROOT/tasks/$1/target/$1.jar"; }
# step STEP ARGS...: runs the step once, then writes its archive of the classes it loaded; prints the step's last
# stdout line (its manifest).
step() {
  local name="$1"
  shift
  local archive="$ROOT/tasks/$name/target/$name.jsa"
  rm -f "$archive"
  if ! "$JAVA" "${JAVA_OPTS[@]}" -XX:DumpLoadedClassList="$WORK/$name.classlist" -jar "$(jar "$name")" "$@" \
    2>>"$WORK/steps.log" | tail -n 1; then
    tail -n 5 "$WORK/steps.log" >&2
    fail "$name failed"
  fi
  # Lambda and proxy classes the run generated cannot be found again; the dump skips them with a warning each.
  "$JAVA" "${JAVA_OPTS[@]}" -Xshare:dump -XX:SharedClassListFile="$WORK/$name.classlist" \
    -XX:SharedArchiveFile="$archive" -cp "$(jar "$name")" -Xlog:cds=error >>"$WORK/dump.log" 2>&1 \
    || { tail -n 5 "$WORK/dump.log" >&2; fail "could not write the archive of $name"; }
}

"$JAVA" -jar "$(jar replay)" generate --flows 2000 --days 1 --seed 1 --bootstrap-servers "$bootstrap" \
  --topic "$topic" >/dev/null 2>"$WORK/replay.log" || { tail -n 5 "$WORK/replay.log" >&2; fail "replay failed"; }
manifest="$(step consume-batch --bootstrap-servers "$bootstrap" --topic "$topic" --group "$group" \
  --work-dir "$WORK/work" --max-records 100000 --timeout 30s)"
manifest="$(step hot-write --manifest "$manifest" --duckdb "$WORK/hot.duckdb")"
manifest="$(step cold-write --manifest "$manifest" --cold-uri "$WORK/cold")"
step commit-offsets --manifest "$manifest" --bootstrap-servers "$bootstrap" --group "$group" >/dev/null
for name in "${ARCHIVED[@]}"; do
  [[ -s "$ROOT/tasks/$name/target/$name.jsa" ]] || fail "no archive was written for $name"
done
say "wrote tasks/{$(IFS=,; echo "${ARCHIVED[*]}")}/target/<step>.jsa"
