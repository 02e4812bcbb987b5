"""
### nids_training: train, register and maybe promote a model version

`train` reads the labelled flows of the last `days` days (ending at `end_date`, default today, UTC) from the
cold store, adds `synthetic_networks` generated networks, trains the GNN, sets the decision threshold so that it
flags `target_fpr` of the validation benign flows, logs the run to MLflow (experiment `gnn-nids-binary-training`)
and registers the model. The quality gate refuses a model whose test PR-AUC is below `min_pr_auc`: the task, and
so the run, fails. `promote` decides whether the alias `champion` moves to the new version.

`baseline` (`FROM..TO`, days or ISO instants) trains on this network's own traffic without labels: the first
training on a new network. The period's flows count as benign, except those a model of generated networks flags
(left out and listed in the MLflow run), and attacks generated onto the network's own hosts are the positives.

Skipped (exit 99) while the cold store holds too little labelled data.
"""

from __future__ import annotations

from airflow.sdk import Param

from nids_common import TRAIN_MAX_EPOCHS, TRAIN_MAX_EPOCHS_LIMIT, nids_dag, step_task

with nids_dag(
    dag_id="nids_training", doc_md=__doc__, schedule="@daily", tag="model",
    params={
        "days": Param(21, type="integer", minimum=0, title="Days of labelled flows to train on (0: none)"),
        "end_date": Param(None, type=["null", "string"], format="date",
                          title="Last day to read (YYYY-MM-DD, default today UTC)"),
        "baseline": Param(None, type=["null", "string"],
                          pattern=r"^\S+\.\.\S+$",
                          title="Trusted period of this network's own traffic, FROM..TO (e.g. 2026-11-02..2026-11-08)"),
        "synthetic_networks": Param(0, type="integer", minimum=0, title="Generated networks to train on besides"),
        "target_fpr": Param(0.01, type="number", minimum=0, maximum=0.5,
                            title="Share of benign flows the threshold may flag"),
        "min_pr_auc": Param(0.95, type="number", minimum=0, maximum=1, title="Quality gate: least test PR-AUC"),
        "promote": Param("if-better", type="string", enum=["if-better", "always", "never"],
                         title="Move the alias champion to the new version"),
        "max_epochs": Param(TRAIN_MAX_EPOCHS, type="integer", minimum=1, maximum=TRAIN_MAX_EPOCHS_LIMIT,
                            title="Most training epochs"),
    },
) as dag:
    train = step_task(
        "train", "train",
        args='--days "$NIDS_DAYS" ${NIDS_END_DATE:+--end-date "$NIDS_END_DATE"} '
             '${NIDS_BASELINE:+--baseline "$NIDS_BASELINE"} '
             '--synthetic-networks "$NIDS_SYNTHETIC_NETWORKS" --target-fpr "$NIDS_TARGET_FPR" '
             '--min-pr-auc "$NIDS_MIN_PR_AUC" --promote "$NIDS_PROMOTE" --max-epochs "$NIDS_MAX_EPOCHS"',
        env={
            "NIDS_DAYS": "{{ params.days }}",
            "NIDS_END_DATE": "{{ params.end_date or '' }}",
            "NIDS_BASELINE": "{{ params.baseline or '' }}",
            "NIDS_SYNTHETIC_NETWORKS": "{{ params.synthetic_networks }}",
            "NIDS_TARGET_FPR": "{{ params.target_fpr }}",
            "NIDS_MIN_PR_AUC": "{{ params.min_pr_auc }}",
            "NIDS_PROMOTE": "{{ params.promote }}",
            "NIDS_MAX_EPOCHS": "{{ params.max_epochs }}",
        },
    )
