import Foundation
import Glibc
import SystemPackage
import TestSupport
import Testing

@testable import Delivery

/// Real processes; /bin/sh appears only as the test program itself, never as something the runner adds.
@Suite("ProcessRunner: posix_spawn, clean environment, poll loop, limits (SPEC §5.3, §8)")
struct ProcessRunnerTests {
    static var runner: ProcessRunner { ProcessRunner(system: .live) }
    static let tenMegabytes = pattern(count: 10 << 20)

    init() {
        // As in roost (Deadline.swift): a program that stops reading is an EPIPE, not the death of the test runner.
        signal(SIGPIPE, SIG_IGN)
    }

    /// A run of `/bin/sh -c script` with a minimal environment.
    static func shell(
        _ script: String, input: ProgramInput = .bytes([]), timeout: Int = 30,
        limit: Int = ProgramRun.defaultOutputLimit
    ) -> ProgramRun {
        ProgramRun(
            arguments: ["/bin/sh", "-c", script], environment: ["PATH": "/usr/bin:/bin"], input: input,
            timeoutSeconds: timeout, outputLimit: limit)
    }

    @Test("10 MB through cat come back byte for byte: stdin is fed while stdout is drained")
    func catRoundTrip() {
        let run = ProgramRun(
            arguments: ["cat"], environment: ["PATH": "/bin:/usr/bin"], input: .bytes(Self.tenMegabytes),
            outputLimit: 11 << 20)
        let result = Self.runner.run(run)
        #expect(result.status == .exited(0))
        #expect(result.stdout == Self.tenMegabytes)
        #expect(!result.stdoutTruncated && !result.stdinClosedEarly && result.succeeded)
    }

    @Test("10 MB from a file descriptor, from its current offset, through cat into a file")
    func fileInputToFile() throws {
        let directory = TemporaryDirectory()
        let input = open(directory.write([UInt8]("skip".utf8) + Self.tenMegabytes, to: "in"), O_RDONLY)
        let output = open(directory.appending("out"), O_WRONLY | O_CREAT | O_EXCL, 0o600)
        defer { close(input) }
        lseek(input, 4, SEEK_SET)
        let run = ProgramRun(
            arguments: ["/bin/cat"], environment: [:], input: .file(descriptor: input), outputLimit: 11 << 20)
        let result = Self.runner.run(run, stdoutTo: output)
        close(output)
        #expect(result == ProgramResult(status: .exited(0)))
        #expect(directory.read("out") == Self.tenMegabytes)
    }

    @Test(
        "a program that reads none or 10 bytes of 10 MB ends promptly; the refusal is reported, not fatal",
        arguments: [("echo done", "done\n"), ("head -c 10 | wc -c", "10\n")])
    func refusesInput(_ script: String, _ output: String) {
        let result = Self.runner.run(Self.shell(script, input: .bytes(Self.tenMegabytes)))
        #expect(result.status == .exited(0) && result.stdinClosedEarly)
        #expect(String(decoding: result.stdout, as: UTF8.self).trimmingPrefix(" ") == output)
    }

    @Test(
        "exit statuses and signals arrive as they are",
        arguments: [
            ("exit 0", .exited(0)), ("exit 1", .exited(1)), ("exit 75", .exited(75)), ("exit 255", .exited(255)),
            ("kill -9 $$", .signaled(SIGKILL)), ("kill -TERM $$", .signaled(SIGTERM)),
        ] as [(String, ProgramStatus)])
    func status(_ script: String, _ status: ProgramStatus) {
        #expect(Self.runner.run(Self.shell(script, timeout: .max)).status == status)
    }

    @Test("past the time limit the whole process group is killed, the sleeping grandchild too")
    func timeout() throws {
        let directory = TemporaryDirectory()
        let pidFile = directory.appending("pid")
        let clock = ContinuousClock()
        let start = clock.now
        let result = Self.runner.run(Self.shell("sleep 30 & echo $! > \(pidFile); echo started; wait", timeout: 1))
        let elapsed = clock.now - start
        #expect(result.status == .timedOut)
        #expect(result.stdout == Array("started\n".utf8))
        // Not a speed figure: 30 s would mean the limit did not apply at all.
        #expect(elapsed < .seconds(15))
        let grandchild = try #require(Int32(String(decoding: directory.read("pid"), as: UTF8.self).filter(\.isNumber)))
        #expect(isGoneOrZombie(grandchild))
    }

    @Test("a program that closes its output and lingers is still bound by the time limit")
    func lingersWithoutOutput() {
        #expect(Self.runner.run(Self.shell("exec >&- 2>&- <&-; sleep 30", timeout: 1)).status == .timedOut)
    }

    @Test(
        "a background job holding or flooding the pipes cannot keep the run going once the program exited",
        arguments: ["sleep 30 & echo parent", "yes & yes >&2 & echo parent"])
    func backgroundJob(_ script: String) {
        // Waiting for the pipes' end would have been .timedOut.
        #expect(Self.runner.run(Self.shell(script, timeout: 10)).status == .exited(0))
    }

