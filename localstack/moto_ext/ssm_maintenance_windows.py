"""What moto 5.2.5 leaves out of SSM maintenance windows, for labcheck's patching lab.

* ``CreateMaintenanceWindow`` drops ``AllowUnassociatedTargets``: the window keeps it,
  and ``GetMaintenanceWindow`` (and ``DescribeMaintenanceWindows``) answer it, as the
  API reference shows.
* ``GetMaintenanceWindowTask`` is missing: it answers a registered task with its
  ``TaskInvocationParameters`` (the Run Command parameters, such as
  ``Operation=Install``), which ``DescribeMaintenanceWindowTasks`` does not carry on AWS.
  An unknown window or task is a ``DoesNotExistException``.

Call ``install()`` before the server starts.
"""

from __future__ import annotations

from typing import Any

from moto.core.responses import ActionResult
from moto.ssm.exceptions import SSMException
from moto.ssm.models import FakeMaintenanceWindow
from moto.ssm.responses import SimpleSystemManagerResponse

from moto_ext import wrap_once


def _wrap_create(create: Any) -> Any:
    """Keep AllowUnassociatedTargets on the window moto creates."""

    def create_maintenance_window(self: SimpleSystemManagerResponse) -> ActionResult:
        result = create(self)
        window_id = result.result["WindowId"]
        window = self.ssm_backend.get_maintenance_window(window_id)
        window.allow_unassociated_targets = bool(self._get_param("AllowUnassociatedTargets", False))
        return result

    return create_maintenance_window


def _wrap_to_json(to_json: Any) -> Any:
    def window_json(self: FakeMaintenanceWindow) -> dict[str, Any]:
        answer = to_json(self)
        answer["AllowUnassociatedTargets"] = getattr(self, "allow_unassociated_targets", False)
        return answer

    return window_json


def get_maintenance_window_task(self: SimpleSystemManagerResponse) -> ActionResult:
    window_id = self._get_param("WindowId")
    task_id = self._get_param("WindowTaskId")
    window = self.ssm_backend.get_maintenance_window(window_id)  # DoesNotExistException when unknown
    task = window.tasks.get(task_id)
    if task is None:
        raise SSMException("DoesNotExistException", f"Maintenance window task {task_id} does not exist")
    answer = {key: value for key, value in task.to_json().items() if value is not None}
    if task.cutoff_behavior:
        answer["CutoffBehavior"] = task.cutoff_behavior
    if task.alarm_configurations:
        answer["AlarmConfiguration"] = task.alarm_configurations
    return ActionResult(answer)


def install() -> list[str]:
    wrap_once(SimpleSystemManagerResponse, "create_maintenance_window", _wrap_create)
    wrap_once(FakeMaintenanceWindow, "to_json", _wrap_to_json)
    SimpleSystemManagerResponse.get_maintenance_window_task = get_maintenance_window_task  # type: ignore[attr-defined]
    return ["SSM GetMaintenanceWindowTask", "AllowUnassociatedTargets on maintenance windows"]
