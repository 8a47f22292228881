"""Reading saved Hugging Face answers whole against the same papers stored as day files.

    .venv/bin/python scripts/read_bench.py                      # ../shared/real, 5 runs
    .venv/bin/python scripts/read_bench.py --real ANSWERS --runs 9

``--real`` is a folder of saved ``/api/daily_papers`` answers (``.json`` or ``.json.gz``
JSON lists, in any subfolder; default ``../shared/real`` beside the repository, which a
user's clone does not have). Two content folders are written to a temporary folder, each
with the shipped ``content/tags.yaml``:

- **months**: every answer as saved whole, ``content/hf/<answer>.json``;
- **days**: the same items a file a day, split by ``submittedOnDailyAt`` and written by
  ``generator.fetch.hf.store_day``, as ``papers fetch hf --since`` stores them.

Each run times, for each layout in turn (their order alternating from run to run), the
read step (``generator.generate.read_corpus``: read, merge, tag) and, alone, the readers
(``generator.readers.read_file`` of every input file). Printed: the median (min–max) over
the runs and the ratio of the medians, months over days.
"""

from __future__ import annotations

import argparse
import gzip
import json
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.fetch.hf import store_day  # noqa: E402
from generator.generate import read_corpus  # noqa: E402
from generator.readers import input_files, read_file  # noqa: E402
from generator.readers.hf_json import item_day  # noqa: E402

DEFAULT_REAL = ROOT.parent / "shared" / "real"
#: Reading monthly answers may take at most this many times as long as reading their days.
TARGET = 1.25


def answers(folder: Path) -> list[Path]:
    """The saved answers under ``folder``, sorted by path."""
    return sorted(
        path
        for path in folder.rglob("*")
        if path.is_file() and (path.suffix == ".json" or path.name.endswith(".json.gz"))
    )


def answer_text(path: Path) -> str:
    if path.name.endswith(".gz"):
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            return handle.read()
    return path.read_text(encoding="utf-8")


def write_layouts(found: list[Path], work: Path) -> tuple[Path, Path, int]:
    """The months and days content folders under ``work``, and the items with no day
    (which the months' reader drops with a warning and a fetch never stores)."""
    months, days = work / "months", work / "days"
    by_day: dict[date, list[dict[str, Any]]] = {}
    undated = 0
    for folder in (months, days):
        (folder / "hf").mkdir(parents=True)
        shutil.copy(ROOT / "content" / "tags.yaml", folder / "tags.yaml")
    for path in found:
        text = answer_text(path)
        name = path.name.removesuffix(".gz")
        (months / "hf" / name).write_text(text, encoding="utf-8")
        for item in json.loads(text):
            day = item_day(item) if isinstance(item, dict) else None
            if day is None:
                undated += 1
                continue
            by_day.setdefault(day, []).append(item)
    for day in sorted(by_day):
        store_day(days, day, by_day[day])
    return months, days, undated


def read_files_only(content: Path) -> int:
    """Every input file through its reader, as the read step does first; papers read."""
    files, _ = input_files(content)
    return sum(len(read_file(path).papers) for path in files)


def read_step(content: Path) -> int:
    return read_corpus(content).summary.papers_read


def timed(function: Callable[[Path], int], content: Path) -> tuple[float, int]:
    started = time.perf_counter()
    papers = function(content)
    return time.perf_counter() - started, papers


def spread(values: list[float]) -> str:
    text = f"{statistics.median(values):.3f} s"
    if len(values) > 1:
        text += f" ({min(values):.3f}–{max(values):.3f})"
    return text


def folder_bytes(content: Path) -> tuple[int, int]:
    files = list((content / "hf").glob("*.json"))
    return len(files), sum(path.stat().st_size for path in files)


def bench(real: Path, runs: int, work: Path) -> None:
    found = answers(real)
    if not found:
        sys.exit(f"read_bench: no .json or .json.gz answers under {real}")
    months, days, undated = write_layouts(found, work)
    layouts = {"months": months, "days": days}
    for label, content in layouts.items():
        count, size = folder_bytes(content)
        print(f"{label:<6} {count:>4} files, {size / 2**20:6.1f} MiB")
    if undated:
        print(f"({undated} items without a day: dropped by the reader, not stored as a day)")
    steps: dict[str, Callable[[Path], int]] = {
        "read step (read_corpus)": read_step,
        "readers only (read_file)": read_files_only,
    }
    for content in layouts.values():  # warm up: imports, the tag index, the page cache
        read_step(content)
    print(f"{runs} runs each, the layouts in turn; median (min–max)")
    for step, function in steps.items():
        seconds: dict[str, list[float]] = {label: [] for label in layouts}
        papers: dict[str, int] = {}
        for run in range(runs):
            order = list(layouts) if run % 2 == 0 else list(reversed(layouts))
            for label in order:
                took, papers[label] = timed(function, layouts[label])
                seconds[label].append(took)
        ratio = statistics.median(seconds["months"]) / statistics.median(seconds["days"])
        verdict = "within" if ratio <= TARGET else "over"
        print(f"\n{step}")
        for label in layouts:
            print(f"  {label:<6} {spread(seconds[label]):>26}  {papers[label]:,} papers")
        print(f"  months / days: {ratio:.2f} ({verdict} the {TARGET} target)")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--real", type=Path, default=DEFAULT_REAL, metavar="FOLDER",
                        help="saved answers (default ../shared/real beside the repository)")
    parser.add_argument("--runs", type=int, default=5, help="runs per layout (default 5)")
    args = parser.parse_args()
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    if not args.real.is_dir():
        parser.error(f"--real {args.real}: not a folder")
    with tempfile.TemporaryDirectory(prefix="papers-read-bench-") as tmp:
        bench(args.real, args.runs, Path(tmp))


if __name__ == "__main__":
    main()
