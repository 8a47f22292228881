"""Running the build's child processes (MkDocs, Pagefind) and timing every build step.

Each step records its wall time and the peak resident memory of the process that ran it:
the generator itself for in-process steps, the child for MkDocs and Pagefind. A child's
peak is read from ``/proc/<pid>/status`` (``VmHWM``) while it runs: the figure ``wait4``
gives would be at least the generator's own size at the fork, since Linux carries the
parent's high-water mark across ``exec``.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from generator.errors import BuildError


@dataclass(frozen=True)
class StepTiming:
    """One step of a build: how long it took and the peak memory of the process that ran it."""

    step: str
    seconds: float
    peak_mib: float


def _own_peak_mib() -> float:
    kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return kib / 1024 if sys.platform != "darwin" else kib / 2**20


@contextmanager
def timed(step: str, timings: list[StepTiming]) -> Iterator[None]:
    """Time an in-process step; its peak memory is the generator's own so far."""
    started = time.perf_counter()
    yield
    timings.append(StepTiming(step, time.perf_counter() - started, _own_peak_mib()))


def _high_water_mib(pid: int) -> float | None:
    try:
        with Path(f"/proc/{pid}/status").open(encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except (OSError, ValueError, IndexError):
        pass
    return None


def _wait_watching_memory(pid: int) -> tuple[int, float]:
    """Reap ``pid``; its exit status and peak memory in MiB, sampled every 20 ms."""
    peak: float | None = None
    while True:
        reaped, status, usage = os.wait4(pid, os.WNOHANG)
        if reaped:
            return status, peak if peak is not None else usage.ru_maxrss / 1024
        sample = _high_water_mib(pid)
        if sample is not None:
            peak = max(peak or 0.0, sample)
        time.sleep(0.02)


def run_child(
    step: str, command: list[str], env: dict[str, str], timings: list[StepTiming]
) -> None:
    """Run ``command``; on a non-zero exit, ``BuildError`` with the last lines it printed.

    Output goes to a temporary file rather than a pipe so that the child can be reaped with
    ``os.wait4``, which gives its own peak memory.
    """
    started = time.perf_counter()
    with tempfile.TemporaryFile(mode="w+", encoding="utf-8", errors="replace") as output:
        try:
            child = subprocess.Popen(
                command, env=env, stdout=output, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL
            )
        except OSError as exc:
            raise BuildError(f"{step} could not start: {command[0]}: {exc.strerror}") from None
        try:
            status, peak_mib = _wait_watching_memory(child.pid)
        except BaseException:  # Ctrl-C or SIGTERM: stop the child too, then give up
            child.kill()
            child.wait()
            raise
        child.returncode = os.waitstatus_to_exitcode(status)
        output.seek(0)
        lines = output.read().strip().splitlines()
    timings.append(StepTiming(step, time.perf_counter() - started, peak_mib))
    if child.returncode != 0:
        detail = " | ".join(line.strip() for line in lines[-5:] if line.strip())
        raise BuildError(f"{step} failed: {detail or f'exit code {child.returncode}'}")
