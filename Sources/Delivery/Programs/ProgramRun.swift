import SystemPackage

/// One program to run for a `pipe`, `filter` or `forward` action (SPEC §5.3): its words, its whole environment, its
/// input and its limits. Nothing is added by the runner: no shell, no inherited variable.
public struct ProgramRun: Sendable {
    /// argv, word for word; `arguments[0]` is the program, looked up in this run's own PATH unless it has a slash.
    public var arguments: [String]
    /// The complete environment of the program (SPEC §5.3: PATH, HOME, USER, LOGNAME, SENDER, RECIPIENT, EXTENSION).
    public var environment: [String: String]
    /// What the program reads on stdin.
    public var input: ProgramInput
    /// Seconds until the program's whole process group is killed; values below 1 count as 1, above a year as a year.
    public var timeoutSeconds: Int
    /// Bytes of stdout kept (in memory, or in the file of `run(_:stdoutTo:)`); the rest is read and discarded.
    public var outputLimit: Int

    /// The stdout kept when the caller names no limit: enough for a program's answer, not for a message.
    public static let defaultOutputLimit = 64 * 1024
    /// The stderr kept: a few lines for the log; the rest is read and discarded.
    public static let stderrLimit = 4 * 1024

    /// Creates a run; the defaults are SPEC §5.3's 60 seconds and a 64 KiB answer.
    public init(
        arguments: [String], environment: [String: String], input: ProgramInput = .bytes([]),
        timeoutSeconds: Int = 60, outputLimit: Int = ProgramRun.defaultOutputLimit
    ) {
        self.arguments = arguments
        self.environment = environment
        self.input = input
        self.timeoutSeconds = timeoutSeconds
        self.outputLimit = outputLimit
    }
}

/// Where a program's stdin comes from.
public enum ProgramInput: Sendable {
    /// These bytes, then end of file.
    case bytes([UInt8])
    /// An open file (a spool file opened O_RDONLY), from its current offset to its end, read in bounded chunks.
    /// The offset moves; the descriptor stays open and the caller's.
    case file(descriptor: CInt)
}

/// How a program ended, with what it said.
public struct ProgramResult: Equatable, Sendable {
    /// Exit, signal, time limit, or never started.
    public var status: ProgramStatus
    /// Its stdout, at most `outputLimit` bytes; empty for `run(_:stdoutTo:)`, whose output went to the file.
    public var stdout: [UInt8]
    /// Its stderr, at most `ProgramRun.stderrLimit` bytes.
    public var stderr: [UInt8]
    /// True when stdout went past `outputLimit` and the excess was discarded (a `filter` must then keep the message).
    public var stdoutTruncated: Bool
    /// True when the program closed its stdin before reading all of it (EPIPE): a notifier that ignores the message
    /// does this on purpose, so only the caller can say whether it counts as a failure.
    public var stdinClosedEarly: Bool
    /// Reading the `.file` input failed: the program saw a truncated message.
    public var inputReadError: Errno?
    /// Writing stdout to the file of `run(_:stdoutTo:)` failed (ENOSPC, EDQUOT…): the file holds a partial output.
    public var outputWriteError: Errno?

    /// Creates a result.
    public init(
        status: ProgramStatus, stdout: [UInt8] = [], stderr: [UInt8] = [], stdoutTruncated: Bool = false,
        stdinClosedEarly: Bool = false, inputReadError: Errno? = nil, outputWriteError: Errno? = nil
    ) {
        self.status = status
        self.stdout = stdout
        self.stderr = stderr
        self.stdoutTruncated = stdoutTruncated
        self.stdinClosedEarly = stdinClosedEarly
        self.inputReadError = inputReadError
        self.outputWriteError = outputWriteError
    }

    /// Exit 0 with the whole input offered and all kept output stored: SPEC §5.3's success of a `pipe`. A `filter`
    /// also needs `!stdoutTruncated`.
    public var succeeded: Bool {
        status == .exited(0) && inputReadError == nil && outputWriteError == nil
    }
}

/// The end of a program run.
public enum ProgramStatus: Equatable, Sendable {
    /// exit(3) with this status (0–255).
    case exited(Int32)
    /// Killed by this signal (not by roost's time limit).
    case signaled(Int32)
    /// Still running after `timeoutSeconds`: its process group got SIGKILL.
    case timedOut
    /// No program ran: posix_spawn's errno (ENOENT: not found, EACCES: not executable, EINVAL: a NUL byte or no
    /// words), or the errno of the pipe(2) or waitpid(2) that failed around it.
    case notStarted(Errno)
}
