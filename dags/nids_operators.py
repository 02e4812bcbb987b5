"""The operators that run a step jar: BashOperator and DockerOperator, plus what the steps' exit codes and train's
epochs mean to Airflow.

- Exit 2 is bad usage or configuration, exit 3 a result refused (train's quality gate): the task fails at once,
  without its retries (AirflowFailException), as a retry would fail alike. Exit 1 stays an ordinary failure,
  retried; exit 99 a skip (`skip_on_exit_code`, set by nids_common).
- A task given `epochs_param` (train) gets an execution timeout that grows with the run's epochs: the timeout it
  was built with is the budget of `base_epochs` epochs, and a run asking for more gets proportionally more.
"""

from __future__ import annotations

import re
from datetime import timedelta

from airflow.providers.docker.exceptions import DockerContainerFailedException
from airflow.providers.docker.operators.docker import DockerOperator
from airflow.providers.standard.operators.bash import BashOperator
from airflow.sdk.exceptions import AirflowException, AirflowFailException, AirflowSkipException

# Exits a retry cannot heal: the task fails at once. 2: a wrong option or setting is still wrong two minutes later;
# 3: train's quality gate refused the model, and the same data trains the same model.
FINAL_EXIT_CODES = {2: "bad usage or configuration", 3: "its result was refused (train's quality gate)"}


class _StepOperator:
    """What both runners add to their operator. Set the attributes after construction (BaseOperator refuses
    unknown arguments)."""

    epochs_param: str | None = None
    base_epochs: int = 1
    _built_timeout: timedelta | None = None

    def scaled_timeout(self, epochs: int) -> timedelta:
        """The execution timeout of a run of `epochs` epochs: never below the one the task was built with."""
        return (self._built_timeout or self.execution_timeout) * max(1.0, epochs / self.base_epochs)

    def pre_execute(self, context):
        # The task runner applies execution_timeout after pre_execute, so the run's own epochs count.
        if self.epochs_param:
            if self._built_timeout is None:
                # Kept, so that a second try in the same process does not scale the scaled value again.
                self._built_timeout = self.execution_timeout
            self.execution_timeout = self.scaled_timeout(int(context["params"][self.epochs_param]))
            self.log.info("Execution timeout for %s=%s: %s", self.epochs_param,
                          context["params"][self.epochs_param], self.execution_timeout)
        super().pre_execute(context)

    @staticmethod
    def _fail_if_final(exit_code: int | None, error: Exception) -> None:
        reason = FINAL_EXIT_CODES.get(exit_code)
        if reason:
            raise AirflowFailException(
                f"The step exited with {exit_code}, {reason} (see its last log line): "
                "failed without retrying, as a retry would fail alike") from error


class StepBashOperator(_StepOperator, BashOperator):
    """BashOperator running one step on the worker."""

    def execute(self, context):
        try:
            return super().execute(context)
        except AirflowSkipException:
            raise
        except AirflowException as error:
            # BashOperator's error carries only a message; its hook keeps the finished process.
            process = self.subprocess_hook.sub_process
            self._fail_if_final(process.returncode if process else None, error)
            raise


# DockerOperator puts the container's wait() result, {'Error': ..., 'StatusCode': n}, into its error's message.
_STATUS_CODE = re.compile(r"'StatusCode': (\d+)")


class StepDockerOperator(_StepOperator, DockerOperator):
    """DockerOperator running one step in a container of the tasks image."""

    def execute(self, context):
        try:
            return super().execute(context)
        except DockerContainerFailedException as error:
            match = _STATUS_CODE.search(str(error))
            self._fail_if_final(int(match.group(1)) if match else None, error)
            raise
