import Glibc
import SystemPackage

/// The one seam between roost and the operating system: every system call the delivery path makes is one of these
/// closures. `.live` calls the kernel; tests derive broken copies (`System.live.failing(.fsync, with: .noSpace)`).
///
/// All paths are relative to a directory descriptor (`openat(2)` and friends), so a Maildir is opened once and a
/// symlink swapped in later cannot redirect a write.
public struct System {
    /// openat(2); `mode` matters only with O_CREAT.
    public var openAt: (_ directory: CInt, _ path: String, _ flags: CInt, _ mode: mode_t) throws(Errno) -> CInt
    /// mkdirat(2).
    public var makeDirectoryAt: (_ directory: CInt, _ path: String, _ mode: mode_t) throws(Errno) -> Void
    /// read(2); 0 at end of input.
    public var read: (_ fd: CInt, _ buffer: UnsafeMutableRawBufferPointer) throws(Errno) -> Int
    /// write(2); may write less than asked.
    public var write: (_ fd: CInt, _ buffer: UnsafeRawBufferPointer) throws(Errno) -> Int
    /// lseek(2) to an absolute offset.
    public var seek: (_ fd: CInt, _ offset: Int) throws(Errno) -> Void
    /// fsync(2), of a file or of a directory.
    public var fsync: (_ fd: CInt) throws(Errno) -> Void
    /// close(2); on NFS it can report a write error that fsync did not.
    public var close: (_ fd: CInt) throws(Errno) -> Void
    /// linkat(2) without AT_SYMLINK_FOLLOW; never replaces an existing name.
    public var linkAt: (_ fromDirectory: CInt, _ from: String, _ toDirectory: CInt, _ to: String) throws(Errno) -> Void
    /// renameat2(2) with RENAME_NOREPLACE when `replace` is false, plain renameat(2) otherwise.
    public var renameAt:
        (_ fromDirectory: CInt, _ from: String, _ toDirectory: CInt, _ to: String, _ replace: Bool) throws(Errno) -> Void
    /// unlinkat(2) of a file.
    public var unlinkAt: (_ directory: CInt, _ path: String) throws(Errno) -> Void
    /// fstatat(2) with AT_SYMLINK_NOFOLLOW, or fstat(2) of `directory` when `path` is empty.
    public var statAt: (_ directory: CInt, _ path: String) throws(Errno) -> stat
    /// clock_gettime(CLOCK_REALTIME) as seconds and microseconds.
    public var now: () -> (seconds: Int, microseconds: Int)
    /// getrandom(2)-quality randomness for unique names.
    public var random: () -> UInt64
    /// getpid(2).
    public var processID: () -> Int32
    /// gethostname(2).
    public var hostName: () -> String
    /// getuid(2), geteuid(2).
    public var userID: () -> (real: uid_t, effective: uid_t)
    /// getgid(2), getegid(2).
    public var groupID: () -> (real: gid_t, effective: gid_t)
    /// getpwnam_r(3) / getpwuid_r(3): nil when there is no such user.
    public var lookUpUser: (_ selector: UserSelector) throws(Errno) -> UserAccount?
    /// initgroups(3), setgid(2), setuid(2) in that order, for `--user`.
    public var becomeUser: (_ user: UserAccount) throws(Errno) -> Void
    /// nanosleep(2), for the waits of lock retries.
    public var sleep: (_ milliseconds: Int) -> Void
    /// pipe2(2) with O_CLOEXEC, so no spawned program inherits either end by accident.
    public var pipe: () throws(Errno) -> (read: CInt, write: CInt)
    /// fcntl(2) F_GETFL then F_SETFL adding O_NONBLOCK, for the parent's ends of a program's pipes.
    public var setNonBlocking: (_ fd: CInt) throws(Errno) -> Void
    /// posix_spawn(3) of `path` (no PATH search, no shell) with exactly `arguments` and `environment` ("NAME=value"),
    /// `standardStreams` dup2'ed onto 0, 1, 2 and every other descriptor closed, in a new process group, with an
    /// empty signal mask and every signal at its default action.
    public var spawn:
        (_ path: String, _ arguments: [String], _ environment: [String], _ standardStreams: [CInt]) throws(Errno)
            -> pid_t
    /// poll(2); returns how many descriptors have events.
    public var poll: (_ descriptors: inout [pollfd], _ timeoutMilliseconds: Int) throws(Errno) -> Int
    /// waitpid(2) for one child; with `block` false (WNOHANG) nil while it still runs, else its raw wait status.
    public var waitProcess: (_ pid: pid_t, _ block: Bool) throws(Errno) -> CInt?
    /// kill(2); a negative pid signals the whole process group.
    public var kill: (_ pid: pid_t, _ signal: CInt) throws(Errno) -> Void
    /// clock_gettime(CLOCK_MONOTONIC) in milliseconds: time limits that setting the clock cannot stretch.
    public var monotonicMilliseconds: () -> Int
    /// flock(2) on an open descriptor (LOCK_EX, LOCK_NB, LOCK_UN).
    public var flock: (_ fd: CInt, _ operation: CInt) throws(Errno) -> Void
}

