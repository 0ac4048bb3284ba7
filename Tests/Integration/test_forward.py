"""`forward` and `copy forward` through the real Postfix (issue 6, item 2): roost → $sendmail → Postfix → roost.

SPEC §5.3: `forward "addr"` runs `$sendmail -oi -f SENDER -- ADDR…` (default
/usr/sbin/sendmail, `set sendmail = "…"` overrides) with the message on stdin, and roost
prepends `X-Roost-Loop: $RECIPIENT` to the copy it forwards; a message that arrives
carrying `X-Roost-Loop` equal to its own recipient is not forwarded again but stored in the
default folder.

Which sendmail. The forwarded copy must go into the suite's private Postfix, not the
system's. Postfix's own `sendmail -C <private config dir>` is refused for the unprivileged
user roost runs as ("unauthorized configuration directory name … specify
alternate_config_directories … in /etc/postfix/main.cf", exit 75, measured with Postfix
3.7): postdrop is set-gid and trusts only directories the *system* main.cf lists, and the
suite does not touch the system's configuration. So the rules name a small sendmail of the
suite's own (SENDMAIL below, written into the test directory's bin/): it takes sendmail's
command line as roost passes it, submits the message over SMTP to the private Postfix on
127.0.0.1 (MAIL FROM = -f, RCPT TO = the addresses, CRLF and dot-stuffing as a mail client
sends), exits 0 only on Postfix's 250, and records in the user's home what it was given
(argv, the initial environment, uid, the bytes on stdin) and the queue id Postfix returned.
That is all roost asks of a sendmail, and the records let the tests follow a message from
hop to hop by queue id.

The users: A is the suite's first user and B its second (both `mailbox_command = roost`,
direct exec); only this module gives them rule files, keyed on the Subject, and removes
them afterwards.
"""

from __future__ import annotations

import base64
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Optional

import pytest

from delivered import SENDER, message_after_prefix, recipient_of, stored_files
from mailstack import DELIVERY_LINE, DOMAIN, Delivery, MailStack, MailUser, fetch_by_queue_id, poll, send

FORWARD_HELO = "forward.roost.test"
"""The EHLO name of the suite's sendmail: the forwarded copy's Received header says it came this way."""

RECORDS = ".roost-it-sendmail.jsonl"
"""In the forwarding user's home: one JSON line per run of the suite's sendmail."""

SENDMAIL = r'''#!/usr/bin/python3 -I
"""sendmail for roost's integration suite (Tests/Integration/test_forward.py), written there at setup.

    sendmail [-oi] [-i] -f SENDER [--] ADDR...

Submits stdin over SMTP to the suite's private Postfix on 127.0.0.1:@PORT@ and appends a
record of the run to $HOME/@RECORDS@. Exit 0 on 250; 75 when Postfix or the connection
fails temporarily, 69 when Postfix refuses, 64 for a command line it does not understand.
"""
import base64, json, os, re, smtplib, sys

PORT = @PORT@


def main(argv):
    # The environment exactly as roost passed it: python itself sets LC_CTYPE (PEP 538) in
    # os.environ, but /proc/self/environ keeps the block execve(2) got.
    with open("/proc/self/environ", "rb") as source:
        environment = dict(item.decode("utf-8", "replace").partition("=")[::2]
                           for item in source.read().split(b"\0") if item)
    words, sender = argv[1:], None
    while words and words[0].startswith("-") and words[0] != "--":
        word = words.pop(0)
        if word in ("-oi", "-i"):
            continue
        if word == "-f" and words:
            sender = words.pop(0)
        elif word.startswith("-f") and len(word) > 2:
            sender = word[2:]
        else:
            print(f"sendmail (roost integration suite): unsupported option {word}", file=sys.stderr)
            return 64
    if words[:1] == ["--"]:
        words.pop(0)
    if sender is None or not words:
        print("sendmail (roost integration suite): usage: sendmail -oi -f SENDER -- ADDR...", file=sys.stderr)
        return 64
    message = sys.stdin.buffer.read()
    wire = re.sub(rb"(?m)^\.", b"..", re.sub(rb"\r?\n", b"\r\n", message))
    if not wire.endswith(b"\r\n"):
        wire += b"\r\n"
    try:
        with smtplib.SMTP("127.0.0.1", PORT, local_hostname="@HELO@", timeout=30) as smtp:
            smtp.ehlo()
            replies = [smtp.mail(sender)] + [smtp.rcpt(address) for address in words]
            for code, reply in replies:
                if code not in (250, 251):
                    raise smtplib.SMTPResponseException(code, reply)
            code, reply = smtp.docmd("DATA")
            if code != 354:
                raise smtplib.SMTPResponseException(code, reply)
            smtp.send(wire + b".\r\n")
            code, reply = smtp.getreply()
            if code != 250:
                raise smtplib.SMTPResponseException(code, reply)
    except smtplib.SMTPResponseException as error:
        print(f"sendmail (roost integration suite): {error.smtp_code} {error.smtp_error!r}", file=sys.stderr)
        return 69 if 500 <= error.smtp_code < 600 else 75
    except (OSError, smtplib.SMTPException) as error:
        print(f"sendmail (roost integration suite): {error}", file=sys.stderr)
        return 75
    queued = re.search(rb"queued as ([0-9A-Za-z]+)", reply)
    record = {"argv": argv, "environment": environment, "uid": os.getuid(),
              "queue_id": queued.group(1).decode() if queued else None,
              "input": base64.b64encode(message).decode()}
    with open(os.path.join(environment.get("HOME", "/nonexistent"), "@RECORDS@"), "a") as records:
        records.write(json.dumps(record) + "\n")
    return 0


sys.exit(main(sys.argv))
'''

