"""A user's ~/.roostrc through the real stack (issue 4): SMTP → Postfix → roost → Maildir++ folders → Dovecot IMAP.

The rules user (mailstack.py) gets its mail through the wiring SPEC §1 documents,
`mailbox_command = roost -a "$EXTENSION"` (a shell command: Postfix never expands `$name`
in mailbox_command, the shell expands it from the environment local(8) sets), except
`user+direct@`, which runs the plain `mailbox_command = roost` (direct exec, no shell) and
leaves roost to read $EXTENSION itself. Every check of where a message went is made over
IMAP, in every mailbox Dovecot lists, against the bytes on disk.
"""

from __future__ import annotations

import base64
import os
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

import pytest

from delivered import SENDER, assert_private, message_after_prefix, recipient_of, stored_files
from mailstack import MailStack, MailUser, poll, send

STANDARD_RULES = """\
# ~/.roostrc of roost's integration suite (Tests/Integration/test_rules.py)
set default = "INBOX"
set logfile = "~/.roost.log"

# Receipts from the shop are tagged; whatever carries the tag is archived too.
if address "From" ~ /@shop\\.example\\.org$/i {
    add header "X-Roost" "yes"
}
if header "X-Roost" ~ /^yes$/ {
    copy "Archive"
}

if header "List-Id" ~ /<(?<list>[a-z0-9-]+)\\./i {
    deliver "Lists/${list}"
}

if header "X-Spam-Flag" ~ /^yes$/i or subject ~ /^\\[SPAM\\]/ {
    flag seen
    deliver "Junk"
}

if subject ~ /\\bRechnung\\b/i and size < 1M {
    deliver "Rechnungen/März"
}

if subject ~ /^reject me\\b/ { reject "sorry" }
if subject ~ /^defer me\\b/ { defer "try later" }

if extension ~ /^(?<ext>.+)$/ {
    deliver "Plus/${ext}"
}
"""

DEFER_RULE = 'if subject ~ /^defer me\\b/ { defer "try later" }\n'
assert DEFER_RULE in STANDARD_RULES
RULES_WITHOUT_DEFER = STANDARD_RULES.replace(DEFER_RULE, "")

# Dovecot's Maildir++ namespace uses "." as its hierarchy separator (no namespace is
# configured in mailstack.py), and LIST/LSUB send names in modified UTF-7 (RFC 3501
# §5.1.3): the folder the rules call "Rechnungen/März" is ".Rechnungen.M&AOQ-rz" on
# disk and "Rechnungen.M&AOQ-rz" over IMAP.
INVOICES = "Rechnungen.M&AOQ-rz"


def message(subject: str, *headers: str, sender: str = "Alice Example <alice@example.org>") -> bytes:
    tag = re.sub(r"[^a-z0-9]+", "-", subject.lower()).strip("-")
    lines = [f"From: {sender}", "To: Rules User <rules@roost.test>", f"Subject: {subject}",
             f"Message-ID: <{tag}@example.org>", *headers, "", f"This message is about: {subject}.", ""]
    return "\n".join(lines).encode()


@dataclass
class Case:
    """One message of the batch, and where the rules must put it."""

    message: bytes
    extension: Optional[str]  # the recipient's address extension
    folders: set[str]  # the IMAP mailboxes that must hold it, each exactly once
    tagged: bool = False  # carries the X-Roost header the rules add
    seen: bool = False  # flagged \Seen by the rules


