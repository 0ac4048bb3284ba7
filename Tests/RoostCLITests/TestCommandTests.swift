import Foundation
import TestSupport
import Testing

/// Generated mail whose fate is known by construction: message `i` is of kind `i % 20`.
private enum Corpus {
    static let rules = """
        if header "X-Spam-Flag" ~ /^yes$/i or subject ~ /^\\[SPAM\\]/ {
            flag seen
            deliver "Junk"
        }
        if address "From" ~ /@blocked\\.example$/ { reject "5.7.1 sender blocked" }
        if subject ~ /^defer me/ { defer "try later" }
        if subject ~ /^drop me/ { discard }
        if address "From" ~ /@(billing|invoices)\\.example\\.com$/i { copy "Archive/Bills" }
        if sender ~ /^bounce-/ { deliver "Bounces" }
        if header "List-Id" ~ /<(?<list>[a-z0-9-]+)\\./i { deliver "Lists/${list}" }
        if header "X-Priority" ~ /^1/ { deliver "Urgent" }
        if subject ~ /invoice/i { deliver "Bills" }
        if to ~ /support@/ { deliver "Support" }

        """

    /// Message `i`: its From_ line sender, header and body.
    static func message(_ i: Int) -> (sender: String, text: String) {
        var sender = "alice@example.org"
        var header = ["From: Alice <alice@example.org>", "To: bob@example.org", "Subject: hello \(i)"]
        switch i % 20 {
        case 0, 10: header[2] = "Subject: [SPAM] offer \(i)"
        case 1: header[0] = "From: x\(i)@blocked.example"
        case 2, 12:
            header = ["From: Billing <billing@billing.example.com>", "To: bob@example.org", "Subject: Invoice \(i)"]
        case 3: header[2] = "Subject: defer me \(i)"
        case 4: header[2] = "Subject: drop me \(i)"
        case 5:
            // The From_ line names the sender in an mbox; Return-Path does in a Maildir.
            sender = "bounce-\(i)@lists.example.org"
            header.insert("Return-Path: <\(sender)>", at: 0)
        case 6, 7, 8, 9, 11, 13, 14, 15: header.append("List-Id: List \(i % 7) <list\(i % 7).example.org>")
        case 16: header.append("X-Priority: 1 (Highest)")
        case 17: header[1] = "To: support@example.org"
        default: break
        }
        // A From line in the body after an empty line would start a new message; writers quote it as ">From".
        let body = ["Hello \(i).", "", ">From the archive: nothing.", "From here on, plain text.", ""]
        return (sender, (header + [""] + body).joined(separator: "\n"))
    }

    /// What `roost test` must say about message `i`.
    static func outcome(_ i: Int) -> String {
        switch i % 20 {
        case 0, 10: "Junk (flags :2,S)"
        case 1: "reject: 5.7.1 sender blocked"
        case 2, 12: "Archive/Bills, Bills"
        case 3: "defer: try later"
        case 4: "discard: discard rule at test.roostrc:7"
        case 5: "Bounces"
        case 6, 7, 8, 9, 11, 13, 14, 15: "Lists/list\(i % 7)"
        case 16: "Urgent"
        case 17: "Support"
        default: "INBOX"
        }
    }

    /// The table rows by construction: folder → count, sorted by count, then name.
    static func table(_ indices: [Int]) -> [(String, Int)] {
        var counts: [String: Int] = [:]
        for i in indices {
            for folder in outcome(i).components(separatedBy: ", ")
            where !folder.contains(":") || folder.hasPrefix("Junk") {
                counts[folder.hasPrefix("Junk") ? "Junk" : folder, default: 0] += 1
            }
        }
        return counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    static func mbox(_ count: Int) -> [UInt8] {
        Array(
            (0..<count).map { i in
                let (sender, text) = message(i)
                return "From \(sender) Sun Nov 29 03:08:50 2026\n" + text + "\n"
            }.joined().utf8)
    }
}

@Suite("roost test over generated mailboxes, through the binary (SPEC §6)", .serialized)
struct TestCommandTests {
    let home = TemporaryDirectory("roost-test-cmd")

    var environment: [String: String] {
        ["HOME": home.path, "PATH": "/usr/bin:/bin", "LANG": "C", "SENDER": "ignored@example"]
    }

    func roostTest(_ arguments: [String]) throws -> RoostResult {
        let rules = home.write(Array(Corpus.rules.utf8), to: "test.roostrc")
        chmod(rules, 0o600)
        return try RoostProcess.run(["test", "--rules", rules] + arguments, environment: environment)
    }

    /// The text table and totals for `count` generated messages.
    func expectedTable(_ indices: [Int], unreadable: Int = 0) -> String {
        let rows = Corpus.table(indices)
        let count = indices.count
        let width = max(5, String(count).count)
        let pad = { (n: Int) in String(repeating: " ", count: width - String(n).count) + String(n) }
        let kinds = indices.map { Corpus.outcome($0) }
        let rejected = kinds.filter { $0.hasPrefix("reject") }.count
        let deferred = kinds.filter { $0.hasPrefix("defer") }.count
        let discarded = kinds.filter { $0.hasPrefix("discard") }.count
        let stored = count - rejected - deferred - discarded
        return "\n" + String(repeating: " ", count: width - 5) + "count  folder\n"
            + rows.map { "\(pad($0.1))  \($0.0)\n" }.joined()
            + "\(pad(count))  messages: \(stored) stored, \(discarded) discarded, \(rejected) rejected, "
            + "\(deferred) deferred, \(unreadable) unreadable\n"
    }

