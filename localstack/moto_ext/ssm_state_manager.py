"""SSM State Manager associations and GetPatchBaseline for moto 5.2.5 (server mode).

moto implements SSM documents, parameters, maintenance windows and patch baselines
(create, describe, delete, patch groups) but neither State Manager associations nor
``GetPatchBaseline``. This module adds, in the way moto's own services are built:

* ``SsmStateManagerBackend``: the associations of one account and Region, held in a
  ``BackendDict`` like every moto backend, so ``POST /moto-api/reset`` clears them
  and STS-assumed credentials for another account see only that account's;
* on moto's ``SimpleSystemManagerResponse`` (the JSON 1.1 handler for SSM):
  ``CreateAssociation``, ``DescribeAssociation``, ``ListAssociations``,
  ``UpdateAssociation``, ``DeleteAssociation`` and ``GetPatchBaseline``, answered
  through moto's model-driven serializer (``ActionResult``), so responses carry
  exactly the members of the service model's output shapes and dates go out as
  epoch seconds;
* the guards AWS applies around them: ``DeleteDocument`` of a document an association
  still uses is ``InvalidDocumentOperation``; tags given to ``CreateAssociation`` are
  readable with ``ListTagsForResource --resource-type Association`` (and a patch
  baseline's tags with ``--resource-type PatchBaseline``, which moto rejects).

Shapes and errors are those of the SSM API reference (service model
``ssm-2014-11-06``): violations of the service model (patterns, enums, ranges, list
lengths, missing required members) are ``ValidationException`` with AWS's "N
validation error(s) detected" message; a document that is neither AWS-managed
(``AWS-*``, ``Amazon*``) nor created in the account is ``InvalidDocument``; a second
association with the same ``AssociationName`` (or, for legacy associations, the same
document and ``InstanceId``) is ``AssociationAlreadyExists``; an unknown association
is ``AssociationDoesNotExist``; a bad cron/rate expression is ``InvalidSchedule``; an
unknown patch baseline is ``DoesNotExistException``.

moto runs nothing, so an association stays ``Overview.Status`` ``Pending`` (detailed
status ``Creating``) and never gets a ``LastExecutionDate``. As the API reference
says, ``UpdateAssociation`` replaces every optional member: one left out of the
request is cleared (``DocumentVersion`` falls back to ``$DEFAULT``), except the
document ``Name`` and the ``Targets``/``InstanceId``, which are kept.

Call ``install()`` once, before moto's server starts.
"""

from __future__ import annotations

import copy
import re
import threading
from typing import Any

from moto.core.base_backend import BackendDict, BaseBackend
from moto.core.responses import ActionResult, EmptyResult
from moto.core.utils import utcnow
from moto.moto_api._internal import mock_random
from moto.ssm.exceptions import (
    InvalidDocument,
    InvalidDocumentOperation,
    InvalidDocumentVersion,
    InvalidResourceId,
    SSMException,
    ValidationException,
)
from moto.ssm.models import (
    FakePatchBaseline,
    SimpleSystemManagerBackend,
    ssm_backends,
)
from moto.ssm.responses import SimpleSystemManagerResponse

from moto_ext import wrap_once

