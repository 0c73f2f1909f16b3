"""AWS Backup backup selections, which moto 5.2.5 lacks.

A backup plan backs up nothing until a selection assigns resources to it (by ARN, by
tag, or both) with an IAM role AWS Backup assumes. This adds CreateBackupSelection,
GetBackupSelection, ListBackupSelections and DeleteBackupSelection in the API
reference's shapes; a selection lives in its plan's account and Region, and an unknown
plan or selection is a ``ResourceNotFoundException``. moto already routes
``/backup/plans/{id}/selections/...`` to the Backup handler. Call ``install()`` before
the server starts.
"""

from __future__ import annotations

import json
from typing import Any

from moto.backup.exceptions import InvalidParameterValueException, ResourceNotFoundException
from moto.backup.models import BackupBackend
from moto.backup.responses import BackupResponse
from moto.core.utils import unix_time
from moto.moto_api._internal import mock_random


def _selections(backend: BackupBackend, plan_id: str) -> dict[str, dict[str, Any]]:
    """The selections of a plan that exists (kept on the backend, so account copies carry them)."""
    if plan_id not in backend.plans:
        raise ResourceNotFoundException(f"Failed reading backup plan {plan_id}")
    store: dict[str, dict[str, dict[str, Any]]] = backend.__dict__.setdefault("labcheck_selections", {})
    return store.setdefault(plan_id, {})


def _path_ids(response: BackupResponse) -> tuple[str, str]:
    """The plan id and selection id (empty when absent) of ``/backup/plans/{id}/selections/{sid}``."""
    after = response.path.split("/backup/plans/", 1)[-1]
    plan_id, _, rest = after.partition("/selections")
    return plan_id.strip("/"), rest.strip("/")


def create_backup_selection(self: BackupResponse) -> str:
    plan_id, _ = _path_ids(self)
    params = json.loads(self.body or "{}")
    selection = params.get("BackupSelection") or {}
    if not selection.get("SelectionName") or not selection.get("IamRoleArn"):
        raise InvalidParameterValueException("BackupSelection needs SelectionName and IamRoleArn")
    stored = {
        "SelectionId": str(mock_random.uuid4()),
        "BackupPlanId": plan_id,
        "CreationDate": unix_time(),
        "CreatorRequestId": params.get("CreatorRequestId"),
        "BackupSelection": selection,
    }
    _selections(self.backup_backend, plan_id)[stored["SelectionId"]] = stored
    return json.dumps({key: stored[key] for key in ("SelectionId", "BackupPlanId", "CreationDate")})


def get_backup_selection(self: BackupResponse) -> str:
    plan_id, selection_id = _path_ids(self)
    stored = _selections(self.backup_backend, plan_id).get(selection_id)
    if stored is None:
        raise ResourceNotFoundException(f"Failed reading backup selection {selection_id}")
    return json.dumps({key: value for key, value in stored.items() if value is not None})


def list_backup_selections(self: BackupResponse) -> str:
    plan_id, _ = _path_ids(self)
    items = [
        {
            "SelectionId": stored["SelectionId"],
            "SelectionName": stored["BackupSelection"]["SelectionName"],
            "BackupPlanId": plan_id,
            "CreationDate": stored["CreationDate"],
            "IamRoleArn": stored["BackupSelection"]["IamRoleArn"],
        }
        for stored in _selections(self.backup_backend, plan_id).values()
    ]
    return json.dumps({"BackupSelectionsList": items})


def delete_backup_selection(self: BackupResponse) -> str:
    plan_id, selection_id = _path_ids(self)
    if _selections(self.backup_backend, plan_id).pop(selection_id, None) is None:
        raise ResourceNotFoundException(f"Failed reading backup selection {selection_id}")
    return "{}"


HANDLERS = {
    "create_backup_selection": create_backup_selection,
    "get_backup_selection": get_backup_selection,
    "list_backup_selections": list_backup_selections,
    "delete_backup_selection": delete_backup_selection,
}


def install() -> list[str]:
    for name, handler in HANDLERS.items():
        setattr(BackupResponse, name, handler)
    return ["AWS Backup Create/Get/List/DeleteBackupSelection"]
