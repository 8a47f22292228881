"""``papers label``: ask an OpenAI-compatible chat-completions endpoint to tag the papers
of ``content/`` that have no label for the current taxonomy, and store the answers in
``content/labels/`` (``generator.tags.labels``; the contract is ``generator.tags.prompt``).

Which papers: those with no label first, newest first day first, then those whose label
was asked under another taxonomy (a tag added, removed or reworded), newest first too. So
a fork's history is labelled over the following days, while each new day is labelled the
day it arrives.

Faults, as a daily workflow meets them:

- a 429 waits as the server says (``Retry-After``, ``x-ratelimit-reset-*``); 5xx answers and
  timeouts are retried with growing waits (``generator.fetch.transport``);
- a used-up quota (a 429 asking to wait longer than ``--max-wait``) ends the run: what was
  labelled is kept, the exit is 0, and one line says how many papers still wait;
- a 401 or 403 prints one line naming what to set, changes nothing and exits 1 (the
  workflow carries on and deploys with rule tags);
- an answer that is not JSON, or leaves a paper out, leaves those papers unlabelled: they
  are asked once more at the end of the run, or by a later run;
- labels are written after each answer, each file atomically: a run killed at any point
  leaves every file whole, and the next run continues where it stopped.

The token is sent as a bearer token and never printed or stored.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from generator.corpus import TAGS_FILE
from generator.errors import InputError
from generator.fetch.store import write_atomic
from generator.fetch.transport import Answer, FetchError, RetryPolicy, post_json
from generator.model import Paper, RawPaper
from generator.readers import input_files, merge_papers, read_file
from generator.tags import (
    LABELS_DIR,
    MAX_INPUT_TOKENS,
    TAXONOMIES_FILE,
    Asked,
    Label,
    LabelStore,
    NotAnAnswer,
    TagRule,
    batches,
    label_line,
    load_tag_rules,
    message_content,
    month_file,
    read_labels,
    request_body,
    taxonomy_fingerprints,
    taxonomy_key,
    validate_answer,
)

#: GitHub Models: every GitHub Actions job may call it with its own GITHUB_TOKEN.
DEFAULT_API_URL = "https://models.github.ai/inference"
#: A small model GitHub Models serves on its free tier (about 150 requests a day).
DEFAULT_MODEL = "openai/gpt-4.1-mini"
API_URL_ENV = "PAPERS_LLM_API_URL"
MODEL_ENV = "PAPERS_LLM_MODEL"
TOKEN_ENVS = ("PAPERS_LLM_TOKEN", "GITHUB_TOKEN")
PACE_ENV = "PAPERS_LLM_PACE"
#: Seconds between two requests: GitHub Models' free tier allows 15 a minute.
DEFAULT_PACE = 4.0
#: The longest wait a 429 may ask for; a longer one is a used-up quota, and ends the run.
DEFAULT_MAX_WAIT = 120.0
#: Chat completions take a while: seconds for one answer before it is tried again.
DEFAULT_TIMEOUT = 120.0


@dataclass(frozen=True)
class LabelOptions:
    """How ``papers label`` asks: where, which model, how much, how patiently."""

    api_url: str = DEFAULT_API_URL
    model: str = DEFAULT_MODEL
    token: str = ""
    max_requests: int | None = None
    """The most requests of one run (None: until every paper is labelled)."""
    max_input_tokens: int = MAX_INPUT_TOKENS
    pace: float = DEFAULT_PACE
    policy: RetryPolicy = field(
        default_factory=lambda: RetryPolicy(
            tries=4, timeout=DEFAULT_TIMEOUT, max_wait=DEFAULT_MAX_WAIT
        )
    )
    dry_run: Path | None = None
    """Write each request's body to this folder instead of sending it."""


@dataclass
class LabelRun:
    """What one run did, for its summary line."""

    requests: int = 0
    labelled: int = 0
    waiting: int = 0
    dropped: Counter[str] = field(default_factory=Counter)
    not_answers: int = 0
    stopped: str = ""
    """Why the run ended early: empty when it asked for every paper it meant to."""

    def describe(self) -> str:
        line = f"papers label: {self.labelled} papers labelled in {self.requests} requests"
        if self.dropped:
            parts = ", ".join(f"{n} {why}" for why, n in sorted(self.dropped.items()))
            line += f"; dropped {parts}"
        if self.not_answers:
            line += f"; {self.not_answers} answers were not the JSON asked for"
        line += f"; {self.waiting} papers still wait"
        return line + (f" ({self.stopped})" if self.stopped else "")


class AccessDenied(FetchError):
    """A 401 or 403: the token is missing, wrong, or has no access to the models."""


def read_papers(content: Path) -> list[Paper]:
    """The papers of ``content/`` as the build merges them, cleaned as the build reads them
    (the text a request sends is the text the build shows)."""
    if not content.is_dir():
        raise InputError(str(content), None, "content folder not found")
    raws: list[RawPaper] = []
    for path in input_files(content)[0]:
        raws.extend(read_file(path).papers)
    return merge_papers(raws).papers


