"""AWS Config remediation configurations for moto 5.2.5 (server mode).

moto implements Config rules, recorders and delivery channels but not remediation
configurations. This module adds, in the way moto's own services are built:

* ``ConfigRemediationBackend``: the state, one instance per account and Region, held
  in a ``BackendDict`` like every moto backend, so ``POST /moto-api/reset`` clears it
  and STS-assumed credentials for another account see only that account's state;
* four operations on moto's ``ConfigResponse`` (the JSON 1.1 handler for Config):
  ``PutRemediationConfigurations``, ``DescribeRemediationConfigurations``,
  ``DeleteRemediationConfiguration`` and ``DescribeRemediationExecutionStatus``;
* the ``DeleteConfigRule`` guard AWS applies: a rule that still has a remediation
  configuration cannot be deleted (``ResourceInUseException``).

Field names and JSON shapes are those of the AWS Config API reference (service model
``config-2014-11-12``). Errors follow AWS: constraint violations of the service model
(enum, ranges, list lengths, missing required members) are ``ValidationException``
with AWS's "N validation error(s) detected" message; semantic errors are
``InvalidParameterValueException``; an unknown rule is ``NoSuchConfigRuleException``;
deleting a missing configuration is ``NoSuchRemediationConfigurationException``.

Call ``install()`` once, before moto's server starts.
"""

from __future__ import annotations

import json
import threading
from typing import Any

from moto.config.exceptions import (
    InvalidParameterValueException,
    NoSuchConfigRuleException,
    ResourceInUseException,
    ValidationException,
)
from moto.config.models import ConfigBackend, config_backends
from moto.config.responses import ConfigResponse
from moto.core.base_backend import BackendDict, BaseBackend
from moto.core.common_models import BaseModel
from moto.core.exceptions import JsonRESTError
from moto.moto_api._internal import mock_random
from moto.utilities.utils import get_partition

from moto_ext import wrap_once

# Limits from the service model (config-2014-11-12).
MAX_CONFIGURATIONS_PER_CALL = 25  # RemediationConfigurations, ConfigRuleNames
MAX_PARAMETERS = 25  # RemediationParameters map
MAX_STATIC_VALUES = 25  # StaticValue.Values
ATTEMPTS_RANGE = (1, 25)  # MaximumAutomaticAttempts
RETRY_SECONDS_RANGE = (1, 2678000)  # RetryAttemptSeconds
PERCENT_RANGE = (1, 100)  # SsmControls.*Percentage
TARGET_TYPES = ["SSM_DOCUMENT"]
RESOURCE_VALUE_TYPES = ["RESOURCE_ID"]


class NoSuchRemediationConfigurationException(JsonRESTError):
    code = 400

    def __init__(self, rule_name: str):
        super().__init__(
            "NoSuchRemediationConfigurationException",
            f"No RemediationConfiguration for rule '{rule_name}' exists.",
        )


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

    def length(self, value: Any, path: str, lo: int, hi: int) -> None:
        if value is None:
            return
        if len(value) < lo:
            self.add(value, path, f"Member must have length greater than or equal to {lo}")
        elif len(value) > hi:
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


def _validate_model(configurations: Any) -> None:
    errors = _ModelErrors()
    if errors.not_null(configurations, "remediationConfigurations"):
        if not isinstance(configurations, list):
            raise ValidationException("RemediationConfigurations must be a list")
        errors.length(configurations, "remediationConfigurations", 0, MAX_CONFIGURATIONS_PER_CALL)
        for index, item in enumerate(configurations, start=1):
            _validate_item_model(errors, item, f"remediationConfigurations.{index}.member")
    errors.raise_if_any()


