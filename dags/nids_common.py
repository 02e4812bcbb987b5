"""What every gnn-nids DAG shares: default arguments, the step-task factory and where the jars are.

Each step is `java -jar <step>.jar`: the last line of its output is its manifest path (Airflow pushes it to
XCom), exit 99 means nothing to do (the task is skipped), exit 1 a failure (retried), exit 2 bad usage or
configuration and exit 3 a refused result (train's quality gate): the task fails at once, without retries (see
nids_operators).

Every task has an execution timeout, so that a hung JVM cannot hold the `duckdb` pool's one slot for ever, and
every DAG a run timeout: a backstop as long as its tasks in a row, each with every try running to its timeout.

HOT_STORE is the hot store as an Airflow asset: nids_etl's hot_write declares it as an outlet, so each time it
stores a batch Airflow records an asset event, and nids_inference is scheduled on it. A skipped task emits none.

Values that change per run (the previous task's manifest path, trigger-form params) reach the command only
through environment variables: the shell command of every task is a fixed string, so no value is ever parsed
by a shell.

The steps read their configuration (KAFKA_BOOTSTRAP_SERVERS, NIDS_DUCKDB_PATH, MLFLOW_TRACKING_URI, ...) from
the environment of the process that runs them: the Airflow worker's environment for the bash runner
(`append_env=True` keeps it), the same names copied into the container for the docker runner. The docker runner
passes the credentials (CREDENTIALS) as DockerOperator's private environment, which Airflow neither serializes with
the DAG nor renders: the worker reads them from its own environment when it parses the DAG file to run a task.

Environment read when the DAG files are parsed:
- NIDS_RUNNER: `bash` (default; java on the worker) or `docker` (DockerOperator on NIDS_TASKS_IMAGE).
- NIDS_JARS_DIR: folder holding <step>.jar and DuckDB's native library libduckdb_java.so_linux_amd64 (default:
  <repo>/tasks/<step>/target, the build output).
- NIDS_JAVA_OPTS: JVM options of every step but train and infer (default JAVA_OPTS below).
- NIDS_TRAIN_JAVA_OPTS: JVM options of train (default TRAIN_JAVA_OPTS below).
- NIDS_INFER_JAVA_OPTS: JVM options of infer (default INFER_JAVA_OPTS below).
- NIDS_TASK_RETRIES: retries of a failed task (default 3), 2 minutes apart.
- NIDS_TASK_TIMEOUT: the execution timeout of every step but train and evaluate (default 20m: they take seconds,
  a few minutes with DuckDB's 2-minute lock wait or a busy day to archive).
- NIDS_EVALUATE_TIMEOUT: evaluate's (default 2h: a cold store range may hold hundreds of millions of flows).
- NIDS_TRAIN_TIMEOUT: train's for `max_epochs` 100, the param's default (default 4h); a run asking for more
  epochs (at most 500) gets proportionally more. The timeouts are durations: 90s, 30m, 4h, 1d.
- NIDS_ETL_PARTITION_GROUPS: how many partition groups nids_etl reads side by side (default 1, the whole topic in one
  batch); at most the topic's partitions.
- NIDS_ETL_MAX_RECORDS, NIDS_INFER_BATCH_SIZE, NIDS_MONITOR_MAX_LAG: the defaults of nids_etl's `max_records`
  (500000), nids_inference's `batch_size` (500000) and nids_monitoring's `max_lag` (100000), which scheduled runs use:
  a batch must hold the records of an ETL interval, inference must score what one ETL run stores, and the lag may
  reach them before a run (`make airflow` sizes all three for the rate of its traffic source).
- NIDS_TASKS_IMAGE, NIDS_DOCKER_URL, NIDS_DOCKER_NETWORK, NIDS_DOCKER_DATA_VOLUME, NIDS_DOCKER_DATA_PATH:
  the docker runner's image, daemon, network and the volume that holds the work dir, stores and manifests.
- NIDS_DOCKER_KAFKA_PROPERTIES: the docker runner's Kafka client properties file on the Docker host, mounted
  read-only into each step's container at KAFKA_PROPERTIES_PATH (NIDS_KAFKA_PROPERTIES there).
- NIDS_DUCKDB_QUEUE: the queue of every task that opens the DuckDB file (those in the `duckdb` pool, and infer),
  served by the one worker that holds the file (the compose stack sets `duckdb`, served by airflow-worker-duckdb of
  its profile `celery`); every other task stays on Airflow's default queue. Unset or empty: Airflow's default queue
  for them too (`default`). LocalExecutor ignores queues; CeleryExecutor sends each task to a worker that serves its
  queue.
"""

