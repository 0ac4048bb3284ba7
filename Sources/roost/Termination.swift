import Delivery
import Glibc

/// The one place where a run becomes an exit status and, in delivery mode, at most one line of output.
///
/// Output is protocol: Postfix reads a leading enhanced status code (RFC 3463) and lets it override the exit status,
/// and may quote the line to the sender. So a line starts with a code that agrees with the status, and carries no
/// paths, rule text or user names; those go to syslog.
enum Termination {
    /// How a run ended, before it becomes a status.
    enum Ending {
        /// A delivery finished (stored, discarded, rejected or deferred).
        case outcome(Outcome)
        /// A mode that prints (help, dry run, check) finished with this text and status.
        case printed(String, ExitStatus)
        /// Something failed.
        case failed(any Error)
    }

    /// Writes the line, then exits.
    static func exit(_ ending: Ending, options: CommandLineOptions) -> Never {
        let (status, stdout, stderr) = render(ending, options: options)
        if let stdout { write(STDOUT_FILENO, stdout) }
        if let stderr { write(STDERR_FILENO, stderr) }
        Glibc.exit(status.rawValue)
    }

    static func render(_ ending: Ending, options: CommandLineOptions) -> (ExitStatus, String?, String?) {
        switch ending {
        case .outcome(.delivered), .outcome(.discarded): (.ok, nil, nil)
        case .outcome(.rejected(let text)): (.noPerm, withStatusCode(text, class: "5", default: "5.7.1") + "\n", nil)
        case .outcome(.deferred(let reason)): (.tempFail, withStatusCode(reason, class: "4", default: "4.2.0") + "\n", nil)
        // `check` prints its diagnostics to stdout whatever it found: they are the output a person asked for.
        case .printed(let text, let status): (status, status == .ok || status == .checkFailed ? text : nil, status == .usage ? text : nil)
        case .failed(let error): failure(error, options: options)
        }
    }

    private static func failure(_ error: any Error, options: CommandLineOptions) -> (ExitStatus, String?, String?) {
        switch error {
        case let error as CommandLineError where options.deliversNothing:
            return (.usage, nil, "roost: \(error.message)\nTry 'roost --help' for more information.\n")
        case let error as CommandLineError:
            return (.tempFail, "4.3.5 roost: \(error.message)\n", nil)
        case let error as DeliveryError:
            return (.tempFail, "\(statusCode(for: error)) roost: cannot store the message now (\(error.kind.rawValue))\n", nil)
        case let error as PrivilegeError where error.exitStatus == .noUser:
            return (.noUser, "5.1.1 roost: no such user\n", nil)
        case let error as PrivilegeError:
            return (.tempFail, "4.3.5 roost: \(error.isAboutRoot ? error.description : "cannot run as the recipient")\n", nil)
        default:
            // When in doubt, 75: a retry costs minutes, a bounce can cost the mail.
            return (.tempFail, "4.3.0 roost: internal error\n", nil)
        }
    }

    /// RFC 3463: 4.3.1 "mail system full", 4.2.2 "mailbox full", else 4.3.0.
    static func statusCode(for error: DeliveryError) -> String {
        switch error.kind {
        case .noSpace: "4.3.1"
        case .quota, .fileTooLarge: "4.2.2"
        default: "4.3.0"
        }
    }

    /// A `reject` text gets `5.7.1` and a `defer` text `4.2.0`, unless the text brings its own code of the same
    /// class: Postfix obeys the code over the exit status, so a `reject "4.…"` would otherwise be retried forever.
    static func withStatusCode(_ text: String, class expected: Character, default code: String) -> String {
        let word = text.prefix { $0 != " " }
        let parts = word.split(separator: ".", omittingEmptySubsequences: false)
        let isCode = parts.count == 3 && parts[0] == String(expected)
            && parts.dropFirst().allSatisfy { !$0.isEmpty && $0.count <= 3 && $0.allSatisfy(\.isNumber) }
        return isCode ? text : "\(code) \(text)"
    }

    private static func write(_ fd: CInt, _ text: String) {
        try? System.live.writeAll(fd, Array(text.utf8))
    }
}

extension PrivilegeError {
    /// Root and setuid refusals name no user, so they can be shown to Postfix as they are.
    fileprivate var isAboutRoot: Bool {
        switch self {
        case .rootWithoutUser, .setuidInstall: true
        default: false
        }
    }
}
