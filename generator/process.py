"""Running the build's child processes (MkDocs, Pagefind), sharing the generator's own work
with a forked copy of itself (:class:`Beside`), and timing every build step.

Each step records its wall time and the peak resident memory of the process that ran it:
the generator itself for in-process steps, the child for MkDocs and Pagefind. A child's
peak is read from ``/proc/<pid>/status`` (``VmHWM``) while it runs: the figure ``wait4``
gives would be at least the generator's own size at the fork, since Linux carries the
parent's high-water mark across ``exec``.
"""

from __future__ import annotations

import contextlib
import gc
import os
import pickle
import resource
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Generic, TypeVar

from generator.errors import BuildError


@dataclass(frozen=True)
class StepTiming:
    """One step of a build: how long it took and the peak memory of the process that ran it."""

    step: str
    seconds: float
    peak_mib: float
    beside: str = ""
    """The step this one ran beside, in parallel (its time is not added to the total)."""


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

    def __init__(
        self, step: str, command: list[str], env: dict[str, str], cpus: set[int] | None = None
    ) -> None:
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
            with _affinity(cpus):
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


@contextmanager
def _affinity(cpus: set[int] | None) -> Iterator[None]:
    """This process on ``cpus`` for a moment, so that a child started meanwhile inherits
    them (a child runs nothing before it has them, unlike with a ``preexec_fn``). Only an
    optimisation: where the CPUs cannot be set (a sandbox, a CPU gone meanwhile), the child
    runs where this process may."""
    before = None
    if cpus:
        try:
            before = os.sched_getaffinity(0)
            os.sched_setaffinity(0, cpus)
        except OSError:
            before = None  # nothing was changed
    try:
        yield
    finally:
        if before is not None:
            with contextlib.suppress(OSError):
                os.sched_setaffinity(0, before)


def all_cpus_but_one() -> set[int] | None:
    """The CPUs this process may use but the first, for a child that runs beside a
    single-threaded one (MkDocs): none (no restriction) with fewer than two, or where
    Python cannot set CPU affinity."""
    if not hasattr(os, "sched_getaffinity"):
        return None
    cpus = os.sched_getaffinity(0)
    return cpus - {min(cpus)} if len(cpus) >= 2 else None


def start_child(
    step: str, command: list[str], env: dict[str, str], cpus: set[int] | None = None
) -> Child:
    """Start ``command`` as the build step ``step``, on ``cpus`` (and the processes it
    starts) when given; ``finish()`` waits for it."""
    return Child(step, command, env, cpus)


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


R = TypeVar("R")


def can_fork() -> bool:
    """Whether :class:`Beside` can run work in a second process here (POSIX ``fork``)."""
    return hasattr(os, "fork")


class Beside(Generic[R]):
    """``work()`` run in a forked copy of this process, beside whatever this one does next,
    for the second core: the copy starts with everything read so far, so only the result
    travels back (pickled, through a pipe). ``result()`` waits for it and returns it, or
    raises what ``work`` raised. With ``parallel`` false (or no ``fork``), ``work`` runs
    here and now, which gives the same result.

    The copy leaves with ``os._exit``: it never returns into the caller's code, runs no
    exit handlers and flushes none of this process's buffers. Call ``result()`` or
    ``stop()`` before leaving the caller (a ``try``/``finally``)."""

    def __init__(self, work: Callable[[], R], parallel: bool = True) -> None:
        self._pid = 0
        self._value: tuple[bool, object] | None = None
        if not parallel or not can_fork():
            try:
                self._value = (True, work())
            except Exception as exc:  # raised by result(), as from the copy
                self._value = (False, exc)
            return
        read_end, write_end = os.pipe()
        # Objects from before the fork are left out of garbage collection until the copy
        # is done: collecting would write to every one of them, which makes both processes
        # copy their shared memory page by page.
        gc.freeze()
        pid = os.fork()
        if pid == 0:  # the copy
            code = 1
            try:
                os.close(read_end)
                with os.fdopen(write_end, "wb") as out:
                    out.write(_outcome(work))
                code = 0
            finally:
                os._exit(code)
        os.close(write_end)
        self._pid = pid
        self._pipe = os.fdopen(read_end, "rb")

    def result(self) -> R:
        if self._value is None:
            try:
                data = self._pipe.read()
            finally:
                self.stop()
            try:
                self._value = pickle.loads(data)
            except Exception:  # killed halfway (out of memory?): nothing or half a result
                raise BuildError("a generator process ended without its result") from None
        ok, value = self._value
        if not ok:
            assert isinstance(value, BaseException)
            raise value
        return value  # type: ignore[return-value]

    def stop(self) -> None:
        """Stop the copy if it still runs (the caller failed or was interrupted), and reap it."""
        if self._pid:
            pid, self._pid = self._pid, 0
            self._pipe.close()
            with contextlib.suppress(ProcessLookupError):  # gone already: reaped below
                os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            gc.unfreeze()


def _outcome(work: Callable[[], object]) -> bytes:
    """``work``'s result or exception, pickled for the process that forked this one."""
    try:
        return pickle.dumps((True, work()), pickle.HIGHEST_PROTOCOL)
    except BaseException as exc:  # handed over whole, raised over there
        try:
            return pickle.dumps((False, exc), pickle.HIGHEST_PROTOCOL)
        except Exception:  # an exception that does not pickle: its text still tells
            failure = BuildError(f"{type(exc).__name__}: {exc}")
            return pickle.dumps((False, failure), pickle.HIGHEST_PROTOCOL)


#: The most tasks a :class:`TaskQueue` holds: their numbers are single bytes.
MAX_TASKS = 255


class TaskQueue:
    """Task numbers ``0 … count - 1``, each handed out once, to whichever process asks
    first: the processes :class:`Beside` forks after the queue is made share it. The
    numbers sit in a pipe as single bytes, written before the fork and read one byte per
    task (a read of one byte is never split), so at most :data:`MAX_TASKS`. Iterating
    gives the next numbers until none are left."""

    def __init__(self, count: int) -> None:
        if not 0 <= count <= MAX_TASKS:
            raise ValueError(f"a TaskQueue holds at most {MAX_TASKS} tasks, not {count}")
        read_end, write_end = os.pipe()  # 255 bytes: within any pipe's buffer
        try:
            os.write(write_end, bytes(range(count)))
        finally:
            os.close(write_end)  # no writer left: an empty queue reads as the end
        self._fd = read_end

    def __iter__(self) -> Iterator[int]:
        while self._fd >= 0 and (task := os.read(self._fd, 1)):
            yield task[0]

    def close(self) -> None:
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1