PROGRAM_ENVIRONMENT = {"PATH", "HOME", "USER", "LOGNAME", "SENDER", "RECIPIENT", "EXTENSION"}
"""SPEC §5.3: the whole environment a program gets; EXTENSION only when there is one."""

MAX_HOPS = 6
"""A loop followed further than this is a mail storm: the test fails (and the rules are removed)."""


# --------------------------------------------------------------------------- helpers


def message(subject: str, tag: str) -> bytes:
    return (f"From: Alice Example <{SENDER}>\n"
            f"To: A <a@{DOMAIN}>\n"
            f"Subject: {subject}\n"
            f"Date: Sun, 29 Nov 2026 03:08:50 +0000\n"
            f"Message-ID: <{tag}@example.org>\n"
            f"\n"
            f"This is {subject}.\n"
            f".\n"
            f"A line with a single dot above: -oi, and SMTP dot-stuffing on the way.\n").encode()


def write_rules(user: MailUser, text: str) -> None:
    """~/.roostrc, 0600 and owned by the user, replaced in one rename."""
    temporary = user.home / ".roostrc.writing"
    temporary.write_text(text, encoding="utf-8")
    user.chown(temporary)
    os.chmod(temporary, 0o600)
    os.replace(temporary, user.home / ".roostrc")


@dataclass
class SendmailRun:
    """One run of the suite's sendmail, as it recorded itself."""

    argv: list[str]
    environment: dict[str, str]
    uid: int
    queue_id: str  # of the copy Postfix accepted
    input: bytes  # what roost wrote to its stdin

    @property
    def message_id(self) -> Optional[str]:
        match = re.search(rb"^Message-ID: <([^>]+)>$", self.input, re.MULTILINE | re.IGNORECASE)
        return match[1].decode() if match else None

    @property
    def incoming_queue_id(self) -> Optional[str]:
        """The queue id of the delivery that ran roost: the first Received header of the forwarded copy names it."""
        match = re.search(rb"^Received: .*?\n\tby [^\n]* id ([0-9A-Za-z]+)[\n;]", self.input, re.MULTILINE | re.DOTALL)
        return match[1].decode() if match else None


def sendmail_runs(user: MailUser, message_id: str) -> list[SendmailRun]:
    try:
        lines = (user.home / RECORDS).read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return []
    runs = []
    for line in lines:
        record = json.loads(line)
        run = SendmailRun(record["argv"], record["environment"], record["uid"], record["queue_id"],
                          base64.b64decode(record["input"]))
        if run.message_id == message_id:
            runs.append(run)
    return runs


