"""A synthetic content/ folder of N papers, for benchmarks and scale tests.

    from corpus import write_corpus          # with scripts/ on sys.path
    content = write_corpus(tmp_path, 30_000)  # tmp_path/content/*.yaml and tags.yaml

Papers are recombined from the shipped seed (content/2025-06-06-hf-trending.txt) so that
the tag rules in content/tags.yaml hit about as often as they do on real papers. Days go
back from 2025-06-06 with 30–90 papers each (the last day takes the remainder), one
curated YAML file per day. Each paper has a unique title and arXiv id (YYMM.NNNNN of its
day's month), 1–12 authors from a pool of generated names, 0–300 upvotes (skewed low),
sometimes a code link and arXiv categories. The same N and seed give the same files.

``interests=N`` writes ``content/interests.yaml`` naming N of the papers (For you).

``busiest=B`` makes the newest day (2025-06-07) a day of B real Hugging Face papers (the
real answers in tests/fixtures/real, with their TL;DRs, keywords and links, stored as
``papers fetch hf`` stores a day): the heaviest day and home page a real day would make.
"""

from __future__ import annotations

import gzip
import json
import random
import re
import shutil
import sys
from datetime import date, timedelta
from itertools import accumulate
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED_FILE = ROOT / "content" / "2025-06-06-hf-trending.txt"
LAST_DAY = date(2025, 6, 6)

_FIRST = (
    "Ana", "Wei", "Li", "José", "Priya", "Ahmed", "Olga", "Kenji", "Chloé", "Lukas", "Fatima",
    "Yusuf", "Ingrid", "Mateo", "Sven", "Aiko", "Nikolai", "Zoë", "Rahul", "Mei", "Tomás", "Amara",
    "Jonas", "Élodie", "Hyun-woo", "Sofía", "Dmitri", "Leila", "Chen", "Björn", "Ngozi", "Rafael",
    "Hana", "Ewa", "Kwame", "Isabel", "Arjun", "Yuki", "Marta", "Omar", "Łukasz", "Camille",
    "Diego", "Seo-yeon"
)
_LAST = (
    "Zhang", "Wang", "Müller", "García", "Kim", "Singh", "Nguyen", "Rossi", "Novak", "Kowalski",
    "Haddad", "Okafor", "Tanaka", "Larsen", "Ivanova", "Silva", "Dubois", "Fischer", "Patel",
    "Yamamoto", "Hernández", "Chowdhury", "Jensen", "O'Brien", "Şahin", "Nakamura", "Petrov",
    "Costa", "Lindqvist", "Mensah", "Ferreira", "Schäfer", "Gupta", "Park", "Moreau", "Ali",
    "Andersson", "Kuznetsov", "Romero", "Becker", "Zhou", "Liu", "Sato", "Dvořák", "Wójcik",
    "Abebe", "van der Berg"
)
_CATEGORIES = ("cs.CL", "cs.CV", "cs.LG", "cs.AI", "stat.ML", "cs.IR", "cs.RO")
_EXTRA = (
    "We release code and data to support future research.",
    "Our analysis reveals trade-offs that prior work has overlooked.",
    "Results hold across model scales from 1B to 70B parameters.",
    "Ablations confirm that each component contributes to the gains.",
    "The method adds negligible overhead at inference time — about 3 % extra latency.",
)
# Characters PyYAML refuses, or reads as line breaks, inside a double-quoted scalar.
_YAML_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff\ud800-\udfff]")


def yaml_str(text: str) -> str:
    """A YAML double-quoted scalar for ``text``: JSON's escapes (\\" \\\\ \\n \\uXXXX) are
    YAML's too; the few characters JSON leaves raw but YAML would not accept are escaped."""
    quoted = json.dumps(text, ensure_ascii=False)
    return _YAML_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", quoted)


def seed_papers(path: Path = SEED_FILE) -> list[tuple[str, str]]:
    """(title, abstract) pairs of a page dump: the paragraphs after its date line."""
    paragraphs = path.read_text(encoding="utf-8").strip().split("\n\n")
    start = next(i for i, p in enumerate(paragraphs) if re.fullmatch(r"[A-Z][a-z]+ \d+", p))
    body = paragraphs[start + 1 :]
    return list(zip(body[0::2], body[1::2], strict=False))


def _author_pool(rng: random.Random, size: int = 3000) -> list[str]:
    pool: set[str] = set()
    while len(pool) < size:
        middle = f" {rng.choice('ABCDEFGHJKLMNPRSTW')}." if rng.random() < 0.2 else ""
        pool.add(f"{rng.choice(_FIRST)}{middle} {rng.choice(_LAST)}")
    return sorted(pool)


