"""The emulator's own ceiling: how fast moto serves the calls grading makes, one at a
time and N at a time, from a client that adds almost nothing (boto3 on warm
connections). Prints calls per second for both, and their ratio.

    python bench/ceiling.py ENDPOINT THREADS SECONDS
"""

import sys
import threading
import time

import boto3

endpoint, threads, seconds = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
kw = dict(region_name="us-east-1", endpoint_url=endpoint, aws_access_key_id="test", aws_secret_access_key="test")


def worker(stop, counter):
    logs = boto3.client("logs", **kw)
    cw = boto3.client("cloudwatch", **kw)
    cfg = boto3.client("config", **kw)
    calls = [
        lambda: logs.describe_log_groups(logGroupNamePrefix="/labcheck/app"),
        lambda: logs.describe_metric_filters(logGroupName="/labcheck/app"),
        lambda: cw.describe_alarms(),
        lambda: cfg.describe_config_rules(),
    ]
    n = 0
    while not stop.is_set():
        calls[n % len(calls)]()
        n += 1
    counter.append(n)


def rate(n_threads):
    stop, counter = threading.Event(), []
    workers = [threading.Thread(target=worker, args=(stop, counter)) for _ in range(n_threads)]
    for w in workers:
        w.start()
    time.sleep(seconds)
    stop.set()
    for w in workers:
        w.join()
    return sum(counter) / seconds


one = rate(1)
many = rate(threads)
print(f"{one:.1f} {many:.1f} {many / one:.2f}")
