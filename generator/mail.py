"""``papers email``: a day's digest as an email, written to a file or sent over SMTP.

The message is ``multipart/alternative``: a plain-text part and an HTML part (a table
layout with inline styles, which common mail clients keep, and absolute links to the
site). Both come from the same digest as the digest feeds (``generator/render/digest.py``), and
every title and summary in them is text: escaped in HTML, as is in plain text.

Headers that make it a well-behaved list mail:

- ``Message-ID`` is stable per day and tag (``<2025-06-06.all.digest@host>``), so a mail
  sent twice by mistake is one thread, and a client can tell it is the same message.
- ``List-Id`` names the digest (``<digest.host>``, ``<llm.digest.host>`` for a tag);
  ``List-Unsubscribe`` is a ``mailto:`` to the sender with subject "unsubscribe" (plus
  ``PAPERS_LIST_UNSUBSCRIBE_URL`` when set): the maintainer removes the address from
  ``PAPERS_SMTP_TO``.
- ``Date`` is the digest's own date (its ``updated`` time), not the clock, so the same
  content gives the same ``.eml`` bytes.

A day is never mailed twice: ``--send`` records what it sent in ``content/email-sent.json``
(committed by the deploy workflow) after the server accepted the message, and skips a day
and tag found there. A refused or failed send raises ``BuildError`` (one ``papers: error:``
line) and leaves the record as it was, so the next run retries.

SMTP settings come from the environment, never from files in the repository:
``PAPERS_SMTP_HOST``, ``PAPERS_SMTP_PORT``, ``PAPERS_SMTP_USER``, ``PAPERS_SMTP_PASSWORD``,
``PAPERS_SMTP_FROM``, ``PAPERS_SMTP_TO`` (comma-separated) and ``PAPERS_SMTP_SECURITY``:
``tls`` (implicit TLS, port 465 by default), ``starttls`` (port 587 by default, the
default) or ``none`` (plain SMTP, only for a server on the same machine, as in the tests).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import smtplib
import ssl
import sys
from dataclasses import dataclass
from datetime import date
from email.message import EmailMessage
from email.utils import format_datetime, getaddresses
from pathlib import Path
from typing import TYPE_CHECKING

from generator.errors import BuildError, InputError
from generator.model import Paper
from generator.render import (
    MAIL_FONT,
    MAIL_ITEM,
    MAIL_LINK,
    Digest,
    day_digest,
    digest_text,
    escaped,
    of_tag,
    paper_html,
)
from generator.settings import Settings, load_settings

if TYPE_CHECKING:
    from generator.corpus import Corpus

#: What was sent, under the content folder; not an input file (see readers.CONFIG_FILES).
RECORD_FILE = "email-sent.json"

SECURITY = ("starttls", "tls", "none")
DEFAULT_PORTS = {"starttls": 587, "tls": 465, "none": 25}
TIMEOUT = 60.0


@dataclass(frozen=True)
class SmtpSettings:
    """Where and how to send, from ``PAPERS_SMTP_*`` environment variables."""

    host: str
    port: int
    security: str
    user: str
    password: str
    sender: str
    recipients: tuple[str, ...]

    @classmethod
    def from_environment(cls, env: dict[str, str] | None = None) -> SmtpSettings:
        env = dict(os.environ if env is None else env)

        def need(name: str) -> str:
            value = env.get(name, "").strip()
            if not value:
                raise BuildError(f"{name} is not set: it is needed to send mail")
            return value

        security = env.get("PAPERS_SMTP_SECURITY", "").strip().lower() or "starttls"
        if security not in SECURITY:
            raise BuildError(f"PAPERS_SMTP_SECURITY must be one of {', '.join(SECURITY)}")
        port_text = env.get("PAPERS_SMTP_PORT", "").strip()
        try:
            port = int(port_text) if port_text else DEFAULT_PORTS[security]
        except ValueError:
            raise BuildError(f"PAPERS_SMTP_PORT is not a port number: {port_text!r}") from None
        user = env.get("PAPERS_SMTP_USER", "").strip()
        sender = env.get("PAPERS_SMTP_FROM", "").strip() or user
        if not sender:
            raise BuildError("PAPERS_SMTP_FROM (or PAPERS_SMTP_USER) is not set")
        recipients = tuple(a for _, a in getaddresses([need("PAPERS_SMTP_TO")]) if a)
        if not recipients:
            raise BuildError("PAPERS_SMTP_TO holds no address")
        return cls(
            host=need("PAPERS_SMTP_HOST"),
            port=port,
            security=security,
            user=user,
            password=env.get("PAPERS_SMTP_PASSWORD", ""),
            sender=sender,
            recipients=recipients,
        )


def record_key(day: date, tag: str | None) -> str:
    """How the record names a sent digest: ``2025-06-06`` or ``2025-06-06/llm``."""
    return day.isoformat() + (f"/{tag}" if tag else "")


def read_record(content: Path) -> set[str]:
    path = content / RECORD_FILE
    if not path.exists():
        return set()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        sent = data["sent"]
        if not isinstance(sent, list) or not all(isinstance(k, str) for k in sent):
            raise TypeError("'sent' must be a list of strings")
    except (ValueError, KeyError, TypeError, UnicodeDecodeError) as exc:
        raise InputError(path.as_posix(), None, f"unreadable sent-mail record: {exc}") from None
    return set(sent)


def write_record(content: Path, sent: set[str]) -> None:
    """Write the record whole, then rename it over the old one: never half a file."""
    path = content / RECORD_FILE
    text = json.dumps({"sent": sorted(sent)}, indent=2) + "\n"
    partial = path.with_name(f".{RECORD_FILE}.partial")
    partial.write_text(text, encoding="utf-8")
    partial.replace(path)


def build_message(
    settings: Settings,
    digest: Digest,
    tag: str | None,
    tag_title: str | None,
    sender: str,
    recipients: tuple[str, ...],
    unsubscribe_url: str = "",
) -> EmailMessage:
    """The digest as a ``multipart/alternative`` message, plain text first."""
    domain = settings.host
    scope = tag or "all"
    message = EmailMessage()
    message["Subject"] = f"{settings.site_name}: {digest.title}"
    message["From"] = sender
    message["To"] = ", ".join(recipients)
    message["Date"] = format_datetime(digest.updated)
    message["Message-ID"] = f"<{digest.day.isoformat()}.{scope}.digest@{domain}>"
    list_name = f"{settings.site_name} daily digest" + (f": {tag_title}" if tag_title else "")
    label = f"{tag}.digest.{domain}" if tag else f"digest.{domain}"
    message["List-Id"] = f'"{_quoted(list_name)}" <{label}>'
    unsubscribe = [f"<mailto:{sender}?subject=unsubscribe>"]
    if unsubscribe_url:
        unsubscribe.append(f"<{unsubscribe_url}>")
    message["List-Unsubscribe"] = ", ".join(unsubscribe)
    feeds = settings.absolute("feeds/")
    footer = (
        f"\n--\nYou get this mail because you are on the list of {settings.site_name}.\n"
        f"To unsubscribe, reply with the subject \"unsubscribe\". Feeds: {feeds}\n"
    )
    text = digest_text(digest) + footer
    markup = email_html(settings, digest, sender)
    message.set_content(text, cte="quoted-printable")
    message.add_alternative(markup, subtype="html", cte="quoted-printable")
    # The boundary from the content, not at random: the same digest, the same bytes.
    # Quoted-printable parts never hold a line starting "--=_digest".
    digest_hash = hashlib.sha256((text + markup).encode("utf-8")).hexdigest()[:32]
    message.set_boundary(f"=_digest_{digest_hash}")
    return message


def _quoted(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


def email_html(settings: Settings, digest: Digest, sender: str) -> str:
    """The HTML part: one centred 600 px table, a row per paper (``generator/render/fragments.py``
    writes it, as it writes the digest feeds' items), styles inline."""
    e = escaped
    root = settings.absolute("")
    rows = [
        paper_html(item.paper, MAIL_ITEM, digest.tag_titles, root, number)
        for number, item in enumerate(digest.items, 1)
    ]
    feeds = settings.absolute("feeds/")
    unsubscribe = f"mailto:{sender}?subject=unsubscribe"
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{e(digest.title)}</title></head>\n"
        f'<body style="margin:0;padding:0;background:#f2f2f5;{MAIL_FONT}color:#1a1a1a;">\n'
        '<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" '
        'style="background:#f2f2f5;"><tr><td align="center" style="padding:16px 8px;">\n'
        '<table role="presentation" width="600" cellpadding="0" cellspacing="0" border="0" '
        f'style="width:100%;max-width:600px;background:#ffffff;{MAIL_FONT}color:#1a1a1a;">\n'
        '<tr><td style="padding:20px 24px;border-bottom:3px solid #3949ab;">'
        f'<p style="margin:0;font-size:13px;"><a href="{e(root)}" style="{MAIL_LINK}">'
        f"{e(settings.site_name)}</a></p>"
        f'<h1 style="margin:6px 0 0;font-size:20px;line-height:1.3;">'
        f'<a href="{e(digest.url)}" style="{MAIL_LINK}">{e(digest.title)}</a></h1></td></tr>\n'
        + "\n".join(rows)
        + "\n"
        '<tr><td style="padding:16px 24px;font-size:12px;line-height:1.5;color:#4d4d4d;">'
        f"You get this mail because you are on the list of {e(settings.site_name)}. "
        f'<a href="{e(unsubscribe)}" style="{MAIL_LINK}">Unsubscribe</a> · '
        f'<a href="{e(feeds)}" style="{MAIL_LINK}">Feeds</a></td></tr>\n'
        "</table>\n</td></tr></table>\n</body></html>\n"
    )