CASES = {
    "List-Id capture to Lists/roost-dev": Case(
        message("[roost-dev] release 0.4 planning",
                "List-Id: Roost developers <roost-dev.lists.example.org>"),
        None, {"Lists.roost-dev"}),
    "spam header to Junk, seen": Case(
        message("cheap watches", "X-Spam-Flag: YES", "X-Spam-Score: 12.3"),
        None, {"Junk"}, seen=True),
    "non-ASCII folder Rechnungen/März": Case(
        message("Ihre Rechnung Nr. 4711", sender="Stadtwerke <billing@stadtwerke.example>"),
        None, {INVOICES}),
    # From the shop: tagged by the first rule, copied to Archive by the second because the
    # tag is there, then filed by its extension: copy + final deliver.
    "tagged receipt, copy to Archive and deliver to Plus/shopping": Case(
        message("Your order 1234 has shipped", sender="Shop <orders@shop.example.org>"),
        "shopping", {"Archive", "Plus.shopping"}, tagged=True),
    "extension through direct exec to Plus/direct": Case(
        message("a note to myself"), MailStack.DIRECT_EXTENSION, {"Plus.direct"}),
    "no rule matches, no extension: INBOX": Case(message("lunch on Friday?"), None, {"INBOX"}),
    # local(8) folds the extension to lower case and replaces what command_expansion_filter
    # does not allow ("&") with "_" before it puts it in the environment; roost makes the
    # "." that is left "_", so the extension stays one folder level.
    "extension Foo.Bar&1 to Plus/foo_bar_1": Case(message("mixed-case extension"), "Foo.Bar&1", {"Plus.foo_bar_1"}),
    # local(8) drops an extension with a "/" ("warning: …: address with illegal extension"),
    # so roost sees none.
    "extension a/b dropped by Postfix: INBOX": Case(message("an extension with a slash"), "a/b", {"INBOX"}),
}

# LIST also shows each parent level, \Noselect because no Maildir++ directory backs it.
EXPECTED_LIST = {"INBOX", "Archive", "Junk", "Lists", "Lists.roost-dev", "Plus", "Plus.direct", "Plus.foo_bar_1",
                 "Plus.shopping", "Rechnungen", INVOICES}
NOSELECT = {"Lists", "Plus", "Rechnungen"}
# roost subscribes each folder it creates (SPEC §4), not the parents and not INBOX.
EXPECTED_LSUB = {"Archive", "Junk", "Lists.roost-dev", "Plus.direct", "Plus.foo_bar_1", "Plus.shopping", INVOICES}


# --------------------------------------------------------------------------- helpers


def write_rules(user: MailUser, text: str, *, mode: int = 0o600, owner: Optional[MailUser] = None) -> Path:
    """Replaces ~/.roostrc in one rename, so a delivery running meanwhile reads the old file or the new one."""
    path = user.home / ".roostrc"
    temporary = user.home / ".roostrc.writing"
    temporary.write_text(text, encoding="utf-8")
    (owner or user).chown(temporary)
    os.chmod(temporary, mode)
    os.replace(temporary, path)
    return path


def decode_modified_utf7(name: str) -> str:
    """IMAP's modified UTF-7 (RFC 3501 §5.1.3): `&…-` is base64 (`,` for `/`) of UTF-16BE; `&-` is `&`."""
    def shifted(match: re.Match[str]) -> str:
        if not match[1]:
            return "&"
        encoded = match[1].replace(",", "/")
        return base64.b64decode(encoded + "=" * (-len(encoded) % 4)).decode("utf-16-be")

    return re.sub(r"&([A-Za-z0-9+,]*)-", shifted, name)


LIST_LINE = re.compile(r'\A\((?P<flags>[^)]*)\) (?:"(?P<separator>[^"]*)"|NIL) (?P<name>.+)\Z')


def mailboxes(imap, command: str = "LIST") -> dict[str, set[str]]:
    """LIST or LSUB "" "*": mailbox name → its flags."""
    status, data = imap.lsub() if command == "LSUB" else imap.list()
    assert status == "OK", data
    found = {}
    for line in data:
        if not line:
            continue
        match = LIST_LINE.match(line.decode())
        assert match, line
        assert match["separator"] == ".", f"Dovecot's Maildir++ separator is '.', got {line!r}"
        found[match["name"].strip('"')] = set(match["flags"].split())
    return found


FETCH_FLAGS = re.compile(rb"\bFLAGS \(([^)]*)\)")


@dataclass
class Fetched:
    mailbox: str
    content: bytes  # as Dovecot sent it, CRLF line ends
    flags: set[str]


