import Glibc
import SystemPackage

/// The per-user store behind the `duplicate` test (SPEC §5.2): which Message-IDs (or header-block hashes) were
/// delivered in the last days. Default place: `$HOME/.roost/duplicates`, its directory created 0700.
///
/// - Readers take no lock: a writer replaces the file with rename(2), so a reader sees the old or the new file,
///   whole. Writers take flock(2) on `<path>.lock`, so 8 concurrent deliveries add their IDs one after another and
///   none is lost. flock is enough for a per-user file on a local disk; on NFS, Linux maps it to fcntl locks,
///   which work only as well as the server's lock manager does.
/// - A crash mid-update leaves at most a stray `<path>.new`; the store itself is the old file or the new one.
/// - A damaged file counts as empty and is rewritten on the next record: forgetting IDs is the safe failure, since
///   the worst outcome is a duplicate delivered, never a message discarded.
///
/// Recording happens only after a durable delivery, and that is the caller's job (issue 6: a delivery that ended
/// in 75 and is retried must not find itself recorded).
public struct DuplicateStore {
    /// The store file's absolute path.
    public let path: String
    private let system: System
    /// At most this many entries are kept; the oldest go first.
    var maximumEntries = 10_000
    /// How long a writer waits for the lock before giving up (the delivery itself is done by then).
    var lockWaitMilliseconds = 10_000
    /// A larger file is not one roost wrote (10 000 entries take about 280 KB): it counts as damaged.
    static let maximumFileSize = 1 << 20
    /// `duplicatedays` beyond a century is a century, so days × 86 400 cannot overflow.
    static let maximumDays = 36_500

    /// A store at `path`, which must be absolute (roost never writes relative to Postfix's working directory).
    public init(path: String, system: System) {
        self.path = path
        self.system = system
    }

    /// Whether `id` was recorded within the last `days` days. A missing or damaged store contains nothing.
    /// - Throws: `DeliveryError` when the store cannot be read (EACCES, EIO, a symlink); the caller then treats the
    ///   message as new, so it is delivered.
    public func contains(_ id: [UInt8], withinDays days: Int) throws(DeliveryError) -> Bool {
        guard days > 0, let directory = try openDirectory(create: false) else { return false }
        defer { system.closeQuietly(directory) }
        guard let table = try load(in: directory) else { return false }
        return table.contains(id, since: system.now().seconds - min(days, Self.maximumDays) * 86_400)
    }

    /// Records `id` as delivered now, dropping entries older than `days` days (`duplicatedays`, 7 by default) and
    /// the oldest beyond the size bound.
    /// - Throws: `DeliveryError` when the store cannot be written or its lock is held too long. The message is
    ///   delivered by then: log it, and exit 0 all the same.
    public func record(_ id: [UInt8], keepingDays days: Int = 7) throws(DeliveryError) {
        guard let directory = try openDirectory(create: true) else {
            throw DeliveryError("open", path, errno: .noSuchFileOrDirectory)
        }
        defer { system.closeQuietly(directory) }
        let lock = try acquireLock(in: directory)
        defer { system.closeQuietly(lock) }  // closing the last descriptor releases the flock
        var table = try load(in: directory) ?? DuplicateTable(key: (system.random(), system.random()))
        let now = system.now().seconds
        let cutoff = now - min(max(days, 0), Self.maximumDays) * 86_400
        table.record(id, at: now, droppingBefore: cutoff, maximumEntries: maximumEntries)
        try save(table, in: directory)
    }

    /// The directory and the file name within it.
    private var location: (directory: String, name: String)? {
        guard path.hasPrefix("/"), let slash = path.lastIndex(of: "/") else { return nil }
        let name = String(path[path.index(after: slash)...])
        guard !name.isEmpty, name != ".", name != ".." else { return nil }
        return (slash == path.startIndex ? "/" : String(path[..<slash]), name)
    }

    private var name: String { location?.name ?? "" }

    /// Opens the store's directory, creating it (0700, only the last level) for a writer; nil if it is missing.
    private func openDirectory(create: Bool) throws(DeliveryError) -> CInt? {
        guard let location else { throw DeliveryError("open", path, reason: "not an absolute file path") }
        if create {
            do { try system.makeDirectoryAt(AT_FDCWD, location.directory, 0o700) } catch .fileExists {} catch {
                throw DeliveryError("mkdir", location.directory, errno: error)
            }
        }
        do {
            return try system.openAt(AT_FDCWD, location.directory, O_RDONLY | O_DIRECTORY, 0)
        } catch .noSuchFileOrDirectory where !create {
            return nil
        } catch {
            throw DeliveryError("open", location.directory, errno: error)
        }
    }

    /// flock(LOCK_EX) on `<name>.lock`, retried without blocking so a stuck holder costs a bounded wait. The lock
    /// file stays: removing it would let two writers lock two different files.
    private func acquireLock(in directory: CInt) throws(DeliveryError) -> CInt {
        let lockName = name + ".lock"
        let fd: CInt
        do { fd = try system.openAt(directory, lockName, O_RDWR | O_CREAT | O_NOFOLLOW, 0o600) } catch {
            throw DeliveryError("open", path + ".lock", errno: error)
        }
        let giveUp = system.monotonicMilliseconds() + lockWaitMilliseconds
        var pause = 1
        while true {
            do {
                try system.flock(fd, LOCK_EX | LOCK_NB)
                return fd
            } catch .wouldBlock where system.monotonicMilliseconds() < giveUp {
                system.sleep(pause)
                pause = min(pause * 2, 50)
            } catch {
                system.closeQuietly(fd)
                throw DeliveryError("flock", path + ".lock", errno: error)
            }
        }
    }

    /// The table in the file; nil when there is no file or it is not a store.
    private func load(in directory: CInt) throws(DeliveryError) -> DuplicateTable? {
        let fd: CInt
        do { fd = try system.openAt(directory, name, O_RDONLY | O_NOFOLLOW, 0) } catch .noSuchFileOrDirectory {
            return nil
        } catch {
            throw DeliveryError("open", path, errno: error)
        }
        defer { system.closeQuietly(fd) }
        do {
            return DuplicateTable(parsing: try system.readAll(fd, limit: Self.maximumFileSize))
        } catch .fileTooLarge {
            return nil  // not a file roost wrote: damaged, counts as empty
        } catch {
            throw DeliveryError("read", path, errno: error)
        }
    }

    /// Replaces the file: write `<name>.new`, fsync, rename over the store. The fsync comes first so that after a
    /// crash the name never points at a file whose data did not reach the disk. The directory is not synced: if
    /// the rename is lost, the store is the previous one, which is only an ID forgotten.
    private func save(_ table: DuplicateTable, in directory: CInt) throws(DeliveryError) {
        let temporary = name + ".new"
        do { try writeSynced(table.serialized(), to: temporary, in: directory) } catch {
            try? system.unlinkAt(directory, temporary)
            throw DeliveryError("write", path + ".new", errno: error)
        }
        do { try system.renameAt(directory, temporary, directory, name, true) } catch {
            try? system.unlinkAt(directory, temporary)
            throw DeliveryError("rename", path, errno: error)
        }
    }

    /// Creates (or truncates: under the lock, a `.new` left by a crash is ours) `name`, writes, fsyncs and closes.
    private func writeSynced(_ bytes: [UInt8], to name: String, in directory: CInt) throws(Errno) {
        let fd = try system.openAt(directory, name, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW, 0o600)
        do throws(Errno) {
            try system.writeAll(fd, bytes)
            try system.fsync(fd)
        } catch {
            system.closeQuietly(fd)
            throw error
        }
        try system.close(fd)
    }
}