def _validate_item_model(errors: _ModelErrors, item: dict[str, Any], path: str) -> None:
    name = item.get("ConfigRuleName")
    if errors.not_null(name, f"{path}.configRuleName"):
        errors.length(name, f"{path}.configRuleName", 1, 128)
    target_type = item.get("TargetType")
    if errors.not_null(target_type, f"{path}.targetType"):
        errors.enum(target_type, f"{path}.targetType", TARGET_TYPES)
    target_id = item.get("TargetId")
    if errors.not_null(target_id, f"{path}.targetId"):
        errors.length(target_id, f"{path}.targetId", 1, 256)
    errors.range(
        item.get("MaximumAutomaticAttempts"), f"{path}.maximumAutomaticAttempts", *ATTEMPTS_RANGE
    )
    errors.range(
        item.get("RetryAttemptSeconds"), f"{path}.retryAttemptSeconds", *RETRY_SECONDS_RANGE
    )

    ssm = (item.get("ExecutionControls") or {}).get("SsmControls") or {}
    for key, wire in (
        ("ConcurrentExecutionRatePercentage", "concurrentExecutionRatePercentage"),
        ("ErrorPercentage", "errorPercentage"),
    ):
        errors.range(ssm.get(key), f"{path}.executionControls.ssmControls.{wire}", *PERCENT_RANGE)

    parameters = item.get("Parameters")
    if parameters is not None:
        errors.length(parameters, f"{path}.parameters", 0, MAX_PARAMETERS)
        for key, value in parameters.items():
            errors.length(key, f"{path}.parameters.{key}.key", 1, 256)
            value = value or {}
            resource_value = value.get("ResourceValue")
            if resource_value is not None:
                rv_path = f"{path}.parameters.{key}.value.resourceValue.value"
                if errors.not_null(resource_value.get("Value"), rv_path):
                    errors.enum(resource_value.get("Value"), rv_path, RESOURCE_VALUE_TYPES)
            static_value = value.get("StaticValue")
            if static_value is not None:
                sv_path = f"{path}.parameters.{key}.value.staticValue.values"
                if errors.not_null(static_value.get("Values"), sv_path):
                    errors.length(static_value.get("Values"), sv_path, 0, MAX_STATIC_VALUES)


def _validate_semantics(item: dict[str, Any]) -> None:
    """Rules AWS Config checks beyond the service model."""
    for key, value in (item.get("Parameters") or {}).items():
        value = value or {}
        # A RemediationParameterValue is either dynamic or static, never both or none.
        if ("ResourceValue" in value) == ("StaticValue" in value):
            raise InvalidParameterValueException(
                "There were invalid RemediationParameterValues for configurations "
                f"for AWS Config Rules: parameter '{key}' must have exactly one of "
                "ResourceValue or StaticValue"
            )
    if item.get("Automatic"):
        missing = [
            field
            for field in ("MaximumAutomaticAttempts", "RetryAttemptSeconds")
            if item.get(field) is None
        ]
        if missing:
            raise InvalidParameterValueException(
                f"Automatic remediation for rule '{item['ConfigRuleName']}' requires "
                + " and ".join(missing)
            )


# --------------------------------------------------------------------------------------
# Model and backend
# --------------------------------------------------------------------------------------


class RemediationConfiguration(BaseModel):
    """One rule's remediation configuration, kept in the API's own JSON shape."""

    # Members of the RemediationConfiguration shape a caller may set, in the order
    # the API reference lists them. Arn and CreatedByService are set by the service.
    INPUT_FIELDS = (
        "ConfigRuleName",
        "TargetType",
        "TargetId",
        "TargetVersion",
        "Parameters",
        "ResourceType",
        "Automatic",
        "ExecutionControls",
        "MaximumAutomaticAttempts",
        "RetryAttemptSeconds",
    )

    def __init__(self, account_id: str, region: str, item: dict[str, Any], arn: str | None):
        self.fields = {k: item[k] for k in self.INPUT_FIELDS if item.get(k) is not None}
        self.fields.setdefault("Automatic", False)
        rule_name = self.fields["ConfigRuleName"]
        self.arn = arn or (
            f"arn:{get_partition(region)}:config:{region}:{account_id}:"
            f"remediation-configuration/{rule_name}/{mock_random.uuid4()}"
        )

    @property
    def resource_type(self) -> str | None:
        return self.fields.get("ResourceType")

    def to_dict(self) -> dict[str, Any]:
        return {**self.fields, "Arn": self.arn}


