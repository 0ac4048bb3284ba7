"""Malformed messages over SMTP are stored exactly as Postfix hands them to roost (SPEC §3).

Postfix is not a transparent pipe. Measured with Postfix 3.7.11 (Debian 12) by a
stand-in MDA that saved its stdin, these are the bytes local(8) hands over after
its own From_/Return-Path/X-Original-To/Delivered-To/Received lines:

- CRLF becomes LF. A bare LF on the wire also ends a line (smtpd_forbid_bare_newline=no).
- A bare CR becomes a space, in the header and in the body (cleanup(8); submitting with
  sendmail(1) does the same). roost never sees a bare CR from Postfix.
- A NUL ends a header line: the rest of that header line is dropped. A NUL in the body
  is passed through.
- A first line that is not a header, or a non-header line among the headers, starts the
  body: cleanup inserts the empty separator line before it.
- An empty message becomes a single empty line (the separator).
- A first line `From …` becomes the header `X-Mailbox-Line: From …`.
- A header larger than header_size_limit (default 102400) is cut; mailstack.py raises the
  limit to 4 MB. Lines longer than line_length_limit (2048) are split in the queue file
  and joined again at delivery, so a 1 MB header or body line arrives whole without
  touching line_length_limit.
- 8-bit and invalid UTF-8 bytes in headers pass unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from delivered import SENDER, message_after_prefix, recipient_of, the_one_stored, tmp_entries
from mailstack import MailStack, MailUser, fetch_by_queue_id, send

MEGABYTE = 1024 * 1024


@dataclass
class Case:
    name: str
    wire: bytes  # the DATA bytes on the SMTP connection, before dot-stuffing
    handed: bytes  # what Postfix hands to roost after its own header lines

    @staticmethod
    def unchanged(name: str, wire: bytes) -> "Case":
        return Case(name, wire, wire.replace(b"\r\n", b"\n"))


CASES = [
    Case.unchanged("8-bit and invalid UTF-8 in headers",
                   b"Subject: caf\xc3\xa9 \xff\xfe\xc3( invalid\r\nFrom: J\xf6rg <j@example.org>\r\n"
                   b"X-Latin1: \xe4\xf6\xfc\r\n\r\nbody \xe9\r\n"),
    Case.unchanged("1 MB header line without spaces",
                   b"X-Long: " + b"a" * MEGABYTE + b"\r\nSubject: long header\r\n\r\nbody\r\n"),
    Case.unchanged("1 MB header line of words",
                   b"X-Long: " + b"abcdefg " * (MEGABYTE // 8) + b"\r\nSubject: long header\r\n\r\nbody\r\n"),
    Case.unchanged("1 MB body line", b"Subject: long body line\r\n\r\n" + b"b" * MEGABYTE + b"\r\nend\r\n"),
    Case.unchanged("only headers, no separator, no body",
                   b"From: alice@example.org\r\nSubject: only headers\r\n"),
    Case.unchanged("headers and the separator, no body", b"From: alice@example.org\r\nSubject: empty body\r\n\r\n"),
    Case.unchanged("NUL bytes in the body", b"Subject: NUL in the body\r\n\r\nbody\x00with\x00NULs\r\n\x00\r\n"),
    Case("NUL byte in a header",
         b"Subject: before\x00after\r\nX-Next: kept\r\n\r\nbody\r\n",
         b"Subject: before\nX-Next: kept\n\nbody\n"),
    Case("bare CR",
         b"Subject: bare\rCR\r\n\r\nbody\rwith a bare CR\r\n",
         b"Subject: bare CR\n\nbody with a bare CR\n"),
    Case("no header/body separator",
         b"From: alice@example.org\r\nSubject: no separator\r\nthis line is not a header\r\nmore body\r\n",
         b"From: alice@example.org\nSubject: no separator\n\nthis line is not a header\nmore body\n"),
    Case("no header at all",
         b" a first line that looks folded\r\nSubject: not a header any more\r\n\r\nbody\r\n",
         b"\n a first line that looks folded\nSubject: not a header any more\n\nbody\n"),
    Case("empty message", b"", b"\n"),
    Case("a From_ line of its own",
         b"From mallory@example.org  Mon Jan  1 00:00:00 2024\r\nSubject: x\r\n\r\nFrom me\r\n",
         b"X-Mailbox-Line: From mallory@example.org  Mon Jan  1 00:00:00 2024\nSubject: x\n\nFrom me\n"),
]


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_a_malformed_message_is_stored_as_postfix_hands_it_over(stack: MailStack, user: MailUser, case: Case) -> None:
    queue_id = send(stack.postfix.port, SENDER, [recipient_of(user)], case.wire, wire_format=True)
    delivery = stack.postfix.wait_for_delivery(queue_id, statuses=("sent",))
    assert delivery.text == f"delivered to command: {stack.binary}"

    stored = the_one_stored(user, queue_id)
    assert stored.path.parent.name == "new"
    assert message_after_prefix(stored.content, SENDER, recipient_of(user), queue_id) == case.handed
    assert tmp_entries(user.maildir) == []

    with stack.dovecot.imap(user) as imap:
        fetched = fetch_by_queue_id(imap, queue_id)
    assert len(fetched) == 1
    # Dovecot sends a NUL as 0x80 unless the client asks for BINARY.
    assert fetched[0].content.replace(b"\r\n", b"\n") == stored.content.replace(b"\x00", b"\x80")