# Constraints from the service model (ssm-2014-11-06), as Python full-match patterns.
DOCUMENT_ARN = r"^[a-zA-Z0-9_\-.:/]{3,128}$"
ASSOCIATION_NAME = r"^[a-zA-Z0-9_\-.]{3,128}$"
DOCUMENT_VERSION = r"([$]LATEST|[$]DEFAULT|^[1-9][0-9]*$)"
INSTANCE_ID = r"(^i-(\w{8}|\w{17})$)|(^mi-\w{17}$)"
ASSOCIATION_ID = r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
ASSOCIATION_VERSION = r"^(([$]LATEST)|([1-9][0-9]*))$"
MAX_ERRORS = r"^([1-9][0-9]*|[0]|[1-9][0-9]%|[0-9]%|100%)$"
MAX_CONCURRENCY = r"^([1-9][0-9]*|[1-9][0-9]%|[1-9]%|100%)$"
BASELINE_ID = r"^[a-zA-Z0-9_\-:/]{20,128}$"
COMPLIANCE_SEVERITIES = ["CRITICAL", "HIGH", "MEDIUM", "LOW", "UNSPECIFIED"]
SYNC_COMPLIANCE = ["AUTO", "MANUAL"]
FILTER_KEYS = [
    "InstanceId",
    "Name",
    "AssociationId",
    "AssociationStatusName",
    "LastExecutedBefore",
    "LastExecutedAfter",
    "AssociationName",
    "ResourceGroupName",
    "CloudConnectorId",
]
MAX_TARGETS = 5
MAX_RESULTS_RANGE = (1, 50)  # ListAssociations MaxResults
SCHEDULE_OFFSET_RANGE = (1, 6)
DURATION_RANGE = (1, 24)
MIN_RATE_MINUTES = 30  # State Manager runs an association at most every 30 minutes
# Prefixes of the documents AWS owns and shares with every account.
AWS_MANAGED_PREFIXES = ("AWS-", "Amazon")

# Members of CreateAssociationRequest stored as given, in the API reference's order
# (Tags are kept with the tags of other SSM resources, not in the description).
CREATE_FIELDS = (
    "Name",
    "DocumentVersion",
    "InstanceId",
    "Parameters",
    "Targets",
    "ScheduleExpression",
    "OutputLocation",
    "AssociationName",
    "AutomationTargetParameterName",
    "MaxErrors",
    "MaxConcurrency",
    "ComplianceSeverity",
    "SyncCompliance",
    "ApplyOnlyAtCronInterval",
    "CalendarNames",
    "TargetLocations",
    "ScheduleOffset",
    "Duration",
    "TargetMaps",
    "AlarmConfiguration",
    "AssociationDispatchAssumeRole",
)
# Members UpdateAssociation replaces; any of them left out of the request is cleared.
UPDATE_REPLACED_FIELDS = tuple(
    f for f in CREATE_FIELDS if f not in ("Name", "InstanceId", "Targets")
)
# Members of the Association shape (ListAssociations' summary).
SUMMARY_FIELDS = (
    "Name",
    "InstanceId",
    "AssociationId",
    "AssociationVersion",
    "DocumentVersion",
    "Targets",
    "LastExecutionDate",
    "Overview",
    "ScheduleExpression",
    "AssociationName",
    "ScheduleOffset",
    "Duration",
    "TargetMaps",
)


# --------------------------------------------------------------------------------------
# Errors (the SSM error shapes moto 5.2.5 does not define)
# --------------------------------------------------------------------------------------
# moto's serializer finds an error's shape in the service model named by the second
# part of the exception's module (``moto.ssm.exceptions`` -> ssm); this package's own
# name, ``moto_ext``, would name none, so these classes claim moto's SSM module.


class AssociationAlreadyExists(SSMException):
    def __init__(self) -> None:
        super().__init__("AssociationAlreadyExists", "The association already exists.")


class AssociationDoesNotExist(SSMException):
    def __init__(self) -> None:
        super().__init__("AssociationDoesNotExist", "The specified association does not exist.")


class InvalidAssociationVersion(SSMException):
    def __init__(self, version: str, association_id: str) -> None:
        super().__init__(
            "InvalidAssociationVersion",
            f"Association version {version} does not exist for association {association_id}.",
        )


class InvalidSchedule(SSMException):
    def __init__(self, expression: str) -> None:
        super().__init__(
            "InvalidSchedule",
            f"Schedule expression {expression} is invalid. "
            "Verify your cron or rate expression and try again.",
        )


class InvalidTarget(SSMException):
    def __init__(self, message: str) -> None:
        super().__init__("InvalidTarget", message)


class InvalidNextToken(SSMException):
    def __init__(self) -> None:
        super().__init__("InvalidNextToken", "The specified token is not valid.")


class PatchBaselineDoesNotExist(SSMException):
    def __init__(self, baseline_id: str) -> None:
        super().__init__("DoesNotExistException", f"Patch Baseline {baseline_id} does not exist.")


