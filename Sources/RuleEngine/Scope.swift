import MaildirLayout
import RuleLanguage

/// The captures of the last successful regex test of a condition, visible inside its block (SPEC §5.4).
struct Captures: Equatable, Sendable {
    /// `$0`…`$9`; nil for a group that did not take part.
    var numbered: [String?] = []
    /// Named groups.
    var named: [String: String] = [:]

    /// Later matches win for numbered groups; named groups of earlier tests stay unless renamed.
    mutating func merge(_ other: Captures) {
        numbered = other.numbered
        named.merge(other.named) { _, new in new }
    }
}

/// Variables, captures and the environment, and interpolation of strings with them (SPEC §5.4).
struct Scope {
    var variables: [String: String]
    let environment: [String: String]
    var captures = Captures()

    /// The value of `$name`: a named capture, else a `set` variable, else the environment, else empty.
    func value(of name: String) -> String {
        captures.named[name] ?? variables[name] ?? environment[name] ?? ""
    }

    /// A string with every interpolation filled in as it is.
    func interpolate(_ parts: [StringPart]) -> String {
        interpolate(parts) { $0 }
    }

    /// A folder name: each interpolated value becomes exactly one level part (`/` and `.` → `_`, control
    /// characters dropped), so no value can add a level or climb out of the Maildir.
    func interpolateFolder(_ parts: [StringPart]) -> String {
        interpolate(parts, InterpolatedLevel.sanitize)
    }

    /// A header value: line breaks in interpolated values become spaces, so no value can start a new header.
    func interpolateHeaderValue(_ parts: [StringPart]) -> String {
        interpolate(parts) { value in
            String(value.unicodeScalars.map { $0 == "\r" || $0 == "\n" ? " " : Character($0) })
        }
    }

    private func interpolate(_ parts: [StringPart], _ transform: (String) -> String) -> String {
        var result = ""
        for part in parts {
            switch part {
            case .literal(let text): result += text
            case .capture(let number, _):
                let value = number < captures.numbered.count ? captures.numbered[number] : nil
                result += transform(value ?? "")
            case .variable(let name, _): result += transform(value(of: name))
            }
        }
        return result
    }
}
