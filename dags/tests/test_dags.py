"""The DAG files: they import, and each DAG has the tasks, order, schedule, pools, queues, retries, timeouts and skip
codes the steps' contract needs. test_exit_codes.py runs tasks to check what their exit codes do."""

from __future__ import annotations

import importlib
import os
import re
from datetime import UTC, datetime, timedelta

import pytest

from conftest import REPO_ROOT, load_dagbag

EXPECTED = {
    "nids_etl": {
        "timeout": timedelta(minutes=20),
        "dagrun_timeout": timedelta(hours=5, minutes=44),
        "tasks": ["partition_group.consume_batch", "partition_group.hot_write", "partition_group.cold_write",
                  "partition_group.commit_offsets"],
        "schedule": timedelta(minutes=1),
        "max_active_runs": 1,
        "duckdb": {"partition_group.hot_write"},
        "manifest_from": {"partition_group.hot_write": "partition_group.consume_batch",
                          "partition_group.cold_write": "partition_group.hot_write",
                          "partition_group.commit_offsets": "partition_group.cold_write"},
        "jars": {"partition_group.consume_batch": "consume-batch", "partition_group.hot_write": "hot-write",
                 "partition_group.cold_write": "cold-write", "partition_group.commit_offsets": "commit-offsets"},
        "params": {"max_records": 500_000},
    },
    "nids_evaluation": {
        "timeout": timedelta(hours=2),
        "dagrun_timeout": timedelta(hours=8, minutes=6),
        "tasks": ["evaluate"],
        "schedule": None,
        "max_active_runs": 1,
        "duckdb": set(),
        "manifest_from": {},
        "jars": {"evaluate": "evaluate"},
        "params": {"inputs": [], "from_date": None, "to_date": None, "model_version": None},
    },
    "nids_inference": {
        "timeout": timedelta(minutes=20),
        "dagrun_timeout": timedelta(hours=1, minutes=26),
        "tasks": ["infer"],
        "schedule": "the hot store, or every 15 minutes",  # test_inference_runs_when_the_etl_stored_flows
        "max_active_runs": 1,
        "duckdb": set(),  # it waits for the file (--lock-wait) only while it reads and writes
        "manifest_from": {},
        "jars": {"infer": "infer"},
        "params": {"batch_size": 500_000, "model_version": None},
    },
    "nids_lifecycle": {
        "timeout": timedelta(minutes=20),
        "dagrun_timeout": timedelta(hours=1, minutes=26),
        "tasks": ["archive"],
        "schedule": "@daily",
        "max_active_runs": 1,
        "duckdb": {"archive"},
        "manifest_from": {},
        "jars": {"archive": "archive"},
        "params": {"retention": None, "cold_retention": None},
    },
    "nids_monitoring": {
        "timeout": timedelta(minutes=20),
        "dagrun_timeout": timedelta(hours=1, minutes=26),
        "tasks": ["monitor"],
        "schedule": timedelta(minutes=15),
        "max_active_runs": 1,
        "duckdb": {"monitor"},
        "manifest_from": {},
        "jars": {"monitor": "monitor"},
        "params": {"max_lag": 100000, "max_delay": "30m", "fail_on_alert": True},
    },
    "nids_training": {
        "timeout": timedelta(hours=4),
        "dagrun_timeout": timedelta(hours=80, minutes=6),
        "tasks": ["train"],
        "schedule": "@daily",
        "max_active_runs": 1,
        "duckdb": set(),
        "manifest_from": {},
        "jars": {"train": "train"},
        "params": {"days": 21, "end_date": None, "baseline": None, "synthetic_networks": 0, "target_fpr": 0.01,
                   "min_pr_auc": 0.95, "promote": "if-better", "max_epochs": 100},
    },
}


def test_dag_folder_imports_without_errors(dagbag):
    assert dagbag.import_errors == {}
    assert sorted(dagbag.dag_ids) == sorted(EXPECTED)