for _error in (
    AssociationAlreadyExists,
    AssociationDoesNotExist,
    InvalidAssociationVersion,
    InvalidSchedule,
    InvalidTarget,
    InvalidNextToken,
    PatchBaselineDoesNotExist,
):
    _error.__module__ = "moto.ssm.exceptions"


# --------------------------------------------------------------------------------------
# Validation of the request against the service model
# --------------------------------------------------------------------------------------


class _ModelErrors:
    """Collects service-model constraint violations, reported together as AWS does."""

    def __init__(self) -> None:
        self.messages: list[str] = []

    def add(self, value: Any, path: str, constraint: str) -> None:
        shown = "null" if value is None else f"'{value}'"
        self.messages.append(
            f"Value {shown} at '{path}' failed to satisfy constraint: {constraint}"
        )

    def not_null(self, value: Any, path: str) -> bool:
        if value is None:
            self.add(None, path, "Member must not be null")
            return False
        return True

    def pattern(self, value: Any, path: str, pattern: str) -> None:
        if value is None:
            return
        if not isinstance(value, str) or not re.fullmatch(pattern, value):
            self.add(value, path, f"Member must satisfy regular expression pattern: {pattern}")

    def length(self, value: Any, path: str, lo: int | None, hi: int | None) -> None:
        if value is None:
            return
        if lo is not None and len(value) < lo:
            self.add(value, path, f"Member must have length greater than or equal to {lo}")
        elif hi is not None and len(value) > hi:
            self.add(value, path, f"Member must have length less than or equal to {hi}")

    def range(self, value: Any, path: str, lo: int, hi: int) -> None:
        if value is None:
            return
        if isinstance(value, bool) or not isinstance(value, int):
            self.add(value, path, "Member must be an integer")
        elif value < lo:
            self.add(value, path, f"Member must have value greater than or equal to {lo}")
        elif value > hi:
            self.add(value, path, f"Member must have value less than or equal to {hi}")

    def enum(self, value: Any, path: str, allowed: list[str]) -> None:
        if value is not None and value not in allowed:
            self.add(value, path, f"Member must satisfy enum value set: [{', '.join(allowed)}]")

    def raise_if_any(self) -> None:
        if not self.messages:
            return
        count = len(self.messages)
        noun = "error" if count == 1 else "errors"
        raise ValidationException(
            f"{count} validation {noun} detected: " + "; ".join(self.messages)
        )


def _validate_association_model(errors: _ModelErrors, request: dict[str, Any]) -> None:
    """Constraints shared by CreateAssociationRequest and UpdateAssociationRequest."""
    errors.pattern(request.get("Name"), "name", DOCUMENT_ARN)
    errors.pattern(request.get("DocumentVersion"), "documentVersion", DOCUMENT_VERSION)
    errors.pattern(request.get("AssociationName"), "associationName", ASSOCIATION_NAME)
    errors.pattern(request.get("MaxErrors"), "maxErrors", MAX_ERRORS)
    errors.length(request.get("MaxErrors"), "maxErrors", 1, 7)
    errors.pattern(request.get("MaxConcurrency"), "maxConcurrency", MAX_CONCURRENCY)
    errors.length(request.get("MaxConcurrency"), "maxConcurrency", 1, 7)
    errors.enum(request.get("ComplianceSeverity"), "complianceSeverity", COMPLIANCE_SEVERITIES)
    errors.enum(request.get("SyncCompliance"), "syncCompliance", SYNC_COMPLIANCE)
    errors.length(request.get("ScheduleExpression"), "scheduleExpression", 1, 256)
    errors.length(
        request.get("AutomationTargetParameterName"), "automationTargetParameterName", 1, 50
    )
    errors.range(request.get("ScheduleOffset"), "scheduleOffset", *SCHEDULE_OFFSET_RANGE)
    errors.range(request.get("Duration"), "duration", *DURATION_RANGE)
    targets = request.get("Targets")
    if targets is not None:
        errors.length(targets, "targets", 0, MAX_TARGETS)
        for index, target in enumerate(targets, start=1):
            errors.length((target or {}).get("Key"), f"targets.{index}.member.key", 1, 163)
            errors.length((target or {}).get("Values"), f"targets.{index}.member.values", 0, 50)
    errors.length(request.get("TargetLocations"), "targetLocations", 1, 100)
    errors.length(request.get("TargetMaps"), "targetMaps", 0, 300)


