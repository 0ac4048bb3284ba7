import Glibc
import PatternMatching
import SystemPackage

/// Why a rule file is not used (SPEC §3): the message then goes to INBOX and the reason is logged.
public enum RuleFileProblem: Error, Equatable, CustomStringConvertible {
    /// No such file: not an error, the user has no rules.
    case missing
    /// A directory, device or FIFO.
    case notRegularFile
    /// Owned by someone other than the user or root: someone else could decide where the mail goes.
    case foreignOwner(uid_t)
    /// Writable by group or others: anyone in that group could.
    case writableByOthers(mode_t)
    /// Larger than any sane rule file; reading it would cost every delivery.
    case tooLarge(Int)
    /// The file exists but could not be read.
    case unreadable(Errno)

    public var description: String {
        switch self {
        case .missing: "no such file"
        case .notRegularFile: "not a regular file"
        case .foreignOwner(let uid): "owned by uid \(uid), neither the user nor root; ignored"
        case .writableByOthers(let mode): "writable by group or others (mode \(String(mode & 0o7777, radix: 8))); ignored"
        case .tooLarge(let size): "\(size) bytes is more than \(RuleFileReader.maximumBytes); ignored"
        case .unreadable(let errno): "cannot be read: \(errno)"
        }
    }
}

/// Reads rule files with procmail's safety checks: the checks look at the opened file (fstat), so a file swapped in
/// between check and read is still the one checked. A symlink to a rule file is fine; its target is what is checked.
public struct RuleFileReader {
    static let maximumBytes = 4 << 20
    let system: System
    /// The uids that may own a rule file: the delivering user and root.
    let trustedOwners: [uid_t]

    /// Creates a reader trusting files of `user` and root; nil trusts root alone (the system file, SPEC §5.6).
    public init(system: System, user: uid_t?) {
        self.system = system
        trustedOwners = user.map { [$0, 0] } ?? [0]
    }

    /// The file's bytes, or why they must not be used.
    /// - Throws: `RuleFileProblem`.
    public func read(_ path: String) throws(RuleFileProblem) -> [UInt8] { try contents(of: path).bytes }

    /// The file's bytes with its owner and version, or why they must not be used.
    /// - Throws: `RuleFileProblem`.
    public func contents(of path: String) throws(RuleFileProblem) -> RuleFileContents {
        let fd: CInt
        do {
            fd = try system.openAt(AT_FDCWD, path, O_RDONLY | O_NONBLOCK, 0)
        } catch .noSuchFileOrDirectory {
            throw .missing
        } catch {
            throw .unreadable(error)
        }
        defer { system.closeQuietly(fd) }
        let status: stat
        do { status = try system.statAt(fd, "") } catch { throw .unreadable(error) }
        guard status.st_mode & S_IFMT == S_IFREG else { throw .notRegularFile }
        guard trustedOwners.contains(status.st_uid) else { throw .foreignOwner(status.st_uid) }
        guard status.st_mode & (S_IWGRP | S_IWOTH) == 0 else { throw .writableByOthers(status.st_mode) }
        guard Int(status.st_size) <= Self.maximumBytes else { throw .tooLarge(Int(status.st_size)) }
        do {
            return RuleFileContents(
                bytes: try system.readAll(fd, limit: Self.maximumBytes, size: Int(status.st_size)), owner: status.st_uid)
        } catch {
            throw .unreadable(error)
        }
    }
}

/// A rule file as read, with what says whether a compiled form of it is still this file.
public struct RuleFileContents {
    /// The bytes.
    public var bytes: [UInt8]
    /// The owner: only a compiled form with the same owner is trusted.
    public var owner: uid_t

    /// Creates contents from what was read.
    public init(bytes: [UInt8], owner: uid_t) {
        self.bytes = bytes
        self.owner = owner
    }

    /// The size and a checksum of the very bytes read. Not the file's times or inode: an edit in place within
    /// one timestamp tick (a second on some file systems), or between the fstat and the read, keeps those, and an
    /// NFS home seen from several hosts changes the device number from host to host.
    public var version: [UInt64] { [UInt64(bytes.count), Checksum.of(bytes[...])] }
}
