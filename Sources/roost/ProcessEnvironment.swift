import Glibc

/// The environment variables roost reads, captured once (SPEC §1; POSTFIX.md lists what Postfix sets).
struct ProcessEnvironment {
    var home: String?
    var sender: String?
    var recipient: String?
    var `extension`: String?

    /// Reads the real environment. `SENDER` present but empty means the null sender of a bounce.
    static func current() -> ProcessEnvironment {
        ProcessEnvironment(
            home: nonEmpty(value("HOME")), sender: value("SENDER"), recipient: nonEmpty(value("RECIPIENT")),
            extension: nonEmpty(value("EXTENSION")))
    }

    private static func value(_ name: String) -> String? {
        getenv(name).map { String(cString: $0) }
    }

    static func nonEmpty(_ value: String?) -> String? {
        value.flatMap { $0.isEmpty ? nil : $0 }
    }
}
