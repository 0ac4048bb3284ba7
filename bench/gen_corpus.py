#!/usr/bin/env python3
"""Seeded corpus for bench/run: one file per message, each starting with a
Postfix-style "From sender date" line, as Postfix hands it to mailbox_command.

Usage: gen_corpus.py OUTDIR [--messages N] [--seed S]

Writes OUTDIR/msg-00000.eml ... and OUTDIR/expected.tsv (Message-ID, kind).
Also writes OUTDIR/../probe-10k.eml: a ~10 KB plain message that matches no rule
(used for callgrind counts).
"""
import argparse, base64, os, random

LISTS = ["swift-users", "postfix-users", "dovecot", "debian-devel", "lwn-announce",
         "rust-internals", "openbsd-misc", "pcre-dev"]
WORDS = ("the mail server delivery queue folder message header rules filter spam list "
         "release build patch review question answer meeting invoice report weekly "
         "update kernel network storage backup config install upgrade error warning "
         "performance benchmark test result change commit merge branch").split()
NAMES = ["alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy"]
DOMAINS = ["example.org", "example.com", "mail.example.net", "lists.example.org"]
MAILERS = ["Mutt/2.2.9", "Thunderbird 115.4", "Apple Mail (2.3731)", "Roundcube 1.6", None]
DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def text(rng, nbytes):
    out, n, line = [], 0, []
    while n < nbytes:
        w = rng.choice(WORDS)
        line.append(w)
        n += len(w) + 1
        if len(line) >= rng.randint(8, 14):
            s = " ".join(line)
            # mbox-quoted and bare "From " body lines do occur
            if rng.random() < 0.01:
                s = ">From " + s
            out.append(s)
            line = []
            if rng.random() < 0.15:
                out.append("")
    if line:
        out.append(" ".join(line))
    return "\n".join(out) + "\n"


def encoded_subject(rng):
    s = "Rechnung " + rng.choice(["fällig", "Grüße", "Übersicht", "naïve café"]) + " " + rng.choice(WORDS)
    if rng.random() < 0.5:
        return "=?UTF-8?B?" + base64.b64encode(s.encode()).decode() + "?="
    q = "".join(c if c.isascii() and c not in " =?_" else ("_" if c == " " else
                "".join("=%02X" % b for b in c.encode())) for c in s)
    return "=?UTF-8?Q?" + q + "?="


