"""SMTP → Postfix → roost → Maildir → Dovecot IMAP, with no rules: every message lands in INBOX (issue 3)."""

from __future__ import annotations

import base64
import shutil
import time

import pytest

from delivered import (SENDER, UNIQUE_NAME, assert_private, encoded_host_name, message_after_prefix,
                       recipient_of, StoredMessage, the_one_stored, tmp_entries)
from mailstack import MailStack, MailUser, fetch_by_queue_id, list_mailboxes, poll, send

# Each message ends with a newline: SMTP cannot carry a message without one, so Postfix
# always hands over a final LF. smtplib sends these LF-only literals with CRLF line ends;
# Postfix hands them to roost with LF again.
PLAIN = b"""\
From: Alice Example <alice@example.org>
To: Test User <user@roost.test>
Subject: a plain message
Date: Sun, 29 Nov 2026 03:08:50 +0000
Message-ID: <plain.1@example.org>

Hello,

this is a plain message.
"""

MBOX_HOSTILE = b"""\
From: Alice Example <alice@example.org>
Subject: From lines, dots and whitespace in the body
Message-ID: <mbox.1@example.org>

From here on the body has lines an mbox writer would quote.
>From this one is already quoted, and must stay so.
.
..
.leading dot
trailing whitespace   \t
\t
last line
"""


def mime_message() -> bytes:
    attachment = base64.encodebytes(bytes(range(256)) * 8)
    return (
        b"From: =?UTF-8?Q?J=C3=B6rg?= <joerg@example.org>\n"
        b"Subject: =?UTF-8?B?R3LDvMOfZQ==?=\n"
        b"Message-ID: <mime.1@example.org>\n"
        b"MIME-Version: 1.0\n"
        b"Content-Type: multipart/mixed; boundary=\"b1\"\n"
        b"\n"
        b"--b1\n"
        b"Content-Type: text/plain; charset=utf-8\n"
        b"Content-Transfer-Encoding: 8bit\n"
        b"\n"
        b"Gr\xc3\xbc\xc3\x9fe aus M\xc3\xbcnchen \xe2\x80\x94 8-bit UTF-8 in the body.\n"
        b"--b1\n"
        b"Content-Type: application/octet-stream\n"
        b"Content-Transfer-Encoding: base64\n"
        b"\n" + attachment +
        b"--b1--\n"
    )


def large_message() -> bytes:
    """About 3 MB in lines of 76 characters: more than any pipe or write buffer along the way."""
    line = b"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789abcd\n"
    return b"From: alice@example.org\nSubject: a large message\n\n" + line * 40_000


MESSAGES = {
    "plain": PLAIN,
    "mbox-hostile body": MBOX_HOSTILE,
    "MIME with 8-bit body and attachment": mime_message(),
    "3 MB": large_message(),
}


def deliver_and_check_on_disk(stack: MailStack, user: MailUser, message: bytes,
                              extension: str | None = None) -> tuple[str, StoredMessage]:
    """Sends `message` and checks the Postfix log and the file roost wrote; returns the queue id and that file."""
    started = time.time()
    recipient = recipient_of(user, extension)
    queue_id = send(stack.postfix.port, SENDER, [recipient], message)

    delivery = stack.postfix.wait_for_delivery(queue_id, statuses=("sent",))
    command = stack.binary if extension is None else stack.route(extension).command
    assert delivery.text == f"delivered to command: {command}"
    stack.postfix.wait_until_removed(queue_id)
    assert len(stack.postfix.deliveries(queue_id)) == 1

    stored = the_one_stored(user, queue_id)
    assert stored.path.parent.name == "new", "no rule sets a flag, so the message belongs in new/"
    assert tmp_entries(user.maildir) == []
    assert not stored.content.startswith(b"From "), "Postfix's From_ line must not be stored"
    assert message_after_prefix(stored.content, SENDER, recipient, queue_id) == message

    name = UNIQUE_NAME.match(stored.path.name)
    assert name, f"{stored.path.name} does not follow SPEC §4's file-name format"
    info = stored.path.stat()
    assert int(name["size"]) == info.st_size == len(stored.content)
    assert started - 2 <= int(name["seconds"]) <= time.time() + 2
    assert int(name["microseconds"]) < 1_000_000
    assert name["host"] == encoded_host_name()
    assert info.st_nlink == 1, "the tmp/ link must be gone"
    assert_private(stored.path, user, 0o600)
    for directory in (user.maildir, user.maildir / "tmp", user.maildir / "new", user.maildir / "cur"):
        assert_private(directory, user, 0o700)
    return queue_id, stored


