#!/usr/bin/env bash
# `make airflow`: the live pipeline on this machine, no Docker. Starts the local Kafka and MLflow (`make local-up`,
# on free ports when the usual ones are taken; services already running are reused and left running), then Airflow
# on these DAGs with every setting the steps need: the scheduler (LocalExecutor, one task process per core), the
# API server and UI, the DAG processor and the triggerer. With them a traffic source: `replay generate --live`
# streams a simulated network into Kafka at RATE flows per second. Prints the URL and the login, then runs until
# Ctrl-C or SIGTERM, which stop everything it started: the traffic source, Airflow and every task it runs, the
# services it started.
#
# Airflow's components are the ones `airflow standalone` runs, started one by one so that nothing listens beyond
# 127.0.0.1 (standalone's log servers bind every address; tasks' logs are read from .local/airflow/logs) and so that
# each can be stopped with its children.
#
# State persists between runs under .local/airflow/: Airflow's home (airflow.cfg, airflow.db with the DAGs' paused
# switches and their runs, the admin password, task logs in logs/), the pipeline's stores in data/ (work/,
# hot.duckdb, cold/, archive/, reports in work/reports/) and this run's component logs in run/. Kafka keeps the
# topic and the ETL group's offsets in .local/kafka/, MLflow its runs and models in .local/mlflow/.
#
# Environment: RATE (flows per second of the traffic source, default 200; 0 starts none), TRAFFIC_HOSTS (hosts of
# the simulated network, 200), TRAFFIC_SEED (the network, 1), AIRFLOW_PORT (8080, or a free port when taken),
# AIRFLOW__CORE__PARALLELISM (default: the cores, at least 2), NIDS_TOPIC (zeek-conn), NIDS_GROUP_ID (gnn-nids-etl),
# NIDS_MODEL_NAME (gnn-nids-binary), NIDS_TASK_RETRIES (3), NIDS_TASK_TIMEOUT, NIDS_EVALUATE_TIMEOUT and
# NIDS_TRAIN_TIMEOUT (20m, 2h, 4h), NIDS_ETL_MAX_RECORDS, NIDS_INFER_BATCH_SIZE and NIDS_MONITOR_MAX_LAG (the
# scheduled batch sizes and lag limit, by default sized for RATE), NIDS_ETL_PARTITION_GROUPS (the ETL's partition
# groups, 1; the traffic source's topic has 3 partitions), LOCAL_KAFKA_PORT, LOCAL_KAFKA_CONTROLLER_PORT
# and LOCAL_MLFLOW_PORT (as `make local-up`), LOCAL_STATE_DIR (.local).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
say() { printf '[make airflow] %s\n' "$*"; }
fail() { printf '[make airflow] FAILED: %s\n' "$*" >&2; exit 1; }
# shellcheck source=infrastructure/local/stack.sh
source "$ROOT/infrastructure/local/stack.sh"

RATE="${RATE:-200}"
TRAFFIC_HOSTS="${TRAFFIC_HOSTS:-200}"
TRAFFIC_SEED="${TRAFFIC_SEED:-1}"
STATE="$STATE_ROOT/airflow"
RUN="$STATE/run"
COMPONENTS=(scheduler dag-processor triggerer api-server)
# Seconds each stage of stopping may take before the next, harder one.
STOP_GRACE_S=10

[[ "$RATE" =~ ^[0-9]+([.][0-9]+)?$ ]] || fail "RATE=$RATE is not a number of flows per second (0 for no traffic)"
require_built

# Stopping must find every process this run started, also those whose parent died first. Each component leads a
# session of its own, which its children stay in (Airflow's workers and task runners, whose process titles overwrite
# their environment); the tasks' commands, which Airflow starts in new sessions, carry RUN_MARK in their environment.
RUN_MARK="GNN_NIDS_LOCAL_RUN=airflow-$$-$(date +%s%N)"
declare -A PIDS=()

# our_pids [SESSION]: the live processes (not zombies) of the components' sessions or carrying RUN_MARK, one pid a
# line; but those of SESSION.
our_pids() {
  local marked
  marked="$(grep -lzxF -- "$RUN_MARK" /proc/[0-9]*/environ 2>/dev/null | sed -e 's|^/proc/||' -e 's|/environ$||' \
    | tr '\n' ' ' || true)"
  ps -eo pid=,sid=,stat= | awk -v s=" ${PIDS[*]} " -v m=" $marked " -v x="${1:-none}" \
    '$3 !~ /^Z/ && $2 != x && (index(s, " " $2 " ") || index(m, " " $1 " ")) { print $1 }'
}

# start NAME COMMAND...: runs COMMAND in a session of its own, marked, its output in run/NAME.log.
start() {
  local name="$1"
  shift
  env "$RUN_MARK" setsid "$@" >"$RUN/$name.log" 2>&1 </dev/null &
  PIDS[$name]=$!
  # No "Killed" notices from bash: stop_all says what it does.
  disown "$!"
}

