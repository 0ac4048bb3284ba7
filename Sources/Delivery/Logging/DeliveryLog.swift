import CRoostSys
import Glibc
import SystemPackage

/// Where log lines go: syslog (facility mail, ident roost) and, when the rules set `logfile`, that file (SPEC §7).
public struct DeliveryLog {
    /// Receives each finished line with its syslog priority; `.live` is syslog(3).
    public var syslog: (_ priority: CInt, _ line: String) -> Void
    private let system: System
    private var logfile: CInt?
    /// `--verbose`: each line is also written to stderr, prefixed `roost:` so that none can pass for a status code.
    public var echoesToStandardError = false

    /// A log writing to syslog only, until `open(logfile:)`.
    public init(system: System, syslog: @escaping (_ priority: CInt, _ line: String) -> Void = Self.liveSyslog) {
        self.system = system
        self.syslog = syslog
    }

    /// syslog(3) through the C shim.
    public static func liveSyslog(_ priority: CInt, _ line: String) { roost_syslog(priority, line) }

    /// Also appends to `path` (created 0600, never through a symlink).
    /// - Throws: `DeliveryError` when the file cannot be opened; the caller logs that to syslog and goes on.
    public mutating func open(logfile path: String) throws(DeliveryError) {
        do {
            logfile = try system.openAt(AT_FDCWD, path, O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW, 0o600)
        } catch {
            throw DeliveryError("open", path, errno: error)
        }
    }

    /// Writes one record: LOG_INFO for deliveries, LOG_ERR for failures.
    public func write(_ record: LogRecord) {
        let line = record.line
        syslog(record.isError ? LOG_ERR : LOG_INFO, line)
        if echoesToStandardError { try? system.writeAll(STDERR_FILENO, Array("roost: \(line)\n".utf8)) }
        guard let logfile else { return }
        // One write(2) per line with O_APPEND: lines of concurrent deliveries never interleave.
        let stamped = "\(Self.timestamp(system.now().seconds)) roost[\(system.processID())]: \(line)\n"
        try? system.writeAll(logfile, Array(stamped.utf8))
    }

    /// RFC 3339 UTC time, made by hand: Foundation's formatters cost milliseconds of start-up (PLATFORM.md §6).
    static func timestamp(_ seconds: Int) -> String {
        var time = time_t(seconds)
        var parts = tm()
        gmtime_r(&time, &parts)
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))T"
            + "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec))Z"
    }
}
