#!/usr/bin/env bash
# Tests/Integration/run.sh ROOST_BINARY [PYTEST_ARGS...]
#
# roost's real-services integration suite: a private Postfix (SMTP on 127.0.0.1 only)
# whose mailbox_command is ROOST_BINARY, and a private Dovecot serving the result over
# IMAP, both started and stopped by the tests (see conftest.py and mailstack.py).
# Runs as root (it creates throwaway users); installs what is missing on Debian 12
# without asking anything; exits with pytest's status.
set -euo pipefail

if [[ $# -lt 1 ]]; then
    echo "usage: $0 ROOST_BINARY [PYTEST_ARGS...]" >&2
    exit 64
fi
if [[ $(id -u) -ne 0 ]]; then
    echo "$0: run as root: the suite creates users and starts Postfix and Dovecot" >&2
    exit 77
fi
ROOST_BINARY=$(realpath -e -- "$1")
shift
if [[ ! -x $ROOST_BINARY ]]; then
    echo "$0: $ROOST_BINARY is not executable" >&2
    exit 66
fi
export ROOST_BINARY
export PYTHONDONTWRITEBYTECODE=1 # nothing written into the checkout
repository=$(cd "$(dirname "$0")/../.." && pwd)

python=python3
packages=()
command -v postfix >/dev/null || packages+=(postfix)
{ command -v dovecot >/dev/null && [[ -x /usr/lib/dovecot/imap ]]; } || packages+=(dovecot-imapd)
command -v useradd >/dev/null || packages+=(passwd)
if ! python3 -c 'import pytest' 2>/dev/null; then
    packages+=(python3 python3-pytest)
    python=/usr/bin/python3 # Debian's, which python3-pytest installs into
fi

if [[ ${#packages[@]} -gt 0 ]]; then
    echo "installing: ${packages[*]}" >&2
    export DEBIAN_FRONTEND=noninteractive
    # Postfix asks for its configuration type; "No configuration" writes no main.cf. The
    # suite configures its own instance and never uses the system's.
    echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
    # Keep the packages from starting the system's Postfix and Dovecot (policy-rc.d, as in
    # container images); a policy already in place is left alone.
    policy=/usr/sbin/policy-rc.d
    created_policy=no
    if [[ ! -e $policy ]]; then
        printf '#!/bin/sh\nexit 101\n' >"$policy"
        chmod 0755 "$policy"
        created_policy=yes
        trap 'rm -f "$policy"' EXIT
    fi
    apt-get update -q </dev/null
    apt-get install -y -q --no-install-recommends "${packages[@]}" </dev/null
    if [[ $created_policy == yes ]]; then
        rm -f "$policy"
        trap - EXIT
    fi
fi

cd "$repository"
status=0
"$python" -m pytest -q Tests/Integration "$@" </dev/null || status=$?
exit "$status"
