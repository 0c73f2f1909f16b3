"""CodePipeline GetPipelineState and deterministic executions for moto 5.2.5.

moto stores pipelines and records executions (StartPipelineExecution,
GetPipelineExecution, ListPipelineExecutions) but has no GetPipelineState, and an
execution is ``Succeeded`` the instant it starts. This module adds, on moto's own
``CodePipelineBackend`` and ``CodePipelineResponse``:

* ``GetPipelineState``, derived from the stored pipeline (stages and actions in their
  declared order) and its executions, with ``PipelineNotFoundException`` for an
  unknown pipeline;
* an optional run time for executions: with ``LABCHECK_MOTO_EXECUTION_SECONDS=N``
  (default 0) a started execution is ``InProgress`` for N seconds, walking through the
  stages in order, then ``Succeeded``; starting another execution meanwhile supersedes
  the running one (``Superseded``), as the default SUPERSEDED mode does on AWS;
* ``ListPipelineExecutions`` newest first, paginated with ``maxResults``/``nextToken``
  and with ``startTime``/``lastUpdateTime`` as epoch seconds, the wire form AWS uses;
* ``CreatePipeline``'s role check made faithful: moto requires the role to exist and
  trust ``codepipeline.amazonaws.com`` (as AWS does), but only understood a trust
  policy whose ``Principal.Service`` is that single string; a list of services, or a
  single statement not wrapped in a list, is valid IAM and is accepted here too.

Call ``install()`` once, before moto's server starts.
"""

from __future__ import annotations

import datetime
import json
import os
from typing import Any

from moto.codepipeline.exceptions import (
    InvalidStructureException,
    PipelineNotFoundException,
)
from moto.codepipeline.models import (
    CodePipeline,
    CodePipelineBackend,
    PipelineExecution,
    codepipeline_backends,
)
from moto.codepipeline.responses import CodePipelineResponse
from moto.core.exceptions import JsonRESTError
from moto.core.utils import unix_time, utcnow
from moto.iam.exceptions import NotFoundException as IAMNotFoundException
from moto.moto_api._internal import mock_random

from moto_ext import wrap_once

EXECUTION_SECONDS_ENV = "LABCHECK_MOTO_EXECUTION_SECONDS"
DEFAULT_MAX_RESULTS = 100


class InvalidNextTokenException(JsonRESTError):
    code = 400

    def __init__(self) -> None:
        super().__init__(
            "InvalidNextTokenException",
            "The next token was specified in an invalid format.",
        )


class ValidationException(JsonRESTError):
    code = 400

    def __init__(self, message: str) -> None:
        super().__init__("ValidationException", message)


def execution_seconds() -> float:
    """How long a started execution runs; read at each start so tests can change it."""
    raw = os.environ.get(EXECUTION_SECONDS_ENV, "0").strip() or "0"
    try:
        return max(0.0, float(raw))
    except ValueError:
        return 0.0


# --------------------------------------------------------------------------------------
# Execution timing
# --------------------------------------------------------------------------------------
#
# moto's PipelineExecution sets status="Succeeded" in its constructor. We record, on
# the same object, when it is due to finish (``_labcheck_finish``) and, if it was
# superseded, when (``_labcheck_ended``). ``_refresh`` turns the clock into a status.


def _start(execution: PipelineExecution, duration: float) -> None:
    execution._labcheck_duration = duration  # type: ignore[attr-defined]
    execution._labcheck_ended = None  # type: ignore[attr-defined]
    execution._labcheck_action_ids = {}  # type: ignore[attr-defined]
    if duration > 0:
        execution.status = "InProgress"
        execution.last_update_time = execution.start_time


def _duration(execution: PipelineExecution) -> float:
    return getattr(execution, "_labcheck_duration", 0.0)


def _refresh(execution: PipelineExecution, now: datetime.datetime | None = None) -> None:
    if execution.status != "InProgress":
        return
    finish = execution.start_time + datetime.timedelta(seconds=_duration(execution))
    if (now or utcnow()) >= finish:
        execution.status = "Succeeded"
        execution.last_update_time = finish


def _refresh_all(pipeline: CodePipeline) -> None:
    now = utcnow()
    for execution in pipeline.executions.values():
        _refresh(execution, now)


def _stage_progress(execution: PipelineExecution, stage_count: int) -> tuple[int, bool]:
    """(index of the stage the execution is in or stopped before, finished?).

    A finished (Succeeded) execution has passed every stage. A running one spends an
    equal share of its run time in each stage. A superseded one stopped where it was.
    """
    if execution.status == "Succeeded" or stage_count == 0:
        return stage_count, True
    ended = getattr(execution, "_labcheck_ended", None) or utcnow()
    elapsed = (ended - execution.start_time).total_seconds()
    duration = _duration(execution) or 1.0
    index = min(stage_count - 1, int(elapsed / (duration / stage_count)))
    return index, False


