"""A fork server for the AWS CLI: the CLI's imports are done once, each call is a fork.

Every `aws` command a lab's solution runs costs about 0.7 s of CPU in a new Python,
most of it importing botocore and awscli and reading their JSON data. This server
imports them once; the `aws` shim (shim.py) hands each call's arguments, environment,
working directory and standard streams to it, and the server forks a child that runs
the real `awscli.clidriver.main()` with exactly those, then reports its exit code.

The server keeps one warm data loader (botocore's cache of the JSON service models and
endpoint data, which depend on nothing but the data path): each child's session uses
it when its data path is the server's, and after each call the server loads the model
of the service just called, so the next call to it finds the model read.

    python server.py SOCKET [IDLE_SECONDS]

It listens on the Unix socket SOCKET (never a network port) and exits by itself when
no call came for IDLE_SECONDS (default 1800).
"""

import importlib
import json
import os
import random
import signal
import socket
import sys
import traceback

import awscli
import awscli.clidriver
import botocore.loaders
import botocore.session

HEADER = 4  # bytes of big-endian payload length, sent with the three descriptors
DATA_PATH = os.environ.get("AWS_DATA_PATH", "")  # as `import awscli` set it
WARM_LOADER = botocore.loaders.create_loader(DATA_PATH)


def recv_exact(conn, size, first=b""):
    data = bytearray(first)
    while len(data) < size:
        chunk = conn.recv(size - len(data))
        if not chunk:
            raise EOFError("the shim closed the connection mid-request")
        data += chunk
    return bytes(data)


def read_request(conn):
    """The call's three descriptors and its request: args, env, cwd."""
    head, fds, _, _ = socket.recv_fds(conn, HEADER, 3)
    head = recv_exact(conn, HEADER, head)
    return fds, json.loads(recv_exact(conn, int.from_bytes(head, "big")))


def run_call(conn, fds, request):
    """In the forked child: become the call, run the CLI, report the exit code."""
    rc = 255
    try:
        for target, fd in enumerate(fds):
            os.dup2(fd, target)
            os.close(fd)
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        if os.environ.get("LC_CTYPE", "") == "UTF-8":  # as the CLI's own `aws` script does
            os.environ["LC_CTYPE"] = "en_US.UTF-8"
        importlib.reload(awscli)  # its import sets AWS_DATA_PATH from the environment
        if os.environ.get("AWS_DATA_PATH") == DATA_PATH:
            botocore.session.create_loader = lambda _path=None: WARM_LOADER
        sys.argv = ["aws", *request["args"]]
        random.seed()  # not the parent's sequence
        rc = awscli.clidriver.main()
    except SystemExit as exit:
        rc = exit.code if isinstance(exit.code, int) else (0 if exit.code is None else 1)
    except BaseException:  # noqa: BLE001 - report, as the CLI process would, and exit non-zero
        traceback.print_exc()
    finally:
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except Exception:  # noqa: BLE001
                pass
    try:
        conn.sendall(f"{rc}\n".encode())
    finally:
        os._exit(rc if isinstance(rc, int) and 0 <= rc < 256 else 255)


def warm_up():
    """Import and read what every call needs, so children inherit it."""
    botocore.session.create_loader = lambda _path=None: WARM_LOADER
    driver = awscli.clidriver.create_clidriver()
    commands = driver._get_command_table()  # imports the CLI's customizations
    for name in ("endpoints", "partitions", "sdk-default-configuration", "_retry", "cli"):
        try:
            WARM_LOADER.load_data(name)
        except Exception:  # noqa: BLE001 - a file this CLI version lacks is read per call
            pass
    return commands


def learn(commands, args):
    """Read the model of the service a call used into the warm loader."""
    command = commands.get(args[0]) if args else None
    try:
        getattr(command, "service_model", None)
    except Exception:  # noqa: BLE001 - not a service command, or an unknown one
        pass


def serve(path, idle_seconds):
    commands = warm_up()
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # children are reaped by the kernel
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)
    listener.listen(64)
    listener.settimeout(idle_seconds)
    print(f"aws cli server on {path}", flush=True)
    while True:
        try:
            conn, _ = listener.accept()
        except socket.timeout:
            print(f"no call for {idle_seconds} s; stopping", flush=True)
            break
        conn.settimeout(None)
        try:
            fds, request = read_request(conn)
        except Exception as e:  # noqa: BLE001 - a broken request ends that call only
            print(f"bad request: {e!r}", flush=True)
            conn.close()
            continue
        if os.fork() == 0:
            listener.close()
            signal.signal(signal.SIGCHLD, signal.SIG_DFL)
            run_call(conn, fds, request)
        conn.close()
        for fd in fds:
            os.close(fd)
        learn(commands, request.get("args", []))
    os.unlink(path)


if __name__ == "__main__":
    serve(sys.argv[1], float(sys.argv[2]) if len(sys.argv) > 2 else 1800.0)
