"""content/interests.yaml and its BibTeX file, through the real command line: what they
give, and each mistake's one-line error naming the file and line."""

from __future__ import annotations

import email
import email.policy
from pathlib import Path

import pytest

from generator.discover.bibtex import read_bibtex
from generator.discover.interests import read_interests
from generator.errors import InputError

from conftest import ROOT, run_papers, write_files

DAY = """\
date: 2025-06-06
papers:
  - title: Direct preference optimization for language models
    abstract: We align language models with human preference pairs, without a reward model.
    arxiv: "2305.18290"
  - title: Robot grasping with diffusion policies
    abstract: A robot arm learns grasping from demonstrations with a diffusion policy.
    arxiv: "2506.00001"
  - title: Preference pairs from AI feedback
    abstract: Language models rank preference pairs instead of humans, for alignment.
    arxiv: "2506.00002"
  - title: Speech recognition for many languages
    abstract: An acoustic model recognises speech in one hundred languages.
    arxiv: "2506.00003"
"""

BIB = r"""
@article{ouyang2022,
  title = {Training language models to follow instructions with human feedback},
  abstract = {We fine-tune language models with human preference feedback and {RLHF}.},
  eprint = {2203.02155},
}
"""


def project(tmp_path: Path, interests: str | None, bib: str | None = BIB) -> Path:
    files = {"2025-06-06.yaml": DAY}
    if interests is not None:
        files["interests.yaml"] = interests
    if bib is not None:
        files["library.bib"] = bib
    content = tmp_path / "content"
    write_files(content, files)
    (content / "tags.yaml").write_bytes((ROOT / "content" / "tags.yaml").read_bytes())
    return content


def generate(tmp_path: Path):
    return run_papers("generate", "--content", "content", "--docs-dir", "docs",
                      "--config", ROOT / "mkdocs.yml", cwd=tmp_path)  # fmt: skip


def test_interests_give_a_for_you_page_and_feeds(tmp_path):
    project(tmp_path, 'papers: [2305.18290, "2401.99999"]\nbibtex: library.bib\n')
    result = generate(tmp_path)
    assert result.returncode == 0, result.stderr
    # The unquoted id is read as written (YAML's float would be 2305.1829).
    warning = "interests.yaml:1: warning: paper 2401.99999 is neither in the archive"
    assert warning in result.stdout + result.stderr
    page = (tmp_path / "docs" / "for-you" / "index.md").read_text()
    order = [page.index(f'id="{i}"') for i in ("2506.00002", "2506.00001")]
    assert order == sorted(order), "the preference paper first"
    assert 'id="2305.18290"' not in page  # an interest is not suggested back
    assert "<summary>Your list: 2 papers</summary>" in page
    assert "Training language models to follow instructions with human feedback" in page
    for name in ("atom.xml", "rss.xml", "feed.json"):
        assert (tmp_path / "docs" / "for-you" / name).is_file()
    assert "for-you/atom.xml" in (tmp_path / "docs" / "feeds.opml").read_text()


def test_without_interests_there_is_no_for_you(tmp_path):
    project(tmp_path, None, None)
    result = generate(tmp_path)
    assert result.returncode == 0, result.stderr
    docs = tmp_path / "docs"
    assert not (docs / "for-you").exists()
    assert "for-you" not in (docs / "feeds.opml").read_text()
    assert "For you" not in (docs / "feeds.md").read_text()


@pytest.mark.parametrize(
    ("interests", "bib", "error"),
    [
        ("papers: []\nlikes: [1]\n", BIB,
         "interests.yaml:2: unknown key 'likes' (known: 'papers' and 'bibtex')"),
        ("papers:\n  - 2305.1829\n", BIB,
         "interests.yaml:2: '2305.1829' is not an arXiv id (such as \"2305.18290\"); write ids "
         "in quotes, as YAML reads 2305.1829 for 2305.18290"),
        ("papers: [banana]\n", BIB,
         "interests.yaml:1: 'banana' is not an arXiv id (such as \"2305.18290\")"),
        ("papers: 2305.18290\n", BIB, "interests.yaml:1: 'papers' must be a list of arXiv ids"),
        ("bibtex: missing.bib\n", BIB, "interests.yaml:1: bibtex file 'missing.bib' not found"),
        ("bibtex: ../outside.bib\n", BIB,
         "interests.yaml:1: bibtex file '../outside.bib' is outside the content folder"),
        ("papers: [\n", BIB, "interests.yaml:2: invalid YAML"),
        ("bibtex: library.bib\n", "@article{a,\n  title = {Open brace,\n}\n",
         "library.bib:1: invalid BibTeX: the entry that starts here is never closed"),
        ("bibtex: library.bib\n", "@article{a,\n  title = {Open {brace},\n",
         "library.bib:2: invalid BibTeX: a value opened here is never closed with '}'"),
        ("bibtex: library.bib\n", "@article{a,\n  title = {x}\n  year = 2020\n}\n",
         "library.bib:3: invalid BibTeX: expected ',' or '}' after the value of 'title'"),
    ],
)  # fmt: skip
def test_each_mistake_is_one_line_naming_the_file_and_line(tmp_path, interests, bib, error):
    project(tmp_path, interests, bib)
    result = generate(tmp_path)
    assert result.returncode == 1
    assert result.stderr.startswith("papers: error: content/") and error in result.stderr
    assert len(result.stderr.splitlines()) == 1 and "Traceback" not in result.stderr
    assert not (tmp_path / "docs").exists()