def send(message: EmailMessage, smtp: SmtpSettings) -> None:
    """Hand ``message`` to the SMTP server; any refusal is a ``BuildError``."""
    context = ssl.create_default_context()
    where = f"{smtp.host}:{smtp.port}"
    try:
        client: smtplib.SMTP
        if smtp.security == "tls":
            client = smtplib.SMTP_SSL(smtp.host, smtp.port, timeout=TIMEOUT, context=context)
        else:
            client = smtplib.SMTP(smtp.host, smtp.port, timeout=TIMEOUT)
        with client:
            client.ehlo()
            if smtp.security == "starttls":
                if not client.has_extn("starttls"):
                    raise BuildError(f"SMTP server {where} does not offer STARTTLS")
                client.starttls(context=context)
                client.ehlo()
            if smtp.user:
                client.login(smtp.user, smtp.password)
            refused = client.send_message(
                message, from_addr=smtp.sender, to_addrs=list(smtp.recipients)
            )
    except smtplib.SMTPResponseException as exc:
        text = exc.smtp_error.decode("utf-8", "replace") if isinstance(
            exc.smtp_error, bytes
        ) else str(exc.smtp_error)
        raise BuildError(f"SMTP server {where} refused: {exc.smtp_code} {text}") from None
    except smtplib.SMTPRecipientsRefused as exc:
        raise BuildError(f"SMTP server {where} refused every recipient: "
                         f"{', '.join(sorted(exc.recipients))}") from None
    except (smtplib.SMTPException, ssl.SSLError, OSError) as exc:
        raise BuildError(f"could not send through SMTP server {where}: {exc}") from None
    if refused:
        # Some recipients got it: recording the day as sent would keep it from the
        # others for good, retrying would mail the rest twice. Say so and stop.
        raise BuildError(f"SMTP server {where} refused {', '.join(sorted(refused))}; "
                         "the others were sent the digest")


