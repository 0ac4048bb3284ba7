import Glibc
import MessageFormat
import RuleEngine
import RuleLanguage
import TestSupport
import Testing

@testable import Delivery

@Suite("Compiled rule files beside the rules: used only when current and safe, never changing a delivery")
struct CompiledRuleStoreTests {
    static let rules = """
        if header "List-Id" ~ /<(?<list>[a-z0-9-]+)\\./i { deliver "Lists/${list}" }
        if header "X-Spam-Flag" ~ /^yes$/i or subject ~ /viagra/ { flag seen; deliver "Junk" }
        if headers ~ /^X-Loop: me$/ and not from ~ /boss/ { discard }
        if size > 1M { deliver "Big" } else if header "To" ~ /team@/ { deliver "Team" } else { add header "X-Seen" "yes" }
        set default = "Inbox2"

        """
    static let messages: [(String, String)] = [
        ("List-Id: Swift <swift-users.swift.org>\nSubject: hi\n\nbody\n", "Lists/swift-users"),
        ("X-Spam-Flag: YES\nSubject: x\n\n", "Junk"),
        ("Subject: cheap viagra\n\n", "Junk"),
        ("X-Loop: me\nFrom: a@b\n\n", ""),
        ("To: team@example.org\n\n", "Team"),
        ("Subject: nothing\n\n", "Inbox2"),
    ]

    let directory = TemporaryDirectory()
    var path: String { directory.appending("roostrc") }
    var compiledPath: String { path + ".compiled" }

    init() {
        _ = directory.write(Array(Self.rules.utf8), to: "roostrc")
        chmod(path, 0o600)
    }

    func load(keeping: Bool = true) -> LoadedRules {
        RuleLoader(system: .live, user: getuid(), keepingCompiledForms: keeping).load(system: nil, user: path)
    }

    func compiledFile() -> CompiledRuleFile? {
        let contents = try! RuleFileReader(system: .live, user: getuid()).contents(of: path)
        return CompiledRuleStore(system: .live).load(beside: path, for: contents)
    }

    func folders(_ loaded: LoadedRules) -> [String] {
        Self.messages.map { text, _ in
            let bytes = Array(text.utf8)
            let view = MessageView(
                header: HeaderBlock(parsing: bytes, limits: .standard), bodyText: [], rawBody: [], size: bytes.count,
                envelope: Envelope(sender: "a@b", recipient: "me@c", extension: nil))
            let plan = Evaluator(rules: loaded.rules, message: view, environment: [:], delegate: InertDelegate(),
                                 patterns: loaded.patterns, tracing: false).evaluate().plan
            return plan.stores.map(\.target.description).joined(separator: ",")
        }
    }

    @Test("the first load writes FILE.compiled (0600); later loads use it and decide exactly as the text does")
    func writtenThenUsed() throws {
        let parsed = load(keeping: false)
        #expect(access(compiledPath, F_OK) != 0, "a load that keeps nothing writes nothing")
        let first = load()
        var status = stat()
        #expect(stat(compiledPath, &status) == 0 && status.st_mode & 0o777 == 0o600)
        #expect(compiledFile() != nil)
        let second = load()
        #expect(second.problems.isEmpty)
        #expect(folders(parsed) == Self.messages.map(\.1))
        #expect(folders(first) == folders(parsed))
        #expect(folders(second) == folders(parsed))
        // The three `if`s without `else` stay encoded until needed; decoded, each is the parsed statement.
        let statements = second.rules.units[0].statements
        let deferred = statements.compactMap { statement -> DeferredStatement? in
            if case .deferred(let deferred) = statement.kind { deferred } else { nil }
        }
        #expect(deferred.count == 3)
        let decoded = try statements.map { statement in
            guard case .deferred(let deferred) = statement.kind else { return statement }
            return try RuleFileCodec.decode(statement: deferred.encoded)
        }
        #expect(decoded == parsed.rules.units[0].file.statements)
    }

    @Test("editing the rule file makes its compiled form stale: the next load compiles and rewrites it")
    func staleAfterEdit() throws {
        _ = load()
        _ = directory.write(Array("deliver \"Other\"\n".utf8), to: "roostrc")
        chmod(path, 0o600)
        #expect(compiledFile() == nil)
        let reloaded = load()
        #expect(folders(reloaded).allSatisfy { $0 == "Other" })
        #expect(compiledFile() != nil)
    }