def _validate_schedule(expression: str | None) -> None:
    """cron(...) with 5 or 6 fields, or rate(N minutes|hours|days) of 30 minutes or more."""
    if expression is None:
        return
    match = re.fullmatch(r"(cron|rate)\((.*)\)", expression.strip())
    if match is None:
        raise InvalidSchedule(expression)
    kind, body = match.group(1), match.group(2).strip()
    if kind == "cron":
        if len(body.split()) not in (5, 6):
            raise InvalidSchedule(expression)
        return
    rate = re.fullmatch(r"([1-9][0-9]*) (minute|minutes|hour|hours|day|days)", body)
    if rate is None:
        raise InvalidSchedule(expression)
    amount, unit = int(rate.group(1)), rate.group(2)
    singular = unit.rstrip("s") == unit
    if singular != (amount == 1):  # rate(1 hour), rate(2 hours)
        raise InvalidSchedule(expression)
    minutes = amount * {"minute": 1, "hour": 60, "day": 1440}[unit.rstrip("s")]
    if minutes < MIN_RATE_MINUTES:
        raise InvalidSchedule(expression)


# --------------------------------------------------------------------------------------
# Model and backend
# --------------------------------------------------------------------------------------


class Association:
    """One association: its current description and every earlier version of it."""

    def __init__(self, association_id: str, description: dict[str, Any]):
        self.association_id = association_id
        self.description = description
        self.versions: list[dict[str, Any]] = [copy.deepcopy(description)]

    @property
    def name(self) -> str:
        return self.description["Name"]

    def summary(self) -> dict[str, Any]:
        return {k: self.description[k] for k in SUMMARY_FIELDS if k in self.description}

    def version(self, version: str | None) -> dict[str, Any]:
        if version in (None, "$LATEST"):
            return self.description
        for described in self.versions:
            if described["AssociationVersion"] == version:
                return described
        raise InvalidAssociationVersion(str(version), self.association_id)


