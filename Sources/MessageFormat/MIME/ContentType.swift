/// A Content-Type value (RFC 2045 §5.1): media type, subtype and parameters.
struct ContentType: Equatable {
    /// The media type in lower case: `text`, `multipart`, `message`, ...
    let type: String
    /// The subtype in lower case: `plain`, `mixed`, `rfc822`, ...
    let subtype: String
    /// Parameters by lower-case name, values with quoting and RFC 2231 encodings undone (`MIMEParameters`).
    let parameters: [String: [UInt8]]

    /// Parses a raw (undecoded) value; nil when it names no `type/subtype`, which RFC 2045 §5.2 reads as
    /// `text/plain; charset=us-ascii`.
    init?(parsing value: [UInt8]) {
        var cursor = ByteCursor(value)
        cursor.skipCFWS()
        let type = cursor.read(until: Self.endsToken)
        cursor.skipCFWS()
        guard !type.isEmpty, cursor.peek() == UInt8(ascii: "/") else { return nil }
        cursor.advance()
        cursor.skipCFWS()
        let subtype = cursor.read(until: Self.endsToken)
        guard !subtype.isEmpty else { return nil }
        self.type = type.asciiLowercasedString
        self.subtype = subtype.asciiLowercasedString
        parameters = MIMEParameters.parse(&cursor)
    }

    /// The `charset` parameter, if any.
    var charset: [UInt8]? { parameters["charset"] }

    /// The `boundary` parameter, if any and not empty.
    var boundary: [UInt8]? { parameters["boundary"].flatMap { $0.isEmpty ? nil : $0 } }

    /// RFC 2045 §5.1: a token ends at white space, a control character or one of the tspecials.
    static func endsToken(_ byte: UInt8) -> Bool {
        switch byte {
        case 0...0x20, 0x7F: true
        case UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "@"),
            UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: ":"), .backslash, .quote, UInt8(ascii: "/"),
            UInt8(ascii: "["), UInt8(ascii: "]"), .question, .equals:
            true
        default: false
        }
    }
}
