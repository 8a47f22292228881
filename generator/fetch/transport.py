"""HTTP GET and POST with a timeout, a User-Agent naming the project, and bounded retries.

Only the standard library is used (``urllib``): two small GET requests a day do not
justify a new dependency. Retries cover what a busy public API does on a bad minute:
429, 5xx, refused or reset connections and timeouts. A ``Retry-After`` header is honoured;
so is the ``RateLimit`` header the Hugging Face Hub sends with a 429
(``"api";r=0;t=SECONDS``: nothing remaining, the window resets in SECONDS), and the
``x-ratelimit-reset-*`` headers of OpenAI-compatible APIs (``6m0s``); other waits grow
exponentially with jitter. Anything else (404, 400, a redirect loop) is
an error at once, because asking again would get the same answer.
"""

from __future__ import annotations

import email.message
import email.utils
import http.client
import json
import os
import random
import re
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata

from generator.errors import BuildError

#: Statuses worth asking again for: rate limits and server-side trouble.
RETRY_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504})
#: The repository URL the User-Agent names; the deploy workflow sets it to the fork's URL.
REPO_URL_ENV = "PAPERS_REPO_URL"


class FetchError(BuildError):
    """A fetch gave up; ``content/`` is unchanged. The message is one line for the log.
    ``status`` is the HTTP status that ended it, where one did; ``wait``, the seconds a
    server asked to wait when that was more than the policy allows (a used-up quota)."""

    def __init__(self, message: str, status: int | None = None, wait: float | None = None):
        super().__init__(message)
        self.status = status
        self.wait = wait


@dataclass(frozen=True)
class RetryPolicy:
    """How long one request may take and how often a failed request is tried again."""

    tries: int = 5
    """Attempts in all, the first one included."""
    timeout: float = 30.0
    """Seconds for connecting and for each read of the answer."""
    backoff: float = 2.0
    """Base wait in seconds: about ``backoff * 2**n`` before try ``n + 2``, with jitter."""
    max_wait: float = 300.0
    """Longest single wait; a server asking for more makes the fetch give up. Five
    minutes: the Hugging Face Hub counts its rate limits in windows of that length."""


@dataclass(frozen=True)
class Answer:
    url: str
    status: int
    body: bytes
    content_type: str

    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


