import Glibc
import SystemPackage

/// The message as it arrives, written straight into the root Maildir's tmp/ (SPEC §4 step 1), so memory never grows
/// with the message. Every stored copy is a hard link to (or, across file systems, a copy of) this file.
///
/// Removed from tmp/ when the delivery ends, published or not; if roost is killed first, it stays there as the
/// orphan the Maildir spec lets readers clean after 36 hours.
public final class SpoolFile {
    let maildir: MaildirDirectory
    let name: String
    private let system: System
    private var fd: CInt?
    private var removed = false
    public private(set) var byteCount = 0

    /// Creates the file with O_CREAT|O_EXCL|O_NOFOLLOW, mode 0600.
    /// - Throws: `DeliveryError` (75) when tmp/ does not take it.
    init(in maildir: MaildirDirectory, name: String, system: System) throws(DeliveryError) {
        self.maildir = maildir
        self.name = name
        self.system = system
        do {
            fd = try system.openAt(maildir.tmp, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0o600)
        } catch {
            throw DeliveryError("open", maildir.relative("tmp", name), errno: error)
        }
    }

    deinit { remove() }

    /// Appends normalized message bytes.
    /// - Throws: `DeliveryError` on ENOSPC, EDQUOT, EFBIG (RLIMIT_FSIZE), EIO…
    public func append(_ bytes: [UInt8]) throws(DeliveryError) {
        guard let fd, !bytes.isEmpty else { return }
        do {
            try system.writeAll(fd, bytes)
        } catch {
            throw DeliveryError("write", maildir.relative("tmp", name), errno: error)
        }
        byteCount += bytes.count
    }

    /// Appends the bytes of another, sealed spool from `offset` on, in bounded chunks: the body of an edited message.
    /// - Throws: `DeliveryError` from reading the source or writing this file.
    func appendContents(of source: SpoolFile, from offset: Int) throws(DeliveryError) {
        let path = source.maildir.relative("tmp", source.name)
        let input = try source.openForReading()
        do {
            try system.seek(input, offset)
        } catch {
            system.closeQuietly(input)
            throw DeliveryError("seek", path, errno: error)
        }
        defer { system.closeQuietly(input) }
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count: Int
            do { count = try system.read(input, into: &buffer) } catch { throw DeliveryError("read", path, errno: error) }
            if count == 0 { return }
            try append(Array(buffer[..<count]))
        }
    }

    /// The open descriptor while the spool is being written: a `filter` program's stdout goes straight into it.
    var writableDescriptor: CInt? { fd }

    /// Opens the spool's bytes for reading, from the start.
    /// - Throws: `DeliveryError` when tmp/ refuses.
    func openForReading() throws(DeliveryError) -> CInt {
        do {
            return try system.openAt(maildir.tmp, name, O_RDONLY | O_NOFOLLOW, 0)
        } catch {
            throw DeliveryError("open", maildir.relative("tmp", name), errno: error)
        }
    }

    /// fsync and close: maildir(5) counts a message as written only when both succeeded (on NFS, close can fail
    /// after a good fsync).
    /// - Throws: `DeliveryError` when either fails.
    public func seal() throws(DeliveryError) {
        guard let fd else { return }
        self.fd = nil
        do {
            try system.fsync(fd)
        } catch {
            system.closeQuietly(fd)
            throw DeliveryError("fsync", maildir.relative("tmp", name), errno: error)
        }
        do {
            try system.close(fd)
        } catch {
            throw DeliveryError("close", maildir.relative("tmp", name), errno: error)
        }
    }

    /// Unlinks the file from tmp/; the published links in new/ or cur/ keep the data.
    public func remove() {
        if let fd { system.closeQuietly(fd) }
        fd = nil
        guard !removed else { return }
        removed = true
        try? system.unlinkAt(maildir.tmp, name)
    }
}
