import Glibc
import MessageFormat
import SystemPackage

/// Why a mailbox, or one message in it, could not be read.
public struct MailboxError: Error, Equatable, CustomStringConvertible {
    /// The path, or the message's source (`inbox.mbox#12`, `Maildir/cur/…`).
    public var source: String
    /// What went wrong.
    public var reason: String

    /// Creates an error.
    public init(_ source: String, _ reason: String) {
        self.source = source
        self.reason = reason
    }

    public var description: String { "\(source): \(reason)" }
}

/// Reads the messages of existing mail for `roost test` (SPEC §6), one at a time, each handed on as soon as it is
/// read: an mbox (a file starting `From `), a Maildir (a directory with cur/ and new/; new/ then cur/, each sorted
/// by name; tmp/ and dot files are never read), or any other regular file as one message (.eml).
///
/// Memory stays bounded whatever the input: an mbox is split while it is read in chunks, and of each message only
/// what a delivery keeps (header, body prefix, body text; `MessageLimits`) is held, through the same
/// `MessageIntake` as delivery.
public struct MailboxReader {
    static let chunkSize = 1 << 16

    let system: System
    let limits: MessageLimits
    let collectsBodyText: Bool

    /// Creates a reader; decoding MIME bodies costs time, so only when a rule reads `body`.
    public init(system: System, limits: MessageLimits, collectsBodyText: Bool) {
        self.system = system
        self.limits = limits
        self.collectsBodyText = collectsBodyText
    }

    /// Checks that `path` can be read as mail at all: a readable regular file, or a directory with cur/ and new/.
    /// - Throws: `MailboxError` saying why not.
    public func check(_ path: String) throws(MailboxError) {
        let fd = try open(path)
        defer { system.closeQuietly(fd) }
        if try isDirectory(fd, path) {
            for name in ["new", "cur"] { system.closeQuietly(try openSubdirectory(name, of: fd, path)) }
        }
    }

    /// Reads every message of `path` in order and hands each to `body` with its source: the path for a single
    /// message, `path#n` (from 1) for the n-th message of an mbox, `path/new/name` in a Maildir. A message that
    /// cannot be read is handed on as a failure and the others still are.
    /// - Throws: `MailboxError` when the path itself cannot be read (messages handed on before stay handed on).
    public func read(
        _ path: String, _ body: (_ source: String, _ message: Result<ReceivedMessage, MailboxError>) -> Void
    ) throws(MailboxError) {
        let fd = try open(path)
        defer { system.closeQuietly(fd) }
        if try isDirectory(fd, path) {
            try readMaildir(fd, path, body)
        } else if try startsWithFromLine(fd, path) {
            try readMbox(fd, path, body)
        } else {
            body(path, Result { () throws(MailboxError) in try readMessage(fd, path) })
        }
    }

    /// new/ first, then cur/: where mail arrives, then where it goes once a reader has seen it.
    private func readMaildir(
        _ fd: CInt, _ path: String, _ body: (String, Result<ReceivedMessage, MailboxError>) -> Void
    ) throws(MailboxError) {
        let root = path.hasSuffix("/") ? String(path.dropLast()) : path
        let new = try openSubdirectory("new", of: fd, path)
        defer { system.closeQuietly(new) }
        let cur = try openSubdirectory("cur", of: fd, path)
        defer { system.closeQuietly(cur) }
        for (name, directory) in [("new", new), ("cur", cur)] {
            let entries: [String]
            do {
                entries = try DirectoryListing.names(in: directory).filter { !$0.hasPrefix(".") }.sorted()
            } catch {
                throw MailboxError("\(root)/\(name)", "cannot list the directory: \(error)")
            }
            for entry in entries {
                let source = "\(root)/\(name)/\(entry)"
                body(source, Result { () throws(MailboxError) in try readMaildirFile(entry, in: directory, source) })
            }
        }
    }

