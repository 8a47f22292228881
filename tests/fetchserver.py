"""A real HTTP server on 127.0.0.1 that answers from recorded fixtures, for fetch tests.

Each path gets a script: a list of ``Reply`` objects served in order (the last one
repeats), or a function of the query string (of the JSON body, for a POST: ``ChatModel``
is the OpenAI-compatible chat-completions endpoint ``papers label`` asks). Every request
is recorded, so a test can check what was asked and with which headers. The server runs
in a thread on an ephemeral port and stops when the ``with`` block ends.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import threading
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures" / "fetch"


@dataclass(frozen=True)
class Reply:
    status: int = 200
    body: bytes | str = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    """Seconds to wait before answering, to run past a client's timeout."""
    cut: bool = False
    """Send the headers and half the body, then close: an answer cut off on the way."""

    @classmethod
    def fixture(cls, name: str, **kwargs: object) -> Reply:
        return cls(body=(FIXTURES / name).read_bytes(), **kwargs)


@dataclass(frozen=True)
class Seen:
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes = b""


Script = list[Reply] | Callable[[dict], Reply]


class FixtureServer:
    def __init__(self) -> None:
        self.scripts: dict[str, Script] = {}
        self.requests: list[Seen] = []
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._server.daemon_threads = True
        self._server.block_on_close = False
        # A short poll interval makes shutdown quick: each test starts and stops a server.
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True
        )

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def serve(self, path: str, script: Script | Reply) -> None:
        """Answer ``path`` with ``script``: a reply, replies in order, or a function."""
        self.scripts[path] = [script] if isinstance(script, Reply) else script

    def asked(self, path: str) -> list[Seen]:
        return [seen for seen in self.requests if seen.path == path]

    def __enter__(self) -> FixtureServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _next_reply(self, path: str, query: dict) -> Reply:
        with self._lock:
            script = self.scripts.get(path)
            if script is None:
                return Reply(404, f"no fixture for {path}")
            if not callable(script):
                return script.pop(0) if len(script) > 1 else script[0]
        return script(query)  # unlocked: a function may wait (HubArchive.hold)

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                self._answer(b"")

            def do_POST(self) -> None:
                self._answer(self.rfile.read(int(self.headers.get("Content-Length", 0))))

            def _answer(self, sent: bytes) -> None:
                parts = urllib.parse.urlsplit(self.path)
                query: dict = dict(urllib.parse.parse_qsl(parts.query))
                with server._lock:
                    server.requests.append(Seen(parts.path, query, dict(self.headers), sent))
                if sent:  # a POST script is a function of the JSON body
                    try:
                        query = json.loads(sent)
                    except ValueError:
                        query = {}
                reply = server._next_reply(parts.path, query)
                if reply.delay:
                    time.sleep(reply.delay)
                body = reply.body.encode() if isinstance(reply.body, str) else reply.body
                try:
                    self.send_response(reply.status)
                    for name, value in reply.headers.items():
                        self.send_header(name, value)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body[: len(body) // 2] if reply.cut else body)
                    if reply.cut:
                        self.close_connection = True
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up waiting, as a timeout test wants

            def log_message(self, format: str, *args: object) -> None:
                pass

        return Handler


REAL = Path(__file__).parent / "fixtures" / "real"


def real_items(*months: str) -> list[dict]:
    """Real ``/api/daily_papers?month=`` answers (``fixtures/real``), raw, in API order."""
    items: list[dict] = []
    for month in months:
        with gzip.open(REAL / f"daily_papers_{month}.json.gz", "rt", encoding="utf-8") as fh:
            items.extend(json.load(fh))
    return items


class HubArchive:
    """The daily papers API over a list of real items: ``date=``, ``month=`` and ``week=``
    (ISO week, ``2023-W19``), ``limit`` and ``p`` as the Hub serves them, the items of a
    query in the list's order. ``faults`` maps (query value, page) to replies served, one per
    request, before the real page (a 429, a 500, a cut-off body); ``hold`` makes the page
    given by (query value, page) wait on an event before answering."""

    def __init__(self, items: list[dict]) -> None:
        self.items = items
        self.faults: dict[tuple[str, int], list[Reply]] = {}
        self.hold: dict[tuple[str, int], threading.Event] = {}
        self.reached: dict[tuple[str, int], threading.Event] = {}

    @staticmethod
    def _day(item: dict) -> str:
        return str(item["paper"]["submittedOnDailyAt"])[:10]

    def matching(self, query: dict[str, str]) -> list[dict]:
        if "date" in query:
            return [i for i in self.items if self._day(i) == query["date"]]
        if "month" in query:
            return [i for i in self.items if self._day(i)[:7] == query["month"]]
        if "week" in query:
            year, week = query["week"].split("-W")

            def iso_week(item: dict) -> tuple[int, int]:
                return dt.date.fromisoformat(self._day(item)).isocalendar()[:2]

            return [i for i in self.items if iso_week(i) == (int(year), int(week))]
        return self.items

    def __call__(self, query: dict[str, str]) -> Reply:
        key_value = query.get("date") or query.get("month") or query.get("week") or ""
        page, limit = int(query.get("p", "0")), int(query.get("limit", "50"))
        where = (key_value, page)
        if where in self.reached:
            self.reached[where].set()
        if self.faults.get(where):
            return self.faults[where].pop(0)
        if where in self.hold:
            self.hold[where].wait(30)
        found = self.matching(query)[page * limit : (page + 1) * limit]
        return Reply(body=json.dumps(found))


def completion(content: str, **headers: str) -> Reply:
    """A chat-completions answer whose message content is ``content``."""
    body = {
        "id": "chatcmpl-test",
        "object": "chat.completion",
        "model": "test-model",
        "choices": [
            {"index": 0, "message": {"role": "assistant", "content": content},
             "finish_reason": "stop"}
        ],
    }
    return Reply(body=json.dumps(body), headers={"Content-Type": "application/json", **headers})


def asked_ids(request: dict) -> list[str]:
    """The paper ids a ``papers label`` request asks about: its user message's JSON lines."""
    text = request["messages"][-1]["content"]
    return [json.loads(line)["id"] for line in text.splitlines() if line.startswith("{")]


class ChatModel:
    """An OpenAI-compatible ``/chat/completions`` that answers from recorded answers: for
    each paper a request asks about, the tags recorded for its id (``answers``), in the
    contract's shape. ``faults`` are served first, one a request (None: answer as usual);
    ``leave_out`` ids are left out of every answer; ``requests`` keeps each body asked."""

    def __init__(self, answers: dict[str, list[dict]], faults: list[Reply | None] = ()) -> None:
        self.answers = answers
        self.faults = list(faults)
        self.leave_out: set[str] = set()
        self.requests: list[dict] = []

    @classmethod
    def recorded(cls, folder: Path) -> ChatModel:
        """The per-paper items of every answer recorded in ``folder`` (``*.json``: message
        contents, as a model answered), as they are: checks are the client's job."""
        answers: dict[str, list[dict]] = {}
        for path in sorted(folder.glob("*.json")):
            for item in json.loads(path.read_text(encoding="utf-8"))["papers"]:
                answers[str(item["id"])] = item["tags"]
        return cls(answers)

    def __call__(self, request: dict) -> Reply:
        self.requests.append(request)
        if self.faults:
            fault = self.faults.pop(0)
            if fault is not None:
                return fault
        papers = [
            {"id": pid, "tags": self.answers[pid]}
            for pid in asked_ids(request)
            if pid in self.answers and pid not in self.leave_out
        ]
        return completion(json.dumps({"papers": papers}))
