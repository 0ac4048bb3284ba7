import CRoostSys
import Glibc
import SystemPackage

extension System {
    /// The real system calls. EINTR is retried here and nowhere else.
    public static var live: System {
        System(
        openAt: { directory, path, flags, mode throws(Errno) in
            try retrying { openat(directory, path, flags | O_CLOEXEC, mode) }
        },
        makeDirectoryAt: { directory, path, mode throws(Errno) in
            _ = try retrying { mkdirat(directory, path, mode) }
        },
        read: { fd, buffer throws(Errno) in
            try retrying { Glibc.read(fd, buffer.baseAddress, buffer.count) }
        },
        write: { fd, buffer throws(Errno) in
            try retrying { Glibc.write(fd, buffer.baseAddress, buffer.count) }
        },
        seek: { fd, offset throws(Errno) in _ = try retrying { lseek(fd, off_t(offset), SEEK_SET) } },
        fsync: { fd throws(Errno) in _ = try retrying { Glibc.fsync(fd) } },
        // close(2) is not retried on EINTR: on Linux the descriptor is gone either way.
        close: { fd throws(Errno) in
            if Glibc.close(fd) != 0 { throw Errno(rawValue: errno) }
        },
        linkAt: { fromDirectory, from, toDirectory, to throws(Errno) in
            _ = try retrying { linkat(fromDirectory, from, toDirectory, to, 0) }
        },
        renameAt: { fromDirectory, from, toDirectory, to, replace throws(Errno) in
            _ = try retrying {
                replace
                    ? renameat(fromDirectory, from, toDirectory, to)
                    : roost_renameat2(fromDirectory, from, toDirectory, to, ROOST_RENAME_NOREPLACE)
            }
        },
        unlinkAt: { directory, path throws(Errno) in _ = try retrying { unlinkat(directory, path, 0) } },
        statAt: { directory, path throws(Errno) in
            var status = stat()
            _ = try retrying {
                path.isEmpty ? fstat(directory, &status) : fstatat(directory, path, &status, AT_SYMLINK_NOFOLLOW)
            }
            return status
        },
        now: {
            var time = timespec()
            clock_gettime(CLOCK_REALTIME, &time)
            return (Int(time.tv_sec), Int(time.tv_nsec / 1000))
        },
        random: { UInt64.random(in: 0...UInt64.max) },
        processID: { getpid() },
        hostName: {
            var buffer = [CChar](repeating: 0, count: 256)
            guard gethostname(&buffer, buffer.count - 1) == 0 else { return "localhost" }
            return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        },
        userID: { (getuid(), geteuid()) },
        groupID: { (getgid(), getegid()) },
        lookUpUser: { selector throws(Errno) in try PasswordDatabase.lookUp(selector) },
        becomeUser: { user throws(Errno) in
            guard initgroups(user.name, user.gid) == 0 else { throw Errno(rawValue: errno) }
            guard setgid(user.gid) == 0 else { throw Errno(rawValue: errno) }
            guard setuid(user.uid) == 0 else { throw Errno(rawValue: errno) }
        },
        sleep: { milliseconds in
            var request = timespec(tv_sec: milliseconds / 1000, tv_nsec: (milliseconds % 1000) * 1_000_000)
            _ = nanosleep(&request, nil)
        },
        pipe: { () throws(Errno) in
            var ends: [CInt] = [-1, -1]
            _ = try retrying { roost_pipe2(&ends, O_CLOEXEC) }
            return (ends[0], ends[1])
        },
        setNonBlocking: { fd throws(Errno) in
            let flags = try retrying { fcntl(fd, F_GETFL) }
            _ = try retrying { fcntl(fd, F_SETFL, flags | O_NONBLOCK) }
        },
        spawn: { path, arguments, environment, standardStreams throws(Errno) in
            try liveSpawn(path, arguments, environment, standardStreams)
        },
        poll: { descriptors, timeout throws(Errno) in
            Int(try retrying { Glibc.poll(&descriptors, nfds_t(descriptors.count), CInt(clamping: timeout)) })
        },
        waitProcess: { pid, block throws(Errno) in
            var status: CInt = 0
            let waited = try retrying { waitpid(pid, &status, block ? 0 : WNOHANG) }
            return waited == 0 ? nil : status
        },
        kill: { pid, signal throws(Errno) in _ = try retrying { Glibc.kill(pid, signal) } },
        monotonicMilliseconds: {
            var time = timespec()
            clock_gettime(CLOCK_MONOTONIC, &time)
            return Int(time.tv_sec) * 1000 + Int(time.tv_nsec) / 1_000_000
        },
        flock: { fd, operation throws(Errno) in _ = try retrying { lockFile(fd, operation) } }
        )
    }
}

/// Runs a call that reports failure as -1 and errno, again while it says EINTR.
private func retrying<T: BinaryInteger>(_ call: () -> T) throws(Errno) -> T {
    while true {
        let result = call()
        if result >= 0 { return result }
        guard errno == EINTR else { throw Errno(rawValue: errno) }
    }
}

/// flock(2). Out here, because in `System` the name means the seam member and `Glibc.flock` the struct of fcntl(2).
private func lockFile(_ fd: CInt, _ operation: CInt) -> CInt {
    flock(fd, operation)
}

/// getpwnam_r(3)/getpwuid_r(3) with a growing buffer.
private enum PasswordDatabase {
    static func lookUp(_ selector: UserSelector) throws(Errno) -> UserAccount? {
        var entry = passwd()
        var result: UnsafeMutablePointer<passwd>?
        var size = 1024
        while size <= 1 << 20 {
            var buffer = [CChar](repeating: 0, count: size)
            let status: CInt =
                switch selector {
                case .name(let name): getpwnam_r(name, &entry, &buffer, buffer.count, &result)
                case .uid(let uid): getpwuid_r(uid, &entry, &buffer, buffer.count, &result)
                }
            if status == ERANGE {
                size *= 4
                continue
            }
            // getpwnam_r(3): "not found" is 0 with no result, or ENOENT/ESRCH on some systems. Anything else (EIO,
            // EPERM from an unreachable directory service) is a failure to look up, which must defer, not bounce.
            if status == 0 && result == nil || [ENOENT, ESRCH].contains(status) { return nil }
            guard status == 0 else { throw Errno(rawValue: status) }
            return UserAccount(
                name: String(cString: entry.pw_name), uid: entry.pw_uid, gid: entry.pw_gid,
                home: String(cString: entry.pw_dir))
        }
        throw Errno.noMemory
    }
}
