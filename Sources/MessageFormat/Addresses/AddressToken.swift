/// The lexical pieces of an address list (RFC 5322 §3.2, §3.4), read from the raw, undecoded value.
enum AddressToken: Equatable {
    /// An atom, a quoted string or a domain literal, as written (quotes and brackets kept). 8-bit bytes and
    /// other odd characters count as atom text (RFC 6532 allows UTF-8 there).
    case word(ArraySlice<UInt8>)
    case dot, at, comma, colon, semicolon, open, close
    /// White space or comments, which separate words and are otherwise dropped.
    case gap

    /// The tokens of a raw value; never fails (an unclosed quote, comment or literal runs to the end).
    static func tokens(of value: [UInt8]) -> [AddressToken] {
        var tokens: [AddressToken] = []
        var cursor = ByteCursor(value)
        while let byte = cursor.peek() {
            if let special = special(byte) {
                tokens.append(special)
                cursor.advance()
                continue
            }
            if byte == UInt8(ascii: "(") || byte.isTrimmable {
                cursor.skipCFWS()
                if tokens.last != .gap { tokens.append(.gap) }
                continue
            }
            switch byte {
            case UInt8(ascii: ")"), UInt8(ascii: "]"):
                cursor.advance()  // stray closers: noise
            case .quote: tokens.append(.word(withoutLineBreaks(cursor.readQuotedString().written)))
            case UInt8(ascii: "["): tokens.append(.word(withoutLineBreaks(cursor.readDomainLiteral())))
            default: tokens.append(.word(cursor.read(until: endsAtom)))
            }
        }
        return tokens
    }

    /// A quoted string or domain literal without its CR and LF bytes. Inside one they can only be the line break of
    /// folding white space (RFC 5322 §3.2.2), which unfolding removes, or junk (a bare CR, an unclosed quote running
    /// past a line end); either way an addr-spec never holds a line break.
    private static func withoutLineBreaks(_ word: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        guard word.contains(where: { $0 == .carriageReturn || $0 == .lineFeed }) else { return word }
        return ArraySlice(word.filter { $0 != .carriageReturn && $0 != .lineFeed })
    }

    private static func special(_ byte: UInt8) -> AddressToken? {
        switch byte {
        case UInt8(ascii: "."): .dot
        case UInt8(ascii: "@"): .at
        case UInt8(ascii: ","): .comma
        case UInt8(ascii: ":"): .colon
        case UInt8(ascii: ";"): .semicolon
        case UInt8(ascii: "<"): .open
        case UInt8(ascii: ">"): .close
        default: nil
        }
    }

    private static func endsAtom(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "["), UInt8(ascii: "]"), .quote: true
        default: byte.isTrimmable || special(byte) != nil
        }
    }

    /// Whether the token can be a piece of a local part or domain.
    var isWord: Bool {
        if case .word = self { true } else { false }
    }
}