def check_over_imap(stack: MailStack, user: MailUser, queue_id: str, stored: StoredMessage) -> None:
    """Dovecot serves the stored file once, unchanged but for CRLF line ends."""
    with stack.dovecot.imap(user) as imap:
        fetched = fetch_by_queue_id(imap, queue_id)
    assert len(fetched) == 1, f"IMAP shows {len(fetched)} copies of {queue_id}"
    assert fetched[0].content.replace(b"\r\n", b"\n") == stored.content
    # Dovecot takes the physical size from ",S=" and serves CRLF: a wrong S= shows up here.
    assert fetched[0].size == len(stored.content) + stored.content.count(b"\n")


def test_a_missing_maildir_is_created_private_and_receives_the_message(stack: MailStack, user: MailUser) -> None:
    """Through `user+umask@` (umask 022): local(8)'s own umask 077 would hide modes roost gets wrong."""
    shutil.rmtree(user.maildir, ignore_errors=True)
    queue_id, stored = deliver_and_check_on_disk(stack, user, PLAIN, extension="umask")
    assert sorted(path.name for path in user.maildir.iterdir()) == ["cur", "new", "tmp"]
    check_over_imap(stack, user, queue_id, stored)


@pytest.mark.parametrize("message", MESSAGES.values(), ids=MESSAGES.keys())
def test_a_message_sent_by_smtp_is_stored_byte_for_byte_and_readable_over_imap(
        stack: MailStack, user: MailUser, message: bytes) -> None:
    queue_id, stored = deliver_and_check_on_disk(stack, user, message)
    check_over_imap(stack, user, queue_id, stored)


def test_a_message_to_an_extension_address_lands_in_inbox(stack: MailStack, user: MailUser) -> None:
    """No rules yet: user+ext@ is still delivered to INBOX, and Postfix's headers name the extension."""
    queue_id = send(stack.postfix.port, SENDER, [recipient_of(user, "lists")], PLAIN)
    stack.postfix.wait_for_delivery(queue_id, statuses=("sent",))
    stored = the_one_stored(user, queue_id)
    assert stored.path.parent.name == "new"
    assert message_after_prefix(stored.content, SENDER, recipient_of(user, "lists"), queue_id) == PLAIN
    with stack.dovecot.imap(user) as imap:
        assert list_mailboxes(imap) == ["INBOX"]
        assert len(fetch_by_queue_id(imap, queue_id)) == 1


def test_one_message_to_two_users_is_stored_once_for_each_and_owned_by_each(
        stack: MailStack, user: MailUser, second_user: MailUser) -> None:
    """Postfix runs roost once per recipient, as that recipient, with that recipient's HOME."""
    queue_id = send(stack.postfix.port, SENDER, [recipient_of(user), recipient_of(second_user)], PLAIN)
    for recipient in (user, second_user):
        delivery = next(attempt for attempt in poll_deliveries(stack, queue_id, count=2)
                        if attempt.recipient == recipient_of(recipient))
        assert delivery.status == "sent", delivery.line
        stored = the_one_stored(recipient, queue_id)
        assert_private(stored.path, recipient, 0o600)
        assert message_after_prefix(stored.content, SENDER, recipient_of(recipient), queue_id,
                                    sole_recipient=False) == PLAIN


def poll_deliveries(stack: MailStack, queue_id: str, count: int) -> list:
    return poll(lambda: len(stack.postfix.deliveries(queue_id)) >= count and stack.postfix.deliveries(queue_id),
                timeout=60, what=f"{count} delivery attempts of {queue_id}")


def test_a_bounce_with_the_null_sender_is_delivered(stack: MailStack, user: MailUser) -> None:
    """Postfix hands bounces over as `From MAILER-DAEMON` with `Return-Path: <>` and SENDER empty."""
    queue_id = send(stack.postfix.port, "", [recipient_of(user)], PLAIN)
    stack.postfix.wait_for_delivery(queue_id, statuses=("sent",))
    stored = the_one_stored(user, queue_id)
    assert message_after_prefix(stored.content, "", recipient_of(user), queue_id) == PLAIN
