"""S3 GetBucketReplication with the rules as they were put.

moto 5.2.5 answers every rule with ``"Filter": {"Prefix": ""}`` and
``"DeleteMarkerReplication": {"Status": "Disabled"}``, whatever the rule said, and leaves
out its other settings. S3 answers each rule as it was put: the V1 form (``Prefix``) or
the V2 form (``Filter`` with ``Prefix``, ``Tag`` or ``And``, and
``DeleteMarkerReplication``), with ``SourceSelectionCriteria`` and
``ExistingObjectReplication`` when given. This answers what moto stored (the request's
XML, parsed). Call ``install()`` before the server starts.
"""

from __future__ import annotations

from typing import Any

from moto.core.responses import ActionResult
from moto.s3.exceptions import ReplicationConfigurationNotFoundError
from moto.s3.responses import S3Response

# The rule's members in the API reference's order (ReplicationRule).
RULE_MEMBERS = (
    "ID",
    "Priority",
    "Prefix",
    "Filter",
    "Status",
    "SourceSelectionCriteria",
    "ExistingObjectReplication",
    "Destination",
    "DeleteMarkerReplication",
)


def as_list(value: Any) -> list[Any]:
    """One parsed XML element, or several, as a list."""
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def rule_as_put(rule: dict[str, Any]) -> dict[str, Any]:
    """The stored rule in the answer's shape: repeated elements as lists."""
    answer = {member: rule[member] for member in RULE_MEMBERS if member in rule}
    if "Prefix" in answer and answer["Prefix"] is None:
        answer["Prefix"] = ""  # <Prefix></Prefix> parses as None: the empty prefix
    rule_filter = answer.get("Filter")
    if isinstance(rule_filter, dict):
        rule_filter = dict(rule_filter)
        if "Prefix" in rule_filter and rule_filter["Prefix"] is None:
            rule_filter["Prefix"] = ""
        if isinstance(rule_filter.get("And"), dict) and "Tag" in rule_filter["And"]:
            rule_filter["And"] = {**rule_filter["And"], "Tag": as_list(rule_filter["And"]["Tag"])}
        answer["Filter"] = rule_filter
    elif "Filter" in answer:
        answer["Filter"] = {}  # <Filter/> parses as None: a filter for every object
    return answer


def get_bucket_replication(self: S3Response) -> Any:
    self.data["Action"] = "GetBucketReplication"
    replication = self.backend.get_bucket_replication(self.bucket_name)
    if not replication:
        raise ReplicationConfigurationNotFoundError(bucket_name=self.bucket_name)
    rules = [rule_as_put(rule) for rule in as_list(replication["Rule"])]
    return self.serialized(
        ActionResult({"ReplicationConfiguration": {"Role": replication["Role"], "Rules": rules}})
    )


def install() -> list[str]:
    S3Response.get_bucket_replication = get_bucket_replication  # type: ignore[method-assign]
    return ["S3 GetBucketReplication with rules as put (V1 and V2)"]
