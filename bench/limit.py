"""Grading at the limit: how long `labcheck run LAB` takes against moto, next to how long
moto itself takes to answer the same reads, for every lab, in one run.

    python bench/limit.py LABCHECK ENDPOINT ROUNDS LAB...

The labs' solutions must already be applied in the account behind ENDPOINT (default
keys `test`/`test`, us-east-1). For each lab:

1. `labcheck run LAB` once through a recording proxy: the requests grading sends;
2. `labcheck run LAB` straight at moto, ROUNDS times: the median wall time, start-up
   and all (what a learner waits for);
3. the distinct recorded requests replayed at moto, one after another on one warm
   keep-alive connection, ROUNDS times: the median total (the emulator's own time for
   the lab's reads, which no client can beat);
4. `labcheck show LAB` ROUNDS times: the median start-up with no AWS call at all
   (process start, loading the labs).

Prints one row per lab and the totals; the ratio is (2) over (3). Last, what starting
`/bin/true` costs from here: the part of (2) that is any process's, not labcheck's.
"""

import http.client
import http.server
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse

labcheck, endpoint, rounds, labs = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4:]
upstream = urllib.parse.urlsplit(endpoint)
HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "content-length", "host"}


class Recorder(http.server.BaseHTTPRequestHandler):
    """Forwards each request to moto and keeps (method, path, headers, body)."""

    protocol_version = "HTTP/1.1"
    recorded = []

    def forward(self):
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
        Recorder.recorded.append((self.command, self.path, headers, body))
        conn = http.client.HTTPConnection(upstream.hostname, upstream.port, timeout=60)
        conn.request(self.command, self.path, body=body, headers=headers)
        answer = conn.getresponse()
        data = answer.read()
        self.send_response(answer.status)
        for k, v in answer.getheaders():
            if k.lower() not in HOP_BY_HOP:
                self.send_header(k, v)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
        conn.close()

    do_GET = do_POST = do_PUT = do_HEAD = do_DELETE = forward

    def log_message(self, *_):
        pass


def run_any(*command):
    started = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - started


def run(*args):
    return run_any(labcheck, *args)


def replay(requests):
    conn = http.client.HTTPConnection(upstream.hostname, upstream.port, timeout=60)
    conn.connect()
    started = time.perf_counter()
    for method, path, headers, body in requests:
        conn.request(method, path, body=body, headers=headers)
        conn.getresponse().read()
    elapsed = time.perf_counter() - started
    conn.close()
    return elapsed


proxy = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
threading.Thread(target=proxy.serve_forever, daemon=True).start()
proxy_url = f"http://127.0.0.1:{proxy.server_address[1]}"

rows = []
print(f"{'lab':45} {'calls':>5} {'distinct':>8} {'labcheck s':>10} {'moto s':>8} {'ratio':>6} {'start-up s':>10}")
for lab in labs:
    Recorder.recorded = []
    run("run", lab, "--endpoint-url", proxy_url)
    seen, distinct = set(), []
    for method, path, headers, body in Recorder.recorded:
        # JSON-protocol services (Config, CloudWatch Logs, ...) name the operation in a
        # header, not the path or body: two different reads may both be `POST /` with `{}`.
        operation = next((v for k, v in headers.items() if k.lower() == "x-amz-target"), None)
        if (method, path, operation, body) not in seen:
            seen.add((method, path, operation, body))
            distinct.append((method, path, headers, body))
    graded = statistics.median(run("run", lab, "--endpoint-url", endpoint) for _ in range(rounds))
    replay(distinct)  # warm the connection's path through moto once
    reads = statistics.median(replay(distinct) for _ in range(rounds))
    startup = statistics.median(run("show", lab) for _ in range(rounds))
    rows.append((lab, len(Recorder.recorded), len(distinct), graded, reads, startup))
    print(f"{lab:45} {rows[-1][1]:5} {len(distinct):8} {graded:10.3f} {reads:8.3f} {graded / reads:6.2f} {startup:10.3f}")

total_graded = sum(r[3] for r in rows)
total_reads = sum(r[4] for r in rows)
worst = max(rows, key=lambda r: r[3] / r[4])
print(f"{'all labs':45} {sum(r[1] for r in rows):5} {sum(r[2] for r in rows):8} {total_graded:10.3f} "
      f"{total_reads:8.3f} {total_graded / total_reads:6.2f} {sum(r[5] for r in rows):10.3f}")
print(f"worst ratio: {worst[0]} {worst[3] / worst[4]:.2f}")
within = sum(1 for r in rows if r[3] / r[4] <= 1.5)
print(f"within 1.5x: {within} of {len(rows)} labs")
# What starting any process costs this harness (fork, exec, wait), which labcheck's
# wall time includes and moto's replay does not.
spawn = statistics.median(run_any("true") for _ in range(max(rounds, 21)))
print(f"starting /bin/true from here: {spawn * 1000:.1f} ms")
proxy.shutdown()