from __future__ import annotations

import os
import re
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

from airflow.sdk import Asset, BaseOperator

REPO_ROOT = Path(__file__).resolve().parent.parent

SKIPPED_EXIT_CODE = 99
# nids_training's default max_epochs, which NIDS_TRAIN_TIMEOUT is the budget of.
TRAIN_MAX_EPOCHS = 100
# The most a trigger form may ask for, so that the training run's timeout has a bound.
TRAIN_MAX_EPOCHS_LIMIT = 500
# A duration as the steps read it (500ms, 60s, 5m, 24h, 90d), for trigger-form params.
DURATION_PATTERN = r"^[0-9]+(ms|s|m|h|d)?$"
DUCKDB_POOL = "duckdb"
OWNER = "gnn-nids"

# The flows of the hot store, updated by nids_etl's hot_write, scored by nids_inference. A fixed URI rather than one
# made of NIDS_DUCKDB_PATH: the asset is what the DAGs agree on, wherever a deployment keeps the file (the path differs
# between the runners and is read when a task runs, not when the DAGs are parsed). Airflow keeps a URI whose scheme
# has no handler as written; only `airflow` is reserved.
HOT_STORE = Asset(name="nids_hot_store", uri="gnn-nids://hot-store/flows", group="gnn-nids")

# The steps read these names (see the README's Configuration table); the docker runner copies them into the
# container, the bash runner inherits them.
SETTINGS = (
    "KAFKA_BOOTSTRAP_SERVERS",
    "NIDS_KAFKA_PROPERTIES",
    "NIDS_TOPIC",
    "NIDS_GROUP_ID",
    "NIDS_WORK_DIR",
    "NIDS_DUCKDB_PATH",
    "NIDS_COLD_URI",
    "NIDS_ARCHIVE_URI",
    "NIDS_HOT_RETENTION",
    "NIDS_COLD_RETENTION",
    "NIDS_REPORT_DIR",
    "NIDS_ALERTS_TOPIC",
    "NIDS_MODEL_NAME",
    "MLFLOW_TRACKING_URI",
    "DJL_CACHE_DIR",
    "AWS_ENDPOINT_URL",
    "AWS_REGION",
)
# The settings that sign in somewhere (a webhook URL holds its token): the docker runner keeps them out of the
# serialized DAG, the rendered fields and the UI.
CREDENTIALS = (
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "MLFLOW_TRACKING_USERNAME",
    "MLFLOW_TRACKING_PASSWORD",
    "MLFLOW_TRACKING_TOKEN",
    "NIDS_WEBHOOK_URL",
)

# The steps but train and infer run for seconds: the client compiler alone (TieredStopAtLevel=1) starts them faster
# than tiered compilation, whose optimising compiler would take a core for most of the run (measured on 2 cores:
# consume-batch of 100k flows 6.5 s -> 3.3 s, one 5000-flow ETL batch as four runs about twice as fast), and the
# serial collector needs no GC threads. One compiler thread (CICompilerCount=1), not the two the JVM starts on 2 cores:
# a starting step's two threads of its own need both cores (the four ETL steps on a one-flow batch 8 % faster, the
# same on 500,000-flow batches). Training runs for minutes and keeps both compilers; so does inference, whose
# explanations are Java loops the optimising compiler pays for on a large batch (1.2 million flows, a fifth of them
# flagged: 36 s against 44 s) and which costs it little on a small one (docs/benchmarks.md). Inference holds its whole
# batch on the heap, so it starts with the heap it will need (-Xms): growing it took full collections, and 1.5 of 4.3 s
# of collection in such a run.
# Unset or empty means the default.
_BOTH_COMPILERS = "-Xmx2g -XX:+UseSerialGC"
JAVA_OPTS = os.environ.get("NIDS_JAVA_OPTS") or _BOTH_COMPILERS + " -XX:TieredStopAtLevel=1 -XX:CICompilerCount=1"
TRAIN_JAVA_OPTS = os.environ.get("NIDS_TRAIN_JAVA_OPTS") or _BOTH_COMPILERS
INFER_JAVA_OPTS = os.environ.get("NIDS_INFER_JAVA_OPTS") or "-Xms2g " + _BOTH_COMPILERS
_STEP_JAVA_OPTS = {"train": TRAIN_JAVA_OPTS, "infer": INFER_JAVA_OPTS}