class ConfigRemediationBackend(BaseBackend):
    """Remediation configurations of one account and Region, keyed by rule name."""

    def __init__(self, region_name: str, account_id: str):
        super().__init__(region_name, account_id)
        self.configurations: dict[str, RemediationConfiguration] = {}
        self.lock = threading.Lock()

    @property
    def config_backend(self) -> ConfigBackend:
        return config_backends[self.account_id][self.region_name]

    def put_remediation_configurations(self, items: Any) -> list[dict[str, Any]]:
        _validate_model(items)
        for item in items:
            _validate_semantics(item)
        for item in items:
            if item["ConfigRuleName"] not in self.config_backend.config_rules:
                raise NoSuchConfigRuleException(item["ConfigRuleName"])
        # All valid: store them (all or nothing). Updating keeps the existing Arn.
        with self.lock:
            for item in items:
                name = item["ConfigRuleName"]
                existing = self.configurations.get(name)
                self.configurations[name] = RemediationConfiguration(
                    self.account_id,
                    self.region_name,
                    item,
                    arn=existing.arn if existing else None,
                )
        return []  # FailedBatches: nothing failed

    def describe_remediation_configurations(self, rule_names: Any) -> list[dict[str, Any]]:
        errors = _ModelErrors()
        if errors.not_null(rule_names, "configRuleNames"):
            errors.length(rule_names, "configRuleNames", 0, MAX_CONFIGURATIONS_PER_CALL)
            for index, name in enumerate(rule_names, start=1):
                errors.length(name, f"configRuleNames.{index}.member", 1, 128)
        errors.raise_if_any()
        return [
            self.configurations[name].to_dict()
            for name in rule_names
            if name in self.configurations
        ]

    def delete_remediation_configuration(self, rule_name: Any, resource_type: str | None) -> None:
        errors = _ModelErrors()
        if errors.not_null(rule_name, "configRuleName"):
            errors.length(rule_name, "configRuleName", 1, 128)
        errors.raise_if_any()
        with self.lock:
            existing = self.configurations.get(rule_name)
            if existing is None or (
                resource_type and existing.resource_type and resource_type != existing.resource_type
            ):
                raise NoSuchRemediationConfigurationException(rule_name)
            del self.configurations[rule_name]

    def describe_remediation_execution_status(self, rule_name: Any) -> dict[str, Any]:
        # moto runs no remediation, so there is never an execution to report.
        if rule_name not in self.configurations:
            raise NoSuchRemediationConfigurationException(str(rule_name))
        return {"RemediationExecutionStatuses": []}


config_remediation_backends = BackendDict(ConfigRemediationBackend, "config")


def _remediation_backend(account_id: str, region: str) -> ConfigRemediationBackend:
    return config_remediation_backends[account_id][region]


# --------------------------------------------------------------------------------------
# HTTP handlers, added to moto's ConfigResponse
# --------------------------------------------------------------------------------------


def put_remediation_configurations(self: ConfigResponse) -> str:
    backend = _remediation_backend(self.current_account, self.region)
    failed = backend.put_remediation_configurations(self._get_param("RemediationConfigurations"))
    return json.dumps({"FailedBatches": failed})


def describe_remediation_configurations(self: ConfigResponse) -> str:
    backend = _remediation_backend(self.current_account, self.region)
    configurations = backend.describe_remediation_configurations(self._get_param("ConfigRuleNames"))
    return json.dumps({"RemediationConfigurations": configurations})


def delete_remediation_configuration(self: ConfigResponse) -> str:
    backend = _remediation_backend(self.current_account, self.region)
    backend.delete_remediation_configuration(
        self._get_param("ConfigRuleName"), self._get_param("ResourceType")
    )
    return "{}"


def describe_remediation_execution_status(self: ConfigResponse) -> str:
    backend = _remediation_backend(self.current_account, self.region)
    return json.dumps(
        backend.describe_remediation_execution_status(self._get_param("ConfigRuleName"))
    )


def _wrap_delete_config_rule(original: Any) -> Any:
    """AWS refuses to delete a rule that still has a remediation configuration."""

    def delete_config_rule(self: ConfigBackend, rule_name: str) -> None:
        if rule_name in _remediation_backend(self.account_id, self.region_name).configurations:
            raise ResourceInUseException(
                f"The rule {rule_name} currently has a RemediationConfiguration. "
                "Please delete the RemediationConfiguration and try again."
            )
        original(self, rule_name)

    return delete_config_rule


HANDLERS = (
    put_remediation_configurations,
    describe_remediation_configurations,
    delete_remediation_configuration,
    describe_remediation_execution_status,
)


def install() -> list[str]:
    """Register the operations with moto; returns the AWS operation names added."""
    for handler in HANDLERS:
        setattr(ConfigResponse, handler.__name__, handler)

    wrap_once(ConfigBackend, "delete_config_rule", _wrap_delete_config_rule)

    return [
        "".join(part.capitalize() for part in handler.__name__.split("_")) for handler in HANDLERS
    ]
