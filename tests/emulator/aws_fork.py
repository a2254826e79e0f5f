"""A fork server for the AWS CLI, so that a test running hundreds of `aws`
commands (crates/vigil/tests/articles: the rule articles' snippets, run as
written) imports the CLI and loads its command tables once, not per command.

`aws_fork.py serve SOCKET` builds the CLI's driver, then answers each
connection in a forked child that runs the same driver's `main` with the
caller's arguments, environment, folder and standard streams (passed over
the Unix socket), and sends back its exit code. `aws_fork.py call ARGS...`
is that caller: the `aws` a test's shell finds first on PATH. The server
exits when the test process that started it is gone."""
import gc
import json
import os
import shutil
import signal
import socket
import sys


def serve(path):
    import awscli.clidriver  # what this server exists to pay for once

    # Importing awscli put where its data lives into the environment, which
    # each command's is about to replace.
    awscli_data_path = os.environ["AWS_DATA_PATH"]
    # The command tables depend on the CLI's data, not on the caller's
    # environment, which botocore reads only when a command runs.
    driver = awscli.clidriver.create_clidriver()
    services = driver._get_command_table()
    for service in ("sagemaker", "iam", "ec2", "kms", "sts", "bedrock-agentcore-control", "bedrock-agent"):
        services[service]._get_command_table()
    def received(conn):
        message, fds, _, _ = socket.recv_fds(conn, 1 << 20, 3)
        return json.loads(message), fds

    def answer(conn, request, fds):
        gc.disable()
        run(driver, awscli_data_path, conn, request, fds)

    fork_each(path, answer, received)


def fork_each(path, answer, received=lambda conn: (None, [])):
    """Listens on the Unix socket `path` and answers each connection in a
    forked child: `received(conn)` reads the request (and any descriptors
    passed) before the fork, `answer(conn, request, fds)` runs in the child,
    which then exits. Returns when the process that started this one is
    gone, and removes the socket's folder (and what a test put beside it)."""
    # What the children inherit stays shared: the collector would otherwise
    # walk (and so copy) every inherited object in each child.
    gc.freeze()

    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)
    listener.listen(64)
    listener.settimeout(1)
    parent = os.getppid()
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # children reap themselves
    print("listening", flush=True)
    while os.getppid() == parent:
        try:
            conn, _ = listener.accept()
        except socket.timeout:
            continue
        conn.settimeout(None)
        request, fds = received(conn)
        if os.fork() == 0:
            listener.close()
            signal.signal(signal.SIGCHLD, signal.SIG_DFL)
            try:
                answer(conn, request, fds)
            finally:
                os._exit(0)
        conn.close()
        for fd in fds:
            os.close(fd)
    shutil.rmtree(os.path.dirname(path), ignore_errors=True)


def run(driver, awscli_data_path, conn, request, fds):
    code = 255
    try:
        for target, fd in enumerate(fds):
            os.dup2(fd, target)
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        os.environ["AWS_DATA_PATH"] = os.pathsep.join(
            filter(None, [request["env"].get("AWS_DATA_PATH"), awscli_data_path])
        )
        sys.argv = ["aws"] + request["argv"]
        code = driver.main(request["argv"])
    except SystemExit as exit:
        code = exit.code if isinstance(exit.code, int) else 1
    except BaseException:
        import traceback

        traceback.print_exc()
    finally:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            conn.sendall(str(code).encode())
            os._exit(0)


def call(argv):
    conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    conn.connect(os.environ["VIGIL_AWS_FORK_SOCKET"])
    # A process substitution (`file://<(jq ...)`) names one of this
    # process's descriptors, /dev/fd/N; the server's child opens the same
    # pipe through /proc while this process waits.
    argv = [a.replace("/dev/fd/", f"/proc/{os.getpid()}/fd/") for a in argv]
    request = {"argv": argv, "env": dict(os.environ), "cwd": os.getcwd()}
    socket.send_fds(conn, [json.dumps(request).encode()], [0, 1, 2])
    conn.shutdown(socket.SHUT_WR)
    reply = b""
    while chunk := conn.recv(64):
        reply += chunk
    sys.exit(int(reply or b"255"))


if __name__ == "__main__":
    if sys.argv[1] == "serve":
        serve(sys.argv[2])
    else:
        call(sys.argv[2:])