class SsmStateManagerBackend(BaseBackend):
    """State Manager associations of one account and Region, keyed by AssociationId."""

    def __init__(self, region_name: str, account_id: str):
        super().__init__(region_name, account_id)
        self.associations: dict[str, Association] = {}
        self.lock = threading.RLock()

    @property
    def ssm_backend(self) -> SimpleSystemManagerBackend:
        return ssm_backends[self.account_id][self.region_name]

    # -- documents ---------------------------------------------------------------------

    def _check_document(
        self, name: str, version: str | None, instance_id: str | None, targets: Any
    ) -> None:
        """The document must be AWS-managed or exist; returns nothing, raises AWS's errors."""
        owner_backend = self.ssm_backend
        document_name = name
        arn = re.fullmatch(r"arn:[^:]+:ssm:([^:]*):([0-9]*):document/(.+)", name)
        if arn:
            region, account, document_name = arn.group(1), arn.group(2), arn.group(3)
            if account:
                owner_backend = ssm_backends[account][region or self.region_name]
        if document_name.startswith(AWS_MANAGED_PREFIXES):
            return
        documents = owner_backend._documents.get(document_name)
        if documents is None:
            raise InvalidDocument("The specified document does not exist.")
        if version not in (None, "$DEFAULT", "$LATEST") and documents.find_by_version(version) is None:
            raise InvalidDocumentVersion("The document version is not valid or does not exist.")
        document = documents.get_default_version()
        if instance_id is not None and _schema_at_least(document.schema_version, 2):
            raise InvalidDocument(
                f"Document schema version, {document.schema_version}, is not supported "
                "by association that is created with instance id"
            )
        if instance_id is None and not targets and document.document_type == "Command":
            raise InvalidTarget("Instance ID or targets must be specified")

    def _check_name_unique(self, association_name: str | None, exclude: str | None) -> None:
        if association_name is None:
            return
        for association in self.associations.values():
            if (
                association.association_id != exclude
                and association.description.get("AssociationName") == association_name
            ):
                raise AssociationAlreadyExists()

    # -- operations ----------------------------------------------------------------------

    def create_association(self, request: dict[str, Any]) -> dict[str, Any]:
        errors = _ModelErrors()
        errors.not_null(request.get("Name"), "name")
        errors.pattern(request.get("InstanceId"), "instanceId", INSTANCE_ID)
        _validate_association_model(errors, request)
        errors.length(request.get("Tags"), "tags", 0, 1000)
        errors.raise_if_any()
        _validate_schedule(request.get("ScheduleExpression"))

        with self.lock:
            self._check_document(
                request["Name"],
                request.get("DocumentVersion"),
                request.get("InstanceId"),
                request.get("Targets"),
            )
            self._check_name_unique(request.get("AssociationName"), exclude=None)
            if request.get("InstanceId") is not None:
                for association in self.associations.values():
                    if (
                        association.name == request["Name"]
                        and association.description.get("InstanceId") == request["InstanceId"]
                    ):
                        raise AssociationAlreadyExists()

            now = utcnow()
            association_id = str(mock_random.uuid4())
            description: dict[str, Any] = {
                k: request[k] for k in CREATE_FIELDS if request.get(k) is not None
            }
            description.setdefault("DocumentVersion", "$DEFAULT")
            description.setdefault("ApplyOnlyAtCronInterval", False)
            description.update(
                {
                    "AssociationId": association_id,
                    "AssociationVersion": "1",
                    "Date": now,
                    "LastUpdateAssociationDate": now,
                    "Overview": {
                        "Status": "Pending",
                        "DetailedStatus": "Creating",
                        "AssociationStatusAggregatedCount": {},
                    },
                }
            )
            self.associations[association_id] = Association(association_id, description)
            tags = {t["Key"]: t["Value"] for t in request.get("Tags") or []}
            if tags:
                self.ssm_backend.add_tags_to_resource("Association", association_id, tags)
            return description

    def _find(self, association_id: str | None, name: str | None, instance_id: str | None) -> Association:
        if association_id is not None:
            association = self.associations.get(association_id)
            if association is None:
                raise AssociationDoesNotExist()
            return association
        if name is not None and instance_id is not None:
            for association in self.associations.values():
                if (
                    association.name == name
                    and association.description.get("InstanceId") == instance_id
                ):
                    return association
        raise AssociationDoesNotExist()

    def describe_association(self, request: dict[str, Any]) -> dict[str, Any]:
        errors = _ModelErrors()
        errors.pattern(request.get("AssociationId"), "associationId", ASSOCIATION_ID)
        errors.pattern(request.get("Name"), "name", DOCUMENT_ARN)
        errors.pattern(request.get("InstanceId"), "instanceId", INSTANCE_ID)
        errors.pattern(request.get("AssociationVersion"), "associationVersion", ASSOCIATION_VERSION)
        errors.raise_if_any()
        with self.lock:
            association = self._find(
                request.get("AssociationId"), request.get("Name"), request.get("InstanceId")
            )
            return association.version(request.get("AssociationVersion"))

    def list_associations(
        self, filters: Any, max_results: Any, next_token: str | None
    ) -> dict[str, Any]:
        errors = _ModelErrors()
        if filters is not None:
            errors.length(filters, "associationFilterList", 1, None)
            for index, item in enumerate(filters, start=1):
                path = f"associationFilterList.{index}.member"
                item = item or {}
                if errors.not_null(item.get("key"), f"{path}.key"):
                    errors.enum(item.get("key"), f"{path}.key", FILTER_KEYS)
                if errors.not_null(item.get("value"), f"{path}.value"):
                    errors.length(item.get("value"), f"{path}.value", 1, None)
        errors.range(max_results, "maxResults", *MAX_RESULTS_RANGE)
        errors.raise_if_any()

        with self.lock:
            matching = [
                a for a in self.associations.values() if _matches_all(a.description, filters or [])
            ]
            ids = [a.association_id for a in matching]
            start = 0
            if next_token:
                if next_token not in ids:
                    raise InvalidNextToken()
                start = ids.index(next_token)
            limit = max_results or MAX_RESULTS_RANGE[1]
            page = matching[start : start + limit]
            result: dict[str, Any] = {"Associations": [a.summary() for a in page]}
            if start + limit < len(matching):
                result["NextToken"] = ids[start + limit]
            return result

    def update_association(self, request: dict[str, Any]) -> dict[str, Any]:
        errors = _ModelErrors()
        if errors.not_null(request.get("AssociationId"), "associationId"):
            errors.pattern(request.get("AssociationId"), "associationId", ASSOCIATION_ID)
        errors.pattern(request.get("AssociationVersion"), "associationVersion", ASSOCIATION_VERSION)
        _validate_association_model(errors, request)
        errors.raise_if_any()
        _validate_schedule(request.get("ScheduleExpression"))

        with self.lock:
            association = self._find(request["AssociationId"], None, None)
            current = association.description
            version = request.get("AssociationVersion")
            if version not in (None, "$LATEST") and version != current["AssociationVersion"]:
                raise InvalidAssociationVersion(version, association.association_id)
            name = request.get("Name") or current["Name"]
            targets = request.get("Targets") if request.get("Targets") is not None else current.get("Targets")
            self._check_document(
                name, request.get("DocumentVersion"), current.get("InstanceId"), targets
            )
            self._check_name_unique(request.get("AssociationName"), exclude=association.association_id)

            updated = {k: v for k, v in current.items() if k not in UPDATE_REPLACED_FIELDS}
            updated.update({k: request[k] for k in UPDATE_REPLACED_FIELDS if request.get(k) is not None})
            updated["Name"] = name
            if targets is not None:
                updated["Targets"] = targets
            updated.setdefault("DocumentVersion", "$DEFAULT")
            updated.setdefault("ApplyOnlyAtCronInterval", False)
            updated["AssociationVersion"] = str(int(current["AssociationVersion"]) + 1)
            updated["LastUpdateAssociationDate"] = utcnow()
            association.description = updated
            association.versions.append(copy.deepcopy(updated))
            return updated

    def delete_association(self, request: dict[str, Any]) -> None:
        errors = _ModelErrors()
        errors.pattern(request.get("AssociationId"), "associationId", ASSOCIATION_ID)
        errors.pattern(request.get("Name"), "name", DOCUMENT_ARN)
        errors.pattern(request.get("InstanceId"), "instanceId", INSTANCE_ID)
        errors.raise_if_any()
        with self.lock:
            association = self._find(
                request.get("AssociationId"), request.get("Name"), request.get("InstanceId")
            )
            del self.associations[association.association_id]
            self.ssm_backend._resource_tags.get("Association", {}).pop(
                association.association_id, None
            )

    def uses_document(self, document_name: str) -> bool:
        """Whether an association of this account and Region names the document."""
        own_arn = re.compile(
            rf"arn:[^:]+:ssm:({re.escape(self.region_name)})?:{self.account_id}:"
            rf"document/{re.escape(document_name)}"
        )
        return any(
            a.name == document_name or own_arn.fullmatch(a.name)
            for a in self.associations.values()
        )


