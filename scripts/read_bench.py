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
read step (``generator.corpus.read_corpus``: read, merge, tag) and, alone, the readers
(``generator.readers.read_file`` of every input file). Printed: the median (min–max) over
the runs and the ratio of the medians, months over days.

Then whether reading a file costs time linear in its size: every item as one saved answer,
and the same papers as one BibTeX library (the ``bibtex:`` of ``interests.yaml``, read by
``generator.discover.bibtex``), each read whole and as its first half. Linear time reads the whole
in about twice the half's time; time in the square of the size, in four times.
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
from collections.abc import Callable, Mapping
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.corpus import read_corpus  # noqa: E402
from generator.discover.bibtex import read_bibtex  # noqa: E402
from generator.fetch.hf import store_day  # noqa: E402
from generator.readers import input_files, read_file  # noqa: E402
from generator.readers.hf_json import item_day, read_hf_json  # noqa: E402

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


Item = dict[str, Any]


def write_layouts(found: list[Path], work: Path) -> tuple[Path, Path, list[Item]]:
    """The months and days content folders under ``work``, and every item read (an item
    with no day is left out of the days: the months' reader drops it with a warning, and
    a fetch never stores it)."""
    months, days = work / "months", work / "days"
    by_day: dict[date, list[Item]] = {}
    items: list[Item] = []
    for folder in (months, days):
        (folder / "hf").mkdir(parents=True)
        shutil.copy(ROOT / "content" / "tags.yaml", folder / "tags.yaml")
    for path in found:
        text = answer_text(path)
        name = path.name.removesuffix(".gz")
        (months / "hf" / name).write_text(text, encoding="utf-8")
        for item in json.loads(text):
            items.append(item)
            day = item_day(item) if isinstance(item, dict) else None
            if day is not None:
                by_day.setdefault(day, []).append(item)
    for day in sorted(by_day):
        store_day(days, day, by_day[day])
    return months, days, items


def bibtex_library(items: list[Item]) -> str:
    """The papers of ``items`` as a library export: title, authors, abstract, arXiv id."""

    def plain(value: Any) -> str:  # braces and backslashes would be BibTeX markup
        text = str(value or "").replace("{", "").replace("}", "").replace("\\", "")
        return " ".join(text.split())

    entries = []
    for n, item in enumerate(items):
        paper = item.get("paper") or {}
        authors = " and ".join(plain(a.get("name")) for a in paper.get("authors") or [])
        entries.append(
            f"@article{{paper{n},\n  title = {{{plain(paper.get('title'))}}},\n"
            f"  author = {{{authors}}},\n  abstract = {{{plain(paper.get('summary'))}}},\n"
            f"  eprint = {{{plain(paper.get('id'))}}},\n  year = 2025\n}}\n"
        )
    return "\n".join(entries)


def read_files_only(content: Path) -> int:
    """Every input file through its reader, as the read step does first; papers read."""
    files, _ = input_files(content)
    return sum(len(read_file(path).papers) for path in files)


def read_step(content: Path) -> int:
    return read_corpus(content).summary.papers_read


def spread(values: list[float]) -> str:
    text = f"{statistics.median(values):.3f} s"
    if len(values) > 1:
        text += f" ({min(values):.3f}–{max(values):.3f})"
    return text


def folder_bytes(content: Path) -> tuple[int, int]:
    files = list((content / "hf").glob("*.json"))
    return len(files), sum(path.stat().st_size for path in files)


def timed_runs(
    reads: Mapping[str, Callable[[], int]], runs: int
) -> tuple[dict[str, list[float]], dict[str, int]]:
    """Seconds of each run of each read (taken in turn, the order alternating from run to
    run), and what each read counted."""
    seconds: dict[str, list[float]] = {label: [] for label in reads}
    counts: dict[str, int] = {}
    labels = list(reads)
    for run in range(runs):
        for label in labels if run % 2 == 0 else labels[::-1]:
            started = time.perf_counter()
            counts[label] = reads[label]()
            seconds[label].append(time.perf_counter() - started)
    return seconds, counts