class _Retry(Exception):
    """One attempt failed in a way worth trying again."""

    def __init__(self, reason: str, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retry_after = retry_after


def user_agent() -> str:
    """``papers-site/<version> (+<repository URL>)``, so API operators can reach us."""
    try:
        version = metadata.version("papers-site")
    except metadata.PackageNotFoundError:
        version = "0+unknown"
    url = os.environ.get(REPO_URL_ENV, "").strip() or _project_url()
    return f"papers-site/{version} (+{url})" if url else f"papers-site/{version}"


def _project_url() -> str:
    try:
        meta = metadata.metadata("papers-site")
    except metadata.PackageNotFoundError:
        return ""
    for entry in meta.get_all("Project-URL") or []:
        _, _, url = entry.partition(",")
        if url.strip().startswith("https://"):
            return url.strip()
    return ""


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header: delta-seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:  # an HTTP date is always GMT
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


_RATELIMIT_RESET = re.compile(r"(?:^|[;,\s])(?:t|reset)=(\d+(?:\.\d+)?)")


def parse_ratelimit(value: str | None) -> float | None:
    """Seconds until the window resets, from a ``RateLimit`` header: the Hub's structured
    form ``"api";r=0;t=55`` or the older draft's ``limit=500, remaining=0, reset=55``."""
    if not value:
        return None
    found = _RATELIMIT_RESET.search(value)
    return float(found.group(1)) if found else None


_DURATION_PART = re.compile(r"(\d+(?:\.\d+)?)(ms|h|m|s)")


def parse_duration(value: str | None) -> float | None:
    """Seconds from an ``x-ratelimit-reset-*`` value: ``20ms``, ``1s``, ``6m0s``, ``1h2m``,
    or plain seconds."""
    if not value:
        return None
    value = value.strip()
    try:
        return float(value)
    except ValueError:
        pass
    parts = _DURATION_PART.findall(value)
    if not parts or "".join(n + u for n, u in parts) != value:
        return None
    scale = {"ms": 0.001, "s": 1, "m": 60, "h": 3600}
    return sum(float(n) * scale[u] for n, u in parts)


#: OpenAI-compatible APIs say when their request and token windows reset.
RESET_HEADERS = ("x-ratelimit-reset-requests", "x-ratelimit-reset-tokens", "x-ratelimit-reset")


def server_wait(headers: Mapping[str, str] | email.message.Message | None) -> float | None:
    """How long the server asks us to wait: ``Retry-After``, else ``RateLimit``, else the
    longest of the ``x-ratelimit-reset-*`` headers."""
    if headers is None:
        return None
    wait = parse_retry_after(headers.get("Retry-After"))
    if wait is None:
        wait = parse_ratelimit(headers.get("RateLimit"))
    if wait is None:
        resets = [parse_duration(headers.get(name)) for name in RESET_HEADERS]
        wait = max((r for r in resets if r is not None), default=None)
    return wait


def backoff_delay(policy: RetryPolicy, failures: int, rng: Callable[[], float]) -> float:
    """Exponential backoff with "equal jitter": half the step fixed, half random, so
    clients that failed together do not all come back at the same moment."""
    step = min(policy.max_wait, policy.backoff * 2 ** (failures - 1))
    return step / 2 + rng() * step / 2


def _attempt(
    url: str,
    policy: RetryPolicy,
    accept: str,
    headers: Mapping[str, str],
    data: bytes | None = None,
) -> Answer:
    sent = {"User-Agent": user_agent(), "Accept": accept, **headers}
    request = urllib.request.Request(url, data=data, headers=sent)
    try:
        with urllib.request.urlopen(request, timeout=policy.timeout) as response:
            body = response.read()
            return Answer(url, response.status, body, response.headers.get_content_type())
    except urllib.error.HTTPError as exc:
        with exc:
            if exc.code in RETRY_STATUSES:
                raise _Retry(f"HTTP {exc.code}", server_wait(exc.headers)) from None
            raise FetchError(f"{url}: HTTP {exc.code} {exc.reason}", status=exc.code) from None
    except TimeoutError:
        raise _Retry(f"no answer within {policy.timeout:g}s") from None
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, TimeoutError):
            raise _Retry(f"no answer within {policy.timeout:g}s") from None
        if isinstance(exc.reason, OSError):
            raise _Retry(f"connection failed ({exc.reason.strerror or exc.reason})") from None
        raise FetchError(f"{url}: {exc.reason}") from None
    except (ConnectionError, http.client.HTTPException) as exc:
        raise _Retry(f"connection broken ({type(exc).__name__})") from None


def post_json(
    url: str,
    body: object,
    policy: RetryPolicy,
    *,
    headers: Mapping[str, str] | None = None,
    sleep: Callable[[float], None] = time.sleep,
    rng: Callable[[], float] = random.random,
) -> Answer:
    """POST ``body`` as JSON to ``url``, with :func:`get`'s retries and errors."""
    data = json.dumps(body, ensure_ascii=False).encode("utf-8")
    sent = {"Content-Type": "application/json", **(headers or {})}
    return get(
        url, policy, accept="application/json", headers=sent, sleep=sleep, rng=rng, data=data
    )


def get(
    url: str,
    policy: RetryPolicy,
    *,
    accept: str = "*/*",
    headers: Mapping[str, str] | None = None,
    sleep: Callable[[float], None] = time.sleep,
    rng: Callable[[], float] = random.random,
    data: bytes | None = None,
) -> Answer:
    """GET ``url`` (POST ``data``, when given); retry per ``policy``; raise ``FetchError``
    with one line on giving up.

    ``headers`` are sent as they are (an ``Authorization`` among them); no message of this
    module quotes a header, only the URL, status and reason."""
    failures = 0
    while True:
        try:
            return _attempt(url, policy, accept, headers or {}, data)
        except _Retry as retry:
            failures += 1
            if retry.retry_after is not None and retry.retry_after > policy.max_wait:
                raise FetchError(
                    f"{url}: {retry.reason}, server asks to wait {retry.retry_after:g}s, "
                    f"more than the {policy.max_wait:g}s this fetch waits",
                    wait=retry.retry_after,
                ) from None
            if failures >= policy.tries:
                raise FetchError(
                    f"{url}: gave up after {failures} tries; last: {retry.reason}"
                ) from None
            wait = retry.retry_after
            if wait is None:
                wait = backoff_delay(policy, failures, rng)
            sleep(wait)