def _schema_at_least(schema_version: str | None, major: int) -> bool:
    try:
        return float(schema_version or "0") >= major
    except ValueError:
        return False


def _matches(description: dict[str, Any], key: str, value: str) -> bool:
    if key in ("Name", "AssociationId", "AssociationName", "InstanceId"):
        # InstanceId matches legacy associations only, as the API reference says.
        return description.get(key) == value
    if key == "AssociationStatusName":
        return description["Overview"]["Status"] == value
    if key == "ResourceGroupName":
        return any(
            t.get("Key") == "resource-groups:Name" and value in (t.get("Values") or [])
            for t in description.get("Targets") or []
        )
    # LastExecutedBefore/After: moto never runs an association, so none has executed.
    # CloudConnectorId: no association targets a cloud connector here.
    return False


def _matches_all(description: dict[str, Any], filters: list[dict[str, Any]]) -> bool:
    return all(_matches(description, f["key"], f["value"]) for f in filters)


ssm_state_manager_backends = BackendDict(SsmStateManagerBackend, "ssm")


def _backend(account_id: str, region: str) -> SsmStateManagerBackend:
    return ssm_state_manager_backends[account_id][region]


# --------------------------------------------------------------------------------------
# GetPatchBaseline, from the baseline moto stores
# --------------------------------------------------------------------------------------


