"""Measure language-model labels on a labelled set of real papers: ``papers label``'s own
code asks a local OpenAI-compatible server (``tests/fetchserver.ChatModel``, on 127.0.0.1)
that answers from recorded answers, every answer goes through the real checks, and the
build's tags are scored against tags careful readers gave, overall and per tag.

    .venv/bin/python scripts/label_report.py --papers tests/data/set3 \\
        --answers tests/data/llm/set3 --labels tests/data/labels-set3.yaml

``--papers`` is a content folder of papers (its ``tags.yaml`` is replaced by the shipped
one, ``content/tags.yaml``, unless ``--rules`` names another); ``--answers``, a folder of
recorded message contents (``tests/data/llm/README.md`` says how they were made).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "scripts")]

from tag_report import print_agreement  # noqa: E402

from generator.corpus import Corpus, read_corpus  # noqa: E402
from generator.fetch.label import Labeller, LabelOptions, LabelRun  # noqa: E402
from generator.tags.report import Agreement, agreement, load_labels  # noqa: E402

from fetchserver import ChatModel, FixtureServer  # noqa: E402


def label_and_read(papers: Path, answers: Path, rules: Path, scratch: Path) -> tuple[
    LabelRun, Corpus
]:
    """Label a copy of ``papers`` from the recorded ``answers``, then read it as the build."""
    content = scratch / "content"
    shutil.copytree(papers, content, ignore=shutil.ignore_patterns("tags.yaml", "labels"))
    shutil.copy(rules, content / "tags.yaml")
    with FixtureServer() as server:
        server.serve("/chat/completions", ChatModel.recorded(answers))
        options = LabelOptions(api_url=server.url, token="recorded", pace=0)
        run = Labeller(content, options, sleep=lambda _: None).label()
    return run, read_corpus(content)


def measure(papers: Path, answers: Path, labels: Path, rules: Path) -> tuple[LabelRun, Agreement,
                                                                            Corpus]:
    with tempfile.TemporaryDirectory() as scratch:
        run, corpus = label_and_read(papers, answers, rules, Path(scratch))
    return run, agreement(corpus.papers, load_labels(labels)), corpus


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--papers", type=Path, required=True, help="a content folder of papers")
    parser.add_argument("--answers", type=Path, required=True, help="recorded answers")
    parser.add_argument("--labels", type=Path, required=True, help="tags readers gave")
    parser.add_argument("--rules", type=Path, default=ROOT / "content" / "tags.yaml")
    args = parser.parse_args()
    run, scores, corpus = measure(args.papers, args.answers, args.labels, args.rules)
    print(run.describe())
    print_agreement(scores, corpus)


if __name__ == "__main__":
    main()
