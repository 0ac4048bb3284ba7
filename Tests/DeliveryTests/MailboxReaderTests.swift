import Glibc
import MessageFormat
import TestSupport
import Testing

@testable import Delivery

@Suite("roost test reads mboxes, Maildirs and .eml files one message at a time (SPEC §6)")
struct MailboxReaderTests {
    /// A message as `roost test` saw it: where from, its stored bytes (header + body prefix), its sender.
    struct Seen: Equatable {
        var source: String
        var bytes: [UInt8]
        var sender: String?
    }

    func read(_ path: String, limits: MessageLimits = .standard) throws -> [Seen] {
        var seen: [Seen] = []
        try MailboxReader(system: .live, limits: limits, collectsBodyText: false).read(path) { source, result in
            switch result {
            case .success(let message):
                seen.append(
                    Seen(source: source, bytes: message.header + message.bodyPrefix, sender: message.envelopeSender))
            case .failure(let error): Issue.record("\(error)")
            }
        }
        return seen
    }

    /// The messages the splitter hands on when fed `bytes` in chunks of `size`.
    func split(_ bytes: [UInt8], chunk size: Int) -> [[UInt8]] {
        var splitter = MboxSplitter()
        var messages: [[UInt8]] = []
        let take = { (piece: MboxSplitter.Piece) in
            switch piece {
            case .messageStart: messages.append([])
            case .bytes(let bytes): messages[messages.count - 1] += bytes
            }
        }
        var index = 0
        while index < bytes.count {
            splitter.consume(bytes[index..<min(bytes.count, index + size)], take)
            index += size
        }
        splitter.finish(take)
        return messages
    }

    static let mbox = message(
        "From alice@example.org Sun Nov 29 03:08:50 2026",
        "Subject: one",
        "",
        "Hello.",
        "From here on, a From line not after an empty line is body text.",
        ">From quoted once",
        ">>From quoted twice",
        ">Fromage is not a From line",
        ">>> still quoted text",
        "",
        "",
        "From MAILER-DAEMON Sun Nov 29 03:09:00 2026",
        "Subject: two",
        "",
        "From the start of a body, after the header's empty line: a new message, as in any mbox reader.",
        "",
        "From bob@example.net Sun Nov 29 03:10:00 2026",
        "Subject: three",
        "",
        "Last.",
        "")