def forwarded_prefix(sender: str, recipient: str, queue_id: str) -> re.Pattern[bytes]:
    """What local(8) prepends to a copy the suite's sendmail submitted (delivered.postfix_prepended, other HELO)."""
    s, r, q = (re.escape(value.encode()) for value in (sender, recipient, queue_id))
    return re.compile(
        rb"\AReturn-Path: <" + s + rb">\n"
        rb"X-Original-To: " + r + rb"\n"
        rb"Delivered-To: " + r + rb"\n"
        rb"Received: from " + re.escape(FORWARD_HELO.encode()) + rb" \(unknown \[127\.0\.0\.1\]\)\n"
        rb"\tby mx\.roost\.test \(Postfix\) with ESMTP id " + q + rb"\n"
        rb"\tfor <" + r + rb">; [A-Z][a-z]{2}, [ 0-9]{1,2} [A-Z][a-z]{2} [0-9]{4} [0-9:]{8} [+-][0-9]{4} \([A-Z]+\)\n"
    )


def loop_header(user: MailUser) -> bytes:
    """The header roost prepends to a copy it forwards: `X-Roost-Loop: $RECIPIENT` (the bare address)."""
    return f"X-Roost-Loop: {recipient_of(user)}\n".encode()


def without_return_path(content: bytes, sender: str) -> bytes:
    """cleanup(8) drops Return-Path from submitted mail (message_drop_headers), so the forwarded copy loses local(8)'s."""
    line = f"Return-Path: <{sender}>\n".encode()
    assert content.count(line) == 1, content[:600]
    return content.replace(line, b"", 1)


def check_forwarded_input(run: SendmailRun, forwarder: MailUser, original: bytes, queue_id: str) -> None:
    """roost piped: its loop header, then exactly what it got from local(8) for `queue_id` (less the From_ line)."""
    assert run.input.startswith(loop_header(forwarder)), run.input[:300]
    rest = run.input[len(loop_header(forwarder)):]
    assert message_after_prefix(rest, SENDER, recipient_of(forwarder), queue_id) == original


def the_one_on_imap(stack: MailStack, user: MailUser, queue_id: str) -> bytes:
    """The single INBOX message whose Received names `queue_id`, with LF line ends; checked against the one file on disk."""
    with stack.dovecot.imap(user) as imap:
        fetched = fetch_by_queue_id(imap, queue_id)
    assert len(fetched) == 1, f"IMAP shows {len(fetched)} copies of {queue_id} in {user.name}'s INBOX"
    files = stored_files(user.maildir, queue_id)
    assert len(files) == 1, files
    content = fetched[0].content.replace(b"\r\n", b"\n")
    assert content == files[0].read_bytes()
    assert fetched[0].size == len(content) + content.count(b"\n")
    return content


def inbox_copies(stack: MailStack, user: MailUser, message_id: str) -> int:
    """How many messages with this Message-ID the user's INBOX holds over IMAP."""
    with stack.dovecot.imap(user) as imap:
        status, data = imap.select("INBOX", readonly=True)
        assert status == "OK", data
        status, data = imap.uid("SEARCH", "HEADER", "Message-ID", f"<{message_id}>")
        assert status == "OK", data
        return len(data[0].split())


def queue_ids_of(stack: MailStack, message_id: str) -> list[str]:
    """Every queue file Postfix made for this Message-ID (cleanup logs one line each)."""
    pattern = re.compile(r": ([0-9A-Za-z]+): message-id=<" + re.escape(message_id) + r">$")
    return [match[1] for line in stack.postfix.log_text().splitlines() if (match := pattern.search(line))]


def roost_log(user: MailUser, message_id: str) -> list[str]:
    try:
        text = (user.home / ".roost.log").read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return []
    return [line for line in text.splitlines() if f" msgid=<{message_id}> " in line]


def check_postfix_took_the_forward(stack: MailStack, run: SendmailRun, to: MailUser) -> Delivery:
    """The copy came in over SMTP from 127.0.0.1 with the original envelope sender and was delivered once, to `to`."""
    delivery = stack.postfix.wait_for_delivery(run.queue_id, statuses=("sent",))
    assert delivery.recipient == recipient_of(to)
    assert "relay=local," in delivery.line and delivery.text == f"delivered to command: {stack.binary}", delivery.line
    stack.postfix.wait_until_removed(run.queue_id)
    assert len(stack.postfix.deliveries(run.queue_id)) == 1
    lines = stack.postfix.log_lines(run.queue_id)
    assert any(line.endswith(f"{run.queue_id}: client=unknown[127.0.0.1]") for line in lines), lines
    assert any(f"{run.queue_id}: from=<{SENDER}>, " in line for line in lines), lines
    return delivery


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def sendmail(stack: MailStack) -> Path:
    path = stack.root / "bin" / "sendmail"
    path.write_text(SENDMAIL.replace("@PORT@", str(stack.postfix.port)).replace("@HELO@", FORWARD_HELO)
                    .replace("@RECORDS@", RECORDS))
    os.chmod(path, 0o755)
    return path