def fetch_everywhere(imap, queue_id: str) -> dict[str, list[Fetched]]:
    """Every selectable mailbox that holds a message whose Received header names this queue id.

    Each mailbox is opened with EXAMINE (SELECT, read-only) and fetched with BODY.PEEK,
    so Dovecot moves nothing and sets no flag: the flags seen are the ones roost stored.
    """
    found: dict[str, list[Fetched]] = {}
    for name, flags in mailboxes(imap).items():
        if "\\Noselect" in flags:
            continue
        status, data = imap.select(f'"{name}"', readonly=True)
        assert status == "OK", (name, data)
        status, data = imap.uid("SEARCH", "HEADER", "Received", queue_id)
        assert status == "OK", data
        uids = data[0].split()
        if not uids:
            continue
        status, data = imap.uid("FETCH", b",".join(uids).decode(), "(UID FLAGS BODY.PEEK[])")
        assert status == "OK", data
        for item in data:
            if isinstance(item, tuple):
                head, content = item
                flags_match = FETCH_FLAGS.search(head)
                assert flags_match, head
                found.setdefault(name, []).append(Fetched(name, content, set(flags_match[1].decode().split())))
    return found


def folder_directory(user: MailUser, mailbox: str) -> Path:
    """The Maildir++ directory behind an IMAP name with Dovecot's "." separator."""
    return user.maildir if mailbox == "INBOX" else user.maildir / f".{mailbox}"


def stored_everywhere(user: MailUser, queue_id: str) -> dict[str, list[Path]]:
    """On disk: Maildir++ directory (".Junk", or "" for INBOX) → the files in new/ and cur/ holding this message."""
    found = {}
    directories = [user.maildir] + sorted(path for path in user.maildir.glob(".*") if path.is_dir())
    for directory in directories:
        files = stored_files(directory, queue_id)
        if files:
            found["" if directory == user.maildir else directory.name] = files
    return found


def strip_tag(content: bytes, tagged: bool) -> bytes:
    """`add header` prepends: the tag comes first, before the headers local(8) prepended."""
    tag = b"X-Roost: yes\n"
    if tagged:
        assert content.startswith(tag), f"the rules' header is missing or misplaced:\n{content[:300]!r}"
        return content[len(tag):]
    assert b"\nX-Roost:" not in content and not content.startswith(b"X-Roost:"), content[:300]
    return content


def log_lines(user: MailUser, message_id: str) -> list[str]:
    """The lines of the rules' logfile (SPEC §7) about the message with this Message-ID."""
    try:
        text = (user.home / ".roost.log").read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return []
    return [line for line in text.splitlines() if f" msgid=<{message_id}> " in line]


def message_id_of(message: bytes) -> str:
    return re.search(rb"^Message-ID: <([^>]+)>$", message, re.MULTILINE)[1].decode()


def rule_folder_name(mailbox: str) -> str:
    """The folder as the rules and the log name it: "/" between levels, UTF-8."""
    return decode_modified_utf7(mailbox).replace(".", "/")


def command_for(stack: MailStack, extension: Optional[str]) -> tuple[str, str]:
    """(relay, command) Postfix logs for a delivery to the rules user with this extension."""
    if extension == MailStack.DIRECT_EXTENSION:
        return "local", str(stack.binary)
    return MailStack.RULES_COMMAND_SERVICE, stack.rules_command()


# --------------------------------------------------------------------------- the batch


@dataclass
class Sent:
    case: Case
    queue_id: str
    recipient: str


@pytest.fixture(scope="module")
def batch(stack: MailStack, rules_user: MailUser) -> dict[str, Sent]:
    """Writes the standard rules into an empty home, sends every case at once, waits until each is delivered."""
    write_rules(rules_user, STANDARD_RULES)
    sent = {}
    for name, case in CASES.items():
        recipient = recipient_of(rules_user, case.extension)
        sent[name] = Sent(case, send(stack.postfix.port, SENDER, [recipient], case.message), recipient)
    for item in sent.values():
        delivery = stack.postfix.wait_for_delivery(item.queue_id, statuses=("sent",))
        relay, command = command_for(stack, item.case.extension)
        assert f"relay={relay}," in delivery.line, delivery.line
        assert delivery.text == f"delivered to command: {command}", delivery.line
    for item in sent.values():
        stack.postfix.wait_until_removed(item.queue_id)
        assert len(stack.postfix.deliveries(item.queue_id)) == 1
    return sent