def papers_to_label(
    papers: list[Paper], store: LabelStore, fingerprints: dict[str, str]
) -> list[Paper]:
    """Papers with no label, then papers with a stale label; newest first day first in
    each, then by rank on the day."""
    order = sorted(papers, key=lambda p: (-p.first_day.toordinal(), p.rank, p.id))
    unlabelled = [p for p in order if p.id not in store.labels]
    stale = [
        p
        for p in order
        if p.id in store.labels and not store.current(store.labels[p.id], fingerprints)
    ]
    return unlabelled + stale


def write_labels(content: Path, store: LabelStore, files: Iterable[str]) -> list[Path]:
    """Write ``taxonomies.json`` (the taxonomies some label was asked under) and the label
    files named in ``files`` (``YYYY-MM.jsonl``, as ``store.files`` places each label; a
    file left with no label is removed), each atomically. The index goes first, so no
    label names a taxonomy not written yet. Returns the files written."""
    folder = content / LABELS_DIR
    written: list[Path] = []
    used = {label.taxonomy for label in store.labels.values()}
    taxonomies = {key: fps for key, fps in store.taxonomies.items() if key in used}
    index = json.dumps(taxonomies, indent=1, sort_keys=True) + "\n"
    if write_atomic(folder / TAXONOMIES_FILE, index):
        written.append(folder / TAXONOMIES_FILE)
    by_file: dict[str, list[str]] = {name: [] for name in files}
    for pid, name in store.files.items():
        if name in by_file:
            by_file[name].append(pid)
    for name, ids in sorted(by_file.items()):
        path = folder / name
        if not ids:
            if path.exists():
                path.unlink()
                written.append(path)
            continue
        text = "".join(label_line(store.labels[pid]) + "\n" for pid in sorted(ids))
        if write_atomic(path, text):
            written.append(path)
    return written