@pytest.fixture(scope="module")
def forwarding(stack: MailStack, user: MailUser, second_user: MailUser, sendmail: Path) -> Iterator[None]:
    """A forwards to B (three ways, by Subject); B forwards loop mail back to A. Removed afterwards, also after a
    failure: other modules expect A and B without rules, and removing them ends any loop still running."""
    a, b = recipient_of(user), recipient_of(second_user)
    header = f'set sendmail = "{sendmail}"\nset logfile = "~/.roost.log"\n'
    write_rules(user, header +
                f'if subject ~ /^forward to B\\b/ {{ forward "{b}" }}\n'
                f'if subject ~ /^copy forward to B\\b/ {{ copy forward "{b}" }}\n'
                f'if subject ~ /^loop\\b/ {{ forward "{b}" }}\n')
    write_rules(second_user, header + f'if subject ~ /^loop\\b/ {{ forward "{a}" }}\n')
    try:
        yield
    finally:
        for person in (user, second_user):
            for name in (".roostrc", ".roost.log", RECORDS):
                (person.home / name).unlink(missing_ok=True)


# --------------------------------------------------------------------------- forward


def test_forward_hands_the_message_to_the_second_user_through_postfix(
        stack: MailStack, user: MailUser, second_user: MailUser, sendmail: Path, forwarding: None) -> None:
    original = message("forward to B, please", "forward-1")
    queue_id = send(stack.postfix.port, SENDER, [recipient_of(user)], original)
    first = stack.postfix.wait_for_delivery(queue_id, statuses=("sent",))
    assert first.text == f"delivered to command: {stack.binary}", first.line  # roost exited 0
    stack.postfix.wait_until_removed(queue_id)
    assert len(stack.postfix.deliveries(queue_id)) == 1

    # roost ran the program SPEC §5.3 describes, as A, with the clean environment, and fed it the message.
    run, = sendmail_runs(user, "forward-1@example.org")
    assert run.argv == [str(sendmail), "-oi", "-f", SENDER, "--", recipient_of(second_user)]
    assert run.uid == user.uid
    assert set(run.environment) <= PROGRAM_ENVIRONMENT and "EXTENSION" not in run.environment, run.environment
    assert {key: run.environment.get(key) for key in ("HOME", "USER", "LOGNAME", "SENDER", "RECIPIENT")} == {
        "HOME": str(user.home), "USER": user.name, "LOGNAME": user.name, "SENDER": SENDER,
        "RECIPIENT": recipient_of(user)}
    check_forwarded_input(run, user, original, queue_id)
    assert run.incoming_queue_id == queue_id

    # Postfix took the copy and delivered it to B (roost again, no rule matches: INBOX).
    check_postfix_took_the_forward(stack, run, second_user)
    stored = the_one_on_imap(stack, second_user, run.queue_id)
    prefix = forwarded_prefix(SENDER, recipient_of(second_user), run.queue_id).match(stored)
    assert prefix, stored[:600]
    assert stored[prefix.end():] == without_return_path(run.input, SENDER)
    # Spelled out: B's copy = Postfix's headers for B + roost's loop header + A's local(8) headers + the original.
    rest = stored[prefix.end():]
    assert rest.startswith(loop_header(user))
    assert rest.endswith(original)
    assert b"\nDelivered-To: " + recipient_of(user).encode() + b"\n" in rest

    # A keeps nothing: forward is final.
    assert stored_files(user.maildir, queue_id) == []
    assert inbox_copies(stack, user, "forward-1@example.org") == 0
    assert inbox_copies(stack, second_user, "forward-1@example.org") == 1
    assert sorted(queue_ids_of(stack, "forward-1@example.org")) == sorted([queue_id, run.queue_id])
    assert len(roost_log(user, "forward-1@example.org")) == 1
    assert sendmail_runs(second_user, "forward-1@example.org") == []


