"""Benchmark `papers build` and `papers generate`: wall time and peak memory, printed.

    .venv/bin/python scripts/bench.py [--runs 3] [--days N]

By default it measures the shipped content/. With --days N it first writes a synthetic
corpus of N days (the seed's 89 papers per day, titles made unique) to a temporary
folder, to see how the build scales. Peak memory is the largest resident set of any
process of the run (the generator or MkDocs), from getrusage(RUSAGE_CHILDREN) in a fresh
wrapper process per run.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

_WRAPPER = """
import json, resource, subprocess, sys, time
start = time.perf_counter()
subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL)
seconds = time.perf_counter() - start
peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({"seconds": seconds, "peak_mib": peak_kib / 1024}))
"""


def synthetic_content(folder: Path, days: int) -> Path:
    content = folder / "content"
    content.mkdir(parents=True)
    shutil.copy(ROOT / "content" / "tags.yaml", content / "tags.yaml")
    seed = (ROOT / "content" / "2025-06-06-hf-trending.txt").read_text(encoding="utf-8")
    _, _, body = seed.partition("Jun 6\n")
    paragraphs = body.strip().split("\n\n")
    start = date(2025, 6, 6)
    for n in range(days):
        day = start - timedelta(days=n)
        out = [f"{day.isoformat()}"]
        for i in range(0, len(paragraphs), 2):
            out += [f"{paragraphs[i]} (day {n})", paragraphs[i + 1]]
        (content / f"{day.isoformat()}.txt").write_text("\n\n".join(out) + "\n", encoding="utf-8")
    return content


def measure(command: list[str]) -> dict[str, float]:
    result = subprocess.run(
        [sys.executable, "-c", _WRAPPER, *command], capture_output=True, text=True, check=True
    )
    return json.loads(result.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--days", type=int, default=0, help="synthetic days instead of content/")
    args = parser.parse_args()
    papers = [sys.executable, "-m", "generator"]
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        content = synthetic_content(work, args.days) if args.days else ROOT / "content"
        label = f"{args.days} synthetic days" if args.days else "shipped content/"
        print(f"corpus: {label}; {args.runs} runs each; median (min–max)")
        for step in ("generate", "build"):
            command = [
                *papers, step, "--content", str(content), "--docs-dir", str(work / "docs"),
                "--config", str(ROOT / "mkdocs.yml"),
            ]
            if step == "build":
                command += ["--site-dir", str(work / "site")]
            runs = [measure(command) for _ in range(args.runs)]
            secs = [r["seconds"] for r in runs]
            peak = max(r["peak_mib"] for r in runs)
            print(
                f"papers {step:8} wall {statistics.median(secs):6.2f} s "
                f"({min(secs):.2f}–{max(secs):.2f})   peak memory {peak:6.1f} MiB"
            )


if __name__ == "__main__":
    main()
