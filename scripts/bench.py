"""Benchmark `papers generate` and `papers build`: time and memory per step, and the site.

    .venv/bin/python scripts/bench.py                         # shipped content/, 3 runs
    .venv/bin/python scripts/bench.py --papers 30000 --runs 1  # a synthetic corpus
    options: --seed S, --only build, --keep DIR (keep corpus, docs/, site/),
             --settle SECONDS, --json FILE (every figure, and each run's raw numbers)

Each run writes into new docs/ and site/ folders of its own (as in a fresh checkout), all
deleted only after the last run, and runs in a fresh wrapper process, which gives the wall
time of the whole command and its peak memory: the largest resident set of any one process
of it (generator, MkDocs, Pagefind), from getrusage(RUSAGE_CHILDREN). When the generator
has `--timings FILE`, each step (read, render, write, mkdocs, pagefind, swap, ...) is
listed with its wall time and the peak memory of the process that ran it: for in-process
steps the generator's peak so far.
"start-up" is the wall time outside the steps (interpreter start, imports, exit).
Tables give the median over the runs, with min–max when there are several.

--papers N writes a synthetic corpus of N papers first (scripts/corpus.py: curated YAML
days of 30–90 papers going back from 2025-06-06, deterministic for a given --seed), the
newest day being --busiest real papers (default 120) on 2025-06-07, and --interests of its
papers (default 20) named in content/interests.yaml, so that the build ranks For you.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import write_corpus

ROOT = Path(__file__).resolve().parent.parent
PAPERS = [sys.executable, "-m", "generator"]

_WRAPPER = """
import json, resource, subprocess, sys, time
start = time.perf_counter()
done = subprocess.run(sys.argv[1:], capture_output=True, text=True)
seconds = time.perf_counter() - start
peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({"seconds": seconds, "peak_mib": peak_kib / 1024, "code": done.returncode,
                  "stdout": done.stdout, "stderr": done.stderr}))