RUNNER = os.environ.get("NIDS_RUNNER", "bash")
if RUNNER not in ("bash", "docker"):
    raise ValueError(f"NIDS_RUNNER={RUNNER!r} is not a runner: set it to 'bash' or 'docker'")

TASKS_IMAGE = os.environ.get("NIDS_TASKS_IMAGE", "gnn-nids-tasks:latest")
# Where the jars live inside the tasks image.
IMAGE_JARS_DIR = "/opt/gnn-nids/jars"
# Where the docker runner mounts the Kafka client properties file in a step's container.
KAFKA_PROPERTIES_PATH = "/run/secrets/kafka-client.properties"


def _task_retries() -> int:
    """Retries of a failed task (Kafka, S3 or MLflow briefly away, the DuckDB lock held too long): NIDS_TASK_RETRIES,
    default 3. The local demo sets 0, so that a failure shows at once instead of after three 2-minute waits."""
    value = os.environ.get("NIDS_TASK_RETRIES") or "3"
    if not value.isdigit():
        raise ValueError(f"NIDS_TASK_RETRIES={value!r} is not a number of retries: set it to 0 or more, or unset it")
    return int(value)


def _int_setting(name: str, default: int, minimum: int) -> int:
    """A whole number from the environment variable `name` (unset or empty: `default`), at least `minimum`."""
    value = os.environ.get(name) or str(default)
    if not value.isdigit() or int(value) < minimum:
        raise ValueError(f"{name}={value!r} is not a whole number of at least {minimum}: set one, or unset it")
    return int(value)


_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}


def _queue_setting(name: str) -> str | None:
    """A queue name from the environment variable `name`, None when unset or empty. A Celery worker takes its
    queues as one comma-separated argument, so a name is letters, digits, '.', '_' and '-' only."""
    value = os.environ.get(name)
    if value and not re.fullmatch(r"[A-Za-z0-9._-]+", value):
        raise ValueError(f"{name}={value!r} is not a queue name (letters, digits, '.', '_', '-'): set one, or unset it")
    return value or None


def _duration_setting(name: str, default: str) -> timedelta:
    """A duration from the environment variable `name` (unset or empty: `default`): a whole number and a unit."""
    value = os.environ.get(name) or default
    match = re.fullmatch(r"([0-9]+)([smhd])", value)
    if not match or int(match.group(1)) == 0:
        raise ValueError(f"{name}={value!r} is not a duration such as 90s, 30m, 4h or 1d: set one, or unset it")
    return timedelta(**{_UNITS[match.group(2)]: int(match.group(1))})


# Scheduled runs take the params' defaults.
# A batch of 500,000 spreads the four JVM starts (about 2 s) over enough flows for the ETL to run at its in-process
# speed (bench.etl.deployed_flows_per_s); every minute, that is up to 8,000 flows/s. Kafka holding less, a run takes
# what there is. Inference scores what one ETL run stored.
ETL_MAX_RECORDS = _int_setting("NIDS_ETL_MAX_RECORDS", 500_000, 1)
# The ETL's partition groups (nids_etl): more than one where the topic has the partitions and the workers the cores.
ETL_PARTITION_GROUPS = _int_setting("NIDS_ETL_PARTITION_GROUPS", 1, 1)
INFER_BATCH_SIZE = _int_setting("NIDS_INFER_BATCH_SIZE", 500_000, 1)
MONITOR_MAX_LAG = _int_setting("NIDS_MONITOR_MAX_LAG", 100000, 0)

# None: the operators' own default, Airflow's `[operators] default_queue`.
DUCKDB_QUEUE = _queue_setting("NIDS_DUCKDB_QUEUE")

TASK_TIMEOUT = _duration_setting("NIDS_TASK_TIMEOUT", "20m")
EVALUATE_TIMEOUT = _duration_setting("NIDS_EVALUATE_TIMEOUT", "2h")
TRAIN_TIMEOUT = _duration_setting("NIDS_TRAIN_TIMEOUT", "4h")

default_args = {
    "owner": OWNER,
    "retries": _task_retries(),
    "retry_delay": timedelta(minutes=2),
    "execution_timeout": TASK_TIMEOUT,
}


def step_timeout(step: str) -> timedelta:
    """The execution timeout of a step's task (train's for the default max_epochs)."""
    return {"train": TRAIN_TIMEOUT, "evaluate": EVALUATE_TIMEOUT}.get(step, TASK_TIMEOUT)


def longest_try(task) -> timedelta:
    """The longest one try of `task` may run: its timeout, or for train its timeout at the most epochs."""
    if getattr(task, "epochs_param", None):
        return task.scaled_timeout(TRAIN_MAX_EPOCHS_LIMIT)
    return task.execution_timeout