def test_the_log_line_of_a_forward_says_where_the_message_went(
        stack: MailStack, user: MailUser, second_user: MailUser, forwarding: None) -> None:
    queue_id = send(stack.postfix.port, SENDER, [recipient_of(user)], message("forward to B, logged", "forward-log"))
    stack.postfix.wait_for_delivery(queue_id, statuses=("sent",))
    stack.postfix.wait_until_removed(queue_id)
    run, = sendmail_runs(user, "forward-log@example.org")
    check_postfix_took_the_forward(stack, run, second_user)  # nothing left in flight for the next test
    logged, = roost_log(user, "forward-log@example.org")
    assert "action=deliver" not in logged.split() and 'folder=""' not in logged.split(), logged
    assert recipient_of(second_user) in logged, logged


def test_copy_forward_keeps_a_local_copy_and_forwards_one(
        stack: MailStack, user: MailUser, second_user: MailUser, forwarding: None) -> None:
    original = message("copy forward to B, and keep one", "copy-forward-1")
    queue_id = send(stack.postfix.port, SENDER, [recipient_of(user)], original)
    stack.postfix.wait_for_delivery(queue_id, statuses=("sent",))
    stack.postfix.wait_until_removed(queue_id)
    assert len(stack.postfix.deliveries(queue_id)) == 1

    # A's copy: Postfix's headers + the original, without the loop header (only the forwarded copy carries it).
    kept = the_one_on_imap(stack, user, queue_id)
    assert message_after_prefix(kept, SENDER, recipient_of(user), queue_id) == original
    assert stored_files(user.maildir, queue_id)[0].parent.name == "new"

    run, = sendmail_runs(user, "copy-forward-1@example.org")
    assert run.argv[1:] == ["-oi", "-f", SENDER, "--", recipient_of(second_user)]
    check_forwarded_input(run, user, original, queue_id)
    check_postfix_took_the_forward(stack, run, second_user)
    forwarded = the_one_on_imap(stack, second_user, run.queue_id)
    prefix = forwarded_prefix(SENDER, recipient_of(second_user), run.queue_id).match(forwarded)
    assert prefix and forwarded[prefix.end():] == without_return_path(run.input, SENDER), forwarded[:600]

    assert inbox_copies(stack, user, "copy-forward-1@example.org") == 1
    assert inbox_copies(stack, second_user, "copy-forward-1@example.org") == 1
    forward_line, delivery_line = roost_log(user, "copy-forward-1@example.org")
    assert "action=copy-forward" in forward_line.split() and recipient_of(second_user) in forward_line, forward_line
    assert "status=sent" in delivery_line.split() and "folder=INBOX" in delivery_line.split(), delivery_line


def test_a_message_carrying_its_recipients_loop_header_is_stored_not_forwarded(
        stack: MailStack, user: MailUser, second_user: MailUser, forwarding: None) -> None:
    """roost's own loop check, end to end: the forward rule matches, but the message already says it was forwarded
    by A, so A's roost keeps it in INBOX (unchanged) and runs no sendmail."""
    original = loop_header(user) + message("forward to B, but it has been here before", "seen-loop-1")
    queue_id = send(stack.postfix.port, SENDER, [recipient_of(user)], original)
    delivery = stack.postfix.wait_for_delivery(queue_id, statuses=("sent",))
    assert delivery.text == f"delivered to command: {stack.binary}", delivery.line
    stack.postfix.wait_until_removed(queue_id)

    stored = the_one_on_imap(stack, user, queue_id)
    assert message_after_prefix(stored, SENDER, recipient_of(user), queue_id) == original
    assert sendmail_runs(user, "seen-loop-1@example.org") == []
    assert queue_ids_of(stack, "seen-loop-1@example.org") == [queue_id]
    assert inbox_copies(stack, second_user, "seen-loop-1@example.org") == 0
    lines = roost_log(user, "seen-loop-1@example.org")
    assert any("forward loop" in line for line in lines), lines
    assert any("status=sent" in line.split() and "folder=INBOX" in line.split() for line in lines), lines


# --------------------------------------------------------------------------- a forward loop: A → B → A


@dataclass
class Hop:
    recipient: MailUser
    queue_id: str
    deliveries: list[Delivery]
    forwarded: Optional[SendmailRun]  # what this hop's roost submitted, if it forwarded


@dataclass
class LoopRun:
    original: bytes
    message_id: str
    hops: list[Hop]


