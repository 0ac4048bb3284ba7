"""Fixtures of roost's real-services integration suite (STYLE.md §10, issue 3).

One private mail stack per test session: two throwaway users, a Postfix instance whose
`mailbox_command` is a copy of $ROOST_BINARY, and a Dovecot serving the users' Maildirs.
Run as root, through `Tests/Integration/run.sh ROOST_BINARY`.
"""

from __future__ import annotations

import atexit
import os
import signal
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from mailstack import MailStack, MailUser  # noqa: E402

_stacks: list[MailStack] = []


def _stop_all() -> None:
    while _stacks:
        _stacks.pop().stop()


# The session fixture's finalizer stops the stack; this is the backstop for an
# interpreter that leaves without running finalizers.
atexit.register(_stop_all)


def pytest_configure(config: pytest.Config) -> None:
    """A SIGTERM (a CI timeout) ends the session like Ctrl-C, so fixture finalizers still run."""
    def interrupt(_signum: int, _frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupt)


@pytest.fixture(scope="session")
def stack() -> MailStack:
    if os.geteuid() != 0:
        pytest.exit("the integration suite runs as root: it creates users and starts Postfix and Dovecot", 2)
    binary = os.environ.get("ROOST_BINARY")
    if not binary or not os.access(binary, os.X_OK):
        pytest.exit(f"ROOST_BINARY must name the built roost executable (got {binary!r})", 2)
    stack = MailStack(Path(binary).resolve())
    _stacks.append(stack)
    try:
        stack.start()
        yield stack
    finally:
        _stacks.remove(stack)
        stack.stop()


@pytest.fixture(scope="session")
def user(stack: MailStack) -> MailUser:
    """The first test user: every test of issue 3 delivers to this user's INBOX."""
    return stack.users[0]


@pytest.fixture(scope="session")
def second_user(stack: MailStack) -> MailUser:
    """A second user, for forwarding tests."""
    return stack.users[1]


@pytest.fixture(scope="session")
def rules_user(stack: MailStack) -> MailUser:
    """A third user, whose mail runs roost as SPEC §1 wires it; only test_rules.py gives it a ~/.roostrc."""
    return stack.rules_user


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    """On a failure, attaches the tails of the Postfix and Dovecot logs to the report."""
    outcome = yield
    report = outcome.get_result()
    if report.when == "teardown" or not report.failed or not _stacks:
        return
    stack = _stacks[-1]
    report.sections.append(("Postfix maillog (last 40 lines)", "\n".join(stack.postfix.log_text().splitlines()[-40:])))
    try:
        dovecot_log = stack.dovecot.log.read_text(errors="replace")
    except FileNotFoundError:
        dovecot_log = "(none)"
    report.sections.append(("Dovecot log (last 20 lines)", "\n".join(dovecot_log.splitlines()[-20:])))
