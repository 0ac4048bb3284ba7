import MaildirLayout
import SystemPackage

/// A failure of the operating system during a delivery: what was being done, to what, and the errno.
///
/// Every `DeliveryError` ends a real delivery with EX_TEMPFAIL (75) unless a fallback folder takes the message.
public struct DeliveryError: Error, Equatable, CustomStringConvertible {
    /// The step that failed, named after its system call (`open`, `write`, `fsync`, `link`, …).
    public let step: String
    /// What the step worked on, relative to the Maildir root where possible (logged, never printed to Postfix).
    public let subject: String
    /// The errno, when the failure came from a system call.
    public let errno: Errno?
    /// A reason for failures that are not an errno (a refused symlink, a missing parent).
    public let reason: String?

    /// Creates an error from a failed system call.
    public init(_ step: String, _ subject: String, errno: Errno) {
        self.step = step
        self.subject = subject
        self.errno = errno
        self.reason = nil
    }

    /// Creates an error that is a decision of roost's, not an errno.
    public init(_ step: String, _ subject: String, reason: String) {
        self.step = step
        self.subject = subject
        self.errno = nil
        self.reason = reason
    }

    /// The class of the errno, `.other` when there is none.
    public var kind: ErrnoClass { errno.map(ErrnoClass.init) ?? .other }

    /// `fsync tmp/1732…: disk full (ENOSPC)` — one phrase for the log's `status=` and `error=` keys.
    public var description: String {
        let cause = reason ?? "\(kind.rawValue) (\(errno.map { String(describing: $0) } ?? "?"))"
        return "\(step) \(subject): \(cause)"
    }
}

/// A message as it ended up on disk.
public struct StoredFile: Sendable, Equatable {
    /// The folder, as rules name it.
    public let folder: String
    /// The path relative to the root Maildir, such as `new/1732….host,S=512` or `.Junk/cur/…:2,S`.
    public let relativePath: String
    /// The file name alone.
    public let name: String
    /// Where it was published, to take it back if the delivery fails after all.
    var location: (target: FolderTarget, subdirectory: String)?

    /// Creates the description of a stored file.
    public init(folder: String, relativePath: String, name: String) {
        self.folder = folder
        self.relativePath = relativePath
        self.name = name
    }

    public static func == (lhs: StoredFile, rhs: StoredFile) -> Bool {
        lhs.folder == rhs.folder && lhs.relativePath == rhs.relativePath && lhs.name == rhs.name
    }
}

/// How a delivery ended, before it becomes an exit status.
public enum Outcome: Equatable {
    /// Stored in one or more folders (the first is the final delivery).
    case delivered([StoredFile])
    /// Dropped on purpose: a `discard` rule, or empty input.
    case discarded(reason: String)
    /// Refused: exit 77 with the text on stdout.
    case rejected(text: String)
    /// Kept by the MTA for a retry: exit 75.
    case deferred(reason: String)
}