def test_bibtex_entries_read_as_text():
    text = r"""
    @string{nips = "NeurIPS"}
    @comment{ anything {nested} }
    @inproceedings{k1, title = {Sch{\"o}n {D}iffusion \& More}, booktitle = nips # " 2024",
      url = {https://arxiv.org/abs/2401.00001v2}, abstract = "A ``quoted'' 50\% gain"}
    @misc(k2, title = "Second")
    """
    first, second = read_bibtex(text, "lib.bib")
    assert first.fields["title"] == "Schön Diffusion & More"
    assert first.fields["booktitle"] == "NeurIPS 2024"
    assert first.fields["abstract"] == "A ``quoted'' 50% gain"
    assert (first.line, second.line, second.fields) == (4, 6, {"title": "Second"})
    with pytest.raises(InputError, match=r"lib.bib:1: invalid BibTeX: unknown @string 'x'"):
        read_bibtex("@misc{k, title = x}", "lib.bib")


def test_bibtex_lines_are_right_deep_in_a_large_library():
    """3,000 entries of one to four lines (a large library export), then a broken one:
    each entry, and the error, names its own line."""
    entries, lines, line = [], [], 1
    for n in range(3000):
        fields = "".join(f"  note{k} = {{{k}}},\n" for k in range(n % 4))
        entries.append(f"@misc{{k{n},\n{fields}  title = {{Paper {n}}}\n}}\n\n")
        lines.append(line)
        line += entries[-1].count("\n")
    text = "".join(entries)
    assert [entry.line for entry in read_bibtex(text, "lib.bib")] == lines
    broken = text + "@misc{bad,\n  title = {x}\n  year = 2020\n}\n"
    # The error names the line of 'year', where a ',' after the title was wanted.
    with pytest.raises(InputError, match=rf"^lib.bib:{line + 2}: invalid BibTeX: expected ','"):
        read_bibtex(broken, "lib.bib")


def test_a_bibtex_entry_of_the_archive_stands_for_its_paper(tmp_path):
    from generator.corpus import read_corpus

    content = project(tmp_path, "bibtex: library.bib\n", BIB + r"""
@article{dpo, title = {Direct Preference Optimization for Language Models}, abstract = {Other}}
""")
    papers = {p.id: p for p in read_corpus(content).papers}
    found = read_interests(content, papers)
    assert found is not None
    interests, warnings = found
    assert warnings == []
    assert [(i.paper_id, i.title) for i in interests] == [
        (None, "Training language models to follow instructions with human feedback"),
        ("2305.18290", "Direct preference optimization for language models"),  # by title
    ]


def test_email_for_you_mails_the_same_ranking(tmp_path):
    project(tmp_path, 'papers: ["2305.18290"]\n')
    out = tmp_path / "for-you.eml"
    result = run_papers("email", "--content", "content", "--config", ROOT / "mkdocs.yml",
                        "--date", "2025-06-06", "--for-you", "--out", out,
                        cwd=tmp_path)  # fmt: skip
    assert result.returncode == 0, result.stderr
    message = email.message_from_bytes(out.read_bytes(), policy=email.policy.default)
    assert message["Subject"].endswith("2025: 3 papers for you")
    assert message["Message-ID"].startswith("<2025-06-06.for-you.digest@")
    text = message.get_body(("plain",)).get_content()
    assert text.index("Preference pairs from AI feedback") < text.index("Robot grasping")
    assert "Direct preference optimization" not in text
    missing = run_papers("email", "--content", "nowhere", "--date", "2025-06-06", "--for-you",
                         "--out", out, cwd=tmp_path)  # fmt: skip
    assert missing.returncode == 1
