import Glibc
import SystemPackage

/// The names in a directory, for reading a Maildir's new/ and cur/.
///
/// readdir(3) is the one call `roost test` makes outside `System`: no delivery lists a directory, and a test
/// reads real temporary Maildirs. It works on its own descriptor, so the caller's stays open and unmoved.
enum DirectoryListing {
    /// Every name in the directory open as `fd`, `.` and `..` left out, in no particular order.
    /// - Throws: the errno of the failing openat(2), fdopendir(3) or readdir(3).
    static func names(in fd: CInt) throws(Errno) -> [String] {
        let own = openat(fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard own >= 0 else { throw Errno(rawValue: errno) }
        guard let directory = fdopendir(own) else {
            let error = Errno(rawValue: errno)
            close(own)
            throw error
        }
        defer { closedir(directory) }
        var names: [String] = []
        while true {
            errno = 0
            guard let entry = readdir(directory) else {
                if errno != 0 { throw Errno(rawValue: errno) }
                return names
            }
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
    }
}