    @Test("an mbox of 1200 messages: one line each, as constructed, then the table")
    func mboxText() throws {
        let count = 1200
        let path = home.write(Corpus.mbox(count), to: "inbox.mbox")
        let result = try roostTest([path])
        #expect(result.status == 0)
        #expect(result.stderr == "")
        let expectedLines = (0..<count).map { "\(path)#\($0 + 1): \(Corpus.outcome($0))\n" }.joined()
        #expect(result.stdout == expectedLines + expectedTable(Array(0..<count)))
    }

    @Test("a Maildir of 1000 messages in new/ and cur/ (tmp/ ignored), as JSON")
    func maildirJSON() throws {
        let count = 1000
        let root = home.appending("Maildir")
        for sub in ["", "/new", "/cur", "/tmp"] { mkdir(root + sub, 0o700) }
        for i in 0..<count {
            let name = i % 2 == 0 ? "new/\(1_700_000_000 + i).M1P1.host" : "cur/\(1_700_000_000 + i).M1P1.host:2,S"
            home.write(Array(Corpus.message(i).text.utf8), to: "Maildir/\(name)")
        }
        home.write(Array("Subject: [SPAM] half-written\n\n".utf8), to: "Maildir/tmp/1.M1P1.host")
        let result = try roostTest(["--format", "json", root])
        #expect(result.status == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let messages = try #require(object["messages"] as? [[String: Any]])
        #expect(messages.count == count)
        let expectedSources =
            (0..<count).filter { $0 % 2 == 0 }.map { "\(root)/new/\(1_700_000_000 + $0).M1P1.host" }
            + (0..<count).filter { $0 % 2 == 1 }.map { "\(root)/cur/\(1_700_000_000 + $0).M1P1.host:2,S" }
        #expect(messages.map { $0["source"] as? String ?? "" } == expectedSources)
        let folders = try #require(object["folders"] as? [[String: Any]])
        let table = folders.map { ($0["folder"] as? String ?? "", $0["count"] as? Int ?? -1) }
        #expect(table.map(\.0) == Corpus.table(Array(0..<count)).map(\.0))
        #expect(table.map(\.1) == Corpus.table(Array(0..<count)).map(\.1))
        let totals = try #require(object["totals"] as? [String: Int])
        #expect(
            totals == [
                "messages": count, "stored": 850, "discarded": 50, "rejected": 50, "deferred": 50, "unreadable": 0,
            ])
        let spam = try #require(
            messages.first { ($0["source"] as? String)?.hasSuffix("/new/1700000000.M1P1.host") == true })
        #expect(spam["folders"] as? [String] == ["Junk"] && spam["flags"] as? [String] == [":2,S"])
        #expect(spam["rule"] as? String == "test.roostrc:3")
    }

    @Test("several paths in one run: counts add up; the sender is each message's From_ line, not $SENDER")
    func severalPaths() throws {
        let first = home.write(Corpus.mbox(20), to: "a.mbox")
        let second = home.write(Array(Corpus.message(19).text.utf8), to: "plain.eml")
        let result = try roostTest([first, second, "-v"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("\(first)#6: Bounces\n"))
        #expect(result.stdout.contains("sender <bounce-5@lists.example.org>"))
        #expect(result.stdout.contains("\(second): INBOX\n"))
        #expect(result.stdout.contains("sender unknown"))
        #expect(!result.stdout.contains("ignored@example"))
        #expect(
            result.stdout.hasSuffix("   21  messages: 18 stored, 1 discarded, 1 rejected, 1 deferred, 0 unreadable\n"))
    }

    @Test("a missing path or a directory that is no Maildir is a usage error: 64, nothing evaluated")
    func badPaths() throws {
        let mbox = home.write(Corpus.mbox(3), to: "ok.mbox")
        var result = try roostTest([mbox, home.appending("missing.mbox")])
        #expect(result.status == 64)
        #expect(result.stdout == "")
        #expect(result.stderr.contains("missing.mbox: cannot open"))
        mkdir(home.appending("plain-directory"), 0o755)
        result = try roostTest([home.appending("plain-directory")])
        #expect(result.status == 64)
        #expect(result.stderr.contains("not a Maildir"))
        result = try RoostProcess.run(["test"], environment: environment)
        #expect(result.status == 64)
    }

    @Test("a message that cannot be read is reported on stderr and the run ends with 1; the rest is counted")
    func unreadableMessage() throws {
        let root = home.appending("Broken")
        for sub in ["", "/new", "/cur"] { mkdir(root + sub, 0o700) }
        home.write(Array(Corpus.message(19).text.utf8), to: "Broken/new/1")
        mkdir(root + "/new/2", 0o700)
        let result = try roostTest([root])
        #expect(result.status == 1)
        #expect(result.stderr == "roost: \(root)/new/2: a directory, not a message\n")
        #expect(result.stdout == "\(root)/new/1: INBOX\n" + expectedTable([19], unreadable: 1))
    }
}