    @Test("an mbox splits at From_ lines after an empty line; quoting is undone; the separator line is dropped")
    func mboxSplitting() throws {
        let directory = TemporaryDirectory()
        let path = directory.write(Self.mbox, to: "inbox.mbox")
        let seen = try read(path)
        #expect(seen.map(\.source) == ["\(path)#1", "\(path)#2", "\(path)#3", "\(path)#4"])
        #expect(seen.map(\.sender) == ["alice@example.org", "", "the", "bob@example.net"])
        #expect(
            seen[0].bytes
                == message(
                    "Subject: one", "", "Hello.", "From here on, a From line not after an empty line is body text.",
                    "From quoted once", ">From quoted twice", ">Fromage is not a From line", ">>> still quoted text",
                    "", ""))
        // The header's empty line came right before a From_ line, so it was the separator.
        #expect(seen[1].bytes == message("Subject: two", ""))
        #expect(seen[2].bytes.isEmpty)
        #expect(seen[3].bytes == message("Subject: three", "", "Last.", ""))
    }

    @Test("the split does not depend on where the chunks break", arguments: [1, 2, 3, 4, 5, 6, 7, 13, 64, 1 << 16])
    func chunkEdges(_ size: Int) {
        let whole = split(Self.mbox, chunk: Self.mbox.count)
        #expect(whole.count == 4)
        #expect(split(Self.mbox, chunk: size) == whole)
        let crlf = Self.mbox.flatMap { $0 == UInt8(ascii: "\n") ? [13, 10] : [$0] }
        #expect(split(crlf, chunk: size).count == 4)
        #expect(split(crlf, chunk: size) == split(crlf, chunk: crlf.count))
    }

    @Test("a CRLF mbox splits the same way and its messages are stored with LF")
    func crlfMbox() throws {
        let directory = TemporaryDirectory()
        let text =
            "From a@example.org Mon Jan  1 00:00:00 2026\r\nSubject: one\r\n\r\n>From x\r\nbody\r\n\r\n"
            + "From b@example.org Mon Jan  1 00:00:01 2026\r\nSubject: two\r\n\r\nbody two\r\n"
        let seen = try read(directory.write(Array(text.utf8), to: "crlf.mbox"))
        #expect(seen.map(\.sender) == ["a@example.org", "b@example.org"])
        #expect(seen[0].bytes == message("Subject: one", "", "From x", "body", ""))
        #expect(seen[1].bytes == message("Subject: two", "", "body two", ""))
    }

    @Test("odd line starts: CR alone, empty lines in a row, a file ending in quoted text")
    func oddLineStarts() {
        let text = message("From a x", "S: 1", "", "\rF", "", "", "Fro", "", ">From", ">Fr")
        #expect(split(text, chunk: 1) == [message("From a x", "S: 1", "", "\rF", "", "", "Fro", "", ">From", ">Fr")])
        #expect(split(message("From a x", "", ">From end"), chunk: 3) == [message("From a x", "", "From end")])
    }

    @Test("a Maildir is read from new/ then cur/, each sorted by name; tmp/ and dot files are not")
    func maildir() throws {
        let directory = TemporaryDirectory()
        let root = directory.appending("Maildir")
        for sub in ["", "/new", "/cur", "/tmp"] { mkdir(root + sub, 0o700) }
        directory.write(message("Subject: b", "", "b"), to: "Maildir/new/2.b")
        directory.write(message("Subject: a", "", "a"), to: "Maildir/new/1.a")
        directory.write(message("Subject: c", "", "c"), to: "Maildir/cur/0.c:2,S")
        directory.write(message("Subject: t", "", "t"), to: "Maildir/tmp/3.t")
        directory.write(message("Subject: d", "", "d"), to: "Maildir/new/.hidden")
        let seen = try read(root + "/")
        #expect(seen.map(\.source) == ["\(root)/new/1.a", "\(root)/new/2.b", "\(root)/cur/0.c:2,S"])
        #expect(
            seen.map(\.bytes) == [
                message("Subject: a", "", "a"), message("Subject: b", "", "b"), message("Subject: c", "", "c"),
            ])
    }

    @Test("any other file is one message; a From_ line at its start makes it a one-message mbox")
    func singleFiles() throws {
        let directory = TemporaryDirectory()
        let eml = directory.write(message("Subject: eml", "", "From here, body."), to: "one.eml")
        #expect(
            try read(eml) == [Seen(source: eml, bytes: message("Subject: eml", "", "From here, body."), sender: nil)])
        let short = directory.write(Array("Fro".utf8), to: "short.eml")
        #expect(try read(short) == [Seen(source: short, bytes: Array("Fro".utf8), sender: nil)])
        let enveloped = directory.write(message("From carol@example.net x", "Subject: s", "", "b"), to: "env.eml")
        #expect(
            try read(enveloped) == [
                Seen(source: enveloped + "#1", bytes: message("Subject: s", "", "b"), sender: "carol@example.net")
            ])
    }

    @Test("a huge mbox message keeps only its header and a bounded body prefix, and counts its whole size")
    func bounded() throws {
        let directory = TemporaryDirectory()
        let body = [UInt8](repeating: UInt8(ascii: "x"), count: 3 << 20) + message("", "", "")
        let mbox =
            message("From a x", "Subject: big", "", "") + body + message("From b y", "Subject: next", "", "n", "")
        let limits = MessageLimits(
            maxHeaderBytes: 1024, maxHeaderFields: 10, maxMIMEDepth: 2, maxMIMEParts: 10, bodyLimit: 4096)
        var sizes: [Int] = []
        var prefixes: [Int] = []
        try MailboxReader(system: .live, limits: limits, collectsBodyText: true).read(directory.write(mbox, to: "big"))
        { _, result in
            guard case .success(let message) = result else { return }
            sizes.append(message.size)
            prefixes.append(message.bodyPrefix.count)
        }
        #expect(
            sizes == [
                message("Subject: big", "", "").count + (3 << 20) + 1, message("Subject: next", "", "n", "").count,
            ])
        #expect(prefixes == [4096, 2])
    }

    @Test("a missing path, or a directory without cur/ and new/, is refused before anything is read")
    func refusals() {
        let directory = TemporaryDirectory()
        let reader = MailboxReader(system: .live, limits: .standard, collectsBodyText: false)
        #expect(throws: MailboxError.self) { try reader.check(directory.appending("missing")) }
        mkdir(directory.appending("half"), 0o700)
        mkdir(directory.appending("half/new"), 0o700)
        #expect(throws: MailboxError.self) { try reader.check(directory.appending("half")) }
        mkdir(directory.appending("half/cur"), 0o700)
        #expect(throws: Never.self) { try reader.check(directory.appending("half")) }
        #expect(throws: MailboxError.self) { try reader.read(directory.appending("half/new")) { _, _ in } }
    }

    @Test("an unreadable file in a Maildir is handed on as a failure, the others still read")
    func unreadableEntry() throws {
        let directory = TemporaryDirectory()
        let root = directory.appending("Maildir")
        for sub in ["", "/new", "/cur"] { mkdir(root + sub, 0o700) }
        directory.write(message("Subject: ok", "", ""), to: "Maildir/new/1")
        mkdir(root + "/new/2", 0o700)
        var results: [String: Bool] = [:]
        try MailboxReader(system: .live, limits: .standard, collectsBodyText: false).read(root) { source, result in
            if case .success = result { results[source] = true } else { results[source] = false }
        }
        #expect(results == [root + "/new/1": true, root + "/new/2": false])
    }
}
