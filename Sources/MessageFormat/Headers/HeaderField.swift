/// One header field: its name, its value as written (unfolded), and its value decoded (SPEC §5.2).
///
/// A header may hold anything, including invalid UTF-8, so the decoded value is kept as bytes: encoded-words
/// become UTF-8 and every other byte stays exactly as written (never U+FFFD). The rule engine matches these
/// bytes with PCRE2's invalid-UTF handling, so 8-bit junk is still matchable byte for byte; `decodedValue` is the
/// same thing as a String for display, with invalid bytes repaired.
public struct HeaderField: Sendable, Equatable {
    /// The name as written; compare it case-insensitively. Empty for a line that is not `Name: value`.
    public let name: String
    /// The value unfolded (each line break before white space removed, the white space kept) and trimmed.
    public let rawValue: [UInt8]
    /// `rawValue` with RFC 2047 encoded-words decoded to UTF-8; every other byte as written.
    public let decodedBytes: [UInt8]
    /// What stood before the value on its line: the name, any white space, the colon and the white space after it.
    let lead: [UInt8]
    /// The white space trimmed from the end of the value.
    let trail: [UInt8]

    /// Creates a field as a rule's `add header` writes it: `Name: value`.
    public init(name: String, rawValue: [UInt8]) {
        self.init(name: name, lead: Array(name.utf8) + Array(": ".utf8), rawValue: rawValue, trail: [])
    }

    init(name: String, lead: [UInt8], rawValue: [UInt8], trail: [UInt8]) {
        self.name = name
        self.lead = lead
        self.rawValue = rawValue
        self.trail = trail
        decodedBytes = EncodedWordDecoder.decode(rawValue)
    }

    /// `decodedBytes` as a String, invalid UTF-8 repaired to U+FFFD: for traces and logs, not for matching.
    public var decodedValue: String { String(decoding: decodedBytes, as: UTF8.self) }

    /// The whole field on one line as written, unfolded, without its line end.
    public var unfoldedLine: [UInt8] { lead + rawValue + trail }

    /// Whether the field has this name, ignoring ASCII case.
    public func hasName(_ other: String) -> Bool {
        guard name.utf8.count == other.utf8.count else { return false }
        var name = name
        var other = other
        return name.withUTF8 { name in other.withUTF8 { name.equalsIgnoringASCIICase($0) } }
    }
}