@pytest.fixture
def standard_rules(rules_user: MailUser, batch: dict[str, Sent]) -> None:
    """The standard rules, written anew before a test that changes them (after the batch, whose folders it expects)."""
    write_rules(rules_user, STANDARD_RULES)
    yield
    write_rules(rules_user, STANDARD_RULES)


def test_the_standard_rules_are_clean_and_a_broken_file_is_not(stack: MailStack, tmp_path: Path) -> None:
    """The control for everything below: `roost check` finds nothing in the rules the tests rely on."""
    clean = tmp_path / "clean.roostrc"
    clean.write_text(STANDARD_RULES, encoding="utf-8")
    result = subprocess.run([str(stack.binary), "check", str(clean)], capture_output=True, text=True, timeout=30)
    assert (result.returncode, result.stdout + result.stderr) == (0, "")
    for name, text in BROKEN_RULES.items():
        broken = tmp_path / "broken.roostrc"
        broken.write_text(text, encoding="utf-8")
        result = subprocess.run([str(stack.binary), "check", str(broken)], capture_output=True, text=True, timeout=30)
        assert result.returncode == 1, (name, result)
        assert re.search(r"broken\.roostrc:\d+:\d+: error: ", result.stdout + result.stderr), (name, result)


@pytest.mark.parametrize("name", CASES.keys())
def test_each_message_is_in_its_folders_over_imap_byte_for_byte(
        stack: MailStack, rules_user: MailUser, batch: dict[str, Sent], name: str) -> None:
    item = batch[name]
    case = item.case
    with stack.dovecot.imap(rules_user) as imap:
        found = fetch_everywhere(imap, item.queue_id)
    assert set(found) == case.folders, f"{name}: IMAP shows it in {sorted(found)}, expected {sorted(case.folders)}"
    for mailbox, copies in found.items():
        assert len(copies) == 1, f"{name}: {len(copies)} copies in {mailbox}"
        fetched = copies[0]
        files = stored_files(folder_directory(rules_user, mailbox), item.queue_id)
        assert len(files) == 1, (mailbox, files)
        on_disk = files[0].read_bytes()
        assert fetched.content.replace(b"\r\n", b"\n") == on_disk
        content = strip_tag(on_disk, case.tagged)
        assert message_after_prefix(content, SENDER, item.recipient, item.queue_id) == case.message
        if case.seen:
            assert "\\Seen" in fetched.flags, fetched.flags
            assert files[0].parent.name == "cur" and files[0].name.endswith(":2,S"), files[0]
        else:
            assert "\\Seen" not in fetched.flags, fetched.flags
            assert files[0].parent.name == "new", files[0]
    # Nothing elsewhere on disk, not even in a folder Dovecot would not list.
    assert set(stored_everywhere(rules_user, item.queue_id)) == {
        "" if mailbox == "INBOX" else f".{mailbox}" for mailbox in case.folders}
    # SPEC §7: one log line for the message, naming each folder it went to.
    logged, = log_lines(rules_user, message_id_of(case.message))
    assert "status=sent" in logged.split(), logged
    for mailbox in case.folders:
        assert rule_folder_name(mailbox) in logged, logged


def test_the_folders_are_listed_and_subscribed(stack: MailStack, rules_user: MailUser,
                                               batch: dict[str, Sent]) -> None:
    with stack.dovecot.imap(rules_user) as imap:
        listed = mailboxes(imap, "LIST")
        subscribed = mailboxes(imap, "LSUB")
    assert set(listed) == EXPECTED_LIST
    assert {name for name, flags in listed.items() if "\\Noselect" in flags} == NOSELECT
    assert set(subscribed) == EXPECTED_LSUB
    # Several roost processes added folders at the same time: no name lost (above), none twice.
    lines = [line for line in (rules_user.maildir / "subscriptions").read_text(encoding="utf-8").splitlines() if line]
    assert len(lines) == len(set(lines)), lines
    assert decode_modified_utf7(INVOICES) == "Rechnungen.März"
    invoices = rules_user.maildir / ".Rechnungen.M&AOQ-rz"
    assert (invoices / "maildirfolder").is_file() and (invoices / "new").is_dir()
    for mailbox in EXPECTED_LSUB:
        folder = folder_directory(rules_user, mailbox)
        for directory in (folder, folder / "tmp", folder / "new", folder / "cur"):
            assert_private(directory, rules_user, 0o700)
        assert_private(folder / "maildirfolder", rules_user, 0o600)
    assert_private(rules_user.maildir / "subscriptions", rules_user, 0o600)
    assert_private(rules_user.home / ".roost.log", rules_user, 0o600)