def _day_sizes(papers: int, rng: random.Random) -> list[int]:
    """30–90 papers a day; the last day takes the remainder (at least 30 unless N < 30)."""
    sizes: list[int] = []
    left = papers
    while left > 0:
        size = left if left <= 90 else min(rng.randint(30, 90), left - 30)
        sizes.append(size)
        left -= size
    return sizes


REAL = ROOT / "tests" / "fixtures" / "real"


def write_busiest_day(content: Path, count: int) -> None:
    """``count`` real papers (at most the fixtures' 444) as one Hugging Face day after
    the synthetic ones."""
    sys.path.insert(0, str(ROOT))
    from generator.fetch.hf import dump_items

    items: list[dict] = []
    for path in sorted(REAL.glob("*.json.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            items.extend(json.load(handle))
    if count > len(items):
        raise ValueError(f"busiest: at most {len(items)} real papers, asked for {count}")
    day = LAST_DAY + timedelta(days=1)
    chosen = items[:count]
    for item in chosen:
        item["paper"]["submittedOnDailyAt"] = f"{day.isoformat()}T00:00:00.000Z"
    (content / "hf").mkdir()
    (content / "hf" / f"{day.isoformat()}.json").write_text(dump_items(chosen), "utf-8")


def write_corpus(
    folder: Path, papers: int, seed: int = 0, busiest: int = 0, interests: int = 0
) -> Path:
    """Write ``papers`` papers under ``folder/content`` (created) and return that folder;
    ``busiest`` of them are one real day of that many papers, the newest. With
    ``interests``, ``content/interests.yaml`` names that many of the synthetic papers, spread
    over the archive (the site then has its For you page and feeds)."""
    rng = random.Random(seed)
    content = folder / "content"
    content.mkdir(parents=True)
    shutil.copy(ROOT / "content" / "tags.yaml", content / "tags.yaml")
    if busiest:
        write_busiest_day(content, busiest)
        papers -= busiest
    seeds = seed_papers()
    heads = [t.split(":", 1)[0].split()[0] for t, _ in seeds if ":" in t]
    tails = [t.split(":", 1)[1].strip() if ":" in t else t for t, _ in seeds]
    authors = _author_pool(rng)
    rng.shuffle(authors)  # Zipf-like: a few authors on many papers, most on a few
    weights = list(accumulate(1 / (rank + 100) for rank in range(len(authors))))
    used_ids: set[str] = set()
    number = 0
    for offset, size in enumerate(_day_sizes(papers, rng)):
        day = LAST_DAY - timedelta(days=offset)
        lines = [f"date: {day.isoformat()}", "papers:"]
        for _ in range(size):
            number += 1
            # One seed paper's own title words and abstract, so that the tag rules hit as
            # often as on real papers (about 2.6 tags a paper on the seed); recombining
            # titles and abstracts of different papers gave half as many tags again.
            pick = rng.randrange(len(seeds))
            name = f"{rng.choice(heads)}-{number}"
            title = f"{name}: {tails[pick]}"
            abstract = seeds[pick][1]
            if rng.random() < 0.5:
                abstract += " " + rng.choice(_EXTRA)
            while True:
                arxiv = f"{day:%y%m}.{rng.randrange(1, 30000):05d}"
                if arxiv not in used_ids:
                    used_ids.add(arxiv)
                    break
            count = min(20, 1 + int(rng.expovariate(1 / 5.5)))  # about 6.5, as on HF
            names = rng.choices(authors, cum_weights=weights, k=count)
            lines += [
                f"  - title: {yaml_str(title)}",
                f"    abstract: {yaml_str(abstract)}",
                f'    arxiv: "{arxiv}"',
                f"    authors: [{', '.join(yaml_str(a) for a in dict.fromkeys(names))}]",
                f"    upvotes: {int(300 * rng.random() ** 3)}",
            ]
            if rng.random() < 0.4:
                user = re.sub(r"[^a-z0-9]+", "", names[0].lower()) or "lab"
                repo = re.sub(r"[^a-z0-9-]+", "", name.lower())
                lines.append(f'    links: {{code: "https://github.com/{user}/{repo}"}}')
            if rng.random() < 0.15:  # arXiv fetches carry categories, HF answers do not
                cats = rng.sample(_CATEGORIES, rng.randint(1, 3))
                lines.append(f"    categories: [{', '.join(cats)}]")
        (content / f"{day.isoformat()}.yaml").write_text("\n".join(lines) + "\n", "utf-8")
    if interests:
        ids = sorted(used_ids)
        chosen = ids[:: max(1, len(ids) // interests)][:interests]
        listed = ", ".join(f'"{arxiv}"' for arxiv in chosen)
        (content / "interests.yaml").write_text(f"papers: [{listed}]\n", "utf-8")
    return content