/// How to find a user in the password database.
public enum UserSelector: Sendable, Equatable {
    case name(String)
    case uid(uid_t)
}

/// The fields of a passwd entry roost uses.
public struct UserAccount: Sendable, Equatable {
    public var name: String
    public var uid: uid_t
    public var gid: gid_t
    public var home: String

    /// Creates an account value.
    public init(name: String, uid: uid_t, gid: gid_t, home: String) {
        self.name = name
        self.uid = uid
        self.gid = gid
        self.home = home
    }
}

extension System {
    /// Writes all of `bytes`, looping over short writes.
    /// - Throws: the errno of the failing write(2).
    public func writeAll(_ fd: CInt, _ bytes: some Collection<UInt8>) throws(Errno) {
        let result: Result<Void, Errno> = bytes.withContiguousStorageIfAvailable { buffer in
            writeAll(fd, UnsafeRawBufferPointer(buffer))
        } ?? Array(bytes).withUnsafeBytes { writeAll(fd, $0) }
        try result.get()
    }

    private func writeAll(_ fd: CInt, _ buffer: UnsafeRawBufferPointer) -> Result<Void, Errno> {
        var offset = 0
        while offset < buffer.count {
            do {
                offset += try write(fd, UnsafeRawBufferPointer(rebasing: buffer[offset...]))
            } catch {
                return .failure(error)
            }
        }
        return .success(())
    }

    /// Reads up to `buffer.count` bytes into the start of `buffer`; 0 at end of file.
    /// - Throws: the errno of the failing read(2).
    public func read(_ fd: CInt, into buffer: inout [UInt8]) throws(Errno) -> Int {
        let result: Result<Int, Errno> = buffer.withUnsafeMutableBytes { raw in
            do throws(Errno) { return .success(try self.read(fd, raw)) } catch { return .failure(error) }
        }
        return try result.get()
    }

    /// One read(2) of at most `count` bytes into a new array, empty at end of input. The storage is not zero-filled
    /// first: the bytes a read does not fill are never touched, and filling a 64 KB buffer for a 10 KB message cost
    /// more than reading it.
    public func read(_ fd: CInt, upTo count: Int) throws(Errno) -> [UInt8] {
        var failure: Errno?
        let bytes = [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            do throws(Errno) {
                initialized = try read(fd, UnsafeMutableRawBufferPointer(buffer))
            } catch {
                failure = error
                initialized = 0
            }
        }
        if let failure { throw failure }
        return bytes
    }

    /// Closes a descriptor whose close result no longer matters (error paths, read-only directories).
    public func closeQuietly(_ fd: CInt) {
        _ = try? close(fd)
    }
}

extension System {
    /// Reads the file at `path` (following symlinks: for files a person names on the command line).
    /// - Throws: the errno of the failing open or read.
    public func readAll(path: String, limit: Int = 16 << 20) throws(Errno) -> [UInt8] {
        let fd = try openAt(AT_FDCWD, path, O_RDONLY | O_NONBLOCK, 0)
        defer { closeQuietly(fd) }
        return try readAll(fd, limit: limit)
    }

    /// Reads a file to its end, at most `limit` bytes. Reads straight into the result, sized by fstat when the
    /// file is regular: a compiled rule file is read on every delivery, and copying it through a buffer as it
    /// grows cost more instructions than decoding it.
    /// - Throws: the errno of the failing read(2), or EFBIG past the limit.
    /// - Parameter size: the file's size if the caller has already looked (saves an fstat per rule file).
    func readAll(_ fd: CInt, limit: Int, size: Int? = nil) throws(Errno) -> [UInt8] {
        let expected = size ?? (try? statAt(fd, "")).map { Int($0.st_size) } ?? 0
        var content: [UInt8] = []
        var capacity = min(max(expected + 1, 16384), limit + 1)
        while true {
            let chunk = try read(fd, upTo: capacity - content.count)
            if chunk.isEmpty { return content }
            if content.isEmpty { content = chunk } else { content += chunk }
            if content.count > limit { throw .fileTooLarge }
            if content.count == capacity { capacity = min(capacity * 2, limit + 1) }
        }
    }
}