def test_copy_and_final_deliver_store_identical_bytes_once_on_disk(rules_user: MailUser,
                                                                   batch: dict[str, Sent]) -> None:
    """SPEC §4: further copies of the same bytes are hard links where the file system allows (here it does)."""
    item = batch["tagged receipt, copy to Archive and deliver to Plus/shopping"]
    archived, = stored_files(rules_user.maildir / ".Archive", item.queue_id)
    filed, = stored_files(rules_user.maildir / ".Plus.shopping", item.queue_id)
    assert archived.read_bytes() == filed.read_bytes()
    assert os.path.samefile(archived, filed), "copy and deliver of the same bytes should be one inode"
    assert archived.stat().st_nlink == 2


def test_postfix_drops_an_extension_with_a_slash(stack: MailStack, batch: dict[str, Sent]) -> None:
    """Why the a/b case lands in INBOX: local(8) gives roost no extension at all, and says so."""
    item = batch["extension a/b dropped by Postfix: INBOX"]
    assert any(f"warning: {item.queue_id}: address with illegal extension: " in line
               for line in stack.postfix.log_lines(item.queue_id)), stack.postfix.log_lines(item.queue_id)


# --------------------------------------------------------------------------- reject and defer


def test_reject_bounces_with_the_rules_text_and_the_sender_gets_the_dsn(
        stack: MailStack, rules_user: MailUser, second_user: MailUser, standard_rules: None) -> None:
    """`reject "sorry"`: roost exits 77 and prints `5.7.1 sorry`; the code in the output sets Postfix's DSN."""
    sender = recipient_of(second_user)
    rejected = message("reject me, please")
    queue_id = send(stack.postfix.port, sender, [recipient_of(rules_user)], rejected)
    bounced = stack.postfix.wait_for_delivery(queue_id, statuses=("bounced",))
    assert bounced.dsn == "5.7.1", bounced.line
    assert bounced.text.strip() == "sorry", bounced.line
    assert stored_everywhere(rules_user, queue_id) == {}
    logged, = log_lines(rules_user, "reject-me-please@example.org")
    assert {"action=reject", "reason=sorry"} <= set(logged.split()), logged

    notice_line = re.compile(re.escape(queue_id) + r": sender non-delivery notification: ([0-9A-Za-z]+)$")
    notice_id = poll(lambda: next((match[1] for line in stack.postfix.log_lines(queue_id)
                                   if (match := notice_line.search(line))), None),
                     timeout=30, what=f"the non-delivery notification for {queue_id}")
    stack.postfix.wait_until_removed(queue_id)
    stack.postfix.wait_for_delivery(notice_id, statuses=("sent",))
    with stack.dovecot.imap(second_user) as imap:
        found = fetch_everywhere(imap, notice_id)
    assert set(found) == {"INBOX"} and len(found["INBOX"]) == 1, found
    dsn = found["INBOX"][0].content.replace(b"\r\n", b"\n")
    assert b"\nSubject: Undelivered Mail Returned to Sender\n" in dsn
    assert f"\nFinal-Recipient: rfc822; {recipient_of(rules_user)}\n".encode() in dsn
    assert b"\nAction: failed\nStatus: 5.7.1\nDiagnostic-Code: x-unix; sorry\n" in dsn
    assert b"\nMessage-ID: <reject-me-please@example.org>\n" in dsn, "the returned message is attached"


