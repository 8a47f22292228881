"""What stored Hugging Face days cost: bytes a paper as ``papers fetch hf`` writes them, and
in a git repository (packed), for answers saved as JSON lists (``.json`` or ``.json.gz``).

    .venv/bin/python scripts/storage.py tests/fixtures/real
    .venv/bin/python scripts/storage.py ANSWERS --papers 20000   # any folder of saved answers

Each answer's items are stored a file a day, as a fetch stores them, then committed to a
new git repository and packed (``git gc --aggressive``), which is what a fork carries.
``--papers N`` scales the figures to N papers (the whole history). Also shows the raw
answers' size for comparison.
"""

from __future__ import annotations

import argparse
import gzip
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.fetch.hf import dump_items  # noqa: E402


def load(folder: Path) -> list[dict]:
    items: list[dict] = []
    for path in sorted(folder.iterdir()):
        if path.name.endswith(".json.gz"):
            with gzip.open(path, "rt", encoding="utf-8") as handle:
                items.extend(json.load(handle))
        elif path.suffix == ".json":
            items.extend(json.loads(path.read_text(encoding="utf-8")))
    return items


def packed_bytes(files: dict[str, str]) -> int:
    """The size of a git pack holding ``files`` in one commit."""
    with tempfile.TemporaryDirectory(prefix="papers-storage-") as tmp:
        repo = Path(tmp)
        for name, text in files.items():
            (repo / name).write_text(text, encoding="utf-8")
        quiet = {"capture_output": True, "check": True, "cwd": repo}
        subprocess.run(["git", "init", "-q"], **quiet)  # type: ignore[call-overload]
        subprocess.run(["git", "add", "."], **quiet)  # type: ignore[call-overload]
        who = ["-c", "user.name=bench", "-c", "user.email=bench@example.org"]
        subprocess.run(["git", *who, "commit", "-qm", "days"], **quiet)  # type: ignore[call-overload]
        subprocess.run(["git", "gc", "-q", "--aggressive"], **quiet)  # type: ignore[call-overload]
        return sum(p.stat().st_size for p in (repo / ".git" / "objects" / "pack").glob("*.pack"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path, help="a folder of saved answers")
    parser.add_argument("--papers", type=int, default=20000, help="scale to N papers")
    args = parser.parse_args()
    items = load(args.folder)
    by_day: dict[str, list[dict]] = {}
    for item in items:
        by_day.setdefault(str(item["paper"]["submittedOnDailyAt"])[:10], []).append(item)
    stored = {f"{day}.json": dump_items(day_items) for day, day_items in by_day.items()}
    stored_size = sum(len(text.encode()) for text in stored.values())
    raw = {f"{d}.json": json.dumps(i, indent=1, sort_keys=True) + "\n" for d, i in by_day.items()}
    raw_size = sum(len(text.encode()) for text in raw.values())
    pack, raw_pack = packed_bytes(stored), packed_bytes(raw)
    n = len(items)
    scale = args.papers / n
    print(f"{n:,} papers on {len(by_day):,} days from {args.folder.name}/")
    print(f"{'':24}{'a paper':>10}{'all':>10}{f'x {args.papers:,}':>12}")
    for label, size in (
        ("stored (slim) day files", stored_size),
        ("  in git, packed", pack),
        ("raw answers, indent 1", raw_size),
        ("  in git, packed", raw_pack),
    ):
        print(f"{label:24}{size / n:>8,.0f} B{size / 1e6:>8.1f} MB{size * scale / 1e6:>9.1f} MB")


if __name__ == "__main__":
    main()