def run_timeout(tasks) -> timedelta:
    """A DAG run's timeout: its tasks one after the other, each with every try running to its timeout and the
    retry delays between. A backstop for a run that stops moving, never shorter than one that is only retrying."""
    return sum(((task.retries + 1) * longest_try(task) + task.retries * task.retry_delay for task in tasks),
               timedelta())


@contextmanager
def nids_dag(*, dag_id: str, doc_md: str | None, schedule, tag: str, params: dict):
    """A gnn-nids DAG: what every one shares (start date, no catch-up, one active run at a time, default_args,
    the `gnn-nids` tag) around its own id, documentation, schedule, second tag and trigger-form params.

    Used as `with nids_dag(...) as dag:`; once the block has added the tasks, the run timeout is set from them and
    the documentation gains a paragraph stating the retries and timeouts.
    """
    from airflow.sdk import DAG

    with DAG(
        dag_id=dag_id,
        doc_md=doc_md,
        schedule=schedule,
        start_date=datetime(2025, 1, 1, tzinfo=UTC),
        catchup=False,
        max_active_runs=1,
        default_args=default_args,
        tags=[OWNER, tag],
        params=params,
    ) as dag:
        yield dag
    dag.dagrun_timeout = run_timeout(dag.tasks)
    if doc_md:
        dag.doc_md = doc_md.rstrip() + "\n\n" + _retries_and_timeouts(dag)


def _duration_text(duration: timedelta) -> str:
    """A duration as people write it: 20m, 8h 6m, 90s -> 1m 30s."""
    minutes, seconds = divmod(int(duration.total_seconds()), 60)
    hours, minutes = divmod(minutes, 60)
    return " ".join(f"{n}{unit}" for n, unit in ((hours, "h"), (minutes, "m"), (seconds, "s")) if n) or "0s"


def _retries_and_timeouts(dag) -> str:
    """The DAG's retries and timeouts as its documentation states them, from the values it runs with."""
    tasks = dag.tasks
    retries = {task.retries for task in tasks}
    delays = {task.retry_delay for task in tasks}
    timeouts = []
    for task in tasks:
        text = f"`{task.task_id}` {_duration_text(task.execution_timeout)}"
        if getattr(task, "epochs_param", None):
            text += f" at `{task.epochs_param}` {task.base_epochs}, proportionally more above"
        timeouts.append(text)
    if retries == {0}:
        retried = "not retried"
    elif len(retries) == 1 and len(delays) == 1:
        retried = f"retried up to {retries.pop()} times, {_duration_text(delays.pop())} apart"
    else:
        retried = "retried as often as each task says"
    return (f"A task that fails (exit 1, or killed at its timeout) is {retried}; exit 2, bad usage or "
            f"configuration, or 3, refused by train's quality gate, fails it at once. "
            f"Timeouts: {', '.join(timeouts)}; the whole run {_duration_text(dag.dagrun_timeout)}.")


def jar_path(step: str) -> str:
    """The jar of a step on the machine that runs it."""
    if RUNNER == "docker":
        return f"{IMAGE_JARS_DIR}/{step}.jar"
    jars_dir = os.environ.get("NIDS_JARS_DIR")
    if jars_dir:
        return str(Path(jars_dir) / f"{step}.jar")
    return str(REPO_ROOT / "tasks" / step / "target" / f"{step}.jar")


def xcom_manifest(task: BaseOperator) -> str:
    """A template that renders to the manifest path `task` pushed: in a mapped task group (nids_etl's partition
    groups), its instance of the same group, as the map index says (-1, the only one, when nothing is mapped)."""
    return "{{ ti.xcom_pull(task_ids='" + task.task_id + "', map_indexes=ti.map_index) }}"


def step_command(args: str = "") -> str:
    """The fixed shell command of a step: the jar and JVM options come from $NIDS_JAR and $NIDS_JAVA_OPTS.

    $NIDS_CLASS_ARCHIVE is the class-data archive the build writes beside the jar of each ETL step
    (infrastructure/local/class-archives.sh): it halves the JVM's start. A missing or stale one (another build of the
    jar, another JDK) is ignored by the JVM without a word, so every step gets the option.

    `args` is literal shell text referring to environment variables only (e.g. `--manifest "$NIDS_MANIFEST"`);
    it must never hold a template.
    """
    if "{{" in args or "{%" in args:
        raise ValueError("step arguments must reach the command through env, not templates: " + args)
    return ('exec java $NIDS_JAVA_OPTS -XX:SharedArchiveFile="$NIDS_CLASS_ARCHIVE" -jar "$NIDS_JAR" ' + args).strip()