def test_defer_keeps_the_message_queued_until_the_rule_is_gone(
        stack: MailStack, rules_user: MailUser, standard_rules: None) -> None:
    deferred_message = message("defer me until tomorrow")
    recipient = recipient_of(rules_user)
    queue_id = send(stack.postfix.port, SENDER, [recipient], deferred_message)
    first = stack.postfix.wait_for_delivery(queue_id, statuses=("deferred",))
    assert re.fullmatch(r"4\.[0-9]{1,3}\.[0-9]{1,3}", first.dsn), first.line
    assert first.text.strip() == "try later", first.line
    entry, = [entry for entry in stack.postfix.queue() if entry["queue_id"] == queue_id]
    assert [rcpt["delay_reason"].strip() for rcpt in entry["recipients"]] == ["try later"]
    assert stored_everywhere(rules_user, queue_id) == {}
    attempts_logged = log_lines(rules_user, "defer-me-until-tomorrow@example.org")
    assert attempts_logged and all("action=defer" in line.split() and 'reason="try later"' in line
                                   for line in attempts_logged), attempts_logged

    write_rules(rules_user, RULES_WITHOUT_DEFER)
    stack.postfix.flush()
    attempts = stack.postfix.wait_for_final_delivery(queue_id)
    assert [attempt.status for attempt in attempts] == ["deferred"] * (len(attempts) - 1) + ["sent"]
    stack.postfix.wait_until_removed(queue_id)

    assert {folder: len(files) for folder, files in stored_everywhere(rules_user, queue_id).items()} == {"": 1}
    with stack.dovecot.imap(rules_user) as imap:
        found = fetch_everywhere(imap, queue_id)
    assert set(found) == {"INBOX"} and len(found["INBOX"]) == 1, found
    content = found["INBOX"][0].content.replace(b"\r\n", b"\n")
    assert message_after_prefix(content, SENDER, recipient, queue_id) == deferred_message


# --------------------------------------------------------------------------- rule files that must be ignored

# Each is the standard rules plus one flaw placed after the List-Id rule: a message that
# rule would file under Lists/ must land in INBOX, so the whole file was ignored, not
# just the part after the flaw (SPEC §3).
BROKEN_RULES = {
    "syntax error": STANDARD_RULES + 'if subjekt ~ /oops/ { deliver "Broken" }\n',
    "regex error": STANDARD_RULES + 'if subject ~ /(oops/ { deliver "Broken" }\n',
}


@dataclass
class IgnoredFile:
    text: str
    mode: int = 0o600
    owned_by_second_user: bool = False


IGNORED = {
    **{name: IgnoredFile(text) for name, text in BROKEN_RULES.items()},
    "group-writable (0664)": IgnoredFile(STANDARD_RULES, mode=0o664),
    "world-writable (0646)": IgnoredFile(STANDARD_RULES, mode=0o646),
    "owned by another user (0644)": IgnoredFile(STANDARD_RULES, mode=0o644, owned_by_second_user=True),
}


@pytest.mark.parametrize("name", IGNORED.keys())
def test_an_unusable_rule_file_is_ignored_and_the_message_lands_in_inbox(
        stack: MailStack, rules_user: MailUser, second_user: MailUser, standard_rules: None, name: str) -> None:
    flawed = IGNORED[name]
    write_rules(rules_user, flawed.text, mode=flawed.mode,
                owner=second_user if flawed.owned_by_second_user else None)
    list_mail = message(f"[roost-dev] {name}", "List-Id: Roost developers <roost-dev.lists.example.org>")
    recipient = recipient_of(rules_user)
    queue_id = send(stack.postfix.port, SENDER, [recipient], list_mail)
    delivery = stack.postfix.wait_for_delivery(queue_id, statuses=("sent",))  # roost exited 0
    assert delivery.text == f"delivered to command: {stack.rules_command()}"
    stack.postfix.wait_until_removed(queue_id)
    assert len(stack.postfix.deliveries(queue_id)) == 1

    with stack.dovecot.imap(rules_user) as imap:
        found = fetch_everywhere(imap, queue_id)
    assert set(found) == {"INBOX"} and len(found["INBOX"]) == 1, f"{name}: found in {sorted(found)}"
    content = found["INBOX"][0].content.replace(b"\r\n", b"\n")
    assert message_after_prefix(content, SENDER, recipient, queue_id) == list_mail
