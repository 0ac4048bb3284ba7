"""A message bigger than the file-size limit roost runs under: exit 75, nothing left behind, delivered after the fix.

Why not with mailbox_size_limit: local(8) runs mailbox_command with RLIMIT_FSIZE =
mailbox_size_limit (POSTFIX.md), but Postfix never lets a message reach that limit.
local(8) will not start when message_size_limit > mailbox_size_limit ("fatal:
main.cf configuration error"), and when a queue file is bigger than its file-size limit
anyway (a per-service `-o mailbox_size_limit=1048576` with a 2 MB message), local(8)
forks the command and then panics before writing a byte ("panic: file size limit
1048576 < message size 2020955. This causes large messages to be delivered repeatedly
…", killed by signal 6, master throttles the service). The command sees an empty stdin.
Since what an MDA writes (the message + ~130 bytes of Return-Path/X-Original-To/
Delivered-To) is always smaller than what local(8) compares (the queue file), the limit
can never bite roost through mailbox_size_limit.

So the limit comes from the shell, as an administrator would set it:
`mailbox_command = ulimit -f 2048; exec roost` (1 MiB) on a local(8) service of its own
(mailstack.py, `user+fsize@`). local(8) hands commands SIGXFSZ (and SIGPIPE) ignored:
the stand-in MDA used to build this suite read `SigIgn: 0000000001001000` in
/proc/self/status, and dash cannot undo an ignored-on-entry signal. So there a write past
the limit fails with EFBIG. `user+fsizesig@` puts SIGXFSZ back to its default action
(`env --default-signal=XFSZ`), as another MTA or a wrapper script might hand it over:
then the kernel kills a writer that does not ignore SIGXFSZ itself (issue 3: "SIGXFSZ
must not kill roost").
"""

from __future__ import annotations

import pytest

from delivered import SENDER, assert_discreet, message_after_prefix, recipient_of, stored_files, the_one_stored, tmp_entries
from mailstack import MailStack, MailUser, fetch_by_queue_id, send

ROUTES = {"SIGXFSZ ignored, as Postfix hands it over": "fsize", "SIGXFSZ at its default action": "fsizesig"}


def message_of(size: int, subject: bytes) -> bytes:
    head = b"From: alice@example.org\nSubject: " + subject + b"\n\n"
    line = b"x" * 99 + b"\n"
    return head + line * ((size - len(head)) // len(line))


@pytest.mark.parametrize("extension", ROUTES.values(), ids=ROUTES.keys())
def test_a_message_under_the_limit_is_delivered(stack: MailStack, user: MailUser, extension: str) -> None:
    """The control: the limited route itself works, so a deferral below is the limit's doing."""
    message = message_of(stack.FILE_SIZE_LIMIT // 2, b"half the limit")
    recipient = recipient_of(user, extension)
    queue_id = send(stack.postfix.port, SENDER, [recipient], message)
    delivery = stack.postfix.wait_for_delivery(queue_id, statuses=("sent",))
    assert f"relay={stack.route(extension).service}," in delivery.line
    stored = the_one_stored(user, queue_id)
    assert message_after_prefix(stored.content, SENDER, recipient, queue_id) == message


@pytest.mark.parametrize("extension", ROUTES.values(), ids=ROUTES.keys())
def test_a_message_over_the_file_size_limit_defers_without_a_trace_and_arrives_after_the_fix(
        stack: MailStack, user: MailUser, extension: str) -> None:
    message = message_of(2 * stack.FILE_SIZE_LIMIT, b"twice the limit")
    recipient = recipient_of(user, extension)
    limited = stack.route(extension)
    queue_id = send(stack.postfix.port, SENDER, [recipient], message)

    deferred = stack.postfix.wait_for_delivery(queue_id, statuses=("deferred",))
    assert f"relay={limited.service}," in deferred.line
    assert_discreet(deferred.text, user)
    assert "died with signal" not in deferred.text, "SIGXFSZ must not kill roost: EFBIG means exit 75"
    assert deferred.dsn.startswith("4."), deferred.line
    assert stack.postfix.is_queued(queue_id)
    assert stored_files(user.maildir, queue_id) == []
    assert tmp_entries(user.maildir) == [], "the partial temp file must be removed"

    # The fix an administrator would make: no limit. Then nothing must be lost.
    limited_command = limited.command
    try:
        stack.postfix.set_route_command(limited, str(stack.binary))
        stack.postfix.reload()
        stack.postfix.flush()
        attempts = stack.postfix.wait_for_final_delivery(queue_id)
    finally:
        stack.postfix.set_route_command(limited, limited_command)
        stack.postfix.reload()
    assert [attempt.status for attempt in attempts] == ["deferred"] * (len(attempts) - 1) + ["sent"]

    stored = the_one_stored(user, queue_id)
    assert message_after_prefix(stored.content, SENDER, recipient, queue_id) == message
    assert tmp_entries(user.maildir) == []
    with stack.dovecot.imap(user) as imap:
        assert len(fetch_by_queue_id(imap, queue_id)) == 1
