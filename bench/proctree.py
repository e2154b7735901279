"""Sample CPU time and memory of a process and all its descendants from /proc (Linux only).

RSS summed over processes counts shared pages (the forkserver's and the workers' copies of
the same libraries) once per process, so it overstates; PSS (proportional set size, from
``/proc/PID/smaps_rollup``) shares them out and sums to what the tree really costs. Both
are reported. CPU time of a process is its last sampled ``utime + stime``, so a process that
lives less than one sampling interval can be missed (the crawl's ``wait4`` rusage, which
includes every child it reaped, is a cross-check).
"""

from __future__ import annotations

import os
import threading
import time

TICK = os.sysconf("SC_CLK_TCK")
PAGE = os.sysconf("SC_PAGE_SIZE")


def _stat(pid: int) -> tuple[int, float, int] | None:
    """(ppid, cpu seconds, rss bytes) of ``pid``, or None if it is gone."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            data = fh.read()
    except OSError:
        return None
    fields = data[data.rindex(b")") + 2 :].split()
    ppid = int(fields[1])
    cpu = (int(fields[11]) + int(fields[12])) / TICK
    rss = int(fields[21]) * PAGE
    return ppid, cpu, rss


def _pss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as fh:
            for line in fh:
                if line.startswith(b"Pss:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def cpu_times() -> dict[str, tuple[int, int]]:
    """{'cpu': (busy, total), 'cpu0': …} in clock ticks since boot, from /proc/stat (idle and
    iowait count as not busy)."""
    out = {}
    with open("/proc/stat") as fh:
        for line in fh:
            if not line.startswith("cpu"):
                break
            name, *values = line.split()
            ticks = [int(v) for v in values[:8]]  # user nice system idle iowait irq softirq steal
            out[name] = (sum(ticks) - ticks[3] - ticks[4], sum(ticks))
    return out


def idle_shares(before: dict, after: dict) -> dict[str, float]:
    """Idle share of each CPU line of /proc/stat between two :func:`cpu_times` readings."""
    shares = {}
    for name, (busy, total) in after.items():
        busy0, total0 = before.get(name, (0, 0))
        shares[name] = 1 - (busy - busy0) / max(1, total - total0)
    return shares


def process_name(pid: int) -> str:
    """A short name for a process: its command line, trimmed."""
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as fh:
            args = fh.read().split(b"\0")
    except OSError:
        return "?"
    words = [a.decode(errors="replace").rsplit("/", 1)[-1] for a in args if a][:4]
    return " ".join(words)[:70]


def descendants(root: int) -> dict[int, tuple[float, int]]:
    """{pid: (cpu seconds, rss bytes)} for ``root`` and every process below it."""
    info: dict[int, tuple[int, float, int]] = {}
    for name in os.listdir("/proc"):
        if name.isdigit():
            st = _stat(int(name))
            if st:
                info[int(name)] = st
    children: dict[int, list[int]] = {}
    for pid, (ppid, _, _) in info.items():
        children.setdefault(ppid, []).append(pid)
    out, todo = {}, [root]
    while todo:
        pid = todo.pop()
        if pid in info:
            out[pid] = info[pid][1:]
            todo.extend(children.get(pid, []))
    return out


class TreeSampler(threading.Thread):
    """Sample a process tree every ``interval`` seconds until :meth:`stop`."""

    def __init__(self, root: int, interval: float = 0.2, pss: bool = True):
        super().__init__(daemon=True)
        self.root, self.interval, self.pss = root, interval, pss
        self.cpu: dict[int, float] = {}
        self.names: dict[int, str] = {}
        self.peak_rss = self.peak_pss = 0
        self.peak_root_rss = 0  # the root process alone (the crawl, without its workers)
        self.peak_procs = 0
        self.samples: list[tuple[float, int, int]] = []  # (t, rss, pss)
        self._halt = threading.Event()
        self.start_time = time.monotonic()

    def sample(self) -> None:
        tree = descendants(self.root)
        if not tree:
            return
        for pid, (cpu, _) in tree.items():
            self.cpu[pid] = max(cpu, self.cpu.get(pid, 0.0))
            if pid not in self.names:
                self.names[pid] = process_name(pid)
        rss = sum(r for _, r in tree.values())
        pss = sum(_pss(pid) for pid in tree) if self.pss else 0
        self.peak_rss = max(self.peak_rss, rss)
        self.peak_root_rss = max(self.peak_root_rss, tree.get(self.root, (0, 0))[1])
        self.peak_pss = max(self.peak_pss, pss)
        self.peak_procs = max(self.peak_procs, len(tree))
        self.samples.append((time.monotonic() - self.start_time, rss, pss))

    def run(self) -> None:
        while not self._halt.is_set():
            self.sample()
            self._halt.wait(self.interval)

    def stop(self) -> None:
        self._halt.set()
        self.join()

    @property
    def cpu_seconds(self) -> float:
        return sum(self.cpu.values())
