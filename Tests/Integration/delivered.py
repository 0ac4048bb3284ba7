"""What a delivered message must look like on disk (SPEC §4) and what Postfix adds to it."""

from __future__ import annotations

import os
import time
import re
import socket
import stat
from dataclasses import dataclass
from pathlib import Path

from mailstack import DOMAIN, MailUser

# SPEC §4: <seconds>.M<microseconds>P<pid>Q<counter>R<random hex>.<host>,S=<size>
UNIQUE_NAME = re.compile(
    r"\A(?P<seconds>[0-9]+)\.M(?P<microseconds>[0-9]+)P(?P<pid>[0-9]+)Q(?P<counter>[0-9]+)"
    r"R(?P<random>[0-9a-f]+)\.(?P<host>[^/:,]+),S=(?P<size>[0-9]+)\Z"
)

SENDER = "alice@example.org"


def encoded_host_name() -> str:
    """The host part of a Maildir file name: `/` → `\\057`, `:` → `\\072` (SPEC §4)."""
    return socket.gethostname().replace("/", r"\057").replace(":", r"\072")


def postfix_prepended(sender: str, recipient: str, queue_id: str, *, sole_recipient: bool) -> re.Pattern[bytes]:
    """What local(8) puts before the message: Return-Path, X-Original-To, Delivered-To (made at delivery),
    and the Received header smtpd added at receipt (POSTFIX.md, "stdin"), whose "for <…>" clause names
    the recipient only when it was the only one. The From_ line before them is Postfix's too, and roost
    drops it."""
    s, r, q = (re.escape(value.encode()) for value in (sender, recipient, queue_id))
    date = rb"[A-Z][a-z]{2}, [ 0-9]{1,2} [A-Z][a-z]{2} [0-9]{4} [0-9:]{8} [+-][0-9]{4} \([A-Z]+\)\n"
    return re.compile(
        rb"\AReturn-Path: <" + s + rb">\n"
        rb"X-Original-To: " + r + rb"\n"
        rb"Delivered-To: " + r + rb"\n"
        rb"Received: from client\.roost\.test \(unknown \[127\.0\.0\.1\]\)\n"
        rb"\tby mx\.roost\.test \(Postfix\) with ESMTP id " + q
        + (rb"\n\tfor <" + r + rb">; " if sole_recipient else rb";\n\t") + date
    )


def message_after_prefix(content: bytes, sender: str, recipient: str, queue_id: str,
                         *, sole_recipient: bool = True) -> bytes:
    """The stored bytes after Postfix's own headers; fails when those are not exactly what local(8) hands over."""
    match = postfix_prepended(sender, recipient, queue_id, sole_recipient=sole_recipient).match(content)
    assert match, f"the stored file does not start with Postfix's headers for {queue_id}:\n{content[:600]!r}"
    return content[match.end():]


def stored_files(maildir: Path, queue_id: str) -> list[Path]:
    """The files in new/ and cur/ whose Received header names this queue id."""
    # "…with ESMTP id QID\n\tfor <rcpt>; date", or "…id QID;\n\tdate" when there were several recipients.
    needle = re.compile(rb" id " + re.escape(queue_id.encode()) + rb"[\n;]")
    found = []
    for sub in ("new", "cur"):
        directory = maildir / sub
        if not directory.is_dir():
            continue
        for entry in sorted(directory.iterdir()):
            with open(entry, "rb") as file:
                if needle.search(file.read(8192)):
                    found.append(entry)
    return found


def tmp_entries(maildir: Path, settle_seconds: float = 10.0) -> list[str]:
    """What stays in tmp/. Another delivery to the same user (a retry Postfix started meanwhile) may be writing its
    spool there right now; such a file goes away within seconds, a leaked one never does, so wait (bounded)."""
    tmp = maildir / "tmp"
    deadline = time.monotonic() + settle_seconds
    while True:
        entries = sorted(os.listdir(tmp)) if tmp.is_dir() else []
        if not entries or time.monotonic() > deadline:
            return entries
        time.sleep(0.1)


@dataclass
class StoredMessage:
    path: Path
    content: bytes


def the_one_stored(user: MailUser, queue_id: str) -> StoredMessage:
    """The single file holding this message in the user's INBOX; fails if there are none or several."""
    files = stored_files(user.maildir, queue_id)
    assert len(files) == 1, f"expected exactly one file for {queue_id} in {user.maildir}/new|cur, found {files}"
    return StoredMessage(files[0], files[0].read_bytes())


def assert_private(path: Path, user: MailUser, mode: int) -> None:
    info = os.lstat(path)
    assert stat.S_IMODE(info.st_mode) == mode, f"{path}: mode {stat.S_IMODE(info.st_mode):04o}, expected {mode:04o}"
    assert (info.st_uid, info.st_gid) == (user.uid, user.gid), \
        f"{path}: owned by {info.st_uid}:{info.st_gid}, expected {user.uid}:{user.gid}"


def assert_discreet(text: str, user: MailUser) -> None:
    """roost's output becomes the DSN text a sender may read: no paths, no user names (STYLE.md §3)."""
    assert str(user.home) not in text and user.name not in text.replace(recipient_of(user), ""), text


def recipient_of(user: MailUser, extension: str | None = None) -> str:
    local = user.name if extension is None else f"{user.name}+{extension}"
    return f"{local}@{DOMAIN}"
