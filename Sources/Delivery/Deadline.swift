import Glibc

/// The line the alarm handler writes before `_exit(75)`: prepared in advance because a signal handler may only make
/// async-signal-safe calls (write, _exit), never allocate.
///
/// Global mutable state, on purpose and only here: a C signal handler cannot capture context, so the prepared bytes
/// must sit where the handler can reach them. Written once before the alarm is armed, then only read.
nonisolated(unsafe) private var deadlineLine: UnsafeMutableBufferPointer<UInt8>?

/// A backstop below Postfix's `command_time_limit` (SPEC §2): whatever hangs, roost ends with EX_TEMPFAIL and the MTA
/// retries. The spool file may stay in tmp/ as an orphan, which the Maildir spec allows.
public enum Deadline {
    /// The default: 300 s, below Postfix's default command_time_limit of 1000 s.
    public static let defaultSeconds: UInt32 = 300

    /// Arms alarm(2); on expiry `line` is written to stdout and the process exits 75.
    public static func arm(seconds: UInt32, line: String) {
        let bytes = Array(line.utf8)
        let buffer = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: bytes.count)
        _ = buffer.initialize(from: bytes)
        deadlineLine = buffer
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { _ in
            if let line = deadlineLine { _ = write(STDOUT_FILENO, line.baseAddress, line.count) }
            _exit(75)
        }
        sigemptyset(&action.sa_mask)
        sigaction(SIGALRM, &action, nil)
        // A parent may hand down a blocked SIGALRM (the mask survives exec); the backstop must not depend on it.
        var alarmOnly = sigset_t()
        sigemptyset(&alarmOnly)
        sigaddset(&alarmOnly, SIGALRM)
        sigprocmask(SIG_UNBLOCK, &alarmOnly, nil)
        alarm(seconds)
    }

    /// Ignores the signals that would otherwise kill roost before it could clean up and answer 75: SIGXFSZ (a write
    /// past Postfix's RLIMIT_FSIZE then fails with EFBIG instead) and SIGPIPE (a program that closed its stdin).
    public static func ignoreFatalSignals() {
        signal(SIGXFSZ, SIG_IGN)
        signal(SIGPIPE, SIG_IGN)
    }
}
