import MaildirLayout
import MessageFormat
import RuleEngine
import TestSupport
import Testing

@Suite("The evaluator: tests, actions, captures (SPEC §5)")
struct EvaluatorTests {
    let list = message(
        "From: Carol <carol@example.net>", "To: swift-users@lists.swift.org", "Cc: Bob <BOB@roost.test>",
        "Subject: =?UTF-8?Q?Gr=C3=BC=C3=9Fe?= [swift-users]", "List-Id: Swift users <swift-users.lists.swift.org>",
        "X-Spam-Flag: NO", "", "")

    @Test("no rules, or no match: the default folder")
    func defaults() {
        #expect(folders(evaluate("", list)) == ["INBOX"])
        #expect(folders(evaluate("if subject ~ /nothing/ { deliver \"X\" }", list)) == ["INBOX"])
        #expect(folders(evaluate("set default = \"Unsorted\"", list)) == ["Unsorted"])
    }

    @Test("named and numbered captures fill folder names")
    func captures() {
        let rules = #"if header "List-Id" ~ /<(?<list>[a-z0-9-]+)\.(\w+)/i { deliver "Lists/${list}/$2" }"#
        let evaluation = evaluate(rules, list)
        #expect(folders(evaluation) == ["Lists/swift-users/lists"])
        #expect(evaluation.plan.rule == ".roostrc:1")
    }

    @Test("captures live inside their block only")
    func captureScope() {
        let rules = """
            if subject ~ /(?<word>Grüße)/ { copy "A/${word}" }
            deliver "B/${word}x"
            """
        #expect(folders(evaluate(rules, list)) == ["A/Grüße", "B/x"])
    }

    @Test("not binds tightest, then and, then or", arguments: [
        ("not subject ~ /zzz/ and from ~ /carol/", true),
        ("subject ~ /zzz/ or from ~ /carol/ and to ~ /swift/", true),
        ("(subject ~ /zzz/ or from ~ /carol/) and to ~ /nope/", false),
        ("not (subject ~ /Grüße/ or from ~ /zzz/)", false),
        ("subject ~ /zzz/ or not from ~ /zzz/ and header \"X-Spam-Flag\" ~ /^no$/i", true),
        ("subject !~ /zzz/ and header \"List-Id\" exists and not header \"X-Nope\" exists", true),
    ])
    func precedence(_ condition: String, _ holds: Bool) {
        #expect(folders(evaluate("if \(condition) { deliver \"Hit\" }", list)) == [holds ? "Hit" : "INBOX"])
    }

    @Test("decoded, raw, address and envelope targets see what SPEC §5.2 says")
    func targets() {
        #expect(folders(evaluate(#"if subject ~ /^Grüße/ { deliver "Decoded" }"#, list)) == ["Decoded"])
        #expect(folders(evaluate(#"if raw header "Subject" ~ /^=\?UTF-8\?Q\?/ { deliver "Raw" }"#, list)) == ["Raw"])
        #expect(folders(evaluate(#"if address "Cc" ~ /^BOB@roost\.test$/ { deliver "Addr" }"#, list)) == ["Addr"])
        #expect(folders(evaluate(#"if to ~ /Bob/ { deliver "ToCc" }"#, list)) == ["ToCc"])
        #expect(folders(evaluate(#"if headers ~ /^List-Id: Swift/ { deliver "Block" }"#, list)) == ["Block"])
        #expect(folders(evaluate(#"if sender ~ /^alice@/ and recipient ~ /^bob@/ { deliver "Env" }"#, list)) == ["Env"])
        #expect(folders(evaluate(#"if body ~ /^unsubscribe$/ { deliver "Body" }"#, list, body: "a\nunsubscribe\nb")) == ["Body"])
        #expect(folders(evaluate("if size > 1K { deliver \"Big\" }", list, size: 1025)) == ["Big"])
        #expect(folders(evaluate("if size > 1K { deliver \"Big\" }", list, size: 1024)) == ["INBOX"])
        let plus = Envelope(sender: nil, recipient: nil, extension: "shopping")
        #expect(folders(evaluate(#"if extension ~ /^(?<e>.+)$/ { deliver "Plus/${e}" }"#, list, envelope: plus)) == ["Plus/shopping"])
    }

    @Test("hostile values stay one level inside the Maildir", arguments: [
        ("../../etc", "Lists/______etc"), ("a/b", "Lists/a_b"), (".hidden", "Lists/_hidden"),
        ("tab\there\u{1}", "Lists/tabhere"),
    ])
    func hostile(_ value: String, _ folder: String) {
        let mail = message("X-List: \(value)", "", "")
        #expect(folders(evaluate(#"if header "X-List" ~ /^(?<v>.*)$/ { deliver "Lists/${v}" }"#, mail)) == [folder])
    }