def _stage_time(execution: PipelineExecution, index: int, stage_count: int) -> datetime.datetime:
    """When the execution finished stage ``index`` (evenly spread over its run time)."""
    share = _duration(execution) * (index + 1) / max(stage_count, 1)
    return execution.start_time + datetime.timedelta(seconds=share)


def _action_execution_id(execution: PipelineExecution, stage: str, action: str) -> str:
    ids = getattr(execution, "_labcheck_action_ids", None)
    if ids is None:
        ids = execution._labcheck_action_ids = {}  # type: ignore[attr-defined]
    return ids.setdefault((stage, action), str(mock_random.uuid4()))


# --------------------------------------------------------------------------------------
# Backend operations
# --------------------------------------------------------------------------------------


def _get_codepipeline(backend: CodePipelineBackend, name: str) -> CodePipeline:
    codepipeline = backend.pipelines.get(name)
    if not codepipeline:
        raise PipelineNotFoundException(
            f"Account '{backend.account_id}' does not have a pipeline with name '{name}'"
        )
    return codepipeline


def get_pipeline_state(self: CodePipelineBackend, name: str) -> dict[str, Any]:
    """GetPipelineState: the pipeline's stages, each with the latest execution in it."""
    if not name:
        raise ValidationException(
            "1 validation error detected: Value null at 'name' "
            "failed to satisfy constraint: Member must not be null"
        )
    codepipeline = _get_codepipeline(self, name)
    _refresh_all(codepipeline)
    stages = codepipeline.pipeline["stages"]
    count = len(stages)
    newest_first = list(reversed(codepipeline.executions.values()))

    stage_states = []
    for index, stage in enumerate(stages):
        state: dict[str, Any] = {"stageName": stage["name"]}
        if index > 0:
            state["inboundTransitionState"] = {"enabled": True}

        # The latest execution that reached this stage, and what happened there.
        reached = None
        for execution in newest_first:
            position, finished = _stage_progress(execution, count)
            if finished or position > index:
                reached = (execution, "Succeeded", _stage_time(execution, index, count))
            elif position == index and execution.status == "InProgress":
                reached = (execution, "InProgress", utcnow())
            if reached:
                break

        actions = []
        for action in stage.get("actions", []):
            action_state: dict[str, Any] = {"actionName": action["name"]}
            if reached:
                execution, status, changed = reached
                action_state["latestExecution"] = {
                    "actionExecutionId": _action_execution_id(
                        execution, stage["name"], action["name"]
                    ),
                    "status": status,
                    "lastStatusChange": unix_time(changed),
                }
            actions.append(action_state)
        state["actionStates"] = actions

        if reached:
            execution, status, _ = reached
            state["latestExecution"] = {
                "pipelineExecutionId": execution.pipeline_execution_id,
                "status": status,
            }
        stage_states.append(state)

    return {
        "pipelineName": name,
        "pipelineVersion": codepipeline.pipeline["version"],
        "stageStates": stage_states,
        "created": unix_time(codepipeline._created),
        "updated": unix_time(codepipeline._updated),
    }


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _trusts_codepipeline(policy_document: str) -> bool:
    """Does this trust policy let codepipeline.amazonaws.com assume the role?"""
    try:
        policy = json.loads(policy_document)
    except (TypeError, ValueError):
        return False
    for statement in _as_list(policy.get("Statement")):
        if statement.get("Effect") != "Allow":
            continue
        actions = _as_list(statement.get("Action"))
        if not any(a in ("sts:AssumeRole", "sts:*", "*") for a in actions):
            continue
        principal = statement.get("Principal")
        services = _as_list(principal.get("Service")) if isinstance(principal, dict) else []
        if "codepipeline.amazonaws.com" in services:
            return True
    return False


def create_pipeline(
    self: CodePipelineBackend, pipeline: dict[str, Any], tags: list[dict[str, str]] | None
) -> tuple[dict[str, Any], list[dict[str, str]]]:
    """moto's CreatePipeline with a faithful trust-policy check (see module doc)."""
    name = pipeline["name"]
    if name in self.pipelines:
        raise InvalidStructureException(
            f"A pipeline with the name '{name}' already exists in account '{self.account_id}'"
        )
    try:
        role = self.iam_backend.get_role_by_arn(pipeline["roleArn"])
        trusted = _trusts_codepipeline(role.assume_role_policy_document)
    except IAMNotFoundException:
        trusted = False
    if not trusted:
        raise InvalidStructureException(
            f"CodePipeline is not authorized to perform AssumeRole on role {pipeline['roleArn']}"
        )
    if len(pipeline["stages"]) < 2:
        raise InvalidStructureException(
            f"Pipeline has only {len(pipeline['stages'])} stage(s). "
            "There should be a minimum of 2 stages in a pipeline"
        )
    codepipeline = CodePipeline(self.account_id, self.region_name, pipeline)
    if tags:
        codepipeline.validate_tags(tags)
        codepipeline.tags.update({tag["key"]: tag["value"] for tag in tags})
    self.pipelines[name] = codepipeline
    return pipeline, sorted(tags or [], key=lambda tag: tag["key"])


