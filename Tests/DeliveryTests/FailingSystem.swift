import Glibc
import SystemPackage

@testable import Delivery

/// A system call the tests can make fail.
enum Step: String, CaseIterable, CustomStringConvertible {
    case createTemporary, write, fsyncFile, closeFile, link, fsyncDirectory
    var description: String { rawValue }
}

/// Counts calls so that "the second fsync" or "the first close" can be told apart.
final class CallCounter {
    var counts: [String: Int] = [:]
    func next(_ key: String) -> Int {
        counts[key, default: 0] += 1
        return counts[key, default: 0]
    }
}

extension System {
    /// This system with one step failing with `errno`, as in Postfix's fault switches.
    func failing(_ step: Step, with errno: Errno) -> System {
        var system = self
        let counter = CallCounter()
        switch step {
        case .createTemporary:
            let open = openAt
            system.openAt = { directory, path, flags, mode throws(Errno) in
                if flags & O_EXCL != 0 && counter.next("create") == 1 { throw errno }
                return try open(directory, path, flags, mode)
            }
        case .write:
            let write = self.write
            system.write = { fd, buffer throws(Errno) in
                if counter.next("write") == 1 { throw errno }
                return try write(fd, buffer)
            }
        case .fsyncFile, .fsyncDirectory:
            let fsync = self.fsync
            let failingCall = step == .fsyncFile ? 1 : 2
            system.fsync = { fd throws(Errno) in
                if counter.next("fsync") == failingCall { throw errno }
                try fsync(fd)
            }
        case .closeFile:
            let close = self.close
            system.close = { fd throws(Errno) in
                // The spool is the first descriptor closed; the Maildir's directories close only at the end.
                if counter.next("close") == 1 {
                    try? close(fd)
                    throw errno
                }
                try close(fd)
            }
        case .link:
            let link = linkAt
            system.linkAt = { fromDirectory, from, toDirectory, to throws(Errno) in
                if counter.next("link") == 1 { throw errno }
                try link(fromDirectory, from, toDirectory, to)
            }
        }
        return system
    }
}
