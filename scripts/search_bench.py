"""Measure search as a reader meets it: a built site served from 127.0.0.1, searched in
headless Chromium (Debian's /usr/bin/chromium, driven by Playwright) with a cold cache.

    .venv/bin/python scripts/search_bench.py SITE [--query Q ...] [--delay MS]

For each query, in a fresh browser context (empty cache): open the home page and count what
it downloaded from pagefind/ (should be nothing), type the query into the search box one key
every --delay ms, then print the bytes downloaded from pagefind/ since the first keystroke
(Pagefind's library, its WebAssembly, index chunks and the fragments of the shown results)
and the time from the last keystroke until the results are on screen. ``--gzip`` serves
text files (``pagefind.js`` among them) gzip-compressed, as GitHub Pages does; ``--files``
lists what each search downloaded. Build a large site
first, e.g. ``scripts/bench.py --papers 10000 --runs 1 --only build --keep /tmp/b10k``.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import io
import statistics
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from playwright.sync_api import sync_playwright

QUERIES = ["diffusion", "reinforcement learning", "retrieval augmented", "calibration", "agent"]
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


#: What GitHub Pages compresses: text types. Pagefind's own index, fragment and WebAssembly
#: files are gzip data already and are served as they are.
GZIP_SUFFIXES = (".html", ".js", ".css", ".json", ".xml", ".svg", ".txt")


class _Gzip(_Quiet):
    """Serves text files gzip-compressed to clients that accept it, as GitHub Pages does."""

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        accepts = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (accepts and path.suffix in GZIP_SUFFIXES and path.is_file()):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("site", type=Path)
    parser.add_argument("--query", action="append", help="a query (repeatable)")
    parser.add_argument("--delay", type=int, default=120, help="ms between keystrokes")
    parser.add_argument(
        "--gzip", action="store_true", help="serve text files gzip-compressed, as GitHub Pages"
    )
    parser.add_argument("--files", action="store_true", help="list each downloaded file")
    args = parser.parse_args()
    handler = _Gzip if args.gzip else _Quiet
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=args.site))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_port}/"
    print(f"site: {args.site} ({len(list((args.site / 'papers').iterdir())):,} paper pages)")
    print(f"{'query':<24} {'page view':>10} {'first search':>13} {'requests':>9} "
          f"{'results in':>11}")
    latencies, downloads = [], []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        for query in args.query or QUERIES:
            context = browser.new_context()
            page = context.new_page()
            sizes: dict[str, int] = {}

            def finished(request, sizes=sizes) -> None:  # noqa: ANN001
                if "/pagefind/" in request.url:
                    sizes[request.url] = request.sizes()["responseBodySize"]

            page.on("requestfinished", finished)
            page.goto(url)
            page.wait_for_load_state("networkidle")
            on_view = sum(sizes.values())
            page.keyboard.press("/")
            for key in query:
                page.keyboard.type(key)
                time.sleep(args.delay / 1000)
            last_key = time.perf_counter() - args.delay / 1000
            page.wait_for_selector("[data-papers-search][data-state=done]", state="attached")
            page.wait_for_selector(".papers-result", timeout=10_000)
            seconds = time.perf_counter() - last_key
            page.wait_for_load_state("networkidle")
            total = sum(sizes.values())
            latencies.append(seconds)
            downloads.append(total)
            print(
                f"{query:<24} {on_view:>8} B {total / 1024:>10.1f} KB {len(sizes):>9} "
                f"{seconds * 1000:>8.0f} ms"
            )
            if args.files:
                for name, size in sorted(sizes.items(), key=lambda kv: -kv[1]):
                    print(f"    {size:>8} B  {name.split('/pagefind/', 1)[1]}")
            context.close()
        browser.close()
    server.shutdown()
    print(
        f"median: first search {statistics.median(downloads) / 1024:.1f} KB, "
        f"results {statistics.median(latencies) * 1000:.0f} ms after the last keystroke"
    )


if __name__ == "__main__":
    main()
