/// A message's (or a MIME part's) header section as fields in order (SPEC §5.2, RFC 5322 §2.2).
///
/// Parsing never fails: bare CR, NUL, 8-bit bytes, invalid UTF-8, lines without a colon and continuation lines
/// at the very start are all kept, each line that is not `Name: value` as a field with an empty name.
public struct HeaderBlock: Sendable, Equatable {
    /// Every field in order, including repeated ones. A rule's `add header`/`remove header` edits this.
    public var fields: [HeaderField]
    /// Whether `MessageLimits` cut the block short: bytes or fields past the limits were not parsed.
    public let isTruncated: Bool

    /// Parses a header section (LF line ends; a terminating empty line, if present, ends it).
    public init(parsing bytes: [UInt8], limits: MessageLimits) {
        var parser = HeaderParser(bytes: bytes, limits: limits)
        fields = parser.parseFields()
        isTruncated = parser.isTruncated
    }

    /// Creates a block from fields.
    public init(fields: [HeaderField]) {
        self.fields = fields
        isTruncated = false
    }

    /// The fields with this name in any ASCII case, in order.
    public func fields(named name: String) -> [HeaderField] {
        fields.filter { $0.hasName(name) }
    }

    /// The first Message-ID field's value as written: the log's `msgid`, the duplicate store's key.
    public var messageID: [UInt8]? { firstField(named: "Message-ID")?.rawValue }

    /// The first field with this name in any ASCII case.
    func firstField(named name: String) -> HeaderField? {
        fields.first { $0.hasName(name) }
    }

    /// The whole block unfolded, one field per line, each ending in LF: what `headers ~ /re/` matches.
    public var unfoldedText: [UInt8] {
        var text: [UInt8] = []
        text.reserveCapacity(fields.reduce(0) { $0 + $1.lead.count + $1.rawValue.count + $1.trail.count + 1 })
        for field in fields {
            text += field.lead
            text += field.rawValue
            text += field.trail
            text.append(.lineFeed)
        }
        return text
    }
}
