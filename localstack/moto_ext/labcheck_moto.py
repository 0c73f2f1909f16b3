"""moto's server with the APIs labcheck needs and moto 5.2.5 lacks.

    python localstack/moto_ext/labcheck_moto.py --host 127.0.0.1 --port 5000

Takes exactly the arguments of ``moto_server`` (``moto.server.main``). Before the
server starts it installs, one module per service beside this file:

* ``config_remediation``: AWS Config Put/Describe/DeleteRemediationConfiguration(s),
  DescribeRemediationExecutionStatus, and the DeleteConfigRule guard;
* ``codepipeline_state``: CodePipeline GetPipelineState, executions that run for
  ``LABCHECK_MOTO_EXECUTION_SECONDS`` (default 0) before they succeed, and AWS-shaped
  ListPipelineExecutions;
* ``cloudwatch_cbor``: CloudWatch over Smithy RPC v2 CBOR, the protocol the AWS SDK
  for Rust uses for CloudWatch (moto only speaks its query and JSON protocols).
* ``ssm_state_manager``: SSM State Manager associations (Create/Describe/List/
  Update/DeleteAssociation) and GetPatchBaseline;
* ``backup_selections``: AWS Backup backup selections (Create/Get/List/Delete), which
  assign resources to a plan;
* ``codedeploy_alarms``: the alarm configuration moto stores on a CodeDeploy
  deployment group but answers empty;
* ``ssm_maintenance_windows``: SSM GetMaintenanceWindowTask, and the
  AllowUnassociatedTargets setting moto's maintenance windows drop;
* ``s3_versioning``: S3 GetBucketVersioning with the root element S3 sends, which the
  AWS SDK for Rust requires;
* ``events_test_pattern``: EventBridge TestEventPattern (moto declares it and answers
  nothing), matched with moto's own event-pattern engine;
* ``logs_test_metric_filter``: CloudWatch Logs TestMetricFilter (moto lacks it), with
  the documented filter-pattern grammar: terms, regexes, JSON and space-delimited;
* ``iam_signatures``: SigV4 checks of requests without a body (the REST services'
  GETs and DELETEs) over the empty payload the client signed, when moto enforces IAM
  (``INITIAL_NO_AUTH_ACTION_COUNT``); moto hashes their query string or headers instead;
* ``account_clone``: ``POST /_labcheck/clone-account``, a copy of one account's state
  under another account id, from which ``labcheck selftest`` starts each near miss
  instead of re-running the lab's solution (not an AWS API; never on a graded account).

All state lives in moto's per-account, per-Region backends: ``POST /moto-api/reset``
clears it, and credentials from ``sts assume-role`` into another account see only
that account.
"""

from __future__ import annotations

import os
import sys

# The extensions form the package ``moto_ext`` (moto files model classes by the second
# part of their module name), so its parent folder, localstack/, must be importable.
_PARENT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if _PARENT not in sys.path:
    sys.path.insert(0, _PARENT)

from moto_ext import (  # noqa: E402
    account_clone,
    backup_selections,
    cloudwatch_cbor,
    codebuild_encryption,
    codedeploy_alarms,
    codepipeline_state,
    config_remediation,
    events_test_pattern,
    iam_signatures,
    kms_aws_managed_keys,
    logs_test_metric_filter,
    s3_replication,
    s3_versioning,
    ssm_maintenance_windows,
    ssm_state_manager,
)

EXTENSIONS = (
    config_remediation,
    codepipeline_state,
    cloudwatch_cbor,
    codebuild_encryption,
    codedeploy_alarms,
    backup_selections,
    ssm_state_manager,
    ssm_maintenance_windows,
    s3_versioning,
    s3_replication,
    events_test_pattern,
    logs_test_metric_filter,
    kms_aws_managed_keys,
    iam_signatures,
    account_clone,
)


def install() -> list[str]:
    """Install every extension into the imported moto; returns what was added.

    ``LABCHECK_MOTO_CLONE=off`` leaves out the account copies (``bench/prove.sh``
    measures selftest with and without them)."""
    added: list[str] = []
    for module in EXTENSIONS:
        if module is account_clone and os.environ.get("LABCHECK_MOTO_CLONE") == "off":
            continue
        added.extend(module.install())
    return added


def main(argv: list[str] | None = None) -> None:
    from moto import __version__ as moto_version
    from moto.server import main as moto_main

    added = install()
    print(f"labcheck moto extension on moto {moto_version}: " + ", ".join(added), flush=True)
    moto_main(argv if argv is not None else sys.argv[1:])


if __name__ == "__main__":
    main()
