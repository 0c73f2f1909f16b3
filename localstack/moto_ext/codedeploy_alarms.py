"""CodeDeploy deployment groups as the API reference shapes them, where moto 5.2.5 does not.

- moto stores ``alarmConfiguration`` from CreateDeploymentGroup but answers
  GetDeploymentGroup with ``"alarmConfiguration": {}``. This answers what was stored:
  ``{"enabled": bool, "ignorePollAlarmFailure": bool, "alarms": [{"name": ...}]}``.
- moto answers ``autoScalingGroups`` as the request's list of names; the API answers a
  list of ``{"name": ..., "hook": ...}`` objects (AutoScalingGroup). This answers objects
  with the name (moto installs no lifecycle hook, so there is none to name).

Call ``install()`` before the server starts.
"""

from __future__ import annotations

from typing import Any

from moto.codedeploy import responses
from moto.codedeploy.models import AlarmConfiguration, DeploymentGroup

from moto_ext import wrap_once


def alarm_configuration(stored: AlarmConfiguration | dict[str, Any] | None) -> dict[str, Any]:
    """The stored configuration (moto keeps the request's dict, or its own model)."""
    if stored is None:
        return {}
    if isinstance(stored, dict):
        return {
            "enabled": bool(stored.get("enabled", False)),
            "ignorePollAlarmFailure": bool(stored.get("ignorePollAlarmFailure", False)),
            "alarms": [{"name": alarm.get("name")} for alarm in stored.get("alarms") or []],
        }
    return {
        "enabled": bool(stored.enabled),
        "ignorePollAlarmFailure": bool(stored.ignore_poll_alarm_failure),
        "alarms": [{"name": alarm.get("name")} for alarm in stored.alarms],
    }


def auto_scaling_groups(stored: list[Any] | None) -> list[dict[str, Any]]:
    """The groups as AutoScalingGroup objects (moto keeps the request's names)."""
    return [{"name": group} if isinstance(group, str) else group for group in stored or []]


def _wrap_info(info: Any) -> Any:
    def deployment_group_info(deployment_group: DeploymentGroup) -> dict[str, Any]:
        answer = info(deployment_group)
        answer["alarmConfiguration"] = alarm_configuration(deployment_group.alarm_configuration)
        answer["autoScalingGroups"] = auto_scaling_groups(deployment_group.auto_scaling_groups)
        return answer

    return deployment_group_info


def install() -> list[str]:
    wrap_once(responses, "_deployment_group_info", _wrap_info)
    return ["CodeDeploy alarmConfiguration and autoScalingGroups in GetDeploymentGroup"]
