"""Build a class of simulated students on moto for the grading benchmark.

Each student is an account of its own (a role assumed into a fresh account id); every
fourth is empty, the others have the monitoring lab complete, partial, or without the
alarm's action. Prints the roster CSV on stdout, progress every 100 students on stderr.

    python bench/setup_class.py ENDPOINT COUNT FIRST_ACCOUNT
"""

import sys
from concurrent.futures import ThreadPoolExecutor

import boto3

endpoint, count, first = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
base = dict(region_name="us-east-1", endpoint_url=endpoint, aws_access_key_id="test", aws_secret_access_key="test")


def build(i):
    account = str(first + i)
    role = f"arn:aws:iam::{account}:role/grader"
    creds = boto3.client("sts", **base).assume_role(RoleArn=role, RoleSessionName="setup")["Credentials"]
    kw = dict(
        region_name="us-east-1",
        endpoint_url=endpoint,
        aws_access_key_id=creds["AccessKeyId"],
        aws_secret_access_key=creds["SecretAccessKey"],
        aws_session_token=creds["SessionToken"],
    )
    state = i % 4
    if state != 0:
        logs = boto3.client("logs", **kw)
        logs.create_log_group(logGroupName="/labcheck/app")
        logs.put_retention_policy(logGroupName="/labcheck/app", retentionInDays=14)
        if state != 1:
            logs.put_metric_filter(
                logGroupName="/labcheck/app",
                filterName="errors",
                filterPattern="ERROR",
                metricTransformations=[
                    dict(metricName="AppErrors", metricNamespace="Bootcamp/App", metricValue="1", defaultValue=0.0)
                ],
            )
            alarm = dict(
                AlarmName="app-errors",
                MetricName="AppErrors",
                Namespace="Bootcamp/App",
                Statistic="Sum",
                Period=60,
                EvaluationPeriods=1,
                Threshold=1.0,
                ComparisonOperator="GreaterThanOrEqualToThreshold",
            )
            if state == 3:
                alarm["AlarmActions"] = [f"arn:aws:sns:us-east-1:{account}:alerts"]
            boto3.client("cloudwatch", **kw).put_metric_alarm(**alarm)
    if (i + 1) % 100 == 0:
        print(f"  {i + 1} of {count} students set up", file=sys.stderr, flush=True)
    return f"student-{i:04},{account},{role}"


with ThreadPoolExecutor(8) as pool:
    rows = list(pool.map(build, range(count)))
print("id,account,role_arn")
print("\n".join(rows))