def get_patch_baseline(backend: SimpleSystemManagerBackend, baseline_id: Any) -> dict[str, Any]:
    errors = _ModelErrors()
    if errors.not_null(baseline_id, "baselineId"):
        errors.length(baseline_id, "baselineId", 20, 128)
        errors.pattern(baseline_id, "baselineId", BASELINE_ID)
    errors.raise_if_any()

    # A baseline may be named by its ARN; the account's own ARN names its own baseline.
    plain_id = baseline_id
    arn = re.fullmatch(r"arn:[^:]+:ssm:([^:]*):([0-9]*):patchbaseline/(pb-[0-9a-f]+)", baseline_id)
    if arn:
        if arn.group(1) == backend.region_name and arn.group(2) == backend.account_id:
            plain_id = arn.group(3)
    elif not re.fullmatch(r"pb-[0-9a-f]{17}", baseline_id):
        raise InvalidResourceId()
    baseline = backend.baselines.get(plain_id)
    if baseline is None:
        raise PatchBaselineDoesNotExist(baseline_id)

    approval_rules = copy.deepcopy(baseline.approval_rules) or {}
    for rule in approval_rules.setdefault("PatchRules", []):
        rule.setdefault("ComplianceLevel", "UNSPECIFIED")
        rule.setdefault("EnableNonSecurity", False)
    patch_groups = [
        name
        for name, group in backend.patch_groups.items()
        if group.associations.get(baseline.operating_system) == baseline.id
    ]
    created = getattr(baseline, "labcheck_created_date", None) or utcnow()
    result: dict[str, Any] = {
        "BaselineId": baseline.id,
        "Name": baseline.name,
        "OperatingSystem": baseline.operating_system,
        "GlobalFilters": copy.deepcopy(baseline.global_filters) or {"PatchFilters": []},
        "ApprovalRules": approval_rules,
        "ApprovedPatches": list(baseline.approved_patches or []),
        "ApprovedPatchesComplianceLevel": baseline.approved_patches_compliance_level
        or "UNSPECIFIED",
        "ApprovedPatchesEnableNonSecurity": bool(baseline.approved_patches_enable_non_security),
        "RejectedPatches": list(baseline.rejected_patches or []),
        "RejectedPatchesAction": baseline.rejected_patches_action or "ALLOW_AS_DEPENDENCY",
        "PatchGroups": patch_groups,
        "CreatedDate": created,
        "ModifiedDate": created,  # moto has no UpdatePatchBaseline
        "Sources": copy.deepcopy(baseline.sources or []),
    }
    if baseline.description is not None:
        result["Description"] = baseline.description
    return result


# --------------------------------------------------------------------------------------
# HTTP handlers, added to moto's SimpleSystemManagerResponse
# --------------------------------------------------------------------------------------


def _request(response: SimpleSystemManagerResponse, members: tuple[str, ...]) -> dict[str, Any]:
    return {m: response._get_param(m) for m in members if response._get_param(m) is not None}


def _me(response: SimpleSystemManagerResponse) -> SsmStateManagerBackend:
    return _backend(response.current_account, response.region)


def create_association(self: SimpleSystemManagerResponse) -> ActionResult:
    request = _request(self, CREATE_FIELDS + ("Tags",))
    return ActionResult({"AssociationDescription": _me(self).create_association(request)})


