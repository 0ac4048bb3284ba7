import Glibc
import MaildirLayout
import SystemPackage

/// Opens the Maildir++ folders of one root, and other Maildirs named by path, creating them on first use (SPEC §4):
/// the folder directory and tmp/ new/ cur/ (0700), an empty `maildirfolder` file, and a line in `subscriptions`.
final class FolderOpener {
    private let root: MaildirDirectory
    private let home: String?
    private let system: System
    private var opened: [FolderTarget: MaildirDirectory] = [:]
    /// Problems that did not stop the delivery (a `subscriptions` update that failed), for the log.
    private(set) var warnings: [DeliveryError] = []

    init(root: MaildirDirectory, home: String?, system: System) {
        self.root = root
        self.home = home
        self.system = system
    }

    /// The opened Maildir for a target; each is opened once per run.
    /// - Throws: `DeliveryError` (symlinks, permissions, …).
    func open(_ target: FolderTarget) throws(DeliveryError) -> MaildirDirectory {
        if let known = opened[target] { return known }
        let maildir: MaildirDirectory
        switch target {
        case .folder(let name): maildir = try openFolder(name)
        case .maildir(let path): maildir = try Self.openMaildir(at: try resolve(path), system: system)
        }
        opened[target] = maildir
        return maildir
    }

    /// Opens (creating if needed, parent required) the Maildir at an absolute path. The path itself may be a
    /// symlink: it is the user's or administrator's choice. Below it nothing is followed.
    /// - Throws: `DeliveryError` (75).
    static func openMaildir(at path: String, system: System) throws(DeliveryError) -> MaildirDirectory {
        let fd = try MaildirDirectory.openSubdirectory(path, in: AT_FDCWD, label: "", system: system, followingSymlinks: true)
        return try MaildirDirectory(adopting: fd, label: "", system: system)
    }

    private func openFolder(_ name: FolderName) throws(DeliveryError) -> MaildirDirectory {
        guard let directoryName = name.directoryName else { return root }
        var created = false
        do {
            try system.makeDirectoryAt(root.directory, directoryName, 0o700)
            created = true
        } catch let errno where errno != .fileExists {
            throw DeliveryError("mkdir", directoryName, errno: errno)
        } catch {}
        let fd: CInt
        do {
            fd = try MaildirDirectory.openDirectory(directoryName, in: root.directory, system: system)
        } catch .tooManySymbolicLinkLevels, .notDirectory {
            throw DeliveryError("open", directoryName, reason: "not a directory or a symbolic link; refusing to follow it")
        } catch {
            throw DeliveryError("open", directoryName, errno: error)
        }
        let folder = try MaildirDirectory(adopting: fd, label: directoryName, system: system)
        try markAsFolder(folder)
        // A folder made now must survive a crash with the message in it: its entry in the root and its tmp/ new/
        // cur/ entries are flushed like the message's own entry is.
        if created {
            do {
                try system.fsync(folder.directory)
                try system.fsync(root.directory)
            } catch {
                throw DeliveryError("fsync", directoryName, errno: error)
            }
        }
        // Only the process whose mkdir created the folder subscribes it, so a folder the user unsubscribed
        // stays unsubscribed.
        if created { subscribe(name) }
        return folder
    }

    /// Dovecot and Courier recognise a Maildir++ folder by its empty `maildirfolder` file.
    private func markAsFolder(_ folder: MaildirDirectory) throws(DeliveryError) {
        if (try? system.statAt(folder.directory, "maildirfolder")) != nil { return }
        do {
            let fd = try system.openAt(folder.directory, "maildirfolder", O_WRONLY | O_CREAT | O_NOFOLLOW, 0o600)
            system.closeQuietly(fd)
        } catch {
            throw DeliveryError("open", "\(folder.label)/maildirfolder", errno: error)
        }
    }

    private func subscribe(_ name: FolderName) {
        do {
            try Subscriptions(system: system).subscribe(name, root: root.directory)
        } catch {
            warnings.append(error)
        }
    }

    private func resolve(_ path: String) throws(DeliveryError) -> String {
        guard path.hasPrefix("~/") else { return path }
        guard let home, !home.isEmpty else { throw DeliveryError("resolve", path, reason: "no home directory") }
        return home + path.dropFirst()
    }
}
