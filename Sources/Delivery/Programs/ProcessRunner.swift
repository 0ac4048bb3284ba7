import Glibc
import SystemPackage

/// Runs the programs of `pipe`, `filter` and `forward` (SPEC §5.3, §8): posix_spawn without a shell, exactly the
/// caller's words and environment, a new process group, default signals, stdin fed while stdout and stderr are
/// drained in one poll(2) loop, bounded output, and a time limit that kills the whole group. The child is always
/// reaped. No threads, no signals of roost's own (STYLE §9).
///
/// Roost must ignore SIGPIPE (`Deadline` does) so a program that stops reading is an EPIPE, not roost's death, and
/// must leave SIGCHLD at its default action, or waitpid(2) finds no child to report on.
public struct ProcessRunner {
    private let system: System

    /// A runner making its system calls through `system`.
    public init(system: System) {
        self.system = system
    }

    /// Runs the program and returns its status with its stdout (up to `outputLimit`) and stderr in memory.
    public func run(_ run: ProgramRun) -> ProgramResult {
        execute(run, stdoutTo: nil)
    }

    /// Runs the program with its stdout written to `fd` (a `filter`'s new message, SPEC §5.3): at most
    /// `outputLimit` bytes reach the file, the rest is discarded and `stdoutTruncated` says so; memory stays bounded.
    public func run(_ run: ProgramRun, stdoutTo fd: CInt) -> ProgramResult {
        execute(run, stdoutTo: fd)
    }

    private func execute(_ run: ProgramRun, stdoutTo destination: CInt?) -> ProgramResult {
        var pipes: [(read: CInt, write: CInt)] = []
        defer { for ends in pipes { system.closeQuietly(ends.read) } }
        let pid: pid_t
        do {
            for _ in 0..<3 { pipes.append(try system.pipe()) }
            // Only roost's ends are non-blocking: the program gets ordinary blocking pipes.
            for end in [pipes[0].write, pipes[1].read, pipes[2].read] { try system.setNonBlocking(end) }
            pid = try spawn(run, standardStreams: [pipes[0].read, pipes[1].write, pipes[2].write])
        } catch {
            for ends in pipes { system.closeQuietly(ends.write) }
            return ProgramResult(status: .notStarted(error))
        }
        // The program holds its own copies now; roost's copies of the child's ends would keep the pipes open.
        for end in [pipes[0].read, pipes[1].write, pipes[2].write] { system.closeQuietly(end) }
        var session = Session(
            pid: pid, system: system,
            input: InputFeeder(fd: pipes[0].write, source: run.input, system: system),
            stdout: OutputSink(fd: pipes[1].read, limit: run.outputLimit, destination: destination, system: system),
            stderr: OutputSink(fd: pipes[2].read, limit: ProgramRun.stderrLimit, system: system))
        pipes = []  // the session closes them
        // Clamped so that a `set timeout` of any size cannot overflow the deadline arithmetic.
        let seconds = min(max(1, run.timeoutSeconds), 366 * 86_400)
        let status = session.finish(deadline: system.monotonicMilliseconds() + seconds * 1000)
        return ProgramResult(
            status: status, stdout: session.stdout.captured, stderr: session.stderr.captured,
            stdoutTruncated: session.stdout.truncated, stdinClosedEarly: session.input.closedEarly,
            inputReadError: session.input.readError, outputWriteError: session.stdout.writeError)
    }

    /// Spawns `arguments[0]`: as given when it contains a slash, else the first match in the run's own PATH, as
    /// execvp(3) searches, but never relative to the working directory (Postfix's queue directory, SPEC §1).
    /// - Throws: posix_spawn's errno; EACCES if a match was not executable and none was found after it, else ENOENT.
    private func spawn(_ run: ProgramRun, standardStreams: [CInt]) throws(Errno) -> pid_t {
        guard let name = run.arguments.first, !name.isEmpty else { throw Errno.invalidArgument }
        let environment = run.environment.map { "\($0.key)=\($0.value)" }.sorted()
        guard !run.environment.keys.contains(where: { $0.isEmpty || $0.contains("=") }) else {
            throw Errno.invalidArgument
        }
        var failure = Errno.noSuchFileOrDirectory
        for path in Self.candidates(for: name, searchPath: run.environment["PATH"]) {
            do {
                return try system.spawn(path, run.arguments, environment, standardStreams)
            } catch .noSuchFileOrDirectory, .notDirectory {
                continue
            } catch .permissionDenied {
                failure = .permissionDenied
            }
        }
        throw failure
    }

