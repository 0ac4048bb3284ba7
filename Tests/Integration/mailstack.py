"""A private mail stack for roost's integration tests.

Everything here is started by the tests and stopped by them: throwaway Unix users,
a Postfix instance with its own configuration directory (`postfix -c DIR`) and a
Dovecot instance with its own configuration file (`dovecot -c CONF`), both on
127.0.0.1 and free high ports. Nothing touches the system's default Postfix or
Dovecot, and nothing assumes they are stopped.

Postfix's `maillog_file` must lie under `maillog_file_prefixes` (default `/var`), so
the whole stack lives in one directory under /var/tmp (see ../../../shared/POSTFIX.md,
"Traps hit", item 5).
"""

from __future__ import annotations

import contextlib
import imaplib
import json
import os
import pwd
import re
import secrets
import shutil
import signal
import smtplib
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator, Optional, TypeVar

DOMAIN = "roost.test"
"""The mail domain of the private Postfix (its `mydestination`)."""

T = TypeVar("T")


# --------------------------------------------------------------------------- utilities


def run(args: list[str], *, check: bool = True, timeout: float = 60) -> subprocess.CompletedProcess:
    """Runs a command without a shell, with a bounded time, capturing its output as text."""
    result = subprocess.run(args, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=timeout)
    if check and result.returncode != 0:
        raise RuntimeError(
            f"{' '.join(args)} exited {result.returncode}\nstdout: {result.stdout}\nstderr: {result.stderr}"
        )
    return result


def start_daemon(args: list[str], output: Path, timeout: float = 60) -> None:
    """Runs a command that puts a daemon in the background.

    Its output goes to a file, not a pipe: the daemon inherits the descriptors, and a
    pipe would stay open (and `run` would wait) for as long as the daemon lives.
    """
    with open(output, "ab") as sink:
        status = subprocess.run(args, stdin=subprocess.DEVNULL, stdout=sink, stderr=sink, timeout=timeout).returncode
    if status != 0:
        raise RuntimeError(f"{' '.join(args)} exited {status}:\n{output.read_text(errors='replace')}")


