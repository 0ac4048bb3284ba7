import CRoostSys
import Glibc
import PatternMatching
import RuleEngine
import SystemPackage

/// Keeps the compiled form of each rule file beside it, as `FILE.compiled` (Sieve keeps `.svbin` files the same
/// way): the first delivery after an edit writes it, later ones read it instead of parsing the text and compiling
/// every regex.
///
/// Trust: a compiled file is used only if it is a regular file with one link, owned by the rule file's owner and
/// writable by nobody else, and only if its key names this roost build, this PCRE2 and the very bytes of the rule
/// file just read (see `RuleFileContents.version`). It is written only by that owner, through a temporary file renamed over the old
/// one, so readers see a whole file or none. Every failure here just means compiling in memory: a missing,
/// stale, unreadable or unwritable compiled file never changes a delivery.
struct CompiledRuleStore {
    static let suffix = ".compiled"
    static let maximumBytes = 64 << 20

    let system: System
    /// This build's GNU build ID and the PCRE2 library's version, as numbers; nil (no build ID) turns the store off.
    let build: [UInt64]?

    init(system: System) {
        self.system = system
        build = Self.buildIdentifier()
    }

    /// The compiled form of the rule file at `path`, if one beside it is trustworthy and current.
    func load(beside path: String, for contents: RuleFileContents) -> CompiledRuleFile? {
        guard let key = key(for: contents),
            let fd = try? system.openAt(AT_FDCWD, path + Self.suffix, O_RDONLY | O_NOFOLLOW | O_NONBLOCK, 0)
        else { return nil }
        defer { system.closeQuietly(fd) }
        guard let status = try? system.statAt(fd, ""), status.st_mode & S_IFMT == S_IFREG,
            status.st_uid == contents.owner, status.st_mode & (S_IWGRP | S_IWOTH) == 0, status.st_nlink == 1,
            Int(status.st_size) <= Self.maximumBytes,
            let bytes = try? system.readAll(fd, limit: Self.maximumBytes, size: Int(status.st_size))
        else { return nil }
        return CompiledRuleFile.decode(bytes, key: key)
    }

    /// Writes `compiled` beside `path` when this process owns the rule file; quietly does nothing otherwise.
    func save(_ compiled: CompiledRuleFile, beside path: String, for contents: RuleFileContents) {
        guard contents.owner == system.userID().effective, let key = key(for: contents) else { return }
        let target = path + Self.suffix
        // The temporary file first: where the directory is not writable, no delivery pays for encoding.
        guard let (fd, temporary) = createTemporary(for: target) else { return }
        let written: Bool
        do {
            guard let bytes = compiled.encode(key: key) else { throw Errno.invalidArgument }
            try system.writeAll(fd, bytes)
            try system.close(fd)
            written = true
        } catch {
            system.closeQuietly(fd)
            written = false
        }
        guard written, (try? system.renameAt(AT_FDCWD, temporary, AT_FDCWD, target, true)) != nil else {
            try? system.unlinkAt(AT_FDCWD, temporary)
            return
        }
    }

    /// `FILE.compiled.new`, created exclusively. One name per rule file, so that a delivery killed while writing
    /// leaves at most one behind: a leftover older than a minute is removed and the name taken; a younger one
    /// means another delivery is writing, and this one leaves the saving to it.
    private func createTemporary(for target: String) -> (CInt, String)? {
        let temporary = target + ".new"
        let flags = O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW
        if let fd = try? system.openAt(AT_FDCWD, temporary, flags, 0o600) { return (fd, temporary) }
        guard let status = try? system.statAt(AT_FDCWD, temporary), status.st_mode & S_IFMT == S_IFREG,
            status.st_mtim.tv_sec < system.now().seconds - 60,
            (try? system.unlinkAt(AT_FDCWD, temporary)) != nil,
            let fd = try? system.openAt(AT_FDCWD, temporary, flags, 0o600)
        else { return nil }
        return (fd, temporary)
    }

    private func key(for contents: RuleFileContents) -> [UInt64]? {
        build.map { $0 + contents.version }
    }

    /// The build ID (20 bytes from GNU ld and gold) and PCRE2's version string (libpcre2 is a shared library: an
    /// upgrade may change how patterns compile or what its serialized code means), packed into numbers.
    private static func buildIdentifier() -> [UInt64]? {
        var bytes = [UInt8](repeating: 0, count: 32)
        let length = bytes.withUnsafeMutableBufferPointer { roost_build_id($0.baseAddress, $0.count) }
        guard length > 0 else { return nil }
        let version = Array(Pattern.libraryVersion.utf8.prefix(32))
        let all = bytes + version + [UInt8](repeating: 0, count: 32 - version.count)
        return stride(from: 0, to: all.count, by: 8).map { start in
            all[start..<(start + 8)].reduce(0) { $0 << 8 | UInt64($1) }
        }
    }
}