def _wrap_start(original: Any) -> Any:
    def start_pipeline_execution(
        self: CodePipelineBackend, name: str, variables: list[dict[str, str]] | None
    ) -> str:
        codepipeline = self.pipelines.get(name)
        running = []
        if codepipeline:
            _refresh_all(codepipeline)
            running = [e for e in codepipeline.executions.values() if e.status == "InProgress"]
        execution_id = original(self, name, variables)
        codepipeline = self.pipelines[name]
        execution = codepipeline.executions[execution_id]
        _start(execution, execution_seconds())
        # SUPERSEDED mode (the default): a newer execution replaces a running one.
        for older in running:
            older.status = "Superseded"
            older._labcheck_ended = execution.start_time
            older.last_update_time = execution.start_time
        return execution_id

    return start_pipeline_execution


def _wrap_get_execution(original: Any) -> Any:
    def get_pipeline_execution(
        self: CodePipelineBackend, pipeline_name: str, pipeline_execution_id: str
    ) -> PipelineExecution:
        execution = original(self, pipeline_name, pipeline_execution_id)
        _refresh(execution)
        return execution

    return get_pipeline_execution


def list_execution_summaries(
    self: CodePipelineBackend, pipeline_name: str, max_results: Any, next_token: Any
) -> dict[str, Any]:
    """ListPipelineExecutions, newest first, with AWS's pagination."""
    codepipeline = _get_codepipeline(self, pipeline_name)
    _refresh_all(codepipeline)
    if max_results is not None and (
        isinstance(max_results, bool)
        or not isinstance(max_results, int)
        or not 1 <= max_results <= 100
    ):
        raise ValidationException(
            f"1 validation error detected: Value '{max_results}' at 'maxResults' failed "
            "to satisfy constraint: Member must have value between 1 and 100"
        )
    limit = max_results or DEFAULT_MAX_RESULTS
    newest_first = list(reversed(codepipeline.executions.values()))
    start = 0
    if next_token:
        ids = [e.pipeline_execution_id for e in newest_first]
        if next_token not in ids:
            raise InvalidNextTokenException()
        start = ids.index(next_token)
    page = newest_first[start : start + limit]

    summaries = []
    for execution in page:
        summary = {
            "pipelineExecutionId": execution.pipeline_execution_id,
            "status": execution.status,
            "startTime": unix_time(execution.start_time),
            "lastUpdateTime": unix_time(execution.last_update_time),
            "sourceRevisions": [],
            "trigger": {"triggerType": "StartPipelineExecution", "triggerDetail": ""},
            "executionMode": "SUPERSEDED",
            "executionType": "STANDARD",
        }
        if execution.status_summary:
            summary["statusSummary"] = execution.status_summary
        summaries.append(summary)

    result: dict[str, Any] = {"pipelineExecutionSummaries": summaries}
    if start + limit < len(newest_first):
        result["nextToken"] = newest_first[start + limit].pipeline_execution_id
    return result


# --------------------------------------------------------------------------------------
# HTTP handlers, added to moto's CodePipelineResponse
# --------------------------------------------------------------------------------------


def _backend(response: CodePipelineResponse) -> CodePipelineBackend:
    return codepipeline_backends[response.current_account][response.region]


def get_pipeline_state_handler(self: CodePipelineResponse) -> str:
    return json.dumps(get_pipeline_state(_backend(self), self._get_param("name")))


def list_pipeline_executions_handler(self: CodePipelineResponse) -> str:
    return json.dumps(
        list_execution_summaries(
            _backend(self),
            self._get_param("pipelineName"),
            self._get_param("maxResults"),
            self._get_param("nextToken"),
        )
    )


def install() -> list[str]:
    """Register with moto; returns the AWS operation names added or changed."""
    CodePipelineBackend.get_pipeline_state = get_pipeline_state  # type: ignore[attr-defined]
    CodePipelineBackend.create_pipeline = create_pipeline  # type: ignore[method-assign]
    CodePipelineBackend.list_execution_summaries = list_execution_summaries  # type: ignore[attr-defined]
    wrap_once(CodePipelineBackend, "start_pipeline_execution", _wrap_start)
    wrap_once(CodePipelineBackend, "get_pipeline_execution", _wrap_get_execution)
    # moto dispatches on the snake_case name of the X-Amz-Target operation.
    CodePipelineResponse.get_pipeline_state = get_pipeline_state_handler  # type: ignore[attr-defined]
    CodePipelineResponse.list_pipeline_executions = list_pipeline_executions_handler  # type: ignore[method-assign]
    return [
        "GetPipelineState",
        "CreatePipeline (trust policies with a list of services)",
        "ListPipelineExecutions (paginated, epoch timestamps)",
        f"StartPipelineExecution/GetPipelineExecution (run time from {EXECUTION_SECONDS_ENV})",
    ]