def poll(probe: Callable[[], Optional[T]], *, timeout: float, what: str, interval: float = 0.1) -> T:
    """Calls `probe` until it returns something other than None or False; fails after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = probe()
        if value is not None and value is not False:
            return value
        if time.monotonic() >= deadline:
            raise TimeoutError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(interval)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nobody listened on a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def is_listening(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.settimeout(0.5)
        return probe.connect_ex(("127.0.0.1", port)) == 0


def pid_is_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


# --------------------------------------------------------------------------- users


@dataclass
class MailUser:
    """A throwaway Unix user with a home under the test directory."""

    name: str
    home: Path
    password: str
    uid: int = -1
    gid: int = -1
    created: bool = False

    @property
    def maildir(self) -> Path:
        return self.home / "Maildir"

    def create(self) -> None:
        run(["useradd", "--no-create-home", "--home-dir", str(self.home), "--shell", "/bin/sh",
             "--user-group", "--comment", "roost integration test", self.name])
        self.created = True
        entry = pwd.getpwnam(self.name)
        self.uid, self.gid = entry.pw_uid, entry.pw_gid
        self.home.mkdir(mode=0o700, parents=False)
        os.chown(self.home, self.uid, self.gid)
        os.chmod(self.home, 0o700)

    def remove(self) -> None:
        """Deletes the account (and its user group) if create() made it; the home goes with the test directory."""
        if self.created:
            run(["userdel", self.name])
            self.created = False

    def chown(self, path: Path) -> None:
        os.chown(path, self.uid, self.gid, follow_symlinks=False)


# --------------------------------------------------------------------------- Postfix


@dataclass
class Delivery:
    """One delivery attempt of one queue file to one recipient, as the Postfix log reports it."""

    queue_id: str
    recipient: str
    status: str  # sent, deferred, bounced, expired
    dsn: str
    text: str  # the parenthesised reason
    line: str


DELIVERY_LINE = re.compile(
    r": (?P<qid>[0-9A-Za-z]+): to=<(?P<to>[^>]*)>,.*?\bdsn=(?P<dsn>[0-9.]+), "
    r"status=(?P<status>\w+) \((?P<text>.*)\)$"
)


@dataclass
class CommandRoute:
    """Mail for `user+EXTENSION@` goes through a local(8) service of its own with its own mailbox_command.

    The command is a master.cf `-o` override: mailbox_command does not expand `$name` from
    main.cf (a `$` there is the shell's), so `-o mailbox_command=$param` would run the
    empty shell variable, and Postfix would log that as `status=sent`.
    """

    extension: str
    service: str
    command: str


@dataclass
class AddressRoute:
    """Mail for one address goes to `service:`, and so does mail for its extensions without an entry of their own.

    transport_maps is searched for `user+ext@domain` before `user@domain`
    (recipient_delimiter), so one entry covers every extension of a user, and a more
    specific entry can send one extension elsewhere. With a `command`, the service is a
    local(8) service of its own with that mailbox_command (a master.cf `-o`, as for
    CommandRoute); without, it is an existing service such as `local`.
    """

    address: str
    service: str
    command: Optional[str] = None


class Postfix:
    """A private Postfix instance: `postfix -c ETC`, SMTP on 127.0.0.1:port only."""

    def __init__(self, root: Path, *, port: int, mailbox_command: str, routes: list[CommandRoute],
                 syslog_name: str, address_routes: Optional[list[AddressRoute]] = None):
        self.address_routes = address_routes or []
        self.root = root
        self.etc = root / "etc"
        self.spool = root / "spool"
        self.data = root / "data"
        self.maillog = root / "maillog"
        self.port = port
        self.mailbox_command = mailbox_command
        self.routes = routes
        self.syslog_name = syslog_name
        self.started = False

    def main_cf(self, users: list[MailUser]) -> str:
        transports = ", ".join(f"{{{user.name}+{route.extension}@{DOMAIN} = {route.service}:}}"
                               for user in users for route in self.routes)
        transports += "".join(f", {{{route.address} = {route.service}:}}" for route in self.address_routes)
        # The distribution's account and group for Postfix (Debian: postfix, postdrop).
        mail_owner, setgid_group = run(["postconf", "-d", "-h", "mail_owner", "setgid_group"]).stdout.split()
        return f"""\
# Written by Tests/Integration/mailstack.py for one test session; removed afterwards.
compatibility_level = 3.6
queue_directory = {self.spool}
data_directory = {self.data}
mail_owner = {mail_owner}
setgid_group = {setgid_group}
syslog_name = {self.syslog_name}
maillog_file = {self.maillog}

myhostname = mx.{DOMAIN}
mydomain = {DOMAIN}
myorigin = {DOMAIN}
mydestination = {DOMAIN}
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
smtpd_relay_restrictions = permit_mynetworks, reject_unauth_destination
smtpd_peername_lookup = no
# A client on 127.0.0.1 would otherwise count as local (permit_inet_interfaces) and get
# missing Date/Message-ID headers added and addresses rewritten: the tests compare bytes.
local_header_rewrite_clients =
always_add_missing_headers = no
enable_long_queue_ids = yes

# No mail leaves this instance: no relay, no DNS, no aliases.
relayhost =
default_transport = error:roost integration tests deliver locally only
relay_transport = error:roost integration tests deliver locally only
alias_maps =
alias_database =
biff = no
recipient_delimiter = +
transport_maps = inline:{{ {transports} }}
mailbox_command = {self.mailbox_command}
notify_classes =
delay_warning_time = 0

# Deferred mail is retried within seconds, so a test sees the second attempt quickly.
queue_run_delay = 1s
minimal_backoff_time = 2s
maximal_backoff_time = 4s

# SPEC §3 wants a 1 MB header line delivered byte for byte; Postfix discards whatever
# exceeds header_size_limit (default 102400) from a header.
header_size_limit = 4194304
"""

    def master_cf(self) -> str:
        # chroot is off everywhere ("n" in column 5): the queue directory is not a jail.
        routes = "".join(f"{route.service} unix - n n - - local\n  -o {{ mailbox_command = {route.command} }}\n"
                         for route in self.routes)
        routes += "".join(f"{route.service} unix - n n - - local\n  -o {{ mailbox_command = {route.command} }}\n"
                          for route in self.address_routes if route.command is not None)
        return f"""\
127.0.0.1:{self.port} inet n - n - - smtpd
pickup    unix  n - n 60 1 pickup
cleanup   unix  n - n -  0 cleanup
qmgr      unix  n - n 300 1 qmgr
rewrite   unix  - - n -  - trivial-rewrite
bounce    unix  - - n -  0 bounce
defer     unix  - - n -  0 bounce
trace     unix  - - n -  0 bounce
verify    unix  - - n -  1 verify
flush     unix  n - n 1000? 0 flush
proxymap  unix  - - n -  - proxymap
proxywrite unix - - n -  1 proxymap
showq     unix  n - n -  - showq
error     unix  - - n -  - error
retry     unix  - - n -  - error
discard   unix  - - n -  - discard
local     unix  - n n -  - local
{routes}anvil     unix  - - n -  1 anvil
scache    unix  - - n -  1 scache
postlog   unix-dgram n - n - 1 postlogd
"""

    def configure(self, users: list[MailUser]) -> None:
        self.etc.mkdir(parents=True)
        self.spool.mkdir()  # must exist before `postfix check` (POSTFIX.md, trap 5)
        self.data.mkdir(mode=0o700)
        (self.etc / "main.cf").write_text(self.main_cf(users))
        mail_owner = pwd.getpwnam(run(["postconf", "-c", str(self.etc), "-h", "mail_owner"]).stdout.strip())
        os.chown(self.data, mail_owner.pw_uid, mail_owner.pw_gid)  # master.lock lives here (POSTFIX.md, trap 5)
        (self.etc / "master.cf").write_text(self.master_cf())

    def postfix(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        return run(["postfix", "-c", str(self.etc), *args], check=check)

    def start(self) -> None:
        self.postfix("check")
        self.started = True  # even a half-started master is stopped in stop()
        start_daemon(["postfix", "-c", str(self.etc), "start"], self.root / "start.out")
        poll(lambda: is_listening(self.port), timeout=30, what=f"Postfix SMTP on 127.0.0.1:{self.port}")

    def stop(self) -> None:
        if not self.started:
            return
        self.postfix("stop", check=False)
        pid_file = self.spool / "pid" / "master.pid"
        with contextlib.suppress(FileNotFoundError, ValueError, TimeoutError):
            pid = int(pid_file.read_text().split()[0])
            poll(lambda: not pid_is_alive(pid), timeout=20, what="Postfix master to exit")
        self.started = False

    def reload(self) -> None:
        self.postfix("reload")

    def set_route_command(self, route: CommandRoute, command: str) -> None:
        """Gives a route another mailbox_command; takes effect after reload().

        master.cf is written anew: `postconf -P` refuses values with whitespace.
        """
        route.command = command
        (self.etc / "master.cf").write_text(self.master_cf())

    def flush(self) -> None:
        """Asks Postfix to retry deferred mail now (`postqueue -f`)."""
        run(["postqueue", "-c", str(self.etc), "-f"])

    def queue(self) -> list[dict]:
        """The queue as `postqueue -j` reports it: one dict per queued message."""
        output = run(["postqueue", "-c", str(self.etc), "-j"]).stdout
        return [json.loads(line) for line in output.splitlines() if line.strip()]

    def is_queued(self, queue_id: str) -> bool:
        return any(entry["queue_id"] == queue_id for entry in self.queue())

    def log_text(self) -> str:
        try:
            return self.maillog.read_bytes().decode("utf-8", "replace")
        except FileNotFoundError:
            return ""

    def log_lines(self, queue_id: str) -> list[str]:
        return [line for line in self.log_text().splitlines() if f" {queue_id}: " in line]

    def deliveries(self, queue_id: str) -> list[Delivery]:
        """Every delivery attempt logged so far for this queue file, oldest first."""
        found = []
        for line in self.log_lines(queue_id):
            match = DELIVERY_LINE.search(line)
            if match and match["qid"] == queue_id:
                found.append(Delivery(queue_id, match["to"], match["status"], match["dsn"], match["text"], line))
        return found

    def wait_for_delivery(self, queue_id: str, *, statuses: tuple[str, ...], attempt: int = 1,
                          timeout: float = 60) -> Delivery:
        """Waits until the log shows delivery attempt number `attempt` of this queue file, and returns it.

        Fails at once when that attempt ended in a status other than `statuses`.
        """
        def probe() -> Optional[Delivery]:
            attempts = self.deliveries(queue_id)
            return attempts[attempt - 1] if len(attempts) >= attempt else None

        delivery = poll(probe, timeout=timeout, what=f"delivery attempt {attempt} of {queue_id} in {self.maillog}")
        assert delivery.status in statuses, f"expected status {statuses}, got:\n{delivery.line}"
        return delivery

    def wait_for_final_delivery(self, queue_id: str, *, timeout: float = 60) -> list[Delivery]:
        """Waits until an attempt ends in something other than `deferred`; returns all attempts so far."""
        def probe() -> Optional[list[Delivery]]:
            attempts = self.deliveries(queue_id)
            return attempts if any(attempt.status != "deferred" for attempt in attempts) else None

        return poll(probe, timeout=timeout, what=f"a final delivery status for {queue_id} in {self.maillog}")

    def wait_until_removed(self, queue_id: str, timeout: float = 30) -> None:
        poll(lambda: any(line.endswith(f"{queue_id}: removed") for line in self.log_lines(queue_id)),
             timeout=timeout, what=f"{queue_id} to leave the queue")


# --------------------------------------------------------------------------- SMTP


QUEUED_AS = re.compile(rb"queued as ([0-9A-Za-z]+)")


def send(port: int, sender: str, recipients: list[str], message: bytes, *, wire_format: bool = False) -> str:
    """Submits `message` over SMTP to 127.0.0.1:port and returns Postfix's queue id.

    The message is written with LF line ends and goes on the wire with CRLF, as a mail
    client sends it. With `wire_format=True` the bytes go on the wire exactly as given
    (only dot-stuffed), so a test can send a bare CR; such a message uses CRLF itself.
    smtplib's own data() is not used: for bytes it neither converts line ends nor
    avoids adding an empty line after a final bare LF.
    """
    wire = message if wire_format else re.sub(rb"\r?\n", b"\r\n", message)
    wire = re.sub(rb"(?m)^\.", b"..", wire)
    if not wire.endswith(b"\r\n"):
        wire += b"\r\n"
    with smtplib.SMTP("127.0.0.1", port, local_hostname="client.roost.test", timeout=60) as smtp:
        smtp.ehlo()
        code, reply = smtp.mail(sender)
        assert code == 250, reply
        for recipient in recipients:
            code, reply = smtp.rcpt(recipient)
            assert code in (250, 251), reply
        code, reply = smtp.docmd("DATA")
        assert code == 354, reply
        smtp.send(wire + b".\r\n")
        code, reply = smtp.getreply()
        assert code == 250, reply
    match = QUEUED_AS.search(reply)
    assert match, reply
    return match.group(1).decode()


# --------------------------------------------------------------------------- Dovecot


class Dovecot:
    """A private Dovecot: `dovecot -c CONF`, IMAP on 127.0.0.1:port, passwd-file users, plaintext login."""

    def __init__(self, root: Path, *, port: int, instance_name: str):
        self.root = root
        self.conf = root / "dovecot.conf"
        self.users_file = root / "users"
        self.base_dir = root / "run"
        self.state_dir = root / "state"
        self.log = root / "dovecot.log"
        self.port = port
        self.instance_name = instance_name
        self.launched = False

    def configure(self, users: list[MailUser]) -> None:
        self.root.mkdir(mode=0o755)
        self.base_dir.mkdir(mode=0o755)
        self.state_dir.mkdir(mode=0o750)
        self.users_file.write_text("".join(
            f"{user.name}:{{PLAIN}}{user.password}:{user.uid}:{user.gid}::{user.home}::\n" for user in users))
        os.chmod(self.users_file, 0o640)  # holds passwords: readable by Dovecot's auth process only
        os.chown(self.users_file, 0, pwd.getpwnam("dovecot").pw_gid)
        self.conf.write_text(f"""\
# Written by Tests/Integration/mailstack.py for one test session; removed afterwards.
instance_name = {self.instance_name}
base_dir = {self.base_dir}
state_dir = {self.state_dir}
log_path = {self.log}
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:~/Maildir
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {self.users_file}
}}
userdb {{
  driver = passwd-file
  args = username_format=%u {self.users_file}
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {self.port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
""")

    def master_pid(self) -> Optional[int]:
        with contextlib.suppress(FileNotFoundError, ValueError, IndexError):
            return int((self.base_dir / "master.pid").read_text().split()[0])
        return None

    def start(self) -> None:
        self.launched = True  # even a half-started master is stopped in stop()
        start_daemon(["dovecot", "-c", str(self.conf)], self.root / "start.out")
        poll(self.master_pid, timeout=30, what="Dovecot's master.pid")
        poll(lambda: is_listening(self.port), timeout=30, what=f"Dovecot IMAP on 127.0.0.1:{self.port}")

    def stop(self) -> None:
        """Stops the master by the PID it wrote into our own base_dir, and waits until it is gone."""
        if not self.launched:
            return
        self.launched = False
        pid = self.master_pid()
        if pid is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGTERM)
        try:
            poll(lambda: not pid_is_alive(pid), timeout=20, what="Dovecot to exit")
        except TimeoutError:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)

    @contextlib.contextmanager
    def imap(self, user: MailUser) -> Iterator[imaplib.IMAP4]:
        connection = imaplib.IMAP4("127.0.0.1", self.port, timeout=60)
        try:
            connection.login(user.name, user.password)
            yield connection
        finally:
            with contextlib.suppress(Exception):
                connection.logout()


@dataclass
class ImapMessage:
    uid: int
    size: int  # RFC822.SIZE: Dovecot's "virtual" size, with CRLF line ends
    content: bytes  # BODY.PEEK[] exactly as Dovecot sent it (CRLF line ends)


FETCH_UID = re.compile(rb"\bUID (\d+)")
FETCH_SIZE = re.compile(rb"\bRFC822\.SIZE (\d+)")


def fetch_by_queue_id(connection: imaplib.IMAP4, queue_id: str, mailbox: str = "INBOX") -> list[ImapMessage]:
    """The messages of `mailbox` whose Received header names this Postfix queue id.

    Read-only (EXAMINE and BODY.PEEK), so Dovecot moves nothing from new/ to cur/.
    """
    status, data = connection.select(mailbox, readonly=True)
    assert status == "OK", data
    status, data = connection.uid("SEARCH", "HEADER", "Received", queue_id)
    assert status == "OK", data
    uids = data[0].split()
    if not uids:
        return []
    status, data = connection.uid("FETCH", b",".join(uids).decode(), "(UID RFC822.SIZE BODY.PEEK[])")
    assert status == "OK", data
    messages = []
    for item in data:
        if isinstance(item, tuple):
            head, content = item
            messages.append(ImapMessage(int(FETCH_UID.search(head).group(1)),
                                        int(FETCH_SIZE.search(head).group(1)), content))
    return messages


def list_mailboxes(connection: imaplib.IMAP4) -> list[str]:
    status, data = connection.list()
    assert status == "OK", data
    return [line.decode().rsplit(" ", 1)[-1].strip('"') for line in data if line]


# --------------------------------------------------------------------------- the stack


class MailStack:
    """The test directory, the users, Postfix and Dovecot, started and stopped as one."""

    def __init__(self, roost_binary: Path):
        token = secrets.token_hex(3)
        self.root = Path(f"/var/tmp/roost-it-{token}")
        self.source_binary = roost_binary
        self.binary = self.root / "bin" / "roost"
        self.users = [
            MailUser(f"roostit{token}a", self.root / "home" / f"roostit{token}a", secrets.token_hex(8)),
            MailUser(f"roostit{token}b", self.root / "home" / f"roostit{token}b", secrets.token_hex(8)),
            MailUser(f"roostit{token}c", self.root / "home" / f"roostit{token}c", secrets.token_hex(8)),
        ]
        self.postfix = Postfix(self.root / "postfix", port=free_port(), mailbox_command=str(self.binary),
                               routes=self.command_routes(), syslog_name=f"postfix-roostit-{token}",
                               address_routes=self.rules_user_routes())
        self.dovecot = Dovecot(self.root / "dovecot", port=free_port(), instance_name=f"roost-it-{token}")
        self.created_root = False

    FILE_SIZE_LIMIT = 1024 * 1024

    def command_routes(self) -> list[CommandRoute]:
        """Addresses whose mail runs roost in a changed process environment, each on a local(8) service of its own.

        - `user+umask@`: umask 022 instead of the 077 local(8) sets, so the modes roost asks
          for are the modes on disk.
        - `user+fsize@`: a 1 MiB RLIMIT_FSIZE, SIGXFSZ ignored as local(8) hands it over.
        - `user+fsizesig@`: the same with SIGXFSZ back at its default action, which kills
          a writer that does not ignore it (see test_size_limit.py for why the limit comes
          from the shell and not from mailbox_size_limit).
        """
        blocks = self.FILE_SIZE_LIMIT // 512  # dash's `ulimit -f` counts 512-byte blocks
        return [
            CommandRoute("umask", "roostumask", f"umask 022; exec {self.binary}"),
            CommandRoute("fsize", "roostfsize", f"ulimit -f {blocks}; exec {self.binary}"),
            CommandRoute("fsizesig", "roostfsizesig",
                         f"ulimit -f {blocks}; exec env --default-signal=XFSZ {self.binary}"),
        ]

    RULES_COMMAND_SERVICE = "roostrules"
    DIRECT_EXTENSION = "direct"

    @property
    def rules_user(self) -> MailUser:
        """The third user: only test_rules.py gives it a ~/.roostrc, so the other tests' users never see rules."""
        return self.users[2]

    def rules_command(self) -> str:
        """The wiring SPEC §1 documents: `mailbox_command = roost -a "$EXTENSION"`.

        A command with shell metacharacters (`"`, `$`) runs under `/bin/sh -c`, and the
        shell expands `$EXTENSION` from the environment local(8) gives the command:
        Postfix itself never expands `$name` in mailbox_command. Without an extension the
        variable is absent and roost gets `-a ""`.
        """
        return f'{self.binary} -a "$EXTENSION"'

    def rules_user_routes(self) -> list[AddressRoute]:
        """The rules user's mail runs roost as SPEC §1 wires it; `user+direct@` with the plain
        `mailbox_command = roost` (direct exec, no shell), which must take the extension from
        $EXTENSION."""
        address = f"{self.users[2].name}@{DOMAIN}"
        direct = f"{self.users[2].name}+{self.DIRECT_EXTENSION}@{DOMAIN}"
        return [AddressRoute(address, self.RULES_COMMAND_SERVICE, self.rules_command()),
                AddressRoute(direct, "local")]

    def route(self, extension: str) -> CommandRoute:
        return next(route for route in self.postfix.routes if route.extension == extension)

    def start(self) -> None:
        self.root.mkdir(mode=0o755)  # fails if it exists: stop() must not remove what it did not make
        self.created_root = True
        os.chmod(self.root, 0o755)  # traversable: the users run bin/roost and own their homes below
        (self.root / "home").mkdir(mode=0o755)
        self.binary.parent.mkdir(mode=0o755)
        shutil.copyfile(self.source_binary, self.binary)
        os.chmod(self.binary, 0o755)
        for user in self.users:
            user.create()
        self.postfix.configure(self.users)
        self.postfix.start()
        self.dovecot.configure(self.users)
        self.dovecot.start()

    def stop(self) -> None:
        """Stops and removes whatever start() got to, each step independent of the others.

        ROOST_IT_KEEP=1 keeps the directory (configurations, logs, Maildirs) for a post-mortem.
        """
        steps = [self.dovecot.stop, self.postfix.stop] + [user.remove for user in self.users]
        if self.created_root and not os.environ.get("ROOST_IT_KEEP"):
            steps.append(lambda: shutil.rmtree(self.root))
        errors = []
        for step in steps:
            try:
                step()
            except Exception as error:  # keep cleaning up; report at the end
                errors.append(error)
        self.created_root = False
        if errors:
            raise errors[0]