"""

Run = dict[str, Any]


def has_timings() -> bool:
    """Whether this generator has `--timings FILE` (it writes per-step figures)."""
    help_text = subprocess.run(
        [*PAPERS, "build", "--help"], capture_output=True, text=True, check=True, cwd=ROOT
    ).stdout
    return "--timings" in help_text


def read_timings(path: Path) -> dict[str, Any]:
    """The generator's --timings file: {"steps": [{"step", "seconds", "peak_mib", "beside"}],
    "seconds"}; "beside" names the step one ran in parallel with."""
    data = json.loads(path.read_text(encoding="utf-8"))
    steps = [
        {
            "step": str(s["step"]),
            "seconds": float(s["seconds"]),
            "peak_mib": float(s["peak_mib"]),
            "beside": str(s.get("beside", "")),
        }
        for s in data["steps"]
    ]
    return {"steps": steps, "seconds": float(data["seconds"])}


def measure(command: list[str], timings: Path | None) -> Run:
    """One run of `command` in a fresh wrapper; exits with its output if it fails."""
    if timings is not None:
        command = [*command, "--timings", str(timings)]
    wrapper = subprocess.run(
        [sys.executable, "-c", _WRAPPER, *command],
        capture_output=True, text=True, check=True, cwd=ROOT,
    )
    run: Run = json.loads(wrapper.stdout)
    if run["code"] != 0:
        sys.exit(f"bench: {' '.join(command)} failed ({run['code']}):\n{run['stderr']}")
    run["summary"] = run.pop("stdout").strip().splitlines()[-1:]
    del run["stderr"], run["code"]
    if timings is not None:
        inner = read_timings(timings)
        run.update(steps=inner["steps"], inner_seconds=inner["seconds"])
    return run


def site_figures(site: Path, papers: int | None) -> dict[str, Any]:
    """Size, files, HTML pages, largest page and sizes by top folder of a built site."""
    total = files = pages = 0
    largest = ("", 0)
    folders: dict[str, list[int]] = {}
    kinds: dict[str, int] = {}
    for folder, _, names in os.walk(site):
        rel = Path(folder).relative_to(site)
        top = f"{rel.parts[0]}/" if rel.parts else "(top-level files)"
        for name in names:
            size = (Path(folder) / name).stat().st_size
            total, files = total + size, files + 1
            entry = folders.setdefault(top, [0, 0])
            entry[0] += size
            entry[1] += 1
            kind = Path(name).suffix or "(none)"
            kinds[kind] = kinds.get(kind, 0) + size
            if name.endswith(".html"):
                pages += 1
                if size > largest[1]:
                    largest = (str(rel / name), size)
    return {
        "bytes": total,
        "files": files,
        "html_pages": pages,
        "largest_page": {"path": largest[0], "bytes": largest[1]},
        "bytes_per_paper": total / papers if papers else None,
        "folders": {
            k: {"bytes": v[0], "files": v[1]}
            for k, v in sorted(folders.items(), key=lambda kv: -kv[1][0])
        },
        "kinds": dict(sorted(kinds.items(), key=lambda kv: -kv[1])),
        "pages_of_note": {
            name: (site / name).stat().st_size
            for name in ("index.html", "days/2025-06-07/index.html")
            if (site / name).is_file()
        },
    }


def spread(values: list[float], digits: int = 2) -> str:
    """'median (min–max)', or just the value for one run."""
    text = f"{statistics.median(values):.{digits}f}"
    if len(values) > 1:
        text += f" ({min(values):.{digits}f}–{max(values):.{digits}f})"
    return text


def size(count: float) -> str:
    for unit in ("B", "KiB", "MiB"):
        if count < 1024:
            return f"{count:.0f} {unit}" if unit == "B" else f"{count:.1f} {unit}"
        count /= 1024
    return f"{count:.2f} GiB"


def step_rows(runs: list[Run]) -> list[tuple[str, list[float], list[float]]]:
    """(name, seconds per run, peak MiB per run) per step, in the order of the first run,
    then start-up: the whole command's wall time less the steps."""
    if "steps" not in runs[0]:
        return []
    names = list(dict.fromkeys(s["step"] for run in runs for s in run["steps"]))
    rows = []
    for name in names:
        found = [s for run in runs for s in run["steps"] if s["step"] == name]
        beside = found[0].get("beside")
        label = f"{name} ‖ {beside.split()[0]}" if beside else name
        rows.append((label, [s["seconds"] for s in found], [s["peak_mib"] for s in found]))
    # A step that ran beside another ("pagefind ‖ mkdocs") overlaps it: not added up.
    outside = [
        run["seconds"] - sum(s["seconds"] for s in run["steps"] if not s.get("beside"))
        for run in runs
    ]
    rows.append(("start-up", outside, []))
    return rows


def print_command(command: str, runs: list[Run]) -> None:
    secs, peaks = [r["seconds"] for r in runs], [r["peak_mib"] for r in runs]
    print(f"papers {command:<12} {spread(secs):>22} s {spread(peaks, 1):>24} MiB")
    for name, step_secs, step_peaks in step_rows(runs):
        peak = f"{spread(step_peaks, 1):>24} MiB" if step_peaks else ""
        print(f"  {name:<17} {spread(step_secs):>22} s {peak}")


def print_site(fig: dict[str, Any]) -> None:
    per_paper = f", {size(fig['bytes_per_paper'])} per paper" if fig["bytes_per_paper"] else ""
    print(
        f"\nsite: {size(fig['bytes'])} in {fig['files']:,} files, "
        f"{fig['html_pages']:,} HTML pages{per_paper}"
    )
    page = fig["largest_page"]
    print(f"largest page: {page['path']} ({size(page['bytes'])})")
    for name, count in fig["pages_of_note"].items():
        print(f"  {name}: {size(count)}")
    for name, entry in fig["folders"].items():
        share = 100 * entry["bytes"] / fig["bytes"] if fig["bytes"] else 0
        print(f"  {name:<20} {size(entry['bytes']):>11} {share:5.1f} %  {entry['files']:>8,} files")
    kinds = list(fig["kinds"].items())
    other = sum(b for _, b in kinds[5:])
    shown = ", ".join(f"{kind} {size(count)}" for kind, count in kinds[:5])
    print(f"by kind: {shown}, other {size(other)}")


