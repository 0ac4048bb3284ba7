#!/usr/bin/env python3
"""bench/run's harness. Runs as the unprivileged bench user.

Usage: deliver.py WORKDIR [--rounds R]

WORKDIR holds roost (stripped release binary), corpus/ (msg-*.eml, expected.tsv),
probe-10k.eml, rules0/ rules10/ rules100/ rules1000/ (from gen_rules.py).
Delivers every message once per (tool, N) in interleaved order, one process per
message with the message on a pipe, into WORKDIR/maildirs/<tool>-<N>/, like
Postfix's mailbox_command. Then compares folders by Message-ID, counts callgrind
instructions for one delivery of probe-10k.eml, and prints the table.
"""
import json, os, re, statistics, subprocess, sys, time

W = os.path.abspath(sys.argv[1])
ROUNDS = int(sys.argv[sys.argv.index("--rounds") + 1]) if "--rounds" in sys.argv else 1
NS = [10, 100, 1000]
LISTS = ["swift-users", "postfix-users", "dovecot", "debian-devel", "lwn-announce",
         "rust-internals", "openbsd-misc", "pcre-dev"]
ENV = {"HOME": W, "USER": os.environ.get("USER", "roost-bench"), "LOGNAME": os.environ.get("USER", "roost-bench"),
       "PATH": "/usr/bin:/bin", "LANG": "C", "SHELL": "/bin/sh"}


def fresh_maildir(path):
    subprocess.run(["rm", "-rf", path], check=True)
    for f in [""] + [".Junk"] + [".Lists." + l for l in LISTS]:
        for s in ("cur", "new", "tmp"):
            os.makedirs(os.path.join(path, f, s), exist_ok=True)
    return path


def tool(name, n, md):
    """(argv, env, strip_from_line) for one tool, n rules, maildir md."""
    env = dict(ENV, SENDER="bench@example.org")
    if name == "roost":
        return [W + "/roost", "-r", "%s/rules%d/roost.rc" % (W, n), "-m", md], env, False
    if name == "procmail":   # procmail clears its environment: pass the Maildir as an assignment
        return ["/usr/bin/procmail", "-m", "BENCH_MAILDIR=" + md, "%s/rules%d/procmail.rc" % (W, n)], env, False
    if name == "maildrop":   # maildrop keeps a From_ line: Postfix wiring is sed '1{/^From /d;}' | maildrop
        return ["/usr/bin/maildrop", "%s/rules%d/maildrop.rc" % (W, n)], dict(env, BENCH_MAILDIR=md), True
    if name == "null":
        return ["/bin/cat"], env, False
    raise ValueError(name)


def strip_from(data):
    if data.startswith(b"From "):
        return data[data.index(b"\n") + 1:]
    return data


def deliver(argv, env, data, errf):
    t0 = time.perf_counter()
    p = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=errf, env=env, cwd="/")
    try:
        p.stdin.write(data)
    except BrokenPipeError:
        pass
    try:
        p.stdin.close()
    except BrokenPipeError:
        pass
    _, status, ru = os.wait4(p.pid, 0)
    t1 = time.perf_counter()
    p.returncode = os.waitstatus_to_exitcode(status)
    return t1 - t0, ru.ru_utime + ru.ru_stime, ru.ru_maxrss, p.returncode


def folder_of(md, path):
    rel = os.path.relpath(os.path.dirname(os.path.dirname(path)), md)
    return "INBOX" if rel == "." else rel.lstrip(".")


def msgid_of(path):
    with open(path, "rb") as f:
        head = f.read(65536).split(b"\n\n", 1)[0]
    m = re.search(rb"(?im)^Message-ID:\s*(<[^>]*>)", head)
    return m.group(1).decode() if m else "?" + os.path.basename(path)


def scan(md):
    seen = {}
    for root, dirs, files in os.walk(md):
        if os.path.basename(root) not in ("new", "cur"):
            continue
        for fn in files:
            p = os.path.join(root, fn)
            seen.setdefault(msgid_of(p), []).append(folder_of(md, p))
    return seen


def callgrind(argv, env, probe):
    # valgrind refuses setuid/setgid programs (procmail, maildrop): it runs a plain copy
    copy = os.path.join(W, "bin", os.path.basename(argv[0]))
    if argv[0].startswith("/usr/bin/") and os.path.exists(copy):
        argv = [copy] + argv[1:]
    with open(probe, "rb") as f:
        r = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null"] + argv,
                           stdin=f, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, cwd="/")
    m = re.search(rb"Collected\s*:\s*(\d+)", r.stderr)
    return int(m.group(1)) if m else None