# wait_ours_gone SECONDS [SESSION]: waits until none of our processes is left (but those of SESSION); returns 1
# when some still are after SECONDS.
wait_ours_gone() {
  local deadline=$((SECONDS + $1))
  while [[ -n "$(our_pids "${2:-}")" ]]; do
    ((SECONDS < deadline)) || return 1
    sleep 0.5
  done
}

# terminate SIGNAL [SESSION]: sends SIGNAL to what is left of ours (but SESSION), saying which.
terminate() {
  local left
  left="$(our_pids "${2:-}" | tr '\n' ' ')"
  [[ -n "${left// /}" ]] || return 0
  say "sending SIG$1 to what is left: $left"
  # shellcheck disable=SC2086
  kill "-$1" $left 2>/dev/null || true
}

stop_all() {
  local rc=$? name pid api="${PIDS[api-server]:-none}"
  trap '' INT TERM
  trap - EXIT
  say "stopping (Ctrl-C again is ignored; this takes up to a minute)"
  # The traffic source first: it flushes what it sent and writes its manifest. Then Airflow's components but the
  # API server, as `airflow standalone` stops them: each ends its own children (the scheduler its LocalExecutor
  # workers, once their running tasks are done; signalling the workers themselves would leave it waiting).
  for name in traffic "${COMPONENTS[@]}"; do
    pid="${PIDS[$name]:-}"
    if [[ -n "$pid" && "$name" != api-server ]]; then kill -TERM "$pid" 2>/dev/null || true; fi
  done
  # Running tasks are stopped rather than waited for; they report it to the API server, which is still up.
  if ! wait_ours_gone "$STOP_GRACE_S" "$api"; then
    terminate TERM "$api"
    wait_ours_gone "$STOP_GRACE_S" "$api" || true
  fi
  if [[ "$api" != none ]]; then kill -TERM "$api" 2>/dev/null || true; fi
  if ! wait_ours_gone "$STOP_GRACE_S"; then
    terminate KILL
    wait_ours_gone 5 || say "could not stop: $(our_pids | tr '\n' ' ')"
  fi
  if ((${#LOCAL_STARTED[@]})); then
    say "stopping ${LOCAL_STARTED[*]}"
    local_services_down >>"$RUN/services.log" 2>&1 || say "stopping the local services failed: see $RUN/services.log"
  fi
  if ((rc == 0 || rc == 130 || rc == 143)); then
    say "stopped"
  else
    say "stopped after a failure (exit $rc): the logs are in $RUN/"
  fi
  exit "$rc"
}

# Exits (and so stops everything) when a component died by itself.
check_alive() {
  local name
  for name in "${!PIDS[@]}"; do
    if ! kill -0 "${PIDS[$name]}" 2>/dev/null; then
      tail -n 15 "$RUN/$name.log" >&2 || true
      fail "$name exited by itself: see $RUN/$name.log"
    fi
  done
}

mkdir -p "$RUN"
trap stop_all EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- Kafka and MLflow
say "starting Kafka and MLflow (make local-up; output in $RUN/services.log)"
: >"$RUN/services.log"
services_log() { "$@" >>"$RUN/services.log" 2>&1 </dev/null; }
local_services_up services_log || { tail -n 15 "$RUN/services.log" >&2; fail "make local-up failed: see $RUN/services.log"; }

# --- the steps' settings
export NIDS_TOPIC="${NIDS_TOPIC:-zeek-conn}"
export NIDS_GROUP_ID="${NIDS_GROUP_ID:-gnn-nids-etl}"
export_step_settings "$STATE/data"
mkdir -p "$NIDS_WORK_DIR"
# Scheduled runs of nids_etl (every minute) must keep up with the traffic: a batch holds up to two intervals of it,
# so that a late run catches up, and at least the DAG's default (500,000); the monitor's lag alert waits for three.
per_interval() { awk -v r="$RATE" -v n="$1" -v least="$2" 'BEGIN { v = int(r * 60 * n + 0.999); print (v > least ? v : least) }'; }
export NIDS_ETL_MAX_RECORDS="${NIDS_ETL_MAX_RECORDS:-$(per_interval 2 500000)}"
# Inference scores what one ETL run stored (`make demo` scores 150,000 flows in one run with the DAGs' JVM options).
export NIDS_INFER_BATCH_SIZE="${NIDS_INFER_BATCH_SIZE:-$NIDS_ETL_MAX_RECORDS}"
export NIDS_MONITOR_MAX_LAG="${NIDS_MONITOR_MAX_LAG:-$(per_interval 3 100000)}"

# --- Airflow's settings
export_airflow_settings "$STATE"
AIRFLOW_PORT="${AIRFLOW_PORT:-$(free_port 8080)}"
port_taken() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
port_taken "$AIRFLOW_PORT" && fail "port $AIRFLOW_PORT on 127.0.0.1 is taken: set AIRFLOW_PORT to a free one"
cores="$(nproc)"
export AIRFLOW__CORE__EXECUTOR=LocalExecutor
# LocalExecutor forks [core] parallelism worker processes at start, each running one task at a time (Airflow's
# default, 32, is 32 idle processes of about 130 MB): one per core, at least 2 so that a training does not hold
# back the ETL.
export AIRFLOW__CORE__PARALLELISM="${AIRFLOW__CORE__PARALLELISM:-$((cores > 2 ? cores : 2))}"
export AIRFLOW__CORE__AUTH_MANAGER=airflow.api_fastapi.auth.managers.simple.simple_auth_manager.SimpleAuthManager
export AIRFLOW__API__HOST=127.0.0.1
export AIRFLOW__API__PORT="$AIRFLOW_PORT"
# Tasks report to the API server's execution API, by default at localhost:8080 whatever the port.
export AIRFLOW__CORE__EXECUTION_API_SERVER_URL="http://127.0.0.1:$AIRFLOW_PORT/execution/"
# Airflow's components start `airflow ...` subprocesses.
export PATH="$ROOT/.venv/bin:$PATH"

say "preparing Airflow's database in $STATE"
airflow_db_init >"$RUN/db-init.log" 2>&1 || { tail -n 15 "$RUN/db-init.log" >&2; fail "airflow db migrate failed: see $RUN/db-init.log"; }

# --- Airflow and the traffic source
say "starting Airflow: ${COMPONENTS[*]} (LocalExecutor, parallelism $AIRFLOW__CORE__PARALLELISM on $cores cores)"
start scheduler "$AIRFLOW" scheduler --skip-serve-logs
start dag-processor "$AIRFLOW" dag-processor
start triggerer "$AIRFLOW" triggerer --skip-serve-logs
start api-server "$AIRFLOW" api-server
if [[ "$RATE" =~ ^0+([.]0+)?$ ]]; then
  say "no traffic source (RATE=0)"
else
  say "starting the traffic source: $RATE flows/s of a $TRAFFIC_HOSTS-host network (seed $TRAFFIC_SEED) into $NIDS_TOPIC"
  start traffic java -XX:+UseSerialGC -jar "$ROOT/tasks/replay/target/replay.jar" generate --live --rate "$RATE" \
    --hosts "$TRAFFIC_HOSTS" --seed "$TRAFFIC_SEED"
fi

# Ready once the API server answers and reports the scheduler, DAG processor and triggerer healthy.
airflow_ready() {
  "$PY" - "$AIRFLOW_PORT" <<'EOF' 2>/dev/null
import json, sys, urllib.request
with urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/api/v2/monitor/health", timeout=5) as r:
    health = json.load(r)
parts = ("metadatabase", "scheduler", "dag_processor", "triggerer")
sys.exit(0 if all((health.get(p) or {}).get("status") == "healthy" for p in parts) else 1)
EOF
}
waited=0
until airflow_ready; do
  check_alive
  ((waited < 300)) || fail "Airflow was not ready after 300 s: see $RUN/"
  sleep 2
  waited=$((waited + 2))
done
# Written by the API server when it first starts.
password_file="${AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE:-$STATE/simple_auth_manager_passwords.json.generated}"
password="$("$PY" -c 'import json, sys; print(json.load(open(sys.argv[1]))["admin"])' "$password_file" 2>/dev/null || true)"

say "ready in ${SECONDS} s"
say "  Airflow   http://127.0.0.1:$AIRFLOW_PORT   user admin, password ${password:-(not found)} (kept in $password_file)"
say "  DAGs      switched off until you switch them on in the UI (they stay on between runs): nids_etl first"
say "  Kafka     $KAFKA_BOOTSTRAP_SERVERS, topic $NIDS_TOPIC, group $NIDS_GROUP_ID"
say "  ETL       batches of up to $NIDS_ETL_MAX_RECORDS records in ${NIDS_ETL_PARTITION_GROUPS:-1} partition group(s),"
say "            inference of up to $NIDS_INFER_BATCH_SIZE flows;"
say "            monitoring alerts above a lag of $NIDS_MONITOR_MAX_LAG"
say "  MLflow    $MLFLOW_TRACKING_URI, model $NIDS_MODEL_NAME"
say "  stores    $STATE/data"
say "  logs      $RUN/ (tasks: $STATE/logs/)"
say "Ctrl-C stops everything."

while true; do
  check_alive
  # `wait` returns at once when a signal arrives, so Ctrl-C is handled without delay.
  sleep 2 &
  wait $! || true
done
