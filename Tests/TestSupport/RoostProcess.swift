import Foundation

/// What a run of the built `roost` binary did.
public struct RoostResult {
    /// The exit status, or nil when a signal ended the process.
    public var status: Int32?
    /// The signal that ended it, if any.
    public var signal: Int32?
    public var stdout: String
    public var stderr: String
}

/// Runs the real binary, as Postfix would, and as an unprivileged user when the tests run as root.
public enum RoostProcess {
    /// The `roost` built beside this test bundle (or `$ROOST_BINARY`).
    public static var binary: String {
        if let path = ProcessInfo.processInfo.environment["ROOST_BINARY"] { return path }
        let me = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? ""
        return URL(fileURLWithPath: me).deletingLastPathComponent().appendingPathComponent("roost").path
    }

    /// Whether the tests run as root (CI does); then deliveries use `--user` with `TestUser.name`.
    public static var isRoot: Bool { geteuid() == 0 }

    /// Starts roost with `arguments`, stdin from the file `input` (or /dev/null), and Postfix's environment.
    public static func start(_ arguments: [String], input: String?, environment: [String: String]) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        process.environment = environment
        process.currentDirectoryURL = URL(fileURLWithPath: "/")
        process.standardInput = FileHandle(forReadingAtPath: input ?? "/dev/null")
        try process.run()
        return process
    }

    /// Runs roost to its end and collects its output (through files, so a large output cannot block it).
    public static func run(
        _ arguments: [String], input: String? = nil, environment: [String: String] = [:], executable: String? = nil
    ) throws -> RoostResult {
        let out = TemporaryDirectory("roost-out")
        let stdoutPath = out.write([], to: "stdout")
        let stderrPath = out.write([], to: "stderr")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable ?? binary)
        process.arguments = arguments
        process.environment = environment
        process.currentDirectoryURL = URL(fileURLWithPath: "/")
        process.standardInput = FileHandle(forReadingAtPath: input ?? "/dev/null")
        process.standardOutput = FileHandle(forWritingAtPath: stdoutPath)
        process.standardError = FileHandle(forWritingAtPath: stderrPath)
        try process.run()
        process.waitUntilExit()
        let signaled = process.terminationReason == .uncaughtSignal
        return RoostResult(
            status: signaled ? nil : process.terminationStatus, signal: signaled ? process.terminationStatus : nil,
            stdout: String(decoding: out.read("stdout"), as: UTF8.self),
            stderr: String(decoding: out.read("stderr"), as: UTF8.self))
    }
}

/// The unprivileged account deliveries run as when the tests run as root.
public enum TestUser {
    public static let name = "roost-test"
    /// A second account with a real home, for what lives there (the duplicate store).
    public static let homeName = "roost-test-home"
    public static let home = "/var/tmp/roost-test-home"

    /// Creates the account with a home if it is missing; its home is emptied of roost's state first.
    public static func ensureWithHome() {
        guard RoostProcess.isRoot else { return }
        if getpwnam(homeName) == nil {
            let add = Process()
            add.executableURL = URL(fileURLWithPath: "/usr/sbin/useradd")
            add.arguments = ["--system", "--home-dir", home, "--shell", "/usr/sbin/nologin", homeName]
            try? add.run()
            add.waitUntilExit()
        }
        try? FileManager.default.removeItem(atPath: home)
        mkdir(home, 0o755)
        if let entry = getpwnam(homeName) { chown(home, entry.pointee.pw_uid, entry.pointee.pw_gid) }
    }

    /// Creates the account if it is missing; returns its uid and gid (the caller's own when not root).
    @discardableResult
    public static func ensure() -> (uid: uid_t, gid: gid_t) {
        guard RoostProcess.isRoot else { return (getuid(), getgid()) }
        if getpwnam(name) == nil {
            let add = Process()
            add.executableURL = URL(fileURLWithPath: "/usr/sbin/useradd")
            add.arguments = ["--system", "--no-create-home", "--home-dir", "/nonexistent", "--shell", "/usr/sbin/nologin", name]
            try? add.run()
            add.waitUntilExit()
        }
        guard let entry = getpwnam(name) else { return (getuid(), getgid()) }
        return (entry.pointee.pw_uid, entry.pointee.pw_gid)
    }

    /// `--user NAME` when root, nothing otherwise.
    public static var arguments: [String] { RoostProcess.isRoot ? ["--user", name] : [] }

    /// Hands a directory to the delivery user.
    public static func own(_ path: String) {
        let (uid, gid) = ensure()
        chown(path, uid, gid)
    }
}