def ratio(seconds: dict[str, list[float]], top: str, bottom: str) -> float:
    return statistics.median(seconds[top]) / statistics.median(seconds[bottom])


def compare_layouts(layouts: dict[str, Path], sizes: dict[str, int], runs: int) -> None:
    """The read step and the readers alone on both layouts, months over days."""
    for content in layouts.values():  # warm up: imports, the tag index, the page cache
        read_step(content)
    print(f"{runs} runs each, the layouts in turn; median (min–max)")
    for step, function in (("read step (read_corpus)", read_step),
                           ("readers only (read_file)", read_files_only)):  # fmt: skip
        reads = {label: partial(function, content) for label, content in layouts.items()}
        seconds, papers = timed_runs(reads, runs)
        print(f"\n{step}")
        for label in layouts:
            line = f"  {label:<6} {spread(seconds[label]):>26}  {papers[label]:,} papers"
            if function is read_files_only:  # the readers' time goes with the bytes
                per_mib = statistics.median(seconds[label]) / (sizes[label] / 2**20)
                line += f", {1000 * per_mib:.1f} ms a MiB"
            print(line)
        months_over_days = ratio(seconds, "months", "days")
        if function is read_step:
            verdict = "within" if months_over_days <= TARGET else "over"
            print(f"  months / days: {months_over_days:.2f} ({verdict} the {TARGET} target)")
        else:
            more = sizes["months"] / sizes["days"]
            print(f"  months / days: {months_over_days:.2f} (for {more:.2f} times the bytes)")


def answer_papers(path: Path) -> int:
    return len(read_hf_json(path, path.name).papers)


def library_entries(text: str) -> int:
    return len(read_bibtex(text, "library.bib"))


def linearity(items: list[Item], runs: int, work: Path) -> None:
    """One saved answer of every item and one BibTeX library of the same papers, each read
    whole and as its first half."""
    print(f"\none file, whole and its first half; {runs} runs each, median (min–max)")
    halves = {"whole": items, "half": items[: len(items) // 2]}
    answers: dict[str, Callable[[], int]] = {}
    libraries: dict[str, Callable[[], int]] = {}
    sizes: dict[str, dict[str, int]] = {"answer": {}, "library": {}}
    for part, chosen in halves.items():
        path = work / f"answer-{part}.json"
        path.write_text(json.dumps(chosen, ensure_ascii=False, indent=2) + "\n", "utf-8")
        sizes["answer"][part] = path.stat().st_size
        answers[part] = partial(answer_papers, path)
        library = bibtex_library(chosen)
        sizes["library"][part] = len(library.encode("utf-8"))
        libraries[part] = partial(library_entries, library)
    for kind, label, reads in (("answer", "a saved answer (papers)", answers),
                               ("library", "a BibTeX library (entries)", libraries)):  # fmt: skip
        reads["whole"]()  # warm up
        seconds, counts = timed_runs(reads, runs)
        print(f"  {label}")
        for part in halves:
            size = f"{sizes[kind][part] / 2**20:.1f} MiB"
            print(f"    {part:<5} {spread(seconds[part]):>26}  {counts[part]:,} read, {size}")
        print(f"    whole / half: {ratio(seconds, 'whole', 'half'):.2f}")


def bench(real: Path, runs: int, work: Path) -> None:
    found = answers(real)
    if not found:
        sys.exit(f"read_bench: no .json or .json.gz answers under {real}")
    months, days, items = write_layouts(found, work)
    layouts = {"months": months, "days": days}
    sizes = {}
    for label, content in layouts.items():
        count, sizes[label] = folder_bytes(content)
        print(f"{label:<6} {count:>4} files, {sizes[label] / 2**20:6.1f} MiB")
    undated = sum(1 for item in items if not isinstance(item, dict) or item_day(item) is None)
    if undated:
        print(f"({undated} items without a day: dropped by the reader, not stored as a day)")
    compare_layouts(layouts, sizes, runs)
    linearity(items, runs, work)


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