@pytest.mark.parametrize("dag_id", sorted(EXPECTED))
def test_dag_schedule_and_defaults(dagbag, dag_id):
    dag = dagbag.dags[dag_id]
    expected = EXPECTED[dag_id]
    if dag_id != "nids_inference":
        assert dag.schedule == expected["schedule"]
    assert dag.catchup is False
    assert dag.max_active_runs == expected["max_active_runs"]
    assert "gnn-nids" in dag.tags
    assert dag.doc_md and dag_id in dag.doc_md
    assert {name: dag.params[name] for name in expected["params"]} == expected["params"]
    assert dag.start_date == datetime(2025, 1, 1, tzinfo=UTC)
    assert dag.start_date.utcoffset() == timedelta(0)
    for task in dag.tasks:
        assert task.owner == "gnn-nids"
        assert task.retries == 3
        assert task.retry_delay == timedelta(minutes=2)


@pytest.mark.parametrize("dag_id", sorted(EXPECTED))
def test_every_task_and_run_has_a_timeout(dagbag, dag_id):
    dag = dagbag.dags[dag_id]
    for task in dag.tasks:
        assert task.execution_timeout == EXPECTED[dag_id]["timeout"]
    # Tasks in a row, each with 4 tries to its timeout (train's at 500 epochs, 5 times its budget) and 3 delays.
    assert dag.dagrun_timeout == EXPECTED[dag_id]["dagrun_timeout"]
    assert all(task.execution_timeout < dag.dagrun_timeout for task in dag.tasks)
    # The DAG's documentation in the UI states them as they are.
    assert ("is retried up to 3 times, 2m apart; exit 2, bad usage or configuration, or 3, refused by train's quality "
            "gate, fails it at once") in dag.doc_md
    assert all(f"`{task.task_id}` " in dag.doc_md for task in dag.tasks)


def test_inference_runs_when_the_etl_stored_flows(dagbag):
    from airflow.sdk import Asset, AssetOrTimeSchedule, CronTriggerTimetable

    from nids_common import HOT_STORE

    assert HOT_STORE == Asset(name="nids_hot_store", uri="gnn-nids://hot-store/flows", group="gnn-nids")
    # Only hot_write updates the hot store's asset: a skipped task emits no event, so neither does an ETL run
    # with nothing to store.
    outlets = {task.task_id: task.outlets for dag in dagbag.dags.values() for task in dag.tasks if task.outlets}
    assert outlets == {"partition_group.hot_write": [HOT_STORE]}
    # Inference runs on each event, and on a 15-minute clock as a safety net.
    schedule = dagbag.dags["nids_inference"].schedule
    assert schedule == AssetOrTimeSchedule(timetable=CronTriggerTimetable("*/15 * * * *", timezone="UTC"),
                                           assets=HOT_STORE)
    # No other DAG waits for the asset.
    assert [dag_id for dag_id, dag in dagbag.dags.items() if isinstance(dag.schedule, AssetOrTimeSchedule)] \
        == ["nids_inference"]


def test_training_timeout_follows_max_epochs(dagbag):
    dag = dagbag.dags["nids_training"]
    train = dag.get_task("train")
    assert (train.epochs_param, train.base_epochs) == ("max_epochs", dag.params["max_epochs"])
    # The form's limit bounds the timeout a run can ask for, which the run timeout covers.
    assert dag.params.get_param("max_epochs").schema["maximum"] == 500
    assert train.scaled_timeout(500) == timedelta(hours=20)
    assert all(getattr(task, "epochs_param", None) is None for other in dagbag.dags.values() if other is not dag
               for task in other.tasks)


def test_the_dag_factory_takes_keywords_only():
    from nids_common import nids_dag

    with pytest.raises(TypeError):
        nids_dag("nids_x", None, None, "test", {})


@pytest.mark.parametrize("dag_id", sorted(EXPECTED))
def test_tasks_run_in_order(dagbag, dag_id):
    dag = dagbag.dags[dag_id]
    ids = EXPECTED[dag_id]["tasks"]
    assert sorted(dag.task_ids) == sorted(ids)
    for upstream, downstream in zip(ids, ids[1:], strict=False):
        assert dag.get_task(upstream).downstream_task_ids == {downstream}
        assert dag.get_task(downstream).upstream_task_ids == {upstream}
    assert dag.get_task(ids[0]).upstream_task_ids == set()
    assert dag.get_task(ids[-1]).downstream_task_ids == set()


@pytest.mark.parametrize("dag_id", sorted(EXPECTED))
def test_tasks_that_open_duckdb_share_its_pool(dagbag, dag_id):
    dag = dagbag.dags[dag_id]
    in_pool = {task.task_id for task in dag.tasks if task.pool == "duckdb"}
    assert in_pool == EXPECTED[dag_id]["duckdb"]


