"""``papers email``: the digest as a message, and sending it once, end to end, through the
real command line to a real SMTP server on 127.0.0.1 (aiosmtpd)."""

from __future__ import annotations

import email
import email.policy
import json
import socket
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult
from lxml import html as lhtml

from conftest import make_project, run_papers

DAY = """\
    date: 2025-06-06
    papers:
      - title: "Tokens </s> & <b>bold</b> language model"
        abstract: "A <script>alert(1)</script> language model abstract. More text."
        authors: [Ada Lovelace]
      - title: Second paper on vision transformers
        abstract: Images and pixels. Vision transformer.
    """
HOSTILE = "Tokens </s> & <b>bold</b> language model"


class Inbox:
    """An aiosmtpd handler keeping every message it accepts; ``refuse`` rejects recipients."""

    def __init__(self, refuse: bool = False) -> None:
        self.refuse = refuse
        self.envelopes: list[tuple[str, list[str], bytes]] = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.refuse:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return "250 Message accepted"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_server():
    """Start servers on demand: ``start(handler, **controller_options)`` → port."""
    running: list[Controller] = []

    def start(handler: Inbox, **options: object) -> int:
        port = _free_port()
        controller = Controller(handler, hostname="127.0.0.1", port=port, **options)
        controller.start()
        running.append(controller)
        return port

    yield start
    for controller in running:
        controller.stop()


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path, {"2025-06-06.yaml": DAY})


def _env(port: int, **extra: str) -> dict[str, str]:
    import os

    env = dict(os.environ)
    env.update(
        PAPERS_SMTP_HOST="127.0.0.1",
        PAPERS_SMTP_PORT=str(port),
        PAPERS_SMTP_SECURITY="none",
        PAPERS_SMTP_FROM="Papers <digest@papers.example.org>",
        PAPERS_SMTP_TO="ada@example.org, bob@example.org",
    )
    env.update(extra)
    return env


def _email(project: Path, *args: str, env: dict[str, str] | None = None):
    return run_papers(
        "email", "--content", project / "content", "--config", project / "mkdocs.yml", *args,
        env=env,
    )


def _parts(data: bytes):
    message = email.message_from_bytes(data, policy=email.policy.default)
    assert message.get_content_type() == "multipart/alternative"
    text = message.get_body(("plain",)).get_content()
    markup = message.get_body(("html",)).get_content()
    return message, text, markup


def test_out_writes_a_two_part_message_with_list_headers(project, tmp_path):
    out = tmp_path / "digest.eml"
    result = _email(project, "--date", "2025-06-06", "--out", out)
    assert result.returncode == 0, result.stderr
    message, text, markup = _parts(out.read_bytes())
    assert message["Subject"] == "Test Papers: Friday 6 June 2025: 2 papers"
    assert message["Message-ID"] == "<2025-06-06.all.digest@papers.example.org>"
    assert message["List-Id"] == '"Test Papers daily digest" <digest.papers.example.org>'
    assert message["List-Unsubscribe"].startswith("<mailto:")
    assert message["Date"] == "Fri, 06 Jun 2025 11:00:02 +0000"
    assert HOSTILE in text and "https://papers.example.org/papers/" in text
    doc = lhtml.document_fromstring(markup)
    assert not doc.cssselect("script, b")  # hostile text stayed text
    titles = [a.text_content() for a in doc.cssselect("td p a")]
    assert HOSTILE in titles
    assert "A <script>alert(1)</script> language model abstract." in doc.text_content()
    hrefs = [a.get("href") for a in doc.cssselect("a")]
    assert hrefs and all(h.startswith(("https://", "mailto:")) for h in hrefs)
    assert doc.cssselect('table[role="presentation"]') and "style" in markup
    again = tmp_path / "again.eml"
    _email(project, "--date", "2025-06-06", "--out", again)
    assert again.read_bytes() == out.read_bytes()  # no clock in the message


def test_tag_digest_mail_has_its_own_id_and_papers(project, tmp_path):
    out = tmp_path / "llm.eml"
    result = _email(project, "--date", "2025-06-06", "--tag", "llm", "--out", out)
    assert result.returncode == 0, result.stderr
    message, text, _ = _parts(out.read_bytes())
    assert message["Message-ID"] == "<2025-06-06.llm.digest@papers.example.org>"
    assert "llm.digest.papers.example.org" in message["List-Id"]
    assert HOSTILE in text and "vision transformers" not in text


