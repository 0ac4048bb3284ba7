import Delivery
import Glibc

/// The environment as roost reads it, captured once (SPEC §1; POSTFIX.md lists what Postfix sets).
struct ProcessEnvironment {
    /// Every variable, for `${HOME}`-style interpolation in rules.
    var all: [String: String]

    var home: String? { Self.nonEmpty(all["HOME"]) }
    /// `SENDER` present but empty means the null sender of a bounce.
    var sender: String? { all["SENDER"] }
    var recipient: String? { Self.nonEmpty(all["RECIPIENT"]) }
    var `extension`: String? { Self.nonEmpty(all["EXTENSION"]) }

    /// Reads the real environment.
    static func current() -> ProcessEnvironment {
        var all: [String: String] = [:]
        var entry = environ
        while let pointer = entry.pointee {
            let text = String(cString: pointer)
            if let equals = text.firstIndex(of: "=") {
                all[String(text[..<equals])] = String(text[text.index(after: equals)...])
            }
            entry += 1
        }
        return ProcessEnvironment(all: all)
    }

    /// Under `--user`, rules and programs see that user's HOME, USER and LOGNAME, not root's.
    mutating func adopt(_ account: UserAccount) {
        all["HOME"] = account.home
        all["USER"] = account.name
        all["LOGNAME"] = account.name
    }

    static func nonEmpty(_ value: String?) -> String? {
        value.flatMap { $0.isEmpty ? nil : $0 }
    }
}
