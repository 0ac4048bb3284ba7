/// One logfmt line about one message (SPEC §7): `key=value` pairs in a fixed order, like Postfix's own logs.
public struct LogRecord: Equatable, Sendable {
    /// Keys in the order they are written; a key never set is left out.
    static let keyOrder = [
        "msgid", "from", "to", "size", "rule", "action", "folder", "file", "status", "reason", "error", "note",
    ]
    /// Values from a message (a Message-ID, a sender) are attacker-controlled; a log line stays a line.
    static let maximumValueLength = 256

    private(set) var fields: [String: String] = [:]

    /// Whether this records a failure (`status=` other than `sent`).
    public var isError: Bool { fields["status"].map { $0 != "sent" } ?? false }

    /// Creates an empty record.
    public init() {}

    /// Sets a key; nil removes it.
    public subscript(key: String) -> String? {
        get { fields[key] }
        set {
            assert(Self.keyOrder.contains(key), "unknown log key \(key)")
            fields[key] = newValue
        }
    }

    /// The logfmt text: values quoted when they hold spaces, quotes or `=`; control characters escaped.
    public var line: String {
        Self.keyOrder.compactMap { key in fields[key].map { "\(key)=\(Self.quote($0))" } }.joined(by: " ")
    }

    static func quote(_ value: String) -> String {
        // Most values (a folder, a size, a file name) need nothing; looking at their bytes is much cheaper than
        // rebuilding them scalar by scalar, which every delivery's log line did.
        if !value.isEmpty && value.utf8.count <= maximumValueLength && !value.utf8.contains(where: isSpecial) {
            return value
        }
        var escaped = ""
        var needsQuotes = value.isEmpty
        for scalar in value.unicodeScalars.prefix(maximumValueLength) {
            switch scalar {
            case "\"", "\\":
                escaped += "\\" + String(scalar)
                needsQuotes = true
            case " ", "=": escaped.unicodeScalars.append(scalar); needsQuotes = true
            case _ where scalar.value < 0x20 || scalar.value == 0x7F:
                escaped += "\\x" + (scalar.value < 0x10 ? "0" : "") + String(scalar.value, radix: 16)
                needsQuotes = true
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        if value.unicodeScalars.count > maximumValueLength { escaped += "..." }
        return needsQuotes ? "\"\(escaped)\"" : escaped
    }

    /// A byte that makes a value need quotes or an escape.
    private static func isSpecial(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte == 0x7F || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\")
            || byte == UInt8(ascii: " ") || byte == UInt8(ascii: "=")
    }
}