def describe_association(self: SimpleSystemManagerResponse) -> ActionResult:
    request = _request(self, ("AssociationId", "Name", "InstanceId", "AssociationVersion"))
    return ActionResult({"AssociationDescription": _me(self).describe_association(request)})


def list_associations(self: SimpleSystemManagerResponse) -> ActionResult:
    return ActionResult(
        _me(self).list_associations(
            self._get_param("AssociationFilterList"),
            self._get_param("MaxResults"),
            self._get_param("NextToken"),
        )
    )


def update_association(self: SimpleSystemManagerResponse) -> ActionResult:
    request = _request(self, ("AssociationId", "AssociationVersion") + CREATE_FIELDS)
    return ActionResult({"AssociationDescription": _me(self).update_association(request)})


def delete_association(self: SimpleSystemManagerResponse) -> ActionResult:
    _me(self).delete_association(_request(self, ("AssociationId", "Name", "InstanceId")))
    return EmptyResult()


def get_patch_baseline_handler(self: SimpleSystemManagerResponse) -> ActionResult:
    return ActionResult(get_patch_baseline(self.ssm_backend, self._get_param("BaselineId")))


HANDLERS = {
    "create_association": create_association,
    "describe_association": describe_association,
    "list_associations": list_associations,
    "update_association": update_association,
    "delete_association": delete_association,
    "get_patch_baseline": get_patch_baseline_handler,
}


# --------------------------------------------------------------------------------------
# Changes to moto's SSM backend
# --------------------------------------------------------------------------------------


def _wrap_baseline_init(original: Any) -> Any:
    """Stamp each patch baseline with its creation time (moto keeps none)."""

    def __init__(self: FakePatchBaseline, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        self.labcheck_created_date = utcnow()  # type: ignore[attr-defined]

    return __init__


def _wrap_validate_resource(original: Any) -> Any:
    """Tags on associations (AWS's ResourceType ``Association``) and on patch baselines."""

    def _validate_resource_type_and_id(
        self: SimpleSystemManagerBackend, resource_type: str, resource_id: str
    ) -> str:
        if resource_type == "Association":
            if resource_id not in _backend(self.account_id, self.region_name).associations:
                raise InvalidResourceId()
            return resource_id
        if resource_type == "PatchBaseline":
            # moto 5.2.5 answers InvalidResourceId for every baseline, even its own.
            if resource_id not in self.baselines:
                raise InvalidResourceId()
            return resource_id
        return original(self, resource_type, resource_id)

    return _validate_resource_type_and_id


def _wrap_delete_document(original: Any) -> Any:
    """AWS refuses to delete a document that an association still uses."""

    def delete_document(
        self: SimpleSystemManagerBackend,
        name: str,
        document_version: str | None = None,
        version_name: str | None = None,
        force: bool = False,
    ) -> None:
        # Deleting one version of the document is not deleting the document.
        whole = document_version is None and version_name is None
        if whole and _backend(self.account_id, self.region_name).uses_document(name):
            raise InvalidDocumentOperation(
                "You must disassociate a document from all managed nodes before you can delete it."
            )
        original(
            self,
            name=name,
            document_version=document_version,
            version_name=version_name,
            force=force,
        )

    return delete_document


def install() -> list[str]:
    """Register with moto; returns the AWS operation names added or changed."""
    for method, handler in HANDLERS.items():
        setattr(SimpleSystemManagerResponse, method, handler)
    wrap_once(FakePatchBaseline, "__init__", _wrap_baseline_init)
    wrap_once(SimpleSystemManagerBackend, "_validate_resource_type_and_id", _wrap_validate_resource)
    wrap_once(SimpleSystemManagerBackend, "delete_document", _wrap_delete_document)
    return [
        "CreateAssociation",
        "DescribeAssociation",
        "ListAssociations",
        "UpdateAssociation",
        "DeleteAssociation",
        "GetPatchBaseline",
        "DeleteDocument (refused while an association uses the document)",
        "tags on associations and patch baselines",
    ]