def message(rng, i, size, kind):
    sender = "%s@%s" % (rng.choice(NAMES), rng.choice(DOMAINS))
    day, mon = rng.randrange(1, 29), rng.choice(MONTHS)
    hh, mm, ss = rng.randrange(24), rng.randrange(60), rng.randrange(60)
    dow = rng.choice(DAYS)
    msgid = "<bench-%05d.%08x@%s>" % (i, rng.getrandbits(32), rng.choice(DOMAINS))
    h = []
    h.append("From %s  %s %s %2d %02d:%02d:%02d 2026" % (sender, dow, mon, day, hh, mm, ss))
    h.append("Return-Path: <%s>" % sender)
    h.append("X-Original-To: bench@example.org")
    h.append("Delivered-To: bench@example.org")
    h.append("Received: from mx.%s (mx.%s [192.0.2.%d])\n\tby mail.example.org (Postfix) with ESMTPS id %08X\n"
             "\tfor <bench@example.org>; %s, %d %s 2026 %02d:%02d:%02d +0000"
             % (sender.split("@")[1], sender.split("@")[1], rng.randrange(1, 254), rng.getrandbits(32),
                dow, day, mon, hh, mm, ss))
    h.append("Date: %s, %d %s 2026 %02d:%02d:%02d +0000" % (dow, day, mon, hh, mm, ss))
    h.append("From: %s <%s>" % (sender.split("@")[0].title(), sender))
    h.append("To: Bench <bench@example.org>")
    h.append("Message-ID: %s" % msgid)
    subj = " ".join(rng.choice(WORDS) for _ in range(rng.randint(2, 7)))
    listname = None
    if kind == "list":
        listname = rng.choice(LISTS)
        if rng.random() < 0.1:   # a folded List-Id (RFC 5322 folding), as some list managers write it
            h.append("List-Id: The %s mailing list\n <%s.lists.example.org>" % (listname, listname))
        else:
            h.append("List-Id: %s <%s.lists.example.org>" % (listname.replace("-", " ").title(), listname))
        h.append("List-Unsubscribe: <mailto:%s-leave@lists.example.org>" % listname)
        h.append("Precedence: list")
        subj = "[%s] %s" % (listname, subj)
    if kind == "spam":
        h.append("X-Spam-Flag: YES")
        h.append("X-Spam-Status: Yes, score=%.1f required=5.0 tests=BAYES_99" % (5 + rng.random() * 10))
        subj = "***SPAM*** " + subj
    elif rng.random() < 0.5:
        h.append("X-Spam-Flag: NO")
        h.append("X-Spam-Status: No, score=%.1f required=5.0" % (rng.random() * 4))
    if kind == "encoded":
        subj = encoded_subject(rng)
    h.append("Subject: %s" % subj)
    m = rng.choice(MAILERS)
    if m:
        h.append("X-Mailer: %s" % m)
    h.append("MIME-Version: 1.0")
    if kind == "attachment":
        boundary = "=_bench_%08x" % rng.getrandbits(32)
        h.append('Content-Type: multipart/mixed; boundary="%s"' % boundary)
        body_text = text(rng, min(2000, size // 4))
        blob = rng.randbytes(max(100, (size - len(body_text)) * 3 // 4))
        b64 = base64.encodebytes(blob).decode()
        body = ("This is a multi-part message in MIME format.\n\n--%s\n"
                "Content-Type: text/plain; charset=utf-8\n\n%s\n--%s\n"
                "Content-Type: application/octet-stream; name=\"data-%d.bin\"\n"
                "Content-Transfer-Encoding: base64\n"
                "Content-Disposition: attachment; filename=\"data-%d.bin\"\n\n%s\n--%s--\n"
                % (boundary, body_text, boundary, i, i, b64, boundary))
    else:
        h.append("Content-Type: text/plain; charset=utf-8")
        h.append("Content-Transfer-Encoding: 8bit")
        body = text(rng, size)
    return msgid, listname, "\n".join(h) + "\n\n" + body


def log_size(rng):
    # 1-200 KB, skewed to small (most mail is small)
    import math
    return int(math.exp(rng.uniform(math.log(1024), math.log(200 * 1024))))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("outdir")
    ap.add_argument("--messages", type=int, default=300)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--big-mb", type=int, default=100, help="size of OUTDIR/../big.eml in MB (0: none)")
    a = ap.parse_args()
    rng = random.Random(a.seed)
    os.makedirs(a.outdir, exist_ok=True)
    kinds = ["plain"] * 35 + ["list"] * 30 + ["spam"] * 15 + ["encoded"] * 10 + ["attachment"] * 10
    with open(os.path.join(a.outdir, "expected.tsv"), "w") as ex:
        for i in range(a.messages):
            kind = rng.choice(kinds)
            size = log_size(rng)
            msgid, listname, msg = message(rng, i, size, kind)
            with open(os.path.join(a.outdir, "msg-%05d.eml" % i), "wb") as f:
                f.write(msg.encode())
            ex.write("%s\t%s\t%s\n" % (msgid, kind, listname or ""))
    # the callgrind probe: ~10 KB plain message, no list, no spam flag
    prng = random.Random(a.seed + 1)
    _, _, msg = message(prng, 99999, 10 * 1024 - 1200, "plain")
    with open(os.path.join(os.path.dirname(os.path.abspath(a.outdir)), "probe-10k.eml"), "wb") as f:
        f.write(msg.encode())
    if a.big_mb > 0:
        big(os.path.join(os.path.dirname(os.path.abspath(a.outdir)), "big.eml"), a.big_mb, a.seed)


def big(path, mb, seed):
    """One plain message of about mb MB: the usual headers, then text lines."""
    rng = random.Random(seed + 2)
    _, _, head = message(rng, 100000, 1000, "plain")
    head = head.split("\n\n", 1)[0] + "\n\n"
    block = text(rng, 1 << 20).encode()
    with open(path, "wb") as f:
        f.write(head.encode())
        for _ in range(mb):
            f.write(block)


if __name__ == "__main__":
    main()
