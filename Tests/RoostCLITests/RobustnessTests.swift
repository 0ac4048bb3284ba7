import Foundation
import TestSupport
import Testing

@Suite("Limits, crashes and concurrency (SPEC §3, §4, §9)", .serialized)
struct RobustnessTests {
    @Test("past Postfix's RLIMIT_FSIZE: EFBIG, not SIGXFSZ; exit 75 and tmp/ cleaned")
    func fileSizeLimit() throws {
        let home = MailHome()
        let big = Array("Subject: big\n\n".utf8) + Array(repeating: UInt8(ascii: "x"), count: 300_000)
        let input = home.directory.write(Array("From a@b  Sun Nov 29 03:08:50 2026\n".utf8) + big, to: "big.eml")
        // prlimit(1) sets the limit Postfix sets from mailbox_size_limit (POSTFIX.md): 100 KB here.
        let result = try RoostProcess.run(
            ["--fsize=100000", RoostProcess.binary] + home.deliveryArguments, input: input, environment: home.environment,
            executable: "/usr/bin/prlimit")
        #expect(result.signal == nil)
        #expect(result.status == 75)
        #expect(result.stdout.hasPrefix("4.2.2 "))
        #expect(home.files("new").isEmpty && home.files("tmp").isEmpty)
    }

    @Test("8 concurrent deliveries × 200 messages into one Maildir: each exactly once")
    func concurrent() throws {
        let home = MailHome()
        _ = try home.deliver(message("Subject: warm-up", "", "x"))  // the Maildir exists before the race
        let inputs = (0..<1600).map { index in
            home.directory.write(
                Array("From a@b  Sun Nov 29 03:08:50 2026\nMessage-ID: <\(index)@test>\n\nmessage \(index)\n".utf8),
                to: "in-\(index).eml")
        }
        let failures = Locked(0)
        let environment = home.environment
        let arguments = home.deliveryArguments
        DispatchQueue.concurrentPerform(iterations: 8) { worker in
            for index in stride(from: worker, to: inputs.count, by: 8) {
                let result = try? RoostProcess.run(arguments, input: inputs[index], environment: environment)
                if result?.status != 0 { failures.update { $0 += 1 } }
            }
        }
        #expect(failures.value == 0)
        let stored = home.files("new")
        #expect(stored.count == 1601)
        var seen = Set<String>()
        for name in stored {
            let text = String(decoding: home.contents("new", name), as: UTF8.self)
            if let line = text.split(separator: "\n").last, line.hasPrefix("message ") { seen.insert(String(line)) }
        }
        #expect(seen.count == 1600)
        #expect(home.files("tmp").isEmpty)
    }

    @Test("kill -9 at random moments: new/ and cur/ only ever hold complete messages")
    func killed() throws {
        let home = MailHome()
        let body = (0..<8_000).map { "line \($0) of a large message\n" }.joined()
        let full = Array("Subject: large\n\n\(body)".utf8)
        let input = home.directory.write(Array("From a@b  Sun Nov 29 03:08:50 2026\n".utf8) + full, to: "large.eml")
        // Kill times spread over twice what one whole delivery takes here, so some runs finish and most do not,
        // however fast or loaded the machine is.
        let started = DispatchTime.now()
        #expect(try RoostProcess.run(home.deliveryArguments, input: input, environment: home.environment).status == 0)
        let span = UInt32(min(2_000_000, (DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 500))
        for _ in 0..<200 {
            let process = try RoostProcess.start(home.deliveryArguments, input: input, environment: home.environment)
            usleep(UInt32.random(in: 0...span))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        let stored = home.files("new") + home.files("cur")
        for name in stored {
            let bytes = home.directory.read("Maildir/new/\(name)")
            #expect(bytes == full, "\(name) is incomplete: \(bytes.count) of \(full.count) bytes")
            #expect(name.hasSuffix(",S=\(full.count)"))
        }
        // Some runs finished and some were killed first; otherwise the test proved nothing.
        #expect(stored.count > 1 && stored.count < 201, "\(stored.count - 1) of 200 stored")
        print("kill -9 test: \(stored.count - 1) of 200 runs finished before the kill, \(home.files("tmp").count) orphans in tmp/")
    }
}

/// A value shared by the concurrent workers of a test.
final class Locked<Value>: @unchecked Sendable {
    private var stored: Value
    private let lock = NSLock()
    init(_ value: Value) { stored = value }
    var value: Value { lock.withLock { stored } }
    func update(_ change: (inout Value) -> Void) { lock.withLock { change(&stored) } }
}

@Suite("The internal deadline (SPEC §2)")
struct DeadlineTests {
    @Test("when the alarm fires, roost prints a 4.x.x line and exits 75")
    func deadline() throws {
        let home = MailHome()
        let fifo = home.directory.appending("stdin.fifo")
        mkfifo(fifo, 0o644)
        // Holding the FIFO open for writing keeps roost waiting for the rest of the message, like a stuck MTA.
        let writer = open(fifo, O_RDWR)
        defer { close(writer) }
        let process = try RoostProcess.start(home.deliveryArguments, input: fifo, environment: home.environment)
        _ = "Subject: never ends\n\n".withCString { write(writer, $0, strlen($0)) }
        usleep(300_000)
        kill(process.processIdentifier, SIGALRM)  // what alarm(2) sends after 300 s
        for _ in 0..<100 where process.isRunning { usleep(50_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }  // never hang the suite
        process.waitUntilExit()
        #expect(process.terminationReason == .exit)
        #expect(process.terminationStatus == 75)
        #expect(home.files("new").isEmpty)
    }
}