def add_email_command(commands: argparse._SubParsersAction) -> None:
    """Register ``papers email`` on the ``papers`` command."""
    parser = commands.add_parser("email", help="a day's digest as an email (file or SMTP)")
    parser.add_argument("--date", required=True, type=date.fromisoformat, metavar="YYYY-MM-DD",
                        help="the day to mail")
    scope = parser.add_mutually_exclusive_group()
    scope.add_argument("--tag", metavar="SLUG", help="only that tag's papers of the day")
    scope.add_argument("--for-you", action="store_true",
                       help="the day's best papers for the site's owners (content/interests.yaml)")
    parser.add_argument("--out", type=Path, metavar="FILE.eml", help="write the message here")
    parser.add_argument("--send", action="store_true",
                        help="send it over SMTP (PAPERS_SMTP_* variables), once per day and tag")
    parser.add_argument("--content", type=Path, default=Path("content"), help="input folder")
    parser.add_argument("--config", type=Path, default=Path("mkdocs.yml"),
                        help="the MkDocs configuration (site URL and name)")
    parser.set_defaults(run=run_email)


#: How the For you mail is named where a tag's would be: its record key
#: (``2025-06-06/for-you``), ``Message-ID`` and ``List-Id``.
FOR_YOU = "for-you"


def _for_you(content: Path, corpus: Corpus, papers: list[Paper], count: int) -> list[Paper]:
    """The ``count`` best of a day's ``papers`` by the For you ranking, best first."""
    from generator.discover import INTERESTS_FILE, day_suggestions, read_interests, text_model

    found = read_interests(content, {paper.id: paper for paper in corpus.papers})
    if found is None:
        raise BuildError(f"--for-you needs {(content / INTERESTS_FILE).as_posix()}")
    interests, warnings = found
    for warning in warnings:
        print(warning, file=sys.stderr)
    model = text_model(corpus.papers)
    return [s.paper for s in day_suggestions(model, interests, papers, count)]


