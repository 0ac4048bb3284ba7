import Foundation
import TestSupport
import Testing

@Suite("Deliveries with rules, through the binary (SPEC §2, §3, §5, §6)", .serialized)
struct RuleDeliveryTests {
    let sample = message("From: Carol <carol@example.net>", "Subject: hello", "Message-ID: <r1@example.net>", "", "Hi.", "")

    /// Writes a rule file owned by the delivery user, mode 0600 unless told otherwise.
    func rules(_ text: String, in home: MailHome, mode: Int = 0o600) -> String {
        let path = home.directory.write(Array(text.utf8), to: ".roostrc")
        TestUser.own(path)
        chmod(path, mode_t(mode))
        return path
    }

    @Test("a broken rule file loses nothing: INBOX, exit 0")
    func brokenRules() throws {
        let home = MailHome()
        let path = rules("if subject ~ /(/ { deliver \"Junk\" }\nif from ~ /x/ { delivr \"Y\" }\n", in: home)
        let result = try home.deliver(sample, arguments: ["-r", path, "-v"])
        #expect(result.status == 0)
        #expect(home.files("new").count == 1)
        #expect(result.stderr.contains(".roostrc:1:16: error: missing closing parenthesis"))
        #expect(result.stderr.contains(".roostrc:2:17: error: unknown action"))
    }

    @Test("a group-writable rule file is ignored: INBOX")
    func unsafeRules() throws {
        let home = MailHome()
        let path = rules("deliver \"Junk\"\n", in: home, mode: 0o664)
        let result = try home.deliver(sample, arguments: ["-r", path, "-v"])
        #expect(result.status == 0)
        #expect(home.files("new").count == 1)
        #expect(result.stderr.contains("writable by group or others"))
    }

    @Test("reject exits 77 with a 5.7.1 line unless the text brings its own code")
    func reject() throws {
        let home = MailHome()
        var result = try home.deliver(sample, arguments: ["-r", rules("reject \"no thanks\"\n", in: home)])
        #expect(result.status == 77)
        #expect(result.stdout == "5.7.1 no thanks\n")
        result = try home.deliver(sample, arguments: ["-r", rules("reject \"5.2.1 mailbox disabled\"\n", in: home)])
        #expect(result.stdout == "5.2.1 mailbox disabled\n")
        #expect(home.files("new").isEmpty && home.files("tmp").isEmpty)
    }

    @Test("defer exits 75 with a 4.x.x line and stores nothing")
    func deferRule() throws {
        let home = MailHome()
        let result = try home.deliver(sample, arguments: ["-r", rules("copy \"Archive\"\ndefer \"later\"\n", in: home)])
        #expect(result.status == 75)
        #expect(result.stdout.hasPrefix("4."))
        #expect(home.files("new").isEmpty && home.directory.list("Maildir/.Archive/new").isEmpty)
    }

    @Test("folders, flags, copies and header edits land on disk as planned")
    func folders() throws {
        let home = MailHome()
        let text = """
            copy "Archive"
            add header "X-Roost" "checked"
            flag seen
            if subject ~ /(?<word>hel+o)/ { deliver "Greetings/${word}" }
            """
        #expect(try home.deliver(sample, arguments: ["-r", rules(text, in: home)]).status == 0)
        let archived = home.directory.list("Maildir/.Archive/new")
        let greeted = home.directory.list("Maildir/.Greetings.hello/cur")
        #expect(archived.count == 1 && greeted.count == 1)
        #expect(home.directory.read("Maildir/.Archive/new/\(archived[0])") == sample)
        #expect(home.directory.read("Maildir/.Greetings.hello/cur/\(greeted[0])") == Array("X-Roost: checked\n".utf8) + sample)
        #expect(greeted[0].hasSuffix(":2,S"))
        #expect(home.files("tmp").isEmpty && home.files("new").isEmpty)
    }

    @Test("an include cycle voids the file: INBOX")
    func includeCycle() throws {
        let home = MailHome()
        let other = home.directory.write(Array("include \".roostrc\"\n".utf8), to: "other.rc")
        TestUser.own(other)
        chmod(other, 0o600)
        let path = rules("include \"other.rc\"\ndeliver \"Junk\"\n", in: home)
        let result = try home.deliver(sample, arguments: ["-r", path, "-v"])
        #expect(result.status == 0 && home.files("new").count == 1)
        #expect(result.stderr.contains("include cycle"))
    }

    @Test("--dry-run on a read-only Maildir writes, creates and changes nothing")
    func dryRunWritesNothing() throws {
        let home = MailHome()
        #expect(try home.deliver(sample).status == 0)  // the Maildir exists
        let path = rules("copy \"Archive\"\nadd header \"X\" \"y\"\ndeliver \"Lists/new\"\n", in: home)
        chmod(home.maildir, 0o500)
        defer { chmod(home.maildir, 0o700) }
        let before = try FileManager.default.subpathsOfDirectory(atPath: home.maildir).sorted()
        let result = try home.deliver(sample, arguments: ["-r", path, "--dry-run"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("outcome: store in Lists/new → \(home.maildir)/.Lists.new/new/"))
        #expect(try FileManager.default.subpathsOfDirectory(atPath: home.maildir).sorted() == before)
    }

    @Test("--format json is one JSON object with the documented keys")
    func json() throws {
        let home = MailHome()
        let path = rules("if subject ~ /(?<w>hello)/ { deliver \"G/${w}\" }\n", in: home)
        let result = try home.deliver(sample, arguments: ["-r", path, "--dry-run", "--format", "json"])
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        #expect(Set(object?.keys.map { $0 } ?? []) == ["message", "problems", "events", "outcome", "closest", "exit_status"])
        let outcome = object?["outcome"] as? [String: Any]
        let stores = outcome?["stores"] as? [[String: Any]]
        #expect(stores?.first?["folder"] as? String == "G/hello")
        let events = object?["events"] as? [[String: Any]]
        #expect((events?.first?["captures"] as? [String: String])?["w"] == "hello")
    }

    @Test("roost check prints every error with a caret and exits 1; clean files exit 0; no file is 64")
    func check() throws {
        let home = MailHome()
        let bad = home.directory.write(Array("if subject ~ /x(/ {\n  delivr \"Junk\"\n}\n".utf8), to: "bad.rc")
        let result = try RoostProcess.run(["check", bad])
        #expect(result.status == 1)
        #expect(result.stdout == """
            \(bad):1:17: error: missing closing parenthesis in regular expression
            if subject ~ /x(/ {
                            ^
            \(bad):2:3: error: unknown action 'delivr'; did you mean 'deliver'?
              delivr "Junk"
              ^

            """)
        let good = home.directory.write(Array("deliver \"Junk\"\n".utf8), to: "good.rc")
        #expect(try RoostProcess.run(["check", good]).status == 0)
        #expect(try RoostProcess.run(["check"]).status == 64)
    }
}

@Suite("roost check on files delivery would not use")
struct CheckSafetyTests {
    @Test("a group-writable rule file passes the syntax check but is warned about")
    func groupWritable() throws {
        let directory = TemporaryDirectory()
        let path = directory.write(Array("deliver \"Junk\"\n".utf8), to: "rc")
        chmod(path, 0o664)
        let result = try RoostProcess.run(["check", path])
        #expect(result.status == 0)
        #expect(result.stdout.contains("warning: delivery would ignore this file: writable by group or others"))
    }
}
