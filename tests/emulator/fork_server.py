"""A fork server for the tests' emulators and boto3 scenes, so that a test
binary pays once, not per test, for what every emulator and scene repeats:
importing moto and boto3, applying Vigil's fixes (vigil_moto.patch) and
building moto's per-service web applications (the first request to each
service in a fresh server spent 0.1-0.4 s on that).

`fork_server.py serve SOCKET` does that work, then answers each connection
on the Unix socket in a forked child, whose state is its own:
- `{"emulator": true}`: the child serves a fresh moto on a free port, says
  `listening on http://127.0.0.1:PORT`, and lives until the caller closes
  the connection (the test dropped its emulator, or died);
- `{"scene": SCRIPT, "argv": [...]}`: the child runs SCRIPT as
  `python -c SCRIPT ARGV...` would, and answers one JSON line:
  `{"code": N, "stdout": ..., "stderr": ...}`.
An emulator with vigil_moto.py's fault flags is started as its own process,
as before. The server exits when the process that started it is gone."""
import contextlib
import io
import json
import os
import sys
import threading
import traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from aws_fork import fork_each  # noqa: E402 - beside this file

# The services the tests reach; others are built on first use, as before.
SERVICES = (
    "sagemaker", "bedrock", "bedrock-agent", "sts", "iam", "kms", "s3", "logs", "cloudwatch",
    "organizations", "securityhub", "sqs", "events", "ec2", "sns", "moto_api",
)
# The clients scenes make; botocore keeps each service's model once loaded.
SCENE_CLIENTS = (
    "sagemaker", "bedrock", "bedrock-agent", "iam", "kms", "s3", "logs", "cloudwatch", "ec2", "sts",
    "organizations", "sqs", "events",
)


def serve(path):
    import boto3
    import vigil_moto
    from moto import backends
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app

    vigil_moto.patch()
    app = DomainDispatcherApplication(create_backend_app)
    known = set(backends.list_of_moto_modules())
    for service in SERVICES:
        if service in known or service == "moto_api":
            app.app_instances[service] = create_backend_app(service)
    for service in SCENE_CLIENTS:
        boto3.client(service, region_name="us-east-1", endpoint_url="http://127.0.0.1:9",
                     aws_access_key_id="warm", aws_secret_access_key="warm")
    def answer(conn, request, fds):
        request = json.loads(conn.makefile("rb").readline())
        if request.get("emulator"):
            emulate(app, conn)
        else:
            scene(conn, request["scene"], request.get("argv", []))

    fork_each(path, answer)


def emulate(app, conn):
    """Serves moto until the caller hangs up."""
    import logging

    from moto.moto_server.werkzeug_app import MotoRequestHandler
    from werkzeug.serving import make_server

    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    server = make_server("127.0.0.1", 0, app, True, request_handler=MotoRequestHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    host, port = server.server_address[:2]
    conn.sendall(f"listening on http://{host}:{port}\n".encode())
    while conn.recv(4096):
        pass


def scene(conn, script, argv):
    """Runs `script` as `python -c` would, its output captured."""
    out, err = io.StringIO(), io.StringIO()
    code = 0
    sys.argv = ["-c"] + list(argv)
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            exec(compile(script, "<scene>", "exec"), {"__name__": "__main__"})
        except SystemExit as exit:
            code = exit.code if isinstance(exit.code, int) else (0 if exit.code is None else 1)
        except BaseException:
            traceback.print_exc()
            code = 1
    answer = {"code": code, "stdout": out.getvalue(), "stderr": err.getvalue()}
    conn.sendall((json.dumps(answer) + "\n").encode())


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] != "serve":
        sys.exit("usage: fork_server.py serve SOCKET")
    serve(sys.argv[2])