def run_email(args: argparse.Namespace) -> int:
    from generator.corpus import read_corpus

    if not args.out and not args.send:
        raise BuildError("nothing to do: give --out FILE.eml, --send, or both")
    settings = load_settings(args.config)
    corpus = read_corpus(args.content)
    titles = {tag.rule.slug: tag.rule.title for tag in corpus.tags}
    if args.tag and args.tag not in titles:
        raise BuildError(f"unknown tag {args.tag!r} (tags are in {args.content / 'tags.yaml'})")
    papers = corpus.days.get(args.date, [])
    if args.tag:
        papers = of_tag(papers, args.tag)
    tag, scope = args.tag, None
    if args.for_you:
        papers = _for_you(args.content, corpus, papers, settings.for_you_top)
        tag, scope = FOR_YOU, "for you"
        titles = {**titles, FOR_YOU: "For you"}
    key = record_key(args.date, tag)
    if not papers:
        print(f"papers email: no papers for {key}; nothing to mail")
        return 0
    digest = day_digest(settings, args.date, papers, titles, tag, scope=scope)
    smtp = SmtpSettings.from_environment() if args.send else None
    sender = smtp.sender if smtp else os.environ.get("PAPERS_SMTP_FROM", "") or (
        f"digest@{settings.host}"
    )
    recipients = smtp.recipients if smtp else tuple(
        a for _, a in getaddresses([os.environ.get("PAPERS_SMTP_TO", "")]) if a
    ) or (sender,)
    message = build_message(
        settings,
        digest,
        tag,
        titles.get(tag) if tag else None,
        sender,
        recipients,
        os.environ.get("PAPERS_LIST_UNSUBSCRIBE_URL", "").strip(),
    )
    if args.out:
        args.out.write_bytes(bytes(message))
        print(f"papers email: wrote {args.out} ({digest.title})")
    if smtp is not None:
        sent = read_record(args.content)
        if key in sent:
            print(f"papers email: {key} was sent before ({RECORD_FILE}); nothing sent")
            return 0
        send(message, smtp)
        write_record(args.content, sent | {key})
        print(f"papers email: sent {key} to {len(smtp.recipients)} recipient(s)")
    return 0
