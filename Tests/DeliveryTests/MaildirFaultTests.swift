import Glibc
import MaildirLayout
import MessageFormat
import RuleEngine
import SystemPackage
import TestSupport
import Testing

@testable import Delivery

/// Runs one delivery of `bytes` into `<directory>/Maildir` through `system`.
func deliver(
    _ bytes: [UInt8], in directory: TemporaryDirectory, system: System = .live,
    plan: DeliveryPlan = .deliverToDefault(), syslog: @escaping (CInt, String) -> Void = { _, _ in }
) throws(DeliveryError) -> Outcome {
    let input = directory.write(bytes, to: "input.eml")
    let fd = open(input, O_RDONLY)
    defer { close(fd) }
    let settings = MessageDelivery.Settings(maildir: directory.appending("Maildir"), home: directory.path)
    var delivery = MessageDelivery(system: system, log: DeliveryLog(system: system, syslog: syslog))
    return try delivery.deliver(
        from: fd, settings: settings, envelope: { _ in Envelope(sender: nil, recipient: nil, extension: nil) },
        decide: { _, envelope, _ in
            (plan, ProgramSettings(processEnvironment: [:], envelope: envelope, timeoutSeconds: 60))
        })
}

@Suite("Every failing step ends in 75 and leaves nothing behind (SPEC §3, §4)")
struct MaildirFaultTests {
    static let errnos: [Errno] = [.noSpace, .diskQuotaExceeded, .ioError, .permissionDenied]
    static let sample = message("From: a@example.org", "Subject: fault", "", "body")

    @Test("a failure at each step: DeliveryError, new/ and cur/ untouched, tmp/ empty",
          arguments: Step.allCases, errnos)
    func failingStep(_ step: Step, _ errno: Errno) {
        let directory = TemporaryDirectory()
        var lines: [String] = []
        #expect(throws: DeliveryError.self) {
            try deliver(Self.sample, in: directory, system: .live.failing(step, with: errno)) { lines.append($1) }
        }
        #expect(directory.list("Maildir/new").isEmpty)
        #expect(directory.list("Maildir/cur").isEmpty)
        #expect(directory.list("Maildir/tmp").isEmpty)
        #expect(lines.count == 1)
        #expect(lines.first?.contains("status=deferred") == true)
        #expect(lines.first?.contains(ErrnoClass(errno).rawValue) == true)
    }

    @Test("without faults the message is in new/ with the right size, tmp/ is empty")
    func happyPath() throws {
        let directory = TemporaryDirectory()
        let outcome = try deliver(Self.sample, in: directory)
        let names = directory.list("Maildir/new")
        #expect(names.count == 1)
        #expect(names.first?.hasSuffix(",S=\(Self.sample.count)") == true)
        #expect(directory.read("Maildir/new/\(names[0])") == Self.sample)
        #expect(directory.list("Maildir/tmp").isEmpty)
        #expect(outcome == .delivered([StoredFile(folder: "INBOX", relativePath: "new/\(names[0])", name: names[0])]))
    }

    @Test("a name clash on link takes a new name instead of replacing a file")
    func clash() throws {
        let directory = TemporaryDirectory()
        _ = try deliver(Self.sample, in: directory, system: .live.failing(.link, with: .fileExists))
        #expect(directory.list("Maildir/new").count == 1)
        #expect(directory.list("Maildir/tmp").isEmpty)
    }

    @Test("a failing folder falls back to the default folder and says so in the log")
    func fallback() throws {
        let directory = TemporaryDirectory()
        let junk = try FolderTarget(parsing: "Junk")
        let plan = DeliveryPlan(stores: [.init(target: junk)], disposition: .store)
        _ = try deliver(Self.sample, in: directory)  // creates the Maildir
        mkdir(directory.appending("Maildir/.Junk"), 0o700)
        symlink("/tmp", directory.appending("Maildir/.Junk/new"))
        var lines: [String] = []
        let outcome = try deliver(Self.sample, in: directory, plan: plan) { lines.append($1) }
        guard case .delivered(let files) = outcome else { Issue.record("not delivered: \(outcome)"); return }
        #expect(files.map(\.folder) == ["INBOX"])
        #expect(directory.list("Maildir/new").count == 2)
        #expect(lines.contains { $0.contains("status=recovered") && $0.contains(".Junk/new") })
    }

    @Test("an empty message stores nothing and is logged")
    func empty() throws {
        let directory = TemporaryDirectory()
        var lines: [String] = []
        let outcome = try deliver(Array("From a@b  Sun Nov 29 03:08:50 2026\n".utf8), in: directory) { lines.append($1) }
        #expect(outcome == .discarded(reason: "empty message"))
        #expect(directory.list("Maildir/new").isEmpty && directory.list("Maildir/tmp").isEmpty)
        #expect(lines == ["size=0 action=discard status=discarded reason=\"empty message\""])
    }
}

@Suite("A delivery that fails after all takes its copies back (no duplicates on the MTA's retry)")
struct RollbackTests {
    @Test("copy stored, then INBOX fails: 75 and the copy is withdrawn")
    func withdrawn() throws {
        let directory = TemporaryDirectory()
        _ = try deliver(message("Subject: warm-up", "", "x"), in: directory)  // the Maildir exists, one file in new/
        var system = System.live
        let link = system.linkAt
        let counter = CallCounter()
        system.linkAt = { fromDirectory, from, toDirectory, to throws(Errno) in
            if counter.next("link") == 2 { throw .noSpace }  // the copy links, INBOX does not
            try link(fromDirectory, from, toDirectory, to)
        }
        let plan = DeliveryPlan(
            stores: [.init(target: try FolderTarget(parsing: "Archive"), isFinal: false), .init(target: .inbox)],
            disposition: .store)
        #expect(throws: DeliveryError.self) { try deliver(message("Subject: twice?", "", "y"), in: directory, system: system, plan: plan) }
        #expect(directory.list("Maildir/.Archive/new").isEmpty)
        #expect(directory.list("Maildir/new").count == 1)
        #expect(directory.list("Maildir/tmp").isEmpty)
    }
}
