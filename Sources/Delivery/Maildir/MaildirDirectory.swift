import Glibc
import SystemPackage

/// An opened Maildir (the root or a Maildir++ folder): descriptors of its directory and of tmp/, new/ and cur/.
///
/// Opened once with O_NOFOLLOW below the root, so a symlinked `tmp/`, `new/`, `cur/` or folder directory is refused
/// (SPEC §8) and nothing swapped in later can redirect a write: every later call is relative to these descriptors.
final class MaildirDirectory {
    let directory: CInt
    let tmp: CInt
    let new: CInt
    let cur: CInt
    /// Where this Maildir is, for log lines: `` (the root) or `.Lists.swift`.
    let label: String
    private let system: System

    /// Opens the Maildir whose directory is `directory` (already open, adopted here), creating tmp/ new/ cur/.
    /// - Throws: `DeliveryError` (exit 75) when a subdirectory is a symlink or cannot be opened or created.
    init(adopting directory: CInt, label: String, system: System) throws(DeliveryError) {
        self.system = system
        self.label = label
        self.directory = directory
        var opened: [CInt] = []
        do {
            for name in ["tmp", "new", "cur"] {
                opened.append(try Self.openSubdirectory(name, in: directory, label: label, system: system))
            }
        } catch {
            for fd in opened { system.closeQuietly(fd) }
            system.closeQuietly(directory)
            throw error
        }
        (tmp, new, cur) = (opened[0], opened[1], opened[2])
    }

    deinit {
        for fd in [tmp, new, cur, directory] { system.closeQuietly(fd) }
    }

    /// The descriptor of `new/` or `cur/`, by name.
    func destination(_ subdirectory: String) -> CInt { subdirectory == "cur" ? cur : new }

    /// A path relative to the root Maildir, for logs and traces.
    func relative(_ subdirectory: String, _ name: String) -> String {
        label.isEmpty ? "\(subdirectory)/\(name)" : "\(label)/\(subdirectory)/\(name)"
    }

    /// Opens `name` below `directory` as a directory, creating it (0700) if missing. Below the root nothing is
    /// followed (`followingSymlinks` is for the root itself, which the user or administrator chose).
    /// - Throws: `DeliveryError` when it is a symlink, not a directory, or cannot be created.
    static func openSubdirectory(
        _ name: String, in directory: CInt, label: String, system: System, followingSymlinks: Bool = false
    ) throws(DeliveryError) -> CInt {
        let path = label.isEmpty ? name : "\(label)/\(name)"
        let open = { () throws(Errno) -> CInt in
            try system.openAt(directory, name, O_RDONLY | O_DIRECTORY | (followingSymlinks ? 0 : O_NOFOLLOW), 0)
        }
        do {
            return try open()
        } catch .noSuchFileOrDirectory {
            do {
                try system.makeDirectoryAt(directory, name, 0o700)
            } catch let errno where errno != .fileExists {
                throw DeliveryError("mkdir", path, errno: errno)
            } catch {}
            do {
                return try open()
            } catch {
                throw refusal("open", path, errno: error)
            }
        } catch {
            throw refusal("open", path, errno: error)
        }
    }

    /// opendir without following: a symlink gives ELOOP or ENOTDIR, which the caller reports as refused.
    static func openDirectory(_ name: String, in directory: CInt, system: System) throws(Errno) -> CInt {
        try system.openAt(directory, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW, 0)
    }

    private static func refusal(_ step: String, _ path: String, errno: Errno) -> DeliveryError {
        switch errno {
        case .tooManySymbolicLinkLevels, .notDirectory:
            DeliveryError(step, path, reason: "not a directory or a symbolic link; refusing to follow it")
        default: DeliveryError(step, path, errno: errno)
        }
    }
}