def test_send_delivers_once_and_records_it(project, smtp_server):
    inbox = Inbox()
    port = smtp_server(inbox)
    record = project / "content" / "email-sent.json"
    first = _email(project, "--date", "2025-06-06", "--send", env=_env(port))
    assert first.returncode == 0, first.stderr
    assert len(inbox.envelopes) == 1
    sender, recipients, data = inbox.envelopes[0]
    assert sender == "digest@papers.example.org"
    assert recipients == ["ada@example.org", "bob@example.org"]
    _, text, markup = _parts(data)
    assert HOSTILE in text and HOSTILE in lhtml.document_fromstring(markup).text_content()
    assert json.loads(record.read_text(encoding="utf-8")) == {"sent": ["2025-06-06"]}

    second = _email(project, "--date", "2025-06-06", "--send", env=_env(port))
    assert second.returncode == 0 and "sent before" in second.stdout
    assert len(inbox.envelopes) == 1  # never mailed twice

    tag = _email(project, "--date", "2025-06-06", "--tag", "llm", "--send", env=_env(port))
    assert tag.returncode == 0, tag.stderr
    assert len(inbox.envelopes) == 2
    assert json.loads(record.read_text(encoding="utf-8")) == {
        "sent": ["2025-06-06", "2025-06-06/llm"]
    }
    build = run_papers(
        "generate", "--content", project / "content", "--docs-dir", project / "docs",
        "--config", project / "mkdocs.yml",
    )
    assert build.returncode == 0 and "warning" not in build.stderr  # the record is no input


def test_a_refused_send_is_one_error_line_and_leaves_the_record(project, smtp_server):
    port = smtp_server(Inbox(refuse=True))
    record = project / "content" / "email-sent.json"
    result = _email(project, "--date", "2025-06-06", "--send", env=_env(port))
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("papers: error: SMTP server 127.0.0.1:")
    assert "mailbox unavailable" in lines[0] or "refused" in lines[0]
    assert not record.exists()
    inbox = Inbox()  # the next run retries, and succeeds
    retry = _email(project, "--date", "2025-06-06", "--send", env=_env(smtp_server(inbox)))
    assert retry.returncode == 0, retry.stderr
    assert len(inbox.envelopes) == 1 and record.exists()


def test_wrong_password_and_missing_starttls_are_clear_errors(project, smtp_server):
    def authenticator(server, session, envelope, mechanism, auth_data):
        ok = auth_data.login == b"digest" and auth_data.password == b"right"
        return AuthResult(success=ok, handled=False)

    inbox = Inbox()
    port = smtp_server(inbox, authenticator=authenticator, auth_require_tls=False)
    wrong = _email(
        project, "--date", "2025-06-06", "--send",
        env=_env(port, PAPERS_SMTP_USER="digest", PAPERS_SMTP_PASSWORD="wrong"),
    )
    assert wrong.returncode == 1 and wrong.stderr.startswith("papers: error: SMTP server")
    assert "535" in wrong.stderr and len(wrong.stderr.strip().splitlines()) == 1
    right = _email(
        project, "--date", "2025-06-06", "--send",
        env=_env(port, PAPERS_SMTP_USER="digest", PAPERS_SMTP_PASSWORD="right"),
    )
    assert right.returncode == 0, right.stderr
    assert len(inbox.envelopes) == 1

    plain = smtp_server(Inbox())
    tls = _email(
        project, "--date", "2025-06-06", "--tag", "llm", "--send",
        env=_env(plain, PAPERS_SMTP_SECURITY="starttls"),
    )
    assert tls.returncode == 1 and "does not offer STARTTLS" in tls.stderr
    missing = _email(project, "--date", "2025-06-06", "--send", env=_env(plain, PAPERS_SMTP_TO=""))
    assert missing.returncode == 1 and "PAPERS_SMTP_TO" in missing.stderr


def test_a_day_without_papers_mails_nothing(project, smtp_server):
    inbox = Inbox()
    port = smtp_server(inbox)
    result = _email(project, "--date", "2025-06-07", "--send", env=_env(port))
    assert result.returncode == 0 and "nothing to mail" in result.stdout
    assert not inbox.envelopes
    unknown = _email(project, "--date", "2025-06-06", "--tag", "nope", "--out", "x.eml")
    assert unknown.returncode == 1 and "unknown tag" in unknown.stderr
