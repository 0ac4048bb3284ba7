"""An INBOX roost cannot write: exit 75, Postfix keeps the message and delivers it once after the fix (SPEC §2–§3)."""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from typing import Callable

import pytest

from delivered import SENDER, assert_discreet, message_after_prefix, recipient_of, stored_files, the_one_stored, tmp_entries
from mailstack import MailStack, MailUser, fetch_by_queue_id, send

MESSAGE = b"""\
From: Alice Example <alice@example.org>
Subject: waiting for a writable Maildir
Message-ID: <deferral@example.org>

This message must arrive exactly once, after the fault is fixed.
"""


def make_maildir(user: MailUser) -> None:
    """A complete, private INBOX, as roost would have created it."""
    for path in (user.maildir, user.maildir / "tmp", user.maildir / "new", user.maildir / "cur"):
        path.mkdir(mode=0o700, exist_ok=True)
        user.chown(path)


def replace_tmp_with_a_file(user: MailUser) -> None:
    shutil.rmtree(user.maildir / "tmp")
    (user.maildir / "tmp").write_bytes(b"not a directory\n")
    user.chown(user.maildir / "tmp")


def restore_tmp_directory(user: MailUser) -> None:
    (user.maildir / "tmp").unlink()
    make_maildir(user)


def remove_maildir_in_read_only_home(user: MailUser) -> None:
    shutil.rmtree(user.maildir)
    os.chmod(user.home, 0o500)


@dataclass
class Fault:
    name: str
    make: Callable[[MailUser], None]
    fix: Callable[[MailUser], None]


FAULTS = [
    # open(tmp/…, O_CREAT|O_EXCL) fails with EACCES: nothing is ever written.
    Fault("tmp/ not writable", lambda user: os.chmod(user.maildir / "tmp", 0o500),
          lambda user: os.chmod(user.maildir / "tmp", 0o700)),
    # The temp file is written, then link(2) into new/ fails with EACCES: roost must remove it again.
    Fault("new/ not writable", lambda user: os.chmod(user.maildir / "new", 0o500),
          lambda user: os.chmod(user.maildir / "new", 0o700)),
    # ENOTDIR at the first path step.
    Fault("tmp/ is a regular file", replace_tmp_with_a_file, restore_tmp_directory),
    # The Maildir is missing and its parent may not be written: it cannot be created (EACCES).
    Fault("no Maildir and a read-only home", remove_maildir_in_read_only_home,
          lambda user: os.chmod(user.home, 0o700)),
]


@pytest.mark.parametrize("fault", FAULTS, ids=[fault.name for fault in FAULTS])
def test_an_unwritable_inbox_defers_and_the_message_arrives_once_after_the_fix(
        stack: MailStack, user: MailUser, fault: Fault) -> None:
    make_maildir(user)
    fault.make(user)
    try:
        queue_id = send(stack.postfix.port, SENDER, [recipient_of(user)], MESSAGE)
        deferred = stack.postfix.wait_for_delivery(queue_id, statuses=("deferred",))
        assert deferred.dsn.startswith("4."), deferred.line
        assert_discreet(deferred.text, user)
        assert "died with signal" not in deferred.text, "roost must exit 75, not crash"
        assert stack.postfix.is_queued(queue_id), "a deferred message stays in Postfix's queue"
        assert stored_files(user.maildir, queue_id) == []
        if (user.maildir / "tmp").is_dir():
            assert tmp_entries(user.maildir) == [], "the temp file of a failed delivery must be removed"
    finally:
        fault.fix(user)

    stack.postfix.flush()
    attempts = stack.postfix.wait_for_final_delivery(queue_id)
    assert [attempt.status for attempt in attempts] == ["deferred"] * (len(attempts) - 1) + ["sent"]
    stack.postfix.wait_until_removed(queue_id)

    stored = the_one_stored(user, queue_id)
    assert message_after_prefix(stored.content, SENDER, recipient_of(user), queue_id) == MESSAGE
    assert tmp_entries(user.maildir) == []
    with stack.dovecot.imap(user) as imap:
        assert len(fetch_by_queue_id(imap, queue_id)) == 1
