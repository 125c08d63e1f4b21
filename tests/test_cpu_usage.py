"""The load test's CPU figures (tests/cpu_usage.py) count the server's work, all of it, and
nobody else's as the server's."""

import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from tests import cpu_usage

pytestmark = pytest.mark.skipif(not Path("/proc/stat").exists(), reason="reads Linux's /proc")

# A stand-in for gunicorn: on "go", it works 0.2 s of CPU itself, then has a worker work
# 0.2 s and exit (reaped, as gunicorn reaps a recycled worker), then says "done".
SERVER = textwrap.dedent(
    """
    import subprocess, sys, time

    def work(seconds):
        end = time.process_time() + seconds
        while time.process_time() < end:
            pass

    print("ready", flush=True)
    sys.stdin.readline()
    work(0.2)
    subprocess.run([sys.executable, "-c", "import time\\nend = time.process_time() + 0.2\\n"
                    "while time.process_time() < end: pass"], check=True)
    print("done", flush=True)
    sys.stdin.readline()
    """
)


def test_a_servers_cpu_counts_its_workers_and_not_other_processes():
    server = subprocess.Popen(
        [sys.executable, "-c", SERVER], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert server.stdout.readline() == "ready\n"  # its interpreter's start is not counted
        before = cpu_usage.snapshot(server.pid)
        end = time.process_time() + 0.6  # this process's work, not the server's
        while time.process_time() < end:
            pass
        server.stdin.write("go\n")
        server.stdin.flush()
        assert server.stdout.readline() == "done\n"
        after = cpu_usage.snapshot(server.pid)
    finally:
        server.stdin.close()
        server.wait(timeout=10)

    cost = cpu_usage.per_request(before, after, requests=2)
    # 0.4 s of work in all, its worker's included (whose 0.2 s count its interpreter's
    # start), over two requests; the 0.6 s this test worked is not the server's.
    assert 180 <= cost["server"] <= 360
    assert cost["machine"] >= cost["server"] + 250
    assert cpu_usage.per_request(before, None, requests=2) is None
    assert cpu_usage.per_request(before, after, requests=0) is None


def test_the_databases_cpu_is_what_its_processes_did_in_between():
    # Backend 10 worked 0.3 s in between, backend 12 started in between and worked 0.1 s,
    # and backend 11 (an autovacuum worker) ended: what it did is not known, never negative.
    before = {"server": 1.0, "machine": 50.0, "database": {10: 2.0, 11: 5.0}}
    after = {"server": 1.5, "machine": 52.0, "database": {10: 2.3, 12: 0.1}}
    cost = cpu_usage.per_request(before, after, requests=4)
    assert cost == pytest.approx({"server": 125, "database": 100, "machine": 500})
