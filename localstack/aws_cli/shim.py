"""`aws`, answered by the AWS CLI server (server.py beside this file).

`aws_cli.sh start` writes it to run/bin/aws behind a `#!` line that names the venv's
interpreter itself: a `python3` found through PATH may be a version manager's shell
shim, which would cost more than the CLI's imports this saves.

Sends this call's arguments, environment, working directory and standard streams to
the server on the Unix socket LABCHECK_AWS_CLI_SOCKET, waits for the CLI it forks to
finish, and exits with its exit code. Only the standard library, without `site`: it
starts in a few milliseconds, where the CLI itself takes over half a second.
"""

import json
import os
import socket
import sys

path = os.environ.get("LABCHECK_AWS_CLI_SOCKET", "")
try:
    conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    conn.connect(path)
except OSError as e:
    sys.stderr.write(
        f"aws: no AWS CLI server answers at LABCHECK_AWS_CLI_SOCKET={path!r} ({e});"
        " start one with `bash localstack/aws_cli.sh start`\n"
    )
    sys.exit(255)
payload = json.dumps({"args": sys.argv[1:], "env": dict(os.environ), "cwd": os.getcwd()}).encode()
socket.send_fds(conn, [len(payload).to_bytes(4, "big")], [0, 1, 2])
conn.sendall(payload)
said = b""
while not said.endswith(b"\n"):
    chunk = conn.recv(16)
    if not chunk:
        sys.stderr.write("aws: the AWS CLI server ended the call without an exit code\n")
        sys.exit(255)
    said += chunk
sys.exit(int(said))