    @Test("floods (yes | head -c 100M, 1 MB on stderr) are cut at the limits, drained to the end, and end normally")
    func flood() {
        let result = Self.runner.run(Self.shell("yes | head -c 100000000; head -c 1000000 /dev/zero >&2"))
        #expect(result.status == .exited(0))
        #expect(result.stdout.count == ProgramRun.defaultOutputLimit && result.stdoutTruncated)
        #expect(result.stdout.prefix(4) == Array("y\ny\n".utf8)[...])
        #expect(result.stderr == [UInt8](repeating: 0, count: ProgramRun.stderrLimit))
    }

    @Test("a flood into the stdoutTo file stops at the limit")
    func fileFlood() {
        let directory = TemporaryDirectory()
        let output = open(directory.appending("out"), O_WRONLY | O_CREAT | O_EXCL, 0o600)
        let result = Self.runner.run(Self.shell("yes | head -c 10000000", limit: 1 << 20), stdoutTo: output)
        close(output)
        #expect(result.status == .exited(0) && result.stdoutTruncated && result.stdout.isEmpty)
        #expect(directory.read("out").count == 1 << 20)
    }

    @Test("a missing or unusable program is .notStarted with posix_spawn's errno")
    func notStarted() {
        let directory = TemporaryDirectory()
        let script = directory.write(Array("#!/bin/sh\necho hi\n".utf8), to: "not-executable")
        let cases: [([String], [String: String], Errno)] = [
            (["/nonexistent/program"], [:], .noSuchFileOrDirectory),
            (["roost-no-such-program"], ["PATH": "/usr/bin:/bin"], .noSuchFileOrDirectory),
            ([script], [:], .permissionDenied),
            (["not-executable"], ["PATH": directory.path], .permissionDenied),
            ([directory.path], [:], .permissionDenied),
            ([], [:], .invalidArgument),
            (["/bin/echo", "nul\u{0}byte"], [:], .invalidArgument),
            (["/bin/echo"], ["A=B": "c"], .invalidArgument),
        ]
        for (arguments, environment, errno) in cases {
            let result = Self.runner.run(ProgramRun(arguments: arguments, environment: environment))
            #expect(result.status == .notStarted(errno), "\(arguments)")
        }
    }

    @Test("a bare name is looked up in the run's own PATH, never in the working directory")
    func pathSearch() {
        #expect(
            ProcessRunner.candidates(for: "spamc", searchPath: "/usr/local/bin::.:bin:/usr/bin")
                == ["/usr/local/bin/spamc", "/usr/bin/spamc"])
        #expect(ProcessRunner.candidates(for: "./x", searchPath: "/bin") == ["./x"])
        #expect(ProcessRunner.candidates(for: "cat", searchPath: nil) == ["/bin/cat", "/usr/bin/cat"])
    }

    @Test("the environment is exactly the one passed")
    func environment() {
        let run = ProgramRun(arguments: ["/usr/bin/env"], environment: ["SENDER": "a b@example.org", "PATH": "/bin"])
        #expect(Self.runner.run(run).stdout == Array("PATH=/bin\nSENDER=a b@example.org\n".utf8))
        #expect(Self.runner.run(ProgramRun(arguments: ["/usr/bin/env"], environment: [:])).stdout.isEmpty)
    }

    @Test("argv words with spaces, quotes, $(…), backticks and newlines arrive as the same words")
    func argumentsIntact() {
        let words = [
            "a b", "'single'", "\"double\"", "$(touch pwned)", "`id`", "line 1\nline 2", "; rm -rf ~", "*", "", "$HOME",
            "März 🐦",
        ]
        var run = Self.shell(#"printf '%s\0' "$@""#)
        run.arguments += ["sh"] + words  // sh -c's $0, then "$@"
        let result = Self.runner.run(run)
        let printed = result.stdout.split(separator: 0, omittingEmptySubsequences: false).dropLast()
        #expect(printed.map { String(decoding: $0, as: UTF8.self) } == words)
    }

    @Test("the program has its own process group, default signals, an empty mask and only fds 0, 1, 2")
    func childState() throws {
        let leaked = open("/dev/null", O_RDONLY)  // no O_CLOEXEC: closefrom(3) must still keep it from the child
        defer { close(leaked) }
        // SIGPIPE is ignored (init above) and SIGUSR2 blocked here, as a parent of roost may hand them over.
        var blocked = sigset_t()
        var previous = sigset_t()
        sigemptyset(&blocked)
        sigaddset(&blocked, SIGUSR2)
        pthread_sigmask(SIG_BLOCK, &blocked, &previous)
        let status = Self.runner.run(ProgramRun(arguments: ["/bin/cat", "/proc/self/status"], environment: [:]))
        pthread_sigmask(SIG_SETMASK, &previous, nil)
        let lines = String(decoding: status.stdout, as: UTF8.self).split(separator: "\n")
        func mask(_ key: String) -> UInt64? {
            lines.first { $0.hasPrefix(key) }.flatMap {
                UInt64($0.dropFirst(key.count).trimmingPrefix("\t"), radix: 16)
            }
        }
        #expect(mask("SigBlk:") == 0)
        // Signals 1–31 at their defaults; glibc's posix_spawn leaves its internal 32 and 33 ignored, on purpose.
        #expect(mask("SigIgn:").map { $0 & 0x7fff_ffff } == 0)
        let stat = Self.runner.run(ProgramRun(arguments: ["/bin/cat", "/proc/self/stat"], environment: [:]))
        let fields = String(decoding: stat.stdout, as: UTF8.self).split(separator: ")").last?.split(separator: " ")
        let pid = String(decoding: stat.stdout, as: UTF8.self).split(separator: " ").first
        #expect(fields?.dropFirst(2).first == pid, "process group = the program's own pid")
        let descriptors = Self.runner.run(ProgramRun(arguments: ["/bin/ls", "/proc/self/fd"], environment: [:]))
        #expect(descriptors.stdout == Array("0\n1\n2\n3\n".utf8), "3 is ls's own directory")
    }

    @Test(
        "a failing pipe(2), posix_spawn or waitpid is .notStarted, and every pipe end gets closed",
        arguments: Fault.allCases)
    func seamFault(_ fault: Fault) {
        let ledger = DescriptorLedger()
        let result = ProcessRunner(system: fault.inject(into: .live, ledger: ledger)).run(Self.shell("true"))
        #expect(result.status == .notStarted(fault.failure))
        #expect(!ledger.opened.isEmpty && Set(ledger.opened) == Set(ledger.closed))
    }

    @Test("an unusable poll(2) neither spins nor hides the program's exit")
    func pollFault() {
        var system = System.live
        let ledger = DescriptorLedger()
        system.poll = { _, _ throws(Errno) in
            ledger.opened.append(0)
            throw .invalidArgument
        }
        #expect(ProcessRunner(system: system).run(Self.shell("sleep 0.3; exit 3")).status == .exited(3))
        #expect(ledger.opened.count < 20, "turns of 100 ms, not a busy loop")
    }

    @Test("a read error on the input file is reported with the result")
    func inputReadError() {
        var system = System.live
        system.read = { fd, buffer throws(Errno) in
            if fd == 999 { throw .ioError }
            return try System.live.read(fd, buffer)
        }
        let result = ProcessRunner(system: system).run(Self.shell("cat", input: .file(descriptor: 999)))
        #expect(result.status == .exited(0) && result.inputReadError == .ioError && !result.succeeded)
    }
}