    /// The paths to try for a program name. Without PATH, execvp's default of /bin:/usr/bin applies.
    static func candidates(for name: String, searchPath: String?) -> [String] {
        if name.contains("/") { return [name] }
        let directories = (searchPath ?? "/bin:/usr/bin").split(separator: ":", omittingEmptySubsequences: true)
        return directories.filter { $0.hasPrefix("/") }.map { "\($0)/\(name)" }
    }
}

/// One running program: the poll loop over its three pipes until it has exited (or its time is up), then the reap.
private struct Session {
    let pid: pid_t
    let system: System
    var input: InputFeeder
    var stdout: OutputSink
    var stderr: OutputSink
    private var buffer = [UInt8](repeating: 0, count: 1 << 16)

    init(pid: pid_t, system: System, input: InputFeeder, stdout: OutputSink, stderr: OutputSink) {
        self.pid = pid
        self.system = system
        self.input = input
        self.stdout = stdout
        self.stderr = stderr
    }

    /// Pumps the pipes until the program has exited, then collects what it left in them. Past `deadline`
    /// (monotonic milliseconds) the whole process group gets SIGKILL.
    ///
    /// The program's exit is checked on every turn (WNOHANG), not only at end of file: a background job it started
    /// may hold the pipes open for ever, and its output is not the program's anyway.
    mutating func finish(deadline: Int) -> ProgramStatus {
        var idleWait = 1
        while true {
            let waited: CInt?
            do { waited = try system.waitProcess(pid, false) } catch { return ended(.notStarted(error)) }
            if let waited { return ended(Self.status(waited)) }
            let remaining = deadline - system.monotonicMilliseconds()
            if remaining <= 0 { return killed() }
            var descriptors = pollSet()
            // With open pipes, 100 ms turns are only the fallback for the background-job case above. Without any
            // (the program closed them and is exiting now, or lingers), wait in short, growing steps.
            let turn = descriptors.isEmpty ? idleWait : 100
            if descriptors.isEmpty { idleWait = min(idleWait * 2, 100) }
            do { _ = try system.poll(&descriptors, min(remaining, turn)) } catch {
                // Never a busy loop: an unusable poll still waits its turn, and the time limit still applies.
                system.sleep(min(remaining, turn))
                continue
            }
            serve(descriptors)
        }
    }

    /// Descriptors with work: stdin while input remains, stdout and stderr until end of file.
    private func pollSet() -> [pollfd] {
        var set: [pollfd] = []
        if let fd = input.fd { set.append(pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)) }
        for fd in [stdout.fd, stderr.fd].compactMap({ $0 }) {
            set.append(pollfd(fd: fd, events: Int16(POLLIN), revents: 0))
        }
        return set
    }

    /// Writes and reads where poll said it would not block; POLLERR and POLLHUP end in an EPIPE or end of file.
    private mutating func serve(_ descriptors: [pollfd]) {
        for descriptor in descriptors where descriptor.revents != 0 {
            switch descriptor.fd {
            case input.fd: input.feed()
            case stdout.fd: stdout.drain(using: &buffer)
            case stderr.fd: stderr.drain(using: &buffer)
            default: break
            }
        }
    }

    /// Time is up: SIGKILL to the process group (the program and all it started), then reap it.
    private mutating func killed() -> ProgramStatus {
        // The pid cannot have been reused: the child is not reaped yet, so its pid and group still exist.
        if (try? system.kill(-pid, SIGKILL)) == nil { try? system.kill(pid, SIGKILL) }
        do { _ = try system.waitProcess(pid, true) } catch { return ended(.notStarted(error)) }
        return ended(.timedOut)
    }

    /// The program is gone: keep what it wrote before exiting, close roost's ends.
    private mutating func ended(_ status: ProgramStatus) -> ProgramStatus {
        input.abandon()
        stdout.drainRemaining(using: &buffer)
        stderr.drainRemaining(using: &buffer)
        stdout.close()
        stderr.close()
        return status
    }

    /// Decodes a wait status (WIFEXITED/WEXITSTATUS/WIFSIGNALED/WTERMSIG are macros Swift cannot import).
    static func status(_ raw: CInt) -> ProgramStatus {
        let signal = raw & 0x7f
        return signal == 0 ? .exited((raw >> 8) & 0xff) : .signaled(signal)
    }
}