def test_every_task_is_on_airflows_default_queue_unless_told(dagbag):
    from airflow.configuration import conf

    # LocalExecutor, and CeleryExecutor's workers as they start by default, use this one queue.
    assert {task.queue for dag in dagbag.dags.values() for task in dag.tasks} == {
        conf.get("operators", "default_queue")} == {"default"}


@pytest.mark.parametrize("runner", ["bash", "docker"])
def test_the_tasks_that_open_duckdb_go_to_its_queue(reparse, runner):
    """NIDS_DUCKDB_QUEUE routes exactly the tasks that open the DuckDB file, the `duckdb` pool's and infer, in the DAGs
    as the DAG processor serializes them: the scheduler hands each task to the executor with the queue stored there."""
    from airflow.serialization.serialized_objects import DagSerialization

    reparse(NIDS_RUNNER=runner, NIDS_DUCKDB_QUEUE="duckdb-host-1")
    bag = load_dagbag()
    assert not bag.import_errors, bag.import_errors
    queues = {task.task_id: task.queue for dag in bag.dags.values()
              for task in DagSerialization.from_dict(DagSerialization.to_dict(dag)).tasks}
    duckdb_tasks = set().union(*(expected["duckdb"] for expected in EXPECTED.values()))
    assert duckdb_tasks == {"partition_group.hot_write", "archive", "monitor"}
    on_host = duckdb_tasks | {"infer"}
    assert {task_id for task_id, queue in queues.items() if queue == "duckdb-host-1"} == on_host
    assert {queue for task_id, queue in queues.items() if task_id not in on_host} == {"default"}


@pytest.mark.parametrize("value", ["duckdb,default", "duck db", "hot/store"])
def test_a_bad_queue_name_is_a_clear_error(reparse, value):
    reparse(NIDS_DUCKDB_QUEUE=value)
    with pytest.raises(ValueError, match="NIDS_DUCKDB_QUEUE=.* is not a queue name"):
        importlib.import_module("nids_common")


@pytest.mark.parametrize("dag_id", sorted(EXPECTED))
def test_each_task_runs_its_jar_and_skips_on_99(dagbag, dag_id):
    from airflow.providers.standard.operators.bash import BashOperator

    from nids_operators import StepBashOperator

    for task in dagbag.dags[dag_id].tasks:
        assert isinstance(task, StepBashOperator) and isinstance(task, BashOperator)
        assert task.skip_on_exit_code == [99] or task.skip_on_exit_code == 99
        assert task.append_env is True
        step = EXPECTED[dag_id]["jars"][task.task_id]
        assert task.env["NIDS_JAR"].endswith(f"tasks/{step}/target/{step}.jar")
        assert task.env["NIDS_CLASS_ARCHIVE"] == task.env["NIDS_JAR"].removesuffix(".jar") + ".jsa"
        assert task.bash_command.startswith(
            'exec java $NIDS_JAVA_OPTS -XX:SharedArchiveFile="$NIDS_CLASS_ARCHIVE" -jar "$NIDS_JAR"')
        # The steps that run for seconds take the client compiler alone, on one thread; train and infer keep both.
        client_only = "-XX:TieredStopAtLevel=1" in task.env["NIDS_JAVA_OPTS"]
        assert client_only == (step not in ("train", "infer")), (task.task_id, task.env["NIDS_JAVA_OPTS"])
        assert client_only == ("-XX:CICompilerCount=1" in task.env["NIDS_JAVA_OPTS"]), task.task_id



def test_the_class_archives_are_dumped_with_the_default_jvm_options():
    """class-archives.sh dumps each ETL step's archive with the DAGs' default options, which it repeats in shell."""
    import nids_common

    if os.environ.get("NIDS_JAVA_OPTS"):
        pytest.skip("NIDS_JAVA_OPTS is set: the DAGs do not use their default")
    script = (REPO_ROOT / "infrastructure" / "local" / "class-archives.sh").read_text()
    assert re.search(r"\$\{NIDS_JAVA_OPTS:-([^}]*)\}", script).group(1) == nids_common.JAVA_OPTS