    @Test("an edit in place that keeps the size and the times still makes the compiled form stale")
    func staleAfterSameSizeEdit() throws {
        _ = directory.write(Array("deliver \"Old\"\n".utf8), to: "roostrc")
        chmod(path, 0o600)
        var before = stat()
        stat(path, &before)
        _ = load()
        #expect(compiledFile() != nil)
        let fd = open(path, O_WRONLY)
        _ = Array("deliver \"New\"\n".utf8).withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        var times = [before.st_atim, before.st_mtim]
        futimens(fd, &times)
        close(fd)
        #expect(compiledFile() == nil)
        #expect(folders(load()).allSatisfy { $0 == "New" })
    }

    @Test("a leftover FILE.compiled.new from a killed delivery is replaced once it is a minute old, not before")
    func leftoverTemporary() throws {
        let leftover = directory.write(Array("half-written".utf8), to: "roostrc.compiled.new")
        _ = load()
        #expect(compiledFile() == nil, "a fresh one may belong to a delivery still writing")
        var old = [timespec(tv_sec: time(nil) - 120, tv_nsec: 0), timespec(tv_sec: time(nil) - 120, tv_nsec: 0)]
        utimensat(AT_FDCWD, leftover, &old, 0)
        _ = load()
        #expect(compiledFile() != nil)
        #expect(access(leftover, F_OK) != 0, "renamed into place, nothing left behind")
    }

    @Test("a compiled file with a second hard link is not trusted")
    func hardLinked() throws {
        _ = load()
        link(compiledPath, directory.appending("other-name"))
        #expect(compiledFile() == nil)
        #expect(folders(load()) == Self.messages.map(\.1))
    }

    @Test("a damaged, truncated or unsafe compiled file is ignored, a damaged pattern is recompiled: rules still work")
    func untrusted() throws {
        _ = load()
        let good = try System.live.readAll(path: compiledPath)
        func flipped(at offset: Int) -> [UInt8] {
            good.enumerated().map { $0.offset == offset ? $0.element ^ 0x40 : $0.element }
        }
        let variants: [(String, [UInt8], mode_t, Bool)] = [
            ("flipped byte in the tree", flipped(at: 40), 0o600, false),
            ("flipped byte in a pattern", flipped(at: good.count - 20), 0o600, true),
            ("truncated", Array(good.prefix(good.count - 9)), 0o600, false),
            ("empty", [], 0o600, false),
            ("group-writable", good, 0o620, false),
        ]
        for (name, bytes, mode, usable) in variants {
            unlink(compiledPath)
            _ = directory.write(bytes, to: "roostrc.compiled")
            chmod(compiledPath, mode)
            #expect((compiledFile() != nil) == usable, "\(name)")
            #expect(folders(load(keeping: true)) == Self.messages.map(\.1), "\(name)")
        }
        unlink(compiledPath)
        _ = directory.write(good, to: "elsewhere")
        symlink(directory.appending("elsewhere"), compiledPath)
        #expect(compiledFile() == nil, "a symlink is not followed")
    }

    @Test("a skipped statement's screen sees the header edits and filters made before it, as evaluation would")
    func screensSeeEdits() throws {
        let text = """
            if subject ~ /edit/ { add header "X-Tag" "go" }
            if header "X-Tag" ~ /^go$/ { deliver "Tagged" }

            """
        _ = directory.write(Array(text.utf8), to: "roostrc")
        chmod(path, 0o600)
        _ = load()
        let cached = load()
        guard case .deferred = cached.rules.units[0].statements[1].kind else {
            Issue.record("the second statement should be deferred")
            return
        }
        for (subject, expected) in [("edit me", "Tagged"), ("leave me", "INBOX")] {
            let bytes = Array("Subject: \(subject)\n\n".utf8)
            let view = MessageView(
                header: HeaderBlock(parsing: bytes, limits: .standard), bodyText: [], rawBody: [], size: bytes.count,
                envelope: Envelope(sender: "a@b", recipient: "me@c", extension: nil))
            let plan = Evaluator(rules: cached.rules, message: view, environment: [:], delegate: InertDelegate(),
                                 patterns: cached.patterns, tracing: false).evaluate().plan
            #expect(plan.stores.map(\.target.description) == [expected])
        }
    }

    @Test("a compiled file owned by someone other than the rule file's owner is ignored", .enabled(if: getuid() == 0))
    func foreignOwner() {
        _ = load()
        chown(compiledPath, 4343, 4343)
        #expect(compiledFile() == nil)
    }

    @Test("a rule file with errors gets no compiled form")
    func notWritten() throws {
        _ = directory.write(Array("if subject ~ /(/ { deliver \"X\" }\n".utf8), to: "roostrc")
        chmod(path, 0o600)
        #expect(!load().problems.isEmpty)
        #expect(access(compiledPath, F_OK) != 0)
    }
}