def paper_count(runs: list[Run]) -> int | None:
    """Paper pages, from the generator's summary line ('..., 89 paper pages, ...')."""
    found = re.search(r"(\d+) paper pages", " ".join(runs[-1]["summary"]))
    return int(found.group(1)) if found else None


def bench(args: argparse.Namespace, work: Path) -> dict[str, Any]:
    if args.papers:
        started = time.perf_counter()
        content = write_corpus(
            work, args.papers, seed=args.seed, busiest=args.busiest, interests=args.interests
        )
        days = len(list(content.glob("*-*-*.yaml")))
        busiest = f", and a real day of {args.busiest} papers" if args.busiest else ""
        liked = f", {args.interests} of them in interests.yaml" if args.interests else ""
        label = (
            f"{args.papers - args.busiest:,} synthetic papers, {days} days, seed {args.seed}"
            f"{busiest}{liked} (written in {time.perf_counter() - started:.1f} s)"
        )
    else:
        content, label = ROOT / "content", "shipped content/"
    runs = args.runs
    timed = has_timings()
    print(f"corpus: {label}; {runs} run(s) each; median (min–max) where several")
    if not timed:
        print("(this generator has no --timings: whole commands only)")
    print(f"{'':19} {'wall time':>22}   {'peak memory':>24}")
    result: dict[str, Any] = {"corpus": label, "papers": args.papers, "runs": runs, "commands": {}}
    for command in args.only or ("generate", "build"):
        measured = []
        for n in range(runs):
            # Fresh folders for each run, and nothing deleted before the last run: on a
            # file system without a journal, ext4 passes over the inodes freed in the last
            # minutes when it creates a file, and creating 10,000 files right after deleting
            # as many took up to ten times as long (BENCHMARKS.md).
            run = work / f"{command}-{n + 1}"
            docs, site = run / "docs", run / "site"
            argv = [*PAPERS, command, "--content", str(content), "--docs-dir", str(docs),
                    "--config", str(ROOT / "mkdocs.yml")]  # fmt: skip
            if command == "build":
                argv += ["--site-dir", str(site)]
            if args.settle:
                time.sleep(args.settle)
            timings = run / "timings.json" if timed else None
            run.mkdir()
            measured.append(measure(argv, timings))
        print_command(command, measured)
        result["commands"][command] = measured
    last = measured[-1]["summary"]
    if last:
        print(f"\nlast summary: {last[0]}")
    if site.is_dir():
        result["site"] = site_figures(site, paper_count(measured) or args.papers)
        print_site(result["site"])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--papers", type=int, default=0, help="synthetic corpus of N papers")
    parser.add_argument("--seed", type=int, default=0, help="seed of the synthetic corpus")
    parser.add_argument("--busiest", type=int, default=120, metavar="N",
                        help="with --papers: N of them are one real day, the newest "
                             "(default 120; the busiest real day so far had 82)")
    parser.add_argument("--interests", type=int, default=20, metavar="N",
                        help="with --papers: content/interests.yaml names N of its papers, so "
                             "the build ranks For you (default 20; 0 for none)")
    parser.add_argument("--runs", type=int, default=3, help="runs per command (default 3)")
    parser.add_argument("--only", choices=("generate", "build"), action="append",
                        help="measure only this command (repeatable)")
    parser.add_argument("--keep", type=Path, metavar="DIR",
                        help="work in DIR (new or empty) and keep the corpus and each run's "
                             "docs/ and site/ (DIR/build-1/site, ...)")
    parser.add_argument("--settle", type=float, default=0, metavar="SECONDS",
                        help="wait this long before each run (let earlier deletions age)")
    parser.add_argument("--json", type=Path, metavar="FILE", help="write the figures as JSON")
    args = parser.parse_args()
    if args.runs < 1 or args.papers < 0:
        parser.error("--runs must be at least 1 and --papers not negative")
    if args.keep is not None:
        if args.keep.exists() and any(args.keep.iterdir()):
            parser.error(f"--keep {args.keep}: not empty")
        args.keep.mkdir(parents=True, exist_ok=True)
        result = bench(args, args.keep.resolve())
    else:
        with tempfile.TemporaryDirectory(prefix="papers-bench-") as tmp:
            result = bench(args, Path(tmp))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