def main():
    corpus = sorted(os.path.join(W, "corpus", f) for f in os.listdir(os.path.join(W, "corpus")) if f.endswith(".eml"))
    msgs = []
    for p in corpus:
        with open(p, "rb") as f:
            msgs.append(f.read())
    configs = [("null", 0), ("roost", 0)] + [(t, n) for n in NS for t in ("roost", "procmail", "maildrop")]
    res = {c: {"wall": [], "cpu": [], "rss": [], "fail": 0} for c in configs}
    errf = open(os.path.join(W, "stderr.log"), "ab")
    mds = {c: fresh_maildir(os.path.join(W, "maildirs", "%s-%d" % c)) for c in configs}
    t_start = time.time()
    k = 0
    for rnd in range(ROUNDS):
        for i, data in enumerate(msgs):
            # interleave: every message goes through every configuration, order rotated per message
            order = configs[k % len(configs):] + configs[:k % len(configs)]
            k += 1
            for c in order:
                argv, env, sf = tool(c[0], c[1], mds[c])
                wall, cpu, rss, rc = deliver(argv, env, strip_from(data) if sf else data, errf)
                r = res[c]
                r["wall"].append(wall); r["cpu"].append(cpu); r["rss"].append(rss)
                if rc != 0:
                    r["fail"] += 1
                    errf.write(("%s-%d: exit %d on %s\n" % (c[0], c[1], rc, corpus[i])).encode()); errf.flush()
        print("round %d done, %.0f s" % (rnd + 1, time.time() - t_start), file=sys.stderr, flush=True)

    # --- do all tools file each message in the same folder? (first round only counts per id)
    report = []
    for n in NS:
        seen = {t: scan(mds[(t, n)]) for t in ("roost", "procmail", "maildrop")}
        ids = set().union(*[set(s) for s in seen.values()])
        diffs = []
        for mid in sorted(ids):
            f = {t: sorted(seen[t].get(mid, [])) for t in seen}
            # each tool must have stored it exactly once per round, and all in the same folder
            if any(len(v) != ROUNDS for v in f.values()) or len({tuple(sorted(set(v))) for v in f.values()}) != 1:
                diffs.append((mid, f))
        counts = {t: sum(len(v) for v in seen[t].values()) for t in seen}
        report.append((n, len(ids), counts, diffs))

    # --- the big message (100 MB by default), 10 rules: time and peak RSS; with its first quarter and half (cut at a
    # line end) for time against size
    bigres = {}
    linear = {}
    bigp = os.path.join(W, "big.eml")
    if os.path.exists(bigp):
        with open(bigp, "rb") as f:
            data = f.read()

        def big_delivery(t, body):
            md = fresh_maildir(os.path.join(W, "maildirs", "big-%s" % t))
            argv, env, sf = tool(t, 0 if t == "null" else 10, md)
            # peak RSS through /usr/bin/time: the harness's own wait4 would also count the fork of
            # this python process (which holds the 100 MB) before it execs the tool
            tf = os.path.join(W, "time-%s.txt" % t)
            wall, _, _, rc = deliver(["/usr/bin/time", "-f", "%e %U %S %M", "-o", tf] + argv, env,
                                     strip_from(body) if sf else body, errf)
            with open(tf) as f:
                e, u, sy, rss = f.read().split()[-4:]
            stored = sum(os.path.getsize(os.path.join(r, f)) for r, _, fs in os.walk(md)
                         if os.path.basename(r) in ("new", "cur") for f in fs)
            subprocess.run(["rm", "-rf", md])
            return {"bytes": len(body), "wall_s": wall, "cpu_s": float(u) + float(sy), "maxrss_kb": int(rss),
                    "exit": rc, "stored_bytes": stored}

        # Three rounds, sizes and tools interleaved, medians: one delivery of 100 MB right after another tool's
        # leaves the kernel writing back and reclaiming the page cache, which lands on whoever runs next.
        parts = [data[:data.rindex(b"\n", 0, len(data) // fraction) + 1] for fraction in (4, 2)] + [data]
        runs = {}
        for _ in range(3):
            for i, part in enumerate(parts):
                for t in ("null", "roost", "procmail", "maildrop"):
                    runs.setdefault((t, i), []).append(big_delivery(t, part))

        def median_run(rs):
            out = dict(rs[0])
            for key in ("wall_s", "cpu_s", "maxrss_kb"):
                out[key] = statistics.median(r[key] for r in rs)
            out["exit"] = max(r["exit"] for r in rs)
            out["stored_bytes"] = min(r["stored_bytes"] for r in rs)
            return out

        for t in ("null", "roost", "procmail", "maildrop"):
            bigres[t] = median_run(runs[(t, len(parts) - 1)])
            if t != "null":
                linear[t] = [median_run(runs[(t, i)]) for i in range(len(parts))]
        del data
        print("big message done, %.0f s" % (time.time() - t_start), file=sys.stderr, flush=True)

    # --- 8 concurrent streams into one Maildir per tool (100 rules): messages/s, no loss, no duplicate
    par = {}
    import threading
    for t in ("roost", "procmail", "maildrop"):
        md = fresh_maildir(os.path.join(W, "maildirs", "par-%s" % t))
        fails = []
        def worker(stream, t=t, md=md):
            for data in stream:
                argv, env, sf = tool(t, 100, md)
                if deliver(argv, env, strip_from(data) if sf else data, errf)[3] != 0:
                    fails.append(1)
        ths = [threading.Thread(target=worker, args=(msgs[i::8],)) for i in range(8)]
        t0 = time.perf_counter()
        for th in ths:
            th.start()
        for th in ths:
            th.join()
        el = time.perf_counter() - t0
        seen = scan(md)
        files = sum(len(v) for v in seen.values())
        par[t] = {"elapsed_s": el, "msgs_per_s": len(msgs) / el, "files": files, "ids": len(seen),
                  "lost": len(msgs) - len(seen), "duplicates": files - len(seen), "failed": len(fails)}
    print("parallel streams done, %.0f s" % (time.time() - t_start), file=sys.stderr, flush=True)

    # --- callgrind: one delivery of the ~10 KB probe per configuration
    probe = os.path.join(W, "probe-10k.eml")
    instr = {}
    for c in configs:
        md = fresh_maildir(os.path.join(W, "maildirs", "cg-%s-%d" % c))
        argv, env, sf = tool(c[0], c[1], md)
        if sf:
            with open(probe, "rb") as f:
                d = strip_from(f.read())
            sp = os.path.join(W, "probe-10k.nofrom.eml")
            with open(sp, "wb") as f:
                f.write(d)
            instr[c] = callgrind(argv, env, sp)
        else:
            instr[c] = callgrind(argv, env, probe)

    out = {"messages": len(msgs), "rounds": ROUNDS,
           "results": {"%s-%d" % c: {"wall_ms": statistics.median(r["wall"]) * 1e3,
                                     "cpu_ms": statistics.median(r["cpu"]) * 1e3,
                                     "cpu_total_s": sum(r["cpu"]),
                                     "maxrss_kb_max": max(r["rss"]), "fail": r["fail"],
                                     "instr": instr[c]} for c, r in res.items()},
           "big": bigres, "linear": linear, "parallel": par,
           "verify": [{"n": n, "ids": ids, "files": counts,
                       "differences": [{"message_id": m, "folders": f} for m, f in diffs]}
                      for n, ids, counts, diffs in report]}
    with open(os.path.join(W, "results.json"), "w") as f:
        json.dump(out, f, indent=1)
    print_table(out)


def fmt(x, spec):
    return "n/a" if x is None else format(x, spec)


def print_table(out):
    R = out["results"]
    print("corpus: %d messages x %d round(s); medians per message; instructions: callgrind, one ~10 KB message"
          % (out["messages"], out["rounds"]))
    print()
    print("| tool | rules | wall ms | CPU ms | instructions (M) | wall / procmail | CPU / procmail | instr / procmail | failed |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    rows = [("null", 0, "null MDA (`cat > /dev/null`)"), ("roost", 0, "roost, empty rules (start-up)")]
    rows += [(t, n, t) for n in NS for t in ("roost", "procmail", "maildrop")]
    for t, n, label in rows:
        r = R["%s-%d" % (t, n)]
        ref = R.get("procmail-%d" % (n if n else 10))
        def ratio(key):
            if r[key] is None or ref[key] in (None, 0):
                return "n/a"
            return "%.2f" % (r[key] / ref[key])
        print("| %s | %d | %.2f | %.2f | %s | %s | %s | %s | %d |" % (
            label, n, r["wall_ms"], r["cpu_ms"], fmt(r["instr"] and r["instr"] / 1e6, ".2f"),
            ratio("wall_ms"), ratio("cpu_ms"), ratio("instr"), r["fail"]))
    print()
    print("(rows with 0 rules are compared with procmail at 10 rules)")
    print()
    print("Scaling, 1000 rules / 10 rules:")
    print()
    print("| tool | wall | CPU | instructions |")
    print("|---|---:|---:|---:|")
    for t in ("roost", "procmail", "maildrop"):
        a, b = R["%s-10" % t], R["%s-1000" % t]
        # Two decimals: SPEC §9's bound is 2×, and 1.96 and 2.04 both print as 2.0.
        ir = "n/a" if not (a["instr"] and b["instr"]) else "%.2f×" % (b["instr"] / a["instr"])
        print("| %s | %.2f× | %.2f× | %s |" % (t, b["wall_ms"] / a["wall_ms"], b["cpu_ms"] / max(a["cpu_ms"], 1e-9), ir))
    B = out.get("big") or {}
    if B:
        ref = B.get("procmail")
        print()
        print("One big message (%.0f MB), 10 rules:" % (B["roost"]["bytes"] / 2**20))
        print()
        print("| tool | wall s | CPU s | peak RSS MB | wall / procmail | RSS / procmail | exit | stored MB |")
        print("|---|---:|---:|---:|---:|---:|---:|---:|")
        for t in ("null", "roost", "procmail", "maildrop"):
            b = B[t]
            print("| %s | %.2f | %.2f | %.1f | %.2f | %.2f | %d | %.1f |" % (
                t, b["wall_s"], b["cpu_s"], b["maxrss_kb"] / 1024, b["wall_s"] / ref["wall_s"],
                b["maxrss_kb"] / ref["maxrss_kb"], b["exit"], b["stored_bytes"] / 2**20))
    L = out.get("linear") or {}
    if L:
        print()
        print("Time against size (the big message's first quarter, half, whole; 10 rules): wall s (CPU s from "
              "/usr/bin/time, 10 ms steps), and wall ms per MB:")
        print()
        sizes = ["%.0f MB" % (d["bytes"] / 2**20) for d in L["roost"]]
        print("| tool | " + " | ".join(sizes) + " | " + " | ".join("ms/MB at " + z for z in sizes) + " | peak RSS MB |")
        print("|---|" + "---:|" * (2 * len(sizes) + 1))
        for t in ("roost", "procmail", "maildrop"):
            runs = L[t]
            print("| %s | %s | %s | %s |" % (
                t, " | ".join("%.2f (%.2f)" % (d["wall_s"], d["cpu_s"]) for d in runs),
                " | ".join("%.1f" % (1000 * d["wall_s"] / (d["bytes"] / 2**20)) for d in runs),
                " / ".join("%.1f" % (d["maxrss_kb"] / 1024) for d in runs)))
    P = out.get("parallel") or {}
    if P:
        print()
        print("8 concurrent streams into one Maildir, 100 rules, %d messages:" % out["messages"])
        print()
        print("| tool | messages/s | / procmail | files | lost | duplicates | failed |")
        print("|---|---:|---:|---:|---:|---:|---:|")
        for t in ("roost", "procmail", "maildrop"):
            q = P[t]
            print("| %s | %.0f | %.2f | %d | %d | %d | %d |" % (t, q["msgs_per_s"], q["msgs_per_s"] / P["procmail"]["msgs_per_s"],
                                                        q["files"], q["lost"], q["duplicates"], q["failed"]))
    print()
    print("Folder agreement (by Message-ID; INBOX = root Maildir):")
    print()
    for v in out["verify"]:
        print("- N=%d: %d Message-IDs; files roost %d, procmail %d, maildrop %d; %d differ"
              % (v["n"], v["ids"], v["files"]["roost"], v["files"]["procmail"], v["files"]["maildrop"],
                 len(v["differences"])))
        for d in v["differences"][:20]:
            print("  - %s: %s" % (d["message_id"], ", ".join("%s %s" % (t, "/".join(f) or "MISSING")
                                                            for t, f in d["folders"].items())))
        if len(v["differences"]) > 20:
            print("  - … %d more (results.json)" % (len(v["differences"]) - 20))


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[2] == "--table":
        with open(os.path.join(W, "results.json")) as f:
            print_table(json.load(f))
    else:
        main()
