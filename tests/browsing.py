"""Shared browser-test helpers: Debian's Chromium driven by Playwright for Python, and the
built site served from 127.0.0.1. Browser tests never skip: without Chromium they fail,
saying what to install (``.ci/run`` installs it)."""

from __future__ import annotations

import functools
import gzip
import io
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

#: Debian's chromium; PAPERS_CHROMIUM names another Chromium-based browser (GitHub's runners
#: ship Google Chrome).
CHROMIUM = os.environ.get("PAPERS_CHROMIUM", "/usr/bin/chromium")
# As the machine's notes advise: no background traffic from a browser on a closed network.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


#: What GitHub Pages compresses: text, not images, fonts in woff2 or Pagefind's own
#: (already compressed) index files.
_GZIP_TYPES = ("text/", "application/javascript", "application/json", "application/xml",
               "application/atom+xml", "application/rss+xml", "image/svg+xml")  # fmt: skip


class _SiteHandler(SimpleHTTPRequestHandler):
    """Serves a built site under ``prefix`` as GitHub Pages does: a missing page gets the
    site's 404.html with status 404, and with ``gzip`` text is sent compressed to a browser
    that accepts it."""

    prefix = "/"
    compress_text = False

    def log_message(self, format: str, *args: object) -> None:
        pass

    def send_head(self):  # type: ignore[no-untyped-def]
        if not self.path.startswith(self.prefix):
            self.send_error(404)
            return None
        self.path = "/" + self.path[len(self.prefix) :]
        target = Path(self.translate_path(self.path))
        if not target.exists() and (Path(self.directory) / "404.html").exists():
            body = (Path(self.directory) / "404.html").read_bytes()
            return self._send(404, "text/html; charset=utf-8", body)
        if target.is_dir() and self.path.split("?")[0].endswith("/"):
            target = target / "index.html"
        if self._gzipped() and target.is_file():
            kind = self.guess_type(str(target))
            if kind.startswith(_GZIP_TYPES):
                charset = "; charset=utf-8" if kind.startswith("text/") else ""
                return self._send(200, kind + charset, target.read_bytes())
        return super().send_head()

    def _gzipped(self) -> bool:
        return self.compress_text and "gzip" in self.headers.get("Accept-Encoding", "")

    def _send(self, status: int, kind: str, body: bytes) -> io.BytesIO:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        if self._gzipped():
            body = gzip.compress(body, mtime=0)
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Vary", "Accept-Encoding")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


@contextmanager
def serve(site: Path, prefix: str = "/", gzip: bool = False) -> Iterator[str]:
    """``site`` served from 127.0.0.1 under ``prefix``, text gzipped if ``gzip``; yields its
    base URL."""
    handler = type("Handler", (_SiteHandler,), {"prefix": prefix, "compress_text": gzip})
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}{prefix}"
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def chromium() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is needed for the browser tests: apt-get install chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def open_page(browser: Browser, url: str, **options: object) -> tuple[Page, list[str], list[str]]:
    """A new page at ``url``; the URLs it requests and what went wrong (console errors,
    failed requests, 4xx/5xx answers), as they come."""
    page = browser.new_page(**options)
    requests: list[str] = []
    errors: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("requestfailed", lambda request: errors.append(f"failed: {request.url}"))
    page.on(
        "response",
        lambda response: errors.append(f"{response.status}: {response.url}")
        if response.status >= 400
        else None,
    )
    page.goto(url)
    page.wait_for_load_state("networkidle")
    return page, requests, errors