    @Test("an empty, dot-dot or overlong value sends the message to the default folder, with a note")
    func refusedValues() {
        for value in ["", String(repeating: "A", count: 4096)] {
            let mail = message("X-List: \(value)", "", "")
            let evaluation = evaluate(#"if header "X-List" ~ /^(?<v>.*)$/ { deliver "Lists/${v}" }"#, mail)
            #expect(folders(evaluation) == ["INBOX"])
            #expect(evaluation.plan.logLines.count == 1)
        }
    }

    @Test("copy, flags and the final delivery; stop keeps the default delivery")
    func actions() {
        let rules = """
            copy "Archive"
            flag seen; flag flagged
            if from ~ /carol/ { deliver "Carol" }
            """
        let evaluation = evaluate(rules, list)
        #expect(folders(evaluation) == ["Archive", "Carol"])
        #expect(evaluation.plan.stores.map(\.flags) == [[], [.seen, .flagged]])
        #expect(folders(evaluate("copy \"A\"\nstop\ndeliver \"B\"", list)) == ["A", "INBOX"])
    }

    @Test("discard, reject and defer end evaluation with their texts")
    func finals() {
        #expect(evaluate("discard\ndeliver \"X\"", list).plan.disposition == .discard(reason: "discard rule at .roostrc:1"))
        let reject = evaluate(#"if from ~ /(?<who>carol)/ { reject "no mail from ${who}" }"#, list)
        #expect(reject.plan.disposition == .reject(text: "no mail from carol"))
        #expect(reject.plan.stores.isEmpty)
        #expect(evaluate(#"defer "later""#, list).plan.disposition == .defer(reason: "later"))
    }

    @Test("header edits are seen by later tests and recorded for storing; values cannot add lines")
    func headerEdits() {
        let rules = """
            if subject ~ /(?<s>.+)/ { add header "X-Seen" "${s}" }
            remove header "X-Spam-Flag"
            if header "X-Seen" ~ /Grüße/ and not header "X-Spam-Flag" exists { deliver "Edited" }
            """
        let evaluation = evaluate(rules, list)
        #expect(folders(evaluation) == ["Edited"])
        #expect(evaluation.plan.headerEdits.count == 2)
        let injected = evaluate(#"if headers ~ /(?s)(?<all>List-Id.*)/ { add header "X-A" "${all}" }"#, list)
        guard case .add(_, let value) = injected.plan.headerEdits.first else { Issue.record("no edit"); return }
        #expect(!value.contains(10) && !value.contains(13))
    }

    @Test("programs are planned with argv words; values never split into more words")
    func programs() {
        let mail = message("Subject: x; rm -rf / `id` $(id) \"q\"", "", "")
        let evaluation = evaluate(#"if subject ~ /^(?<s>.*)$/ { pipe "/usr/bin/logger -t roost '${s}'" }"#, mail)
        #expect(evaluation.plan.programs.first?.arguments == ["/usr/bin/logger", "-t", "roost", "x; rm -rf / `id` $(id) \"q\""])
        let forward = evaluate(#"forward "a@example.org", "b@example.org""#, list)
        #expect(forward.plan.programs.first?.arguments == ["/usr/sbin/sendmail", "-oi", "-f", "alice@example.org", "--", "a@example.org", "b@example.org"])
    }

    @Test("the trace names each test with its location, and the closest miss of each rule")
    func trace() {
        let evaluation = evaluate("if subject ~ /G/ and from ~ /zzz/ { deliver \"X\" }\nif to ~ /nobody/ { deliver \"Y\" }", list)
        #expect(evaluation.trace.count == 4)
        #expect(evaluation.closest.map { $0.location?.description } == [".roostrc:1", ".roostrc:2"])
        guard case .test(let description, _) = evaluation.closest[0].kind else { Issue.record("not a test"); return }
        #expect(description == "from ~ /zzz/")
    }

    @Test("a catastrophic regex on a 1 MB body is stopped and counts as no match; delivery still happens")
    func catastrophic() {
        let body = String(repeating: "a", count: 1 << 20) + "!"
        let clock = ContinuousClock()
        var evaluation: Evaluation?
        let elapsed = clock.measure { evaluation = evaluate("if body ~ /^(a+)+$/ { deliver \"Never\" }", list, body: body) }
        #expect(evaluation.map(folders) == ["INBOX"])
        #expect(evaluation?.plan.logLines.first?.contains("limit") == true)
        print("catastrophic pattern on 1 MB stopped after \(elapsed)")
    }
}

@Suite("Settings built from message values stay inside the Maildir (SPEC §5.4)")
struct SettingSanitisingTests {
    @Test("set default and set logfile take each value as one name level")
    func sanitised() throws {
        let mail = message("X-Folder: /tmp/evil", "List-Id: <../.profile>", "", "")
        let rules = """
            if header "X-Folder" ~ /^(.+)$/ { set default = "$1" }
            if header "List-Id" ~ /<(?<l>[^>]+)>/ { set logfile = "~/logs/${l}.log" }
            """
        let evaluation = evaluate(rules, mail)
        #expect(evaluation.plan.stores.map(\.target) == [.folder(try FolderName(parsing: "_tmp_evil"))])
        #expect(evaluation.plan.logfile == "~/logs/____profile.log")
    }
}
