"""CPU time spent by the load test's server, its database and the whole machine (Linux).

The load test divides these by the requests wrk made, to say what one request costs: a page
reaches a share of the static file's throughput only if it costs at most the inverse share
of the static file's CPU (5 % of its throughput: 20 times its CPU per request), since the
machine's cores are busy in every run.

Read from ``/proc``: where it is missing (not Linux), every reading is None.
"""

import os
from pathlib import Path

PROC = Path("/proc")
TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _process_times(pid):
    """(command name, parent pid, own seconds, reaped children's seconds) of ``pid``."""
    text = (PROC / str(pid) / "stat").read_text()
    # The name is in parentheses and may hold spaces or parentheses itself.
    name = text[text.index("(") + 1 : text.rindex(")")]
    fields = text[text.rindex(")") + 2 :].split()
    # proc(5): fields 4 (ppid), 14-15 (utime, stime), 16-17 (cutime, cstime), counted from 1.
    ppid = int(fields[1])
    own = (int(fields[11]) + int(fields[12])) / TICKS
    children = (int(fields[13]) + int(fields[14])) / TICKS
    return name, ppid, own, children


def snapshot(server_pid):
    """CPU seconds so far: the ``server``'s (``server_pid``, its children, and the children it
    has reaped, such as workers gunicorn recycled), each ``postgres`` process's, and the
    ``machine``'s (all cores, every process, Redis, wrk and the kernel included)."""
    if not (PROC / "stat").exists():
        return None
    server = 0.0
    database = {}
    for entry in PROC.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            name, ppid, own, children = _process_times(entry.name)
        except (OSError, ValueError, IndexError):  # the process ended while we read it
            continue
        pid = int(entry.name)
        if pid == server_pid:
            server += own + children
        elif ppid == server_pid:
            server += own
        elif name == "postgres":
            database[pid] = own
    # /proc/stat's first line: user nice system idle iowait irq softirq steal (in ticks).
    ticks = [int(value) for value in (PROC / "stat").read_text().split("\n", 1)[0].split()[1:9]]
    machine = (sum(ticks) - ticks[3] - ticks[4]) / TICKS
    return {"server": server, "machine": machine, "database": database}


def per_request(before, after, requests):
    """Milliseconds of CPU per request between two snapshots, by part (server, database,
    machine); None if unknown.

    A database process that ended in between (an autovacuum worker) is left out: its time
    since the first snapshot ended with it."""
    if before is None or after is None or not requests:
        return None
    spent = {
        "server": after["server"] - before["server"],
        # A process started in between counts whole.
        "database": sum(
            seconds - before["database"].get(pid, 0.0) for pid, seconds in after["database"].items()
        ),
        "machine": after["machine"] - before["machine"],
    }
    return {part: 1000 * seconds / requests for part, seconds in spent.items()}
