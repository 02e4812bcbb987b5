#!/usr/bin/env bash
# `make demo`: the whole pipeline on this machine, no Docker. Starts the local Kafka and MLflow (`make local-up`),
# generates two days of labelled traffic of a simulated network into Kafka, then runs the real DAGs with
# `airflow dags test`: nids_etl until Kafka is drained, nids_training once, nids_evaluation on the real captures of
# data/iot23, nids_inference until every flow is
# scored, nids_monitoring once. Prints progress, then a summary (flows ingested and quarantined, the model's test metrics, detections
# per attack family against the ground truth, where everything is), and stops the services it started, also when
# something fails.
#
# Every run starts from empty stores under .local/demo/ and a new Kafka topic; MLflow's runs and model versions
# accumulate in .local/mlflow/. Airflow's verbose output goes to .local/demo/demo.log.
#
# Sizes (environment): DEMO_FLOWS (150000), DEMO_HOSTS (300), DEMO_DAYS (2), DEMO_SEED (47),
# DEMO_BATCH_RECORDS (Kafka records per ETL run, 75000), DEMO_MAX_EPOCHS (training epochs at most, 6),
# DEMO_SYNTHETIC_NETWORKS (generated networks trained on besides the demo's own, 6),
# DEMO_MIN_PR_AUC (the training quality gate, 0.9), DEMO_INFER_BATCH (flows scored per inference run, 200000).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
# shellcheck source=infrastructure/local/stack.sh
source "$ROOT/infrastructure/local/stack.sh"
DEMO="$STATE_ROOT/demo"
LOG="$DEMO/demo.log"

FLOWS="${DEMO_FLOWS:-150000}"
HOSTS="${DEMO_HOSTS:-300}"
DAYS="${DEMO_DAYS:-2}"
# Training learns from the first 70% of the flows (by time) and tests on the last 15%. Two days are short: many
# seeds leave some attack family only in the test part (unseen, so missed) or put almost no attack there (seed 42:
# 42 C&C flows). With seed 47 the test part holds 6 families and 2,478 attack flows, all of them seen in training.
SEED="${DEMO_SEED:-47}"
BATCH_RECORDS="${DEMO_BATCH_RECORDS:-75000}"
MAX_EPOCHS="${DEMO_MAX_EPOCHS:-6}"
SYNTHETIC_NETWORKS="${DEMO_SYNTHETIC_NETWORKS:-6}"
MIN_PR_AUC="${DEMO_MIN_PR_AUC:-0.9}"
INFER_BATCH="${DEMO_INFER_BATCH:-200000}"
MAX_RUNS=50

STARTED=$SECONDS
CHILD=""

elapsed() { local s=$((SECONDS - STARTED)); printf '%02d:%02d' $((s / 60)) $((s % 60)); }
# Progress goes to fd 3, the terminal, also from inside command substitutions.
exec 3>&1
progress() { printf '[%s] %s\n' "$(elapsed)" "$*" >&3; }
fail() { printf '[%s] FAILED: %s\n' "$(elapsed)" "$*" >&2; exit 1; }
report() { "$PY" "$LOCAL_DIR/demo_report.py" "$@"; }
utc_now() { date -u +%Y-%m-%dT%H:%M:%S+00:00; }

# Runs a command with its output in the log, printing a line every 30 s while it runs: the newest line of the log
# matching $TICK (if set) shows how far it got. Returns the command's exit code.
TICK=""
run_logged() {
  local label="$1"; shift
  printf '\n---- %s %s\n' "$(utc_now)" "$*" >>"$LOG"
  # Its own process group, so an interrupt stops the steps it started too.
  setsid "$@" >>"$LOG" 2>&1 </dev/null &
  CHILD=$!
  local last=$SECONDS
  while kill -0 "$CHILD" 2>/dev/null; do
    sleep 1
    if (( SECONDS - last >= 30 )); then
      last=$SECONDS
      local hint=""
      [[ -n "$TICK" ]] && hint="$(grep -oE "$TICK" "$LOG" 2>/dev/null | tail -n 1 || true)"
      progress "  $label still running${hint:+: $hint}"
    fi
  done
  local rc=0
  wait "$CHILD" || rc=$?
  CHILD=""
  return "$rc"
}

stop_services() {
  local rc=$?
  trap - EXIT INT TERM
  if [[ -n "$CHILD" ]]; then
    kill -TERM -- "-$CHILD" 2>/dev/null || true
    wait "$CHILD" 2>/dev/null || true
  fi
  progress "stopping the local services"
  local_services_down >>"$LOG" 2>&1 || echo "stopping the local services failed: see $LOG" >&2
  if (( rc == 0 )); then
    progress "done in $(elapsed) (mm:ss)"
  else
    echo "The demo failed after $(elapsed) (mm:ss); Airflow's and the steps' output is in $LOG" >&2
  fi
  exit "$rc"
}

# --- preconditions
require_built

rm -rf "$DEMO"
mkdir -p "$DEMO"
: >"$LOG"
progress "gnn-nids demo; Airflow's and the steps' output goes to $LOG"

# --- local services, on their usual ports unless those are taken
trap stop_services EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
progress "starting Kafka and MLflow (make local-up)"
local_services_up run_logged "make local-up" || fail "make local-up failed: see $LOG"