def manifest_template(task_id: str) -> str:
    """The manifest path `task_id` pushed, from its instance of the same partition group (map index)."""
    return "{{ ti.xcom_pull(task_ids='" + task_id + "', map_indexes=ti.map_index) }}"


@pytest.mark.parametrize("dag_id", sorted(EXPECTED))
def test_no_template_is_ever_pasted_into_a_shell_command(dagbag, dag_id):
    for task in dagbag.dags[dag_id].tasks:
        command = task.bash_command
        assert "{{" not in command and "{%" not in command and "xcom" not in command.lower()
        manifest_from = EXPECTED[dag_id]["manifest_from"].get(task.task_id)
        if manifest_from:
            assert task.env["NIDS_MANIFEST"] == manifest_template(manifest_from)
            assert '--manifest "$NIDS_MANIFEST"' in command
        else:
            assert "NIDS_MANIFEST" not in task.env


def test_params_reach_the_command_through_env(dagbag):
    train = dagbag.dags["nids_training"].get_task("train")
    assert train.env["NIDS_MIN_PR_AUC"] == "{{ params.min_pr_auc }}"
    assert '--min-pr-auc "$NIDS_MIN_PR_AUC"' in train.bash_command
    assert '--target-fpr "$NIDS_TARGET_FPR"' in train.bash_command
    assert '--synthetic-networks "$NIDS_SYNTHETIC_NETWORKS"' in train.bash_command
    assert '${NIDS_BASELINE:+--baseline "$NIDS_BASELINE"}' in train.bash_command
    consume = dagbag.dags["nids_etl"].get_task("partition_group.consume_batch")
    assert consume.env["NIDS_MAX_RECORDS"] == "{{ params.max_records }}"


def test_lifecycle_passes_a_retention_only_when_the_trigger_form_sets_one(dagbag):
    archive = dagbag.dags["nids_lifecycle"].get_task("archive")
    assert archive.env["NIDS_RUN_RETENTION"] == "{{ params.retention or '' }}"
    assert '${NIDS_RUN_RETENTION:+--retention "$NIDS_RUN_RETENTION"}' in archive.bash_command
    assert '${NIDS_RUN_COLD_RETENTION:+--cold-retention "$NIDS_RUN_COLD_RETENTION"}' in archive.bash_command
    # The step's own settings must not be overridden with an empty value.
    assert "NIDS_HOT_RETENTION" not in archive.env and "NIDS_COLD_RETENTION" not in archive.env


def test_monitoring_fails_on_critical_alerts_only_when_the_param_says_so(dagbag):
    monitor = dagbag.dags["nids_monitoring"].get_task("monitor")
    assert monitor.env["NIDS_RUN_FAIL_ON_ALERT"] == "{{ 'yes' if params.fail_on_alert else '' }}"
    assert "${NIDS_RUN_FAIL_ON_ALERT:+--fail-on-alert}" in monitor.bash_command
    assert '--max-lag "$NIDS_RUN_MAX_LAG"' in monitor.bash_command


def test_evaluation_passes_its_inputs_one_per_line_and_only_the_options_the_form_sets(dagbag):
    evaluate = dagbag.dags["nids_evaluation"].get_task("evaluate")
    assert evaluate.env["NIDS_RUN_INPUTS"] == "{{ params.inputs | join('\\n') }}"
    assert '${NIDS_RUN_INPUTS:+--input "$NIDS_RUN_INPUTS"}' in evaluate.bash_command
    assert '${NIDS_RUN_FROM:+--from "$NIDS_RUN_FROM"}' in evaluate.bash_command
    assert '${NIDS_MODEL_VERSION:+--model-version "$NIDS_MODEL_VERSION"}' in evaluate.bash_command
    # Rendered as Airflow renders it: one path per line, which the step's --input splits.
    import jinja2

    rendered = jinja2.Template(evaluate.env["NIDS_RUN_INPUTS"]).render(params={"inputs": ["/a b.csv", "/c.log"]})
    assert rendered == "/a b.csv\n/c.log"


def test_a_step_refuses_a_template_in_its_arguments():
    from nids_common import step_command

    with pytest.raises(ValueError):
        step_command("--manifest {{ ti.xcom_pull(task_ids='consume_batch') }}")


