"""Runs the workspace's test binaries two at a time, longest first.

Most of Vigil's tests wait (on the emulator, on timeouts, on lock waits by
design), so one binary after another keeps two cores less than half busy.
`cargo test` runs its binaries one by one; this runs the ones `cargo test
--no-run --message-format=json` built, in lanes, each in its package folder
as cargo would. A binary's output is printed whole when it ends, so lanes
never interleave. Each binary's time is kept in the target folder, and the
next run starts the slowest first (a fresh clone starts in cargo's order).

Reads cargo's JSON messages on standard input. Prints, per binary, what it
printed and its time; then one closing line summing every binary's result.
Exits 1 if any binary failed. `VIGIL_TEST_LANES` sets the number of lanes.
"""

import json
import os
import re
import subprocess
import sys
import threading
import time

RESULT = re.compile(r"^test result: .*?(\d+) passed; (\d+) failed", re.M)


def built_binaries(messages):
    """(name, executable, package folder) of every test binary cargo built."""
    binaries = []
    for line in messages:
        try:
            message = json.loads(line)
        except ValueError:
            continue
        if message.get("reason") != "compiler-artifact" or not message.get("executable"):
            continue
        if not message.get("profile", {}).get("test"):
            continue
        executable = message["executable"]
        name = os.path.basename(executable).rsplit("-", 1)[0]
        binaries.append((name, executable, os.path.dirname(message["manifest_path"])))
    return binaries


def main():
    binaries = built_binaries(sys.stdin)
    target = os.environ.get("CARGO_TARGET_DIR", "target")
    times_path = os.path.join(target, "vigil-test-times.json")
    try:
        with open(times_path) as f:
            known = json.load(f)
    except (OSError, ValueError):
        known = {}
    # Slowest first, so the last binary to start is a short one.
    binaries.sort(key=lambda b: -known.get(b[0], 0.0))
    lanes = max(1, int(os.environ.get("VIGIL_TEST_LANES", "2")))

    lock = threading.Lock()
    queue = list(binaries)
    totals = {"passed": 0, "failed": 0, "broken": []}
    times = dict(known)

    def lane():
        while True:
            with lock:
                if not queue:
                    return
                name, executable, folder = queue.pop(0)
            env = dict(os.environ, CARGO_MANIFEST_DIR=folder)
            started = time.monotonic()
            run = subprocess.run(
                [executable], cwd=folder, env=env, stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            )
            took = time.monotonic() - started
            output = run.stdout.decode("utf-8", "replace")
            with lock:
                times[name] = round(took, 1)
                for passed, failed in RESULT.findall(output):
                    totals["passed"] += int(passed)
                    totals["failed"] += int(failed)
                if run.returncode != 0:
                    totals["broken"].append(name)
                print(f"     Running {os.path.relpath(executable, target)} ({folder}, {took:.1f} s)")
                sys.stdout.write(output)
                sys.stdout.flush()

    threads = [threading.Thread(target=lane) for _ in range(lanes)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    try:
        with open(times_path, "w") as f:
            json.dump(times, f, indent=0, sort_keys=True)
    except OSError:
        pass
    if totals["broken"]:
        print("failed binaries: " + ", ".join(sorted(totals["broken"])))
    print(f"total: {totals['passed']} passed, {totals['failed']} failed")
    sys.exit(1 if totals["broken"] else 0)


if __name__ == "__main__":
    main()
