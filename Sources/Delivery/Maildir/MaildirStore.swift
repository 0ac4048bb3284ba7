import Glibc
import MaildirLayout
import SystemPackage

/// The user's Maildir: opens the root and its folders (creating them on first use) and stores spooled messages
/// there following SPEC §4, step by step.
public final class MaildirStore {
    let system: System
    let root: MaildirDirectory
    private let names: NameGenerator
    private let folders: FolderOpener
    /// Tried names per publish; a clash means another process made the same name, so a new one is taken.
    private static let publishAttempts = 8

    /// Opens the root Maildir at `rootPath` (absolute), creating it and tmp/ new/ cur/ (0700) when missing.
    /// The parent directory must exist: a missing one usually means a wrong path, and creating it would hide that.
    /// - Throws: `DeliveryError` (75) when the root cannot be opened or created.
    public init(rootPath: String, home: String?, system: System) throws(DeliveryError) {
        self.system = system
        names = NameGenerator(system: system)
        root = try FolderOpener.openMaildir(at: rootPath, system: system)
        folders = FolderOpener(root: root, home: home, system: system)
    }

    /// Problems that did not stop the delivery, such as a `subscriptions` update that failed.
    var warnings: [DeliveryError] { folders.warnings }

    /// Starts a spool file in the root's tmp/.
    /// - Throws: `DeliveryError` (75) when tmp/ refuses it.
    public func makeSpool() throws(DeliveryError) -> SpoolFile {
        try SpoolFile(in: root, name: names.next().base, system: system)
    }

    /// A new sealed spool holding `header` and then the body of `spool` (whose header was `headerLength` bytes): the
    /// message after `add header`/`remove header`. Its copies are hard links of each other, never of the original.
    /// - Throws: `DeliveryError` (75) when tmp/ does not take it.
    public func rewrite(_ spool: SpoolFile, header: [UInt8], replacingHeaderOf headerLength: Int) throws(DeliveryError) -> SpoolFile {
        let edited = try makeSpool()
        try edited.append(header)
        try edited.appendContents(of: spool, from: headerLength)
        try edited.seal()
        return edited
    }

    /// Stores the sealed spool in `target` (SPEC §4): link into new/ (cur/ with flags) under a fresh name that never
    /// replaces an existing file, then fsync that directory. Only then is the message delivered.
    /// - Throws: `DeliveryError`; nothing is left visible in new/ or cur/ when it does.
    func store(_ spool: SpoolFile, in target: FolderTarget, flags: MaildirFlags) throws(DeliveryError) -> StoredFile {
        let folder = try folders.open(target)
        let subdirectory = flags.subdirectory
        let destination = folder.destination(subdirectory)
        var attempt = 0
        while true {
            let name = names.next().finalName(size: spool.byteCount, flags: flags)
            do {
                try publish(spool, as: name, into: folder, destination: destination)
            } catch .fileExists where attempt < Self.publishAttempts {
                attempt += 1
                continue
            } catch {
                throw DeliveryError("link", folder.relative(subdirectory, name), errno: error)
            }
            // The new entry may live only in the page cache until its directory is synced. If that fails, take
            // the entry back (as Dovecot rolls back) so a retry by the MTA cannot make a duplicate.
            do {
                try system.fsync(destination)
            } catch {
                try? system.unlinkAt(destination, name)
                throw DeliveryError("fsync", folder.relative(subdirectory, ""), errno: error)
            }
            var stored = StoredFile(folder: target.description, relativePath: folder.relative(subdirectory, name), name: name)
            stored.location = (target, subdirectory)
            return stored
        }
    }

    /// Takes a published file back (unlink, then fsync the directory): the delivery is failing with 75 after all,
    /// and the MTA's retry must not find this copy already there. Best effort: a failure here is a duplicate later.
    func withdraw(_ file: StoredFile) {
        guard let (target, subdirectory) = file.location, let folder = try? folders.open(target) else { return }
        let directory = folder.destination(subdirectory)
        try? system.unlinkAt(directory, file.name)
        try? system.fsync(directory)
    }

    /// link(2) never replaces an existing name, unlike rename(2); where the target is on another file system
    /// (another Maildir) or links are unsupported, the bytes are copied through that Maildir's own tmp/.
    private func publish(
        _ spool: SpoolFile, as name: String, into folder: MaildirDirectory, destination: CInt
    ) throws(Errno) {
        do {
            try system.linkAt(spool.maildir.tmp, spool.name, destination, name)
        } catch let errno where [.improperLink, .notPermitted, .tooManyLinks].contains(errno) || errno.rawValue == EOPNOTSUPP {
            try copy(spool, as: name, into: folder, destination: destination)
        }
    }

    private func copy(_ spool: SpoolFile, as name: String, into folder: MaildirDirectory, destination: CInt) throws(Errno) {
        let source = try system.openAt(spool.maildir.tmp, spool.name, O_RDONLY | O_NOFOLLOW, 0)
        defer { system.closeQuietly(source) }
        let temporary = names.next().base
        let target = try system.openAt(folder.tmp, temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0o600)
        do {
            try system.copyAll(from: source, to: target)
            try system.fsync(target)
            try system.close(target)
        } catch {
            system.closeQuietly(target)
            try? system.unlinkAt(folder.tmp, temporary)
            throw error
        }
        defer { try? system.unlinkAt(folder.tmp, temporary) }
        try system.linkAt(folder.tmp, temporary, destination, name)
    }
}

extension System {
    /// Copies a file's remaining bytes from one descriptor to another in bounded chunks.
    /// - Throws: the errno of the failing read(2) or write(2).
    func copyAll(from source: CInt, to target: CInt) throws(Errno) {
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = try read(source, into: &buffer)
            if count == 0 { return }
            try writeAll(target, buffer[..<count])
        }
    }
}