def test_docker_runner_runs_the_same_commands_in_the_tasks_image(dagbag, docker_dagbag):
    from airflow.providers.docker.operators.docker import DockerOperator

    from nids_operators import StepDockerOperator

    assert docker_dagbag.import_errors == {}
    for dag_id, expected in EXPECTED.items():
        assert docker_dagbag.dags[dag_id].dagrun_timeout == expected["dagrun_timeout"]
        for task in docker_dagbag.dags[dag_id].tasks:
            bash_task = dagbag.dags[dag_id].get_task(task.task_id)
            assert isinstance(task, StepDockerOperator) and isinstance(task, DockerOperator)
            assert task.execution_timeout == bash_task.execution_timeout
            assert getattr(task, "epochs_param", None) == getattr(bash_task, "epochs_param", None)
            assert task.image == "gnn-nids-tasks:test"
            assert task.command == ["/bin/sh", "-c", bash_task.bash_command]
            assert task.skip_on_exit_code == [99] or task.skip_on_exit_code == 99
            assert task.pool == bash_task.pool
            assert task.queue == bash_task.queue
            step = expected["jars"][task.task_id]
            assert task.environment["NIDS_JAR"] == f"/opt/gnn-nids/jars/{step}.jar"
            # Configuration is copied into the container; the manifest still comes from XCom through env.
            assert task.environment["NIDS_DUCKDB_PATH"] == "/data/hot.duckdb"
            manifest_from = expected["manifest_from"].get(task.task_id)
            if manifest_from:
                assert task.environment["NIDS_MANIFEST"] == manifest_template(manifest_from)


# A value for each credential the steps read, none of which may reach the serialized DAGs.
CREDENTIAL_VALUES = {"AWS_ACCESS_KEY_ID": "app-key-id-7f3a", "AWS_SECRET_ACCESS_KEY": "aws-secret-9c1e",
                     "MLFLOW_TRACKING_USERNAME": "mlflow-user-2b8d", "MLFLOW_TRACKING_PASSWORD": "mlflow-secret-5e0f",
                     "MLFLOW_TRACKING_TOKEN": "mlflow-token-4a6c", "NIDS_WEBHOOK_URL": "https://hooks.test/T0/B0/x1y2"}


@pytest.mark.parametrize("runner", ["bash", "docker"])
def test_credentials_never_reach_the_serialized_dags(reparse, runner):
    """The DAG processor stores each DAG as DagSerialization.to_dict makes it (what the API server and the UI read);
    a credential in a task's fields would be stored there in clear. The docker runner hands them to the container
    as DockerOperator's private environment, which is neither serialized nor rendered: the worker that runs the task
    parses the DAG file again and reads them from its own environment."""
    import json

    from airflow.serialization.serialized_objects import DagSerialization

    reparse(NIDS_RUNNER=runner, NIDS_DUCKDB_PATH="/data/hot-store-path.duckdb", **CREDENTIAL_VALUES)
    bag = load_dagbag()
    assert not bag.import_errors, bag.import_errors
    for dag in bag.dags.values():
        serialized = json.dumps(DagSerialization.to_dict(dag))
        leaked = [name for name, value in CREDENTIAL_VALUES.items() if value in serialized]
        assert not leaked, f"{dag.dag_id} serializes {leaked}"
        if runner == "docker":
            # The other settings are serialized with the container's environment; the credentials go beside it.
            assert "/data/hot-store-path.duckdb" in serialized
            for task in dag.tasks:
                assert task._private_environment == CREDENTIAL_VALUES, task.task_id
                assert not set(CREDENTIAL_VALUES) & set(task.environment), task.task_id
                assert "private_environment" not in task.template_fields


def test_the_docker_runner_mounts_the_kafka_properties_file(reparse):
    from docker.types import Mount

    reparse(NIDS_RUNNER="docker", NIDS_KAFKA_PROPERTIES="/run/secrets/kafka-client.properties",
            NIDS_DOCKER_KAFKA_PROPERTIES="/srv/gnn-nids/kafka-client.properties")
    task = load_dagbag().dags["nids_etl"].get_task("partition_group.consume_batch")
    assert Mount(target="/run/secrets/kafka-client.properties", source="/srv/gnn-nids/kafka-client.properties",
                 type="bind", read_only=True) in task.mounts
    assert task.environment["NIDS_KAFKA_PROPERTIES"] == "/run/secrets/kafka-client.properties"
    # Without the file on the Docker host, the worker's path would name no file in the step's container.
    reparse(NIDS_DOCKER_KAFKA_PROPERTIES="")
    task = load_dagbag().dags["nids_etl"].get_task("partition_group.consume_batch")
    assert "NIDS_KAFKA_PROPERTIES" not in task.environment
    assert all(mount["Type"] != "bind" for mount in task.mounts)