def step_task(task_id: str, step: str, args: str = "", manifest_from: BaseOperator | None = None,
              env: dict[str, str] | None = None, pool: str | None = None, on_duckdb_host: bool = False,
              outlets: list | None = None):
    """An operator that runs one step jar.

    task_id:       the task's id.
    step:          the jar's name (tasks/<step>/target/<step>.jar).
    args:          the command-line arguments, shell text that refers to environment variables only.
    manifest_from: the task (made by step_task) whose manifest path becomes $NIDS_MANIFEST (through XCom).
    env:           more environment variables; values may be templates (params, XCom).
    pool:          the Airflow pool, `duckdb` for the tasks that hold the DuckDB file for their whole run; those tasks
                   also go to the queue NIDS_DUCKDB_QUEUE, so that they run where the file is.
    on_duckdb_host: the task opens the DuckDB file only now and then and waits for it (the steps' --lock-wait) rather
                   than take the pool's turn (infer): the queue NIDS_DUCKDB_QUEUE alone.
    outlets:       the assets the step updates when it succeeds (HOT_STORE for hot-write).

    Its execution timeout is step_timeout(step); train's grows with the run's max_epochs (nids_operators).
    """
    jar = jar_path(step)
    task_env = {"NIDS_JAR": jar, "NIDS_CLASS_ARCHIVE": jar.removesuffix(".jar") + ".jsa",
                "NIDS_JAVA_OPTS": _STEP_JAVA_OPTS.get(step, JAVA_OPTS)}
    if manifest_from:
        task_env["NIDS_MANIFEST"] = xcom_manifest(manifest_from)
    task_env.update(env or {})
    command = step_command(args)
    extra = {"pool": pool} if pool else {}
    if (pool == DUCKDB_POOL or on_duckdb_host) and DUCKDB_QUEUE:
        extra["queue"] = DUCKDB_QUEUE
    if outlets:
        extra["outlets"] = outlets
    extra["execution_timeout"] = step_timeout(step)
    if RUNNER == "docker":
        task = _docker_task(task_id, command, task_env, extra)
    else:
        from nids_operators import StepBashOperator

        task = StepBashOperator(
            task_id=task_id,
            bash_command=command,
            env=task_env,
            append_env=True,
            skip_on_exit_code=SKIPPED_EXIT_CODE,
            **extra,
        )
    if step == "train":
        task.epochs_param = "max_epochs"
        task.base_epochs = TRAIN_MAX_EPOCHS
    return task


def _docker_task(task_id: str, command: str, task_env: dict[str, str], extra: dict):
    from docker.types import Mount

    from nids_operators import StepDockerOperator

    environment = {name: os.environ[name] for name in SETTINGS if os.environ.get(name)}
    environment.update(task_env)
    mounts = []
    volume = os.environ.get("NIDS_DOCKER_DATA_VOLUME")
    if volume:
        # The work dir, stores and manifests live on a volume the containers share, at the same path in each.
        mounts.append(Mount(target=os.environ.get("NIDS_DOCKER_DATA_PATH", "/data"), source=volume, type="volume"))
    kafka_properties = os.environ.get("NIDS_DOCKER_KAFKA_PROPERTIES")
    if kafka_properties:
        mounts.append(Mount(target=KAFKA_PROPERTIES_PATH, source=kafka_properties, type="bind", read_only=True))
        environment["NIDS_KAFKA_PROPERTIES"] = KAFKA_PROPERTIES_PATH
    else:
        # A path of the worker's is no file in the step's container.
        environment.pop("NIDS_KAFKA_PROPERTIES", None)
    return StepDockerOperator(
        task_id=task_id,
        image=TASKS_IMAGE,
        # A shell expands the environment variables in the fixed command, as the bash runner does.
        command=["/bin/sh", "-c", command],
        environment=environment,
        private_environment={name: os.environ[name] for name in CREDENTIALS if os.environ.get(name)},
        docker_url=os.environ.get("NIDS_DOCKER_URL", "unix://var/run/docker.sock"),
        network_mode=os.environ.get("NIDS_DOCKER_NETWORK"),
        mounts=mounts,
        # The tasks' files are on the shared volume; a host temp folder would not exist for a daemon elsewhere.
        mount_tmp_dir=False,
        auto_remove="success",
        skip_on_exit_code=SKIPPED_EXIT_CODE,
        **extra,
    )