class Labeller:
    """One run of ``papers label`` over a content folder."""

    def __init__(
        self,
        content: Path,
        options: LabelOptions,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.content = content
        self.options = options
        self.sleep = sleep
        tags_file = content / TAGS_FILE
        self.rules: list[TagRule] = load_tag_rules(tags_file, tags_file.as_posix())
        self.fingerprints = taxonomy_fingerprints(self.rules)
        self.key = taxonomy_key(self.fingerprints)
        self.known = set(self.fingerprints)
        self.store = read_labels(content)
        self.papers = {p.id: p for p in read_papers(content)}
        self.schema = True
        self.run = LabelRun()

    def label(self) -> LabelRun:
        """Ask for every paper that needs a label, within ``max_requests``; the papers an
        answer left unlabelled once more at the end."""
        queue = papers_to_label(list(self.papers.values()), self.store, self.fingerprints)
        again = self._ask_all([Asked(p.id, p.title, p.abstract) for p in queue])
        if again and not self.run.stopped:
            self._ask_all(again)
        if self.options.dry_run is not None:
            self.run.waiting = len(queue)  # nothing was asked
        else:
            remaining = papers_to_label(list(self.papers.values()), self.store, self.fingerprints)
            self.run.waiting = len(remaining)
        return self.run

    def _ask_all(self, papers: list[Asked]) -> list[Asked]:
        """Ask for ``papers`` in requests that fit, until done, spent or stopped; the
        papers the answers left unlabelled."""
        left: list[Asked] = []
        for batch in batches(papers, self.rules, self.options.max_input_tokens):
            if self._spent():
                break
            missing = self._ask(batch)
            if self.run.stopped:
                break
            left.extend(a for a in batch if a.id in missing)
        return left

    def _spent(self) -> bool:
        limit = self.options.max_requests
        if limit is not None and self.run.requests >= limit:
            self.run.stopped = self.run.stopped or f"--max-requests {limit} reached"
            return True
        return False

    def _ask(self, batch: list[Asked]) -> set[str]:
        """Send one request for ``batch``, store what its answer gives; the ids left
        unlabelled."""
        options = self.options
        body = request_body(batch, self.rules, options.model, self.schema)
        if options.dry_run is not None:
            self.run.requests += 1
            path = options.dry_run / f"request-{self.run.requests:04d}.json"
            write_atomic(path, json.dumps(body, ensure_ascii=False, indent=1) + "\n")
            return set()
        if self.run.requests:
            self.sleep(options.pace)
        self.run.requests += 1
        try:
            answer = self._post(body)
        except FetchError as exc:
            if exc.status == 400 and self.schema:  # the endpoint takes no JSON schema
                self.schema = False
                body = request_body(batch, self.rules, options.model, schema=False)
                answer = self._post(body)
            elif exc.wait is not None:
                self.run.stopped = (
                    f"the quota is used up: the endpoint asks to wait {exc.wait / 3600:.1f} h;"
                    " the next run continues"
                )
                return {a.id for a in batch}
            else:
                raise
        try:
            checked = validate_answer(message_content(answer.body), {a.id: a for a in batch},
                                      self.known)
        except NotAnAnswer:
            self.run.not_answers += 1
            return {a.id for a in batch}
        self.run.dropped.update(checked.dropped)
        self._store(checked.labels)
        return set(checked.missing)

    def _post(self, body: dict[str, object]) -> Answer:
        options = self.options
        url = options.api_url.rstrip("/") + "/chat/completions"
        headers = {"Authorization": f"Bearer {options.token}"}
        try:
            return post_json(url, body, options.policy, headers=headers, sleep=self.sleep)
        except FetchError as exc:
            if exc.status in (401, 403):
                raise AccessDenied(
                    f"{url}: HTTP {exc.status}: the token has no access to this endpoint; "
                    f"set PAPERS_LLM_TOKEN to a token that has (in GitHub Actions, give the "
                    f"job the permission models: read for its GITHUB_TOKEN)",
                    status=exc.status,
                ) from None
            raise

    def _store(self, labels: dict[str, list[tuple[str, str]]]) -> None:
        if not labels:
            return
        store = self.store
        store.taxonomies[self.key] = dict(self.fingerprints)
        files: set[str] = set()
        for pid, tags in labels.items():
            if pid in store.files:
                files.add(store.files[pid])
            store.labels[pid] = Label(pid, self.options.model, self.key, tuple(tags))
            store.files[pid] = month_file(self.papers[pid].first_day)
            files.add(store.files[pid])
        write_labels(self.content, store, files)
        self.run.labelled += len(labels)


def token_from_environment() -> str:
    """``PAPERS_LLM_TOKEN``, else ``GITHUB_TOKEN``; empty when neither is set."""
    return next((os.environ[name] for name in TOKEN_ENVS if os.environ.get(name)), "")


def run_label(args: argparse.Namespace) -> int:
    """``papers label``: exit 0 when it labelled what it could (a used-up quota included),
    1 on an error (one line)."""
    token = token_from_environment()
    if not token and args.dry_run is None:
        print(
            "papers: error: no token: set PAPERS_LLM_TOKEN (or GITHUB_TOKEN, with the "
            "permission models: read in GitHub Actions); a local server takes any value",
            file=sys.stderr,
        )
        return 1
    policy = RetryPolicy(
        tries=args.tries, timeout=args.timeout, backoff=args.backoff, max_wait=args.max_wait
    )
    options = LabelOptions(
        api_url=args.api_url or os.environ.get(API_URL_ENV) or DEFAULT_API_URL,
        model=args.model or os.environ.get(MODEL_ENV) or DEFAULT_MODEL,
        token=token,
        max_requests=args.max_requests,
        max_input_tokens=args.max_input_tokens,
        pace=args.pace,
        policy=policy,
        dry_run=args.dry_run,
    )
    try:
        run = Labeller(args.content, options).label()
    except AccessDenied as exc:
        print(f"papers: error: {exc}", file=sys.stderr)
        return 1
    print(run.describe())
    return 0


def add_label_command(commands: argparse._SubParsersAction) -> None:
    """Register ``papers label`` on the ``papers`` command."""
    parser = commands.add_parser(
        "label", help="tag unlabelled papers with a language model; labels go to content/labels/"
    )
    parser.add_argument("--content", type=Path, default=Path("content"), help="content folder")
    parser.add_argument(
        "--api-url",
        default=None,
        help=f"an OpenAI-compatible API base URL (default ${API_URL_ENV} or {DEFAULT_API_URL})",
    )
    parser.add_argument(
        "--model", default=None, help=f"the model (default ${MODEL_ENV} or {DEFAULT_MODEL})"
    )
    parser.add_argument(
        "--max-requests", type=int, default=None, metavar="N", help="the most requests of a run"
    )
    parser.add_argument(
        "--max-input-tokens",
        type=int,
        default=MAX_INPUT_TOKENS,
        metavar="N",
        help=f"what one request may hold, in tokens (default {MAX_INPUT_TOKENS})",
    )
    parser.add_argument(
        "--pace",
        type=float,
        default=float(os.environ.get(PACE_ENV) or DEFAULT_PACE),
        help=f"seconds between requests (default ${PACE_ENV} or {DEFAULT_PACE:g})",
    )
    parser.add_argument("--tries", type=int, default=4, help="attempts per request")
    parser.add_argument(
        "--timeout", type=float, default=DEFAULT_TIMEOUT, help="seconds for an answer"
    )
    parser.add_argument("--backoff", type=float, default=2.0, help="base wait between tries")
    parser.add_argument(
        "--max-wait",
        type=float,
        default=DEFAULT_MAX_WAIT,
        help="longest wait a 429 may ask for; longer is a used-up quota: the run stops, "
        f"keeping its labels (default {DEFAULT_MAX_WAIT:g})",
    )
    parser.add_argument(
        "--dry-run",
        type=Path,
        default=None,
        metavar="DIR",
        help="write each request to DIR (request-0001.json, ...) instead of sending it",
    )
    parser.set_defaults(run=run_label)