def test_task_retries_come_from_the_environment(reparse):
    reparse(NIDS_TASK_RETRIES="0")
    bag = load_dagbag()
    assert not bag.import_errors, bag.import_errors
    assert {task.retries for dag in bag.dags.values() for task in dag.tasks} == {0}


def test_a_bad_retry_count_is_a_clear_error(reparse):
    reparse(NIDS_TASK_RETRIES="three")
    with pytest.raises(ValueError, match="NIDS_TASK_RETRIES='three' is not a number of retries"):
        importlib.import_module("nids_common")


def test_scheduled_batch_size_and_lag_limit_come_from_the_environment(reparse):
    reparse(NIDS_ETL_MAX_RECORDS="120000", NIDS_INFER_BATCH_SIZE="130000", NIDS_MONITOR_MAX_LAG="180000")
    bag = load_dagbag()
    assert not bag.import_errors, bag.import_errors
    assert bag.dags["nids_etl"].params["max_records"] == 120000
    assert bag.dags["nids_inference"].params["batch_size"] == 130000
    assert bag.dags["nids_monitoring"].params["max_lag"] == 180000


@pytest.mark.parametrize("groups", [None, "3"])
def test_the_etl_runs_once_per_partition_group(reparse, groups):
    """The ETL's four tasks are one mapped task group over the partition groups: consume_batch gets its group, and
    each later task the manifest of the task before it in the same group (test_end_to_end.py runs two)."""
    if groups:
        reparse(NIDS_ETL_PARTITION_GROUPS=groups)
    bag = load_dagbag()
    assert not bag.import_errors, bag.import_errors
    dag = bag.dags["nids_etl"]
    group = dag.task_group_dict["partition_group"]
    count = int(groups or 1)
    assert group._expand_input.value == {"partitions": [f"{i}/{count}" for i in range(count)]}
    consume = dag.get_task("partition_group.consume_batch")
    assert '--partition-group "$NIDS_PARTITION_GROUP"' in consume.bash_command
    assert type(consume.env["NIDS_PARTITION_GROUP"]).__name__ == "MappedArgument"
    assert all(task.task_group is group for task in dag.tasks)


def test_a_bad_batch_size_is_a_clear_error(reparse):
    reparse(NIDS_ETL_MAX_RECORDS="0")
    with pytest.raises(ValueError, match="NIDS_ETL_MAX_RECORDS='0' is not a whole number of at least 1"):
        importlib.import_module("nids_common")


def test_timeouts_come_from_the_environment(reparse):
    reparse(NIDS_TASK_TIMEOUT="5m", NIDS_EVALUATE_TIMEOUT="90s", NIDS_TRAIN_TIMEOUT="1d", NIDS_TASK_RETRIES="0")
    bag = load_dagbag()
    assert not bag.import_errors, bag.import_errors
    timeouts = {task.task_id: task.execution_timeout for dag in bag.dags.values() for task in dag.tasks}
    assert timeouts.pop("evaluate") == timedelta(seconds=90)
    assert timeouts.pop("train") == timedelta(days=1)
    assert set(timeouts.values()) == {timedelta(minutes=5)}
    assert bag.dags["nids_etl"].dagrun_timeout == timedelta(minutes=20)
    assert bag.dags["nids_training"].dagrun_timeout == timedelta(days=5)
    assert "is not retried" in bag.dags["nids_training"].doc_md
    assert "`train` 24h at `max_epochs` 100, proportionally more above; the whole run 120h." \
        in bag.dags["nids_training"].doc_md


@pytest.mark.parametrize("value", ["30", "0m", "1w", "2.5h"])
def test_a_bad_timeout_is_a_clear_error(reparse, value):
    reparse(NIDS_TASK_TIMEOUT=value)
    with pytest.raises(ValueError, match=f"NIDS_TASK_TIMEOUT='{value}' is not a duration"):
        importlib.import_module("nids_common")