@pytest.fixture(scope="module")
def loop_run(stack: MailStack, user: MailUser, second_user: MailUser, forwarding: None) -> LoopRun:
    """Sends one message to A, whose rules forward it to B, whose rules forward it back to A, and follows it.

    Every wait is bounded: a hop ends with its final Postfix status, and roost (and so the sendmail run recorded
    by the hop's recipient) has finished before Postfix logs that status. A hop whose recipient submitted no copy
    ends the chain; more than MAX_HOPS hops is a storm and fails (the fixture `forwarding` then removes the rules).
    """
    message_id = "loop-1@example.org"
    original = message("loop between A and B", "loop-1")
    other = {user.name: second_user, second_user.name: user}
    recipient = user
    queue_id = send(stack.postfix.port, SENDER, [recipient_of(user)], original)
    hops: list[Hop] = []
    while True:
        assert len(hops) < MAX_HOPS, f"a mail storm: {[(hop.recipient.name, hop.queue_id) for hop in hops]}"
        deliveries = stack.postfix.wait_for_final_delivery(queue_id)
        stack.postfix.wait_until_removed(queue_id)
        runs = [run for run in sendmail_runs(recipient, message_id) if run.incoming_queue_id == queue_id]
        assert len(runs) <= 1, runs
        hops.append(Hop(recipient, queue_id, deliveries, runs[0] if runs else None))
        if not runs:
            break
        recipient, queue_id = other[recipient.name], runs[0].queue_id
    # A bounce of the last hop goes to the sender (example.org: the error transport); let it leave the queue too.
    notices = [match[1] for hop in hops for line in stack.postfix.log_lines(hop.queue_id)
               if (match := re.search(r": sender non-delivery notification: ([0-9A-Za-z]+)$", line))]
    for notice in notices:
        stack.postfix.wait_for_final_delivery(notice)
        stack.postfix.wait_until_removed(notice)
    return LoopRun(original, message_id, hops)


def test_a_forward_loop_ends_without_a_mail_storm(stack: MailStack, user: MailUser, second_user: MailUser,
                                                  loop_run: LoopRun) -> None:
    """Bounded: at most A → B → A, one Postfix delivery attempt per queue file, and no queue file or sendmail run
    beyond the hops followed (counted in the Postfix log and in both users' sendmail records)."""
    hops = loop_run.hops
    assert 2 <= len(hops) <= 3, [(hop.recipient.name, hop.queue_id) for hop in hops]
    assert [hop.recipient for hop in hops] == [user, second_user, user][:len(hops)]
    for hop in hops:
        assert len(hop.deliveries) == 1, [delivery.line for delivery in hop.deliveries]
        assert hop.deliveries[0].recipient == recipient_of(hop.recipient)
    assert sorted(queue_ids_of(stack, loop_run.message_id)) == sorted(hop.queue_id for hop in hops)
    runs = sendmail_runs(user, loop_run.message_id) + sendmail_runs(second_user, loop_run.message_id)
    assert len(runs) == len(hops) - 1
    # What A's roost forwarded is the original with its loop header, and so on down the chain.
    check_forwarded_input(hops[0].forwarded, user, loop_run.original, hops[0].queue_id)
    assert hops[1].forwarded is None or hops[1].forwarded.input.startswith(loop_header(second_user) + b"Return-Path:")
    if len(hops) == 3 and hops[2].deliveries[0].status == "bounced":
        # Postfix's own loop check: the copy coming back to A carries the `Delivered-To: A` local(8) put on the first
        # delivery (roost forwards the message as local(8) handed it over), and local(8) bounces it before roost runs.
        assert hops[2].deliveries[0].dsn == "5.4.6", hops[2].deliveries[0].line
        assert hops[2].deliveries[0].text == f"mail forwarding loop for {recipient_of(user)}"
    assert not any(entry["queue_id"] in {hop.queue_id for hop in hops} for entry in stack.postfix.queue())


def test_a_forward_loop_leaves_the_message_stored_exactly_once(stack: MailStack, user: MailUser,
                                                               second_user: MailUser, loop_run: LoopRun) -> None:
    """Issue 6: "a forward loop … is stopped by a loop header and delivered locally instead". B's roost sees
    `X-Roost-Loop: A` on a message it would forward to A, so it stores it in B's INBOX."""
    assert [hop.deliveries[-1].status for hop in loop_run.hops] == ["sent"] * len(loop_run.hops)
    copies = {person.name: inbox_copies(stack, person, loop_run.message_id) for person in (user, second_user)}
    assert sum(copies.values()) == 1, copies
    last = loop_run.hops[-1]
    assert last.forwarded is None
    assert any("forward loop" in line for line in roost_log(last.recipient, loop_run.message_id))
