"""Running the build's child processes (MkDocs, Pagefind), one beside the other, and timing
every build step.

This is the one place where the build runs anything in parallel: Pagefind indexes the paper
pages while MkDocs builds the site, each on its own core (``generator/build.py``, the
``site`` step). Each step records its wall time and the peak resident memory of the process
that ran it: the generator itself for in-process steps, the child for MkDocs and Pagefind.
A child's peak is read from ``/proc/<pid>/status`` (``VmHWM``) while it runs: the figure
``wait4`` gives would be at least the generator's own size at the fork, since Linux carries
the parent's high-water mark across ``exec``.
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
from pathlib import Path

from generator.errors import BuildError
from generator.model import StepTiming


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


def _has_exited(pid: int) -> bool:
    """Whether the child ``pid`` has exited, leaving it to be reaped."""
    try:
        return os.waitid(os.P_PID, pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is not None
    except (AttributeError, ChildProcessError):  # no waitid here, or not our child
        return False


class Child:
    """A running build step in its own process, started by :func:`start_child`."""

    def __init__(self, step: str, command: list[str], env: dict[str, str]) -> None:
        self.step = step
        self.started = time.perf_counter()
        self._ended: float | None = None
        self._peak: float | None = None
        # Output goes to a temporary file rather than a pipe, so that nothing blocks while
        # the child runs beside another one, and it can be reaped with os.wait4.
        self._output = tempfile.TemporaryFile(  # noqa: SIM115 (closed by finish or stop)
            mode="w+", encoding="utf-8", errors="replace"
        )
        try:
            self._process = subprocess.Popen(
                command,
                env=env,
                stdout=self._output,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
            )
        except OSError as exc:
            self._output.close()
            raise BuildError(f"{step} could not start: {command[0]}: {exc.strerror}") from None

    def sample(self) -> None:
        """Note the child's memory high-water mark while it runs, and when it ended (it is
        reaped only by ``finish()``, maybe much later, after the step it runs beside)."""
        if self._process.returncode is None and self._ended is None:
            sample = _high_water_mib(self._process.pid)
            if sample is not None:
                self._peak = max(self._peak or 0.0, sample)
            if _has_exited(self._process.pid):
                self._ended = time.perf_counter()

    def _wait(self, others: tuple[Child, ...]) -> tuple[int, float]:
        """Reap the child, sampling its memory (and that of ``others``, running beside it)
        every 20 ms; its exit status and peak memory in MiB."""
        while True:
            reaped, status, usage = os.wait4(self._process.pid, os.WNOHANG)
            if reaped:
                return status, self._peak if self._peak is not None else usage.ru_maxrss / 1024
            for child in (self, *others):
                child.sample()
            time.sleep(0.02)

    def finish(
        self, timings: list[StepTiming], beside: str = "", others: tuple[Child, ...] = ()
    ) -> None:
        """Wait for the child; ``BuildError`` with the last lines it printed if it failed."""
        try:
            status, peak_mib = self._wait(others)
        except BaseException:  # Ctrl-C or SIGTERM: stop the child too, then give up
            self.stop()
            raise
        self._process.returncode = os.waitstatus_to_exitcode(status)
        self._output.seek(0)
        lines = self._output.read().strip().splitlines()
        self._output.close()
        seconds = (self._ended or time.perf_counter()) - self.started
        timings.append(StepTiming(self.step, seconds, peak_mib, beside))
        if self._process.returncode != 0:
            detail = " | ".join(line.strip() for line in lines[-5:] if line.strip())
            code = self._process.returncode
            raise BuildError(f"{self.step} failed: {detail or f'exit code {code}'}")

    def stop(self) -> None:
        """Kill the child if it still runs (another step failed or the build was stopped)."""
        if self._process.returncode is None:
            self._process.kill()
            self._process.wait()
        self._output.close()


def start_child(step: str, command: list[str], env: dict[str, str]) -> Child:
    """Start ``command`` as the build step ``step``; ``finish()`` waits for it."""
    return Child(step, command, env)


def run_child(
    step: str,
    command: list[str],
    env: dict[str, str],
    timings: list[StepTiming],
    beside: tuple[Child, ...] = (),
) -> None:
    """Run ``command`` to its end (sampling the memory of the children ``beside`` it);
    ``BuildError`` on a non-zero exit."""
    start_child(step, command, env).finish(timings, others=beside)