NIDS_TOPIC="zeek-conn-demo-$(date +%s)"
export NIDS_TOPIC
export NIDS_GROUP_ID="gnn-nids-etl-demo"
export_step_settings "$DEMO"
export DEMO_MLFLOW_STATE="$STATE_ROOT/mlflow"
# A failed task fails the demo at once, with its log, instead of after three retries 2 minutes apart.
export NIDS_TASK_RETRIES=0
# A throwaway Airflow (SQLite) that knows only these DAGs.
export_airflow_settings "$DEMO/airflow"
progress "Kafka on $KAFKA_BOOTSTRAP_SERVERS, MLflow on $MLFLOW_TRACKING_URI"

# --- Airflow's database, prepared while the traffic is generated
airflow_db_init >"$DEMO/airflow-init.log" 2>&1 &
airflow_init=$!

progress "generating $FLOWS flows: $DAYS days of a $HOSTS-host network (seed $SEED) into topic $NIDS_TOPIC"
run_logged "replay generate" java -jar tasks/replay/target/replay.jar generate --flows "$FLOWS" --hosts "$HOSTS" \
  --days "$DAYS" --seed "$SEED" || fail "replay generate failed: see $LOG"
wait "$airflow_init" || fail "preparing Airflow's database failed: see $DEMO/airflow-init.log"
cat "$DEMO/airflow-init.log" >>"$LOG"

# Runs one DAG run with `airflow dags test` at a fresh logical date, then sets STATES to its tasks' states
# (task=state lines), as Airflow's database records them.
STATES=""
dag_run() {
  local dag="$1" conf="$2" label="$3" logical_date
  # Two runs of a DAG need two logical dates.
  sleep 1
  logical_date="$(utc_now)"
  run_logged "$label" "$AIRFLOW" dags test "$dag" "$logical_date" -c "$conf" \
    || fail "$label: the DAG run failed (a task failed after its retries): see $LOG"
  STATES="$(report task-states "$dag" "$logical_date")" || fail "could not read the task states of $label"
}

# The state of a task in STATES-like lines; of a mapped task (task[0], task[1], ...), its instances' states, comma
# separated (one, when all agree).
state_of() { grep -E "^$1(\[[0-9]+\])?=" <<<"$2" | cut -d= -f2 | sort -u | paste -sd, -; }

# Runs a DAG until every instance of its first task is skipped (nothing to do). In the runs before, every task must
# succeed, or be skipped with its partition group when that group had nothing new.
run_until_skipped() {
  local dag="$1" first_task="$2" conf="$3" what="$4" after="${5:-}" n
  for ((n = 1; n <= MAX_RUNS; n++)); do
    dag_run "$dag" "$conf" "$dag run $n"
    if [[ "$(state_of "$first_task" "$STATES")" == skipped ]]; then
      progress "$dag run $n: $what, nothing left to do"
      return 0
    fi
    if grep -vqE '=(success|skipped)$' <<<"$STATES"; then
      fail "$dag run $n ended with task states $(tr '\n' ' ' <<<"$STATES"): see $LOG"
    fi
    progress "$dag run $n: done${after:+; $($after)}"
  done
  fail "$dag still had work after $MAX_RUNS runs"
}

etl_progress() { report etl-progress "$NIDS_WORK_DIR"; }

progress "ETL: nids_etl until Kafka is drained ($BATCH_RECORDS records per batch)"
run_until_skipped nids_etl partition_group.consume_batch "{\"max_records\": $BATCH_RECORDS}" "Kafka is drained" etl_progress

today="$(date -u +%F)"
progress "training: nids_training on the last 3 days to $today and $SYNTHETIC_NETWORKS generated networks (at most $MAX_EPOCHS epochs, quality gate PR-AUC >= $MIN_PR_AUC)"
TICK='epoch [0-9]+: train_loss [^ ]+ val_loss [^ ]+ val_f1 [^ ]+'
dag_run nids_training \
  "{\"days\": 3, \"end_date\": \"$today\", \"synthetic_networks\": $SYNTHETIC_NETWORKS, \"max_epochs\": $MAX_EPOCHS, \"min_pr_auc\": $MIN_PR_AUC, \"promote\": \"always\"}" \
  nids_training
TICK=""
[[ "$(state_of train "$STATES")" == success ]] || fail "training ended as $(state_of train "$STATES"): see $LOG"
progress "training: done, the new version is the champion"

progress "evaluation: nids_evaluation, the champion on the real IoT-23 captures in data/iot23 (never trained on)"
captures="$(python3 -c 'import json, sys; print(json.dumps(sys.argv[1:]))' "$ROOT"/data/iot23/*.csv)"
dag_run nids_evaluation "{\"inputs\": $captures}" nids_evaluation
[[ "$(state_of evaluate "$STATES")" == success ]] || fail "evaluation ended as $(state_of evaluate "$STATES"): see $LOG"
while IFS= read -r line; do progress "evaluation: $line"; done < <(report evaluation "$NIDS_WORK_DIR")

progress "inference: nids_inference until every flow is scored ($INFER_BATCH flows per run)"
run_until_skipped nids_inference infer "{\"batch_size\": $INFER_BATCH}" "every flow is scored"

progress "monitoring: nids_monitoring once (fails on a critical alert: lag, waiting flows, Kafka unreadable)"
dag_run nids_monitoring '{}' nids_monitoring
[[ "$(state_of monitor "$STATES")" == success ]] || fail "monitoring ended as $(state_of monitor "$STATES"): see $LOG"
while IFS= read -r line; do progress "monitoring: $line"; done < <(report monitor-alerts "$NIDS_WORK_DIR/reports/latest.json")

report summary
