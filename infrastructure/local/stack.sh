# shellcheck shell=bash
# What demo.sh and airflow.sh share: the preconditions, the local Kafka and MLflow (`make local-up`) on their usual
# ports or free ones, the steps' settings and Airflow's. Sourced, not run. The caller sets ROOT (the repository) and
# defines fail MESSAGE (print it, exit), then calls:
#
#   require_built                  fails unless every step jar and .venv exist
#   free_port PREFERRED            prints PREFERRED when it is free on 127.0.0.1, else a free port
#   local_services_up [RUN...]     `make local-up`, through RUN when given (e.g. a function that logs it), on the
#                                  usual ports or free ones; services already running are reused as they are.
#                                  Exports KAFKA_BOOTSTRAP_SERVERS and MLFLOW_TRACKING_URI.
#   local_services_down            stops the services local_services_up started (not those that ran before)
#   export_step_settings DATA      the steps' stores under DATA (NIDS_WORK_DIR, NIDS_DUCKDB_PATH, NIDS_COLD_URI,
#                                  NIDS_ARCHIVE_URI, NIDS_REPORT_DIR), the model name, the bash runner on the built jars
#   export_airflow_settings HOME   Airflow's home, these DAGs, no examples
#   airflow_db_init                migrates Airflow's database and creates the pool duckdb
#
# LOCAL_STATE_DIR (default .local) holds the services' state (kafka/, mlflow/) and the callers' own (demo/, airflow/).

STEPS=(replay consume-batch hot-write cold-write commit-offsets train infer archive monitor evaluate)
LOCAL_DIR="$ROOT/infrastructure/local"
PY="$ROOT/.venv/bin/python"
AIRFLOW="$ROOT/.venv/bin/airflow"
MAKE="${MAKE:-make}"
STATE_ROOT="${LOCAL_STATE_DIR:-$ROOT/.local}"
# The services' scripts and `make local-up` find their state through this variable.
export LOCAL_STATE_DIR="$STATE_ROOT"

require_built() {
  local step
  for step in "${STEPS[@]}"; do
    [[ -f "$ROOT/tasks/$step/target/$step.jar" ]] || fail "tasks/$step/target/$step.jar is missing: run 'make build'"
  done
  [[ -x "$AIRFLOW" ]] || fail "$AIRFLOW is missing: run 'make venv'"
}

free_port() { "$PY" "$LOCAL_DIR/demo_report.py" free-port "$1"; }

# Which services local_services_up started, so that local_services_down stops those and only those.
LOCAL_STARTED=()

local_services_up() {
  local service kafka_port mlflow_port
  export LOCAL_KAFKA_PORT="${LOCAL_KAFKA_PORT:-$(free_port 9092)}"
  export LOCAL_KAFKA_CONTROLLER_PORT="${LOCAL_KAFKA_CONTROLLER_PORT:-$(free_port 9093)}"
  export LOCAL_MLFLOW_PORT="${LOCAL_MLFLOW_PORT:-$(free_port 5000)}"
  for service in kafka mlflow; do
    "$LOCAL_DIR/$service.sh" status >/dev/null 2>&1 || LOCAL_STARTED+=("$service")
  done
  "$@" "$MAKE" --no-print-directory -C "$ROOT" local-up || return 1
  # Services that were already running keep their ports: ask them.
  kafka_port="$(cat "$STATE_ROOT/kafka/kafka.port")"
  mlflow_port="$(cat "$STATE_ROOT/mlflow/mlflow.port")"
  export KAFKA_BOOTSTRAP_SERVERS="127.0.0.1:$kafka_port"
  export MLFLOW_TRACKING_URI="http://127.0.0.1:$mlflow_port"
}

local_services_down() {
  local rc=0 i
  for ((i = ${#LOCAL_STARTED[@]} - 1; i >= 0; i--)); do
    "$LOCAL_DIR/${LOCAL_STARTED[i]}.sh" stop || rc=1
  done
  LOCAL_STARTED=()
  return "$rc"
}

export_step_settings() {
  local data="$1"
  export NIDS_WORK_DIR="$data/work"
  export NIDS_DUCKDB_PATH="$data/hot.duckdb"
  export NIDS_COLD_URI="$data/cold"
  export NIDS_ARCHIVE_URI="$data/archive"
  export NIDS_REPORT_DIR="$NIDS_WORK_DIR/reports"
  export NIDS_MODEL_NAME="${NIDS_MODEL_NAME:-gnn-nids-binary}"
  # The DAGs run the jars of this build with java (nids_common.py's defaults).
  unset NIDS_RUNNER NIDS_JARS_DIR
}

export_airflow_settings() {
  export AIRFLOW_HOME="$1"
  export AIRFLOW__CORE__DAGS_FOLDER="$ROOT/dags"
  export AIRFLOW__CORE__PLUGINS_FOLDER="$ROOT/airflow/plugins"
  export AIRFLOW__CORE__LOAD_EXAMPLES=False
}

airflow_db_init() {
  "$AIRFLOW" db migrate && "$AIRFLOW" pools set duckdb 1 "Tasks that open the DuckDB file"
}