/// Deterministic bytes with every value in them: a random block of a prime length, repeated, so a chunk lost,
/// doubled or reordered at any 2^n boundary shows.
func pattern(count: Int) -> [UInt8] {
    var state: UInt32 = 2_463_534_242
    let block: [UInt8] = (0..<65_521).map { _ in
        state ^= state << 13
        state ^= state >> 17
        state ^= state << 5
        return UInt8(truncatingIfNeeded: state)
    }
    var bytes: [UInt8] = []
    while bytes.count < count { bytes += block }  // not joined(): element by element, slow in a debug build
    return Array(bytes.prefix(count))
}

/// True when the process no longer runs: gone, or a zombie waiting for init (which still answers kill(pid, 0)).
func isGoneOrZombie(_ pid: Int32) -> Bool {
    for _ in 0..<200 {
        guard let stat = FileManager.default.contents(atPath: "/proc/\(pid)/stat") else { return true }
        if String(decoding: stat, as: UTF8.self).split(separator: ")").last?.hasPrefix(" Z") == true { return true }
        usleep(10_000)
    }
    return false
}

/// The descriptors a seam opened and closed, to prove none leaks.
final class DescriptorLedger {
    var opened: [CInt] = []
    var closed: [CInt] = []
}

/// A system call of the runner made to fail, on a system that records the pipe ends made and closed.
enum Fault: CaseIterable {
    case pipe, spawn, wait

    var failure: Errno {
        switch self {
        case .pipe: .tooManyOpenFiles
        case .spawn: .resourceTemporarilyUnavailable
        case .wait: .noChildProcess
        }
    }

    func inject(into live: System, ledger: DescriptorLedger) -> System {
        var system = live
        system.pipe = { () throws(Errno) in
            if self == .pipe && ledger.opened.count == 4 { throw failure }  // the third of three
            let ends = try live.pipe()
            ledger.opened += [ends.read, ends.write]
            return ends
        }
        system.close = { fd throws(Errno) in
            ledger.closed.append(fd)
            try live.close(fd)
        }
        if self == .spawn { system.spawn = { _, _, _, _ throws(Errno) in throw failure } }
        if self == .wait {
            system.waitProcess = { pid, _ throws(Errno) in
                _ = try? live.waitProcess(pid, true)  // reaped for real, so the test leaves no zombie
                throw failure
            }
        }
        return system
    }
}