    /// One file of new/ or cur/, never through a symlink (a Maildir holds regular files only).
    private func readMaildirFile(_ name: String, in directory: CInt, _ source: String) throws(MailboxError)
        -> ReceivedMessage
    {
        let fd: CInt
        do {
            fd = try system.openAt(directory, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK, 0)
        } catch {
            throw MailboxError(source, "cannot open: \(error)")
        }
        defer { system.closeQuietly(fd) }
        guard try !isDirectory(fd, source) else { throw MailboxError(source, "a directory, not a message") }
        return try readMessage(fd, source)
    }

    /// The whole file as one message; a From_ line at its start gives the envelope sender.
    private func readMessage(_ fd: CInt, _ source: String) throws(MailboxError) -> ReceivedMessage {
        var intake = MessageIntake(limits: limits, collectsBodyText: collectsBodyText)
        try readChunks(fd, source) { chunk in _ = intake.consume(chunk) }
        _ = intake.finish()
        return intake.message
    }

    private func readMbox(
        _ fd: CInt, _ path: String, _ body: (String, Result<ReceivedMessage, MailboxError>) -> Void
    ) throws(MailboxError) {
        var splitter = MboxSplitter()
        var current: MessageIntake?
        var number = 0
        func handOn() {
            guard var intake = current else { return }
            _ = intake.finish()
            body("\(path)#\(number)", .success(intake.message))
        }
        func take(_ piece: MboxSplitter.Piece) {
            switch piece {
            case .messageStart:
                handOn()
                number += 1
                current = MessageIntake(limits: limits, collectsBodyText: collectsBodyText)
            case .bytes(let bytes): _ = current?.consume(bytes)
            }
        }
        try readChunks(fd, path) { chunk in splitter.consume(chunk, take) }
        splitter.finish(take)
        handOn()
    }

    /// Reads `fd` from its start to its end in chunks.
    private func readChunks(_ fd: CInt, _ source: String, _ take: (ArraySlice<UInt8>) -> Void) throws(MailboxError) {
        var buffer = [UInt8](repeating: 0, count: Self.chunkSize)
        while true {
            let count: Int
            do {
                count = try system.read(fd, into: &buffer)
            } catch {
                throw MailboxError(source, "cannot read: \(error)")
            }
            if count == 0 { return }
            take(buffer[..<count])
        }
    }

    /// Whether the file opens with `From `, the mark of an mbox; the file is read from its start again afterwards.
    private func startsWithFromLine(_ fd: CInt, _ path: String) throws(MailboxError) -> Bool {
        let mark = Array("From ".utf8)
        var head: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: mark.count)
        do {
            while head.count < mark.count {
                let count = try system.read(fd, into: &buffer)
                if count == 0 { break }
                head += buffer[..<min(count, mark.count - head.count)]
            }
            try system.seek(fd, 0)
        } catch {
            throw MailboxError(path, "cannot read: \(error)")
        }
        return head == mark
    }

    /// Opens a path given on the command line (following symlinks: a person named it).
    private func open(_ path: String) throws(MailboxError) -> CInt {
        do {
            return try system.openAt(AT_FDCWD, path, O_RDONLY | O_NONBLOCK, 0)
        } catch {
            throw MailboxError(path, "cannot open: \(error)")
        }
    }

    /// Whether `fd` is a directory; anything but a directory or a regular file is refused (a FIFO could block).
    private func isDirectory(_ fd: CInt, _ source: String) throws(MailboxError) -> Bool {
        let status: stat
        do {
            status = try system.statAt(fd, "")
        } catch {
            throw MailboxError(source, "cannot stat: \(error)")
        }
        switch status.st_mode & S_IFMT {
        case S_IFDIR: return true
        case S_IFREG: return false
        default: throw MailboxError(source, "not a regular file, mbox or Maildir")
        }
    }

    private func openSubdirectory(_ name: String, of fd: CInt, _ path: String) throws(MailboxError) -> CInt {
        do {
            return try system.openAt(fd, name, O_RDONLY | O_DIRECTORY, 0)
        } catch {
            throw MailboxError(path, "a directory, but not a Maildir (no \(name)/: \(error))")
        }
    }
}
