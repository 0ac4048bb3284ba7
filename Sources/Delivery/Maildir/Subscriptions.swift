import Glibc
import MaildirLayout
import SystemPackage

/// Adds a folder to the root's `subscriptions` file so IMAP clients show it (SPEC §4).
///
/// Uses Dovecot's own protocol (`subscription-file.c`): take `subscriptions.lock` with O_EXCL, write the whole new
/// content into the lock file, then rename it over `subscriptions`. Dovecot and concurrent roosts therefore never
/// lose each other's updates, and readers see the old file or the new one, never half of one.
struct Subscriptions {
    static let fileName = "subscriptions"
    static let lockName = "subscriptions.lock"
    /// Dovecot treats a lock older than this as left by a crashed process.
    static let staleLockSeconds = 30
    /// A delivery waits this long at most; failing to subscribe never fails the delivery.
    static let lockWaitMilliseconds = 10_000
    static let maximumFileBytes = 1 << 20
    private static let version2Header: [UInt8] = Array("V\t2\n\n".utf8)

    let system: System

    /// Subscribes `folder` in the Maildir whose root directory is `root`.
    /// - Throws: `DeliveryError` when the file cannot be updated; the caller logs it and delivers anyway.
    func subscribe(_ folder: FolderName, root: CInt) throws(DeliveryError) {
        let lock = try acquireLock(in: root)
        do {
            let current = try readCurrent(in: root)
            let line = Self.line(for: folder, in: current)
            guard !Self.lines(of: current).contains(line) else {
                system.closeQuietly(lock)
                try? system.unlinkAt(root, Self.lockName)
                return
            }
            var updated = current
            if !updated.isEmpty && updated.last != UInt8(ascii: "\n") { updated.append(UInt8(ascii: "\n")) }
            updated += line + [UInt8(ascii: "\n")]
            try system.writeAll(lock, updated)
            try system.fsync(lock)
            try system.close(lock)
            try system.renameAt(root, Self.lockName, root, Self.fileName, true)
        } catch {
            system.closeQuietly(lock)
            try? system.unlinkAt(root, Self.lockName)
            throw DeliveryError("update", Self.fileName, errno: error)
        }
    }

    /// Version 2 files hold levels separated by TAB; version 1 (and a new file) the Maildir++ name with dots.
    static func line(for folder: FolderName, in current: [UInt8]) -> [UInt8] {
        let isVersion2 = current.starts(with: version2Header)
        let levels = folder.levels.map(ModifiedUTF7.encode)
        return Array(levels.joined(separator: isVersion2 ? "\t" : ".").utf8)
    }

    static func lines(of content: [UInt8]) -> [[UInt8]] {
        content.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true).map(Array.init)
    }

    private func acquireLock(in root: CInt) throws(DeliveryError) -> CInt {
        var waited = 0
        while true {
            do {
                return try system.openAt(root, Self.lockName, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0o600)
            } catch .fileExists {
                if isStale(in: root) {
                    try? system.unlinkAt(root, Self.lockName)
                    continue
                }
                guard waited < Self.lockWaitMilliseconds else {
                    throw DeliveryError("lock", Self.lockName, reason: "timed out waiting for the lock")
                }
                system.sleep(50)
                waited += 50
            } catch {
                throw DeliveryError("open", Self.lockName, errno: error)
            }
        }
    }

    private func isStale(in root: CInt) -> Bool {
        guard let status = try? system.statAt(root, Self.lockName) else { return false }
        return system.now().seconds - Int(status.st_mtim.tv_sec) > Self.staleLockSeconds
    }

    private func readCurrent(in root: CInt) throws(Errno) -> [UInt8] {
        let fd: CInt
        do {
            fd = try system.openAt(root, Self.fileName, O_RDONLY | O_NOFOLLOW, 0)
        } catch .noSuchFileOrDirectory {
            return []
        }
        defer { system.closeQuietly(fd) }
        return try system.readAll(fd, limit: Self.maximumFileBytes)
    }
}
