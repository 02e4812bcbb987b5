"""
### nids_etl: Kafka to the hot and cold stores, one batch per partition group per run, every minute

`consume_batch` reads the next batch of Zeek flows from the group's committed offsets and stages it (it never
commits); `hot_write` inserts it into DuckDB, `cold_write` writes it as daily Parquet partitions, and only then
`commit_offsets` commits the batch's end offsets. A crash anywhere re-reads the same records and the idempotent
writes absorb them (at least once from Kafka, exactly once in storage).

The four run once per partition group (NIDS_ETL_PARTITION_GROUPS, default 1: the whole topic), mapped over the
groups: group i of n reads the topic's partitions whose number modulo n is i, so the groups read, stage, write the
cold store and commit side by side, each its own batch; only `hot_write`, which holds the DuckDB file, takes its
turn in the `duckdb` pool. A group with nothing new skips its own tasks only.

When Kafka holds nothing new, `consume_batch` exits 99 and the group's tasks show as skipped.
One run at a time: a second run would read the same uncommitted offsets.

`hot_write` updates the asset `nids_hot_store` when it succeeds, which starts a `nids_inference` run (when that DAG
is switched on); a skipped run updates nothing.
"""

from __future__ import annotations

from datetime import timedelta

from airflow.sdk import Param, task_group

from nids_common import DUCKDB_POOL, ETL_MAX_RECORDS, ETL_PARTITION_GROUPS, HOT_STORE, nids_dag, step_task

with nids_dag(
    dag_id="nids_etl", doc_md=__doc__, schedule=timedelta(minutes=1), tag="etl",
    params={
        "max_records": Param(ETL_MAX_RECORDS, type="integer", minimum=1,
                             title="Most Kafka records in one batch (per partition group)"),
    },
) as dag:

    @task_group(group_id="partition_group")
    def partition_group(partitions: str):
        """One partition group's batch, from Kafka to both stores and back to Kafka's committed offsets."""
        consume_batch = step_task(
            "consume_batch", "consume-batch",
            args='--max-records "$NIDS_MAX_RECORDS" --partition-group "$NIDS_PARTITION_GROUP"',
            env={"NIDS_MAX_RECORDS": "{{ params.max_records }}", "NIDS_PARTITION_GROUP": partitions},
        )
        hot_write = step_task("hot_write", "hot-write", args='--manifest "$NIDS_MANIFEST"',
                              manifest_from=consume_batch, pool=DUCKDB_POOL, outlets=[HOT_STORE])
        cold_write = step_task("cold_write", "cold-write", args='--manifest "$NIDS_MANIFEST"', manifest_from=hot_write)
        commit_offsets = step_task("commit_offsets", "commit-offsets", args='--manifest "$NIDS_MANIFEST"',
                                   manifest_from=cold_write)
        consume_batch >> hot_write >> cold_write >> commit_offsets

    partition_group.expand(partitions=[f"{i}/{ETL_PARTITION_GROUPS}" for i in range(ETL_PARTITION_GROUPS)])
