/// A read position in a structured header value (RFC 5322 §3.2) whose reads never trap: past the end, `peek()`
/// is nil. It knows the lexical pieces every structured field shares: white space, nested comments with
/// quoted-pairs, quoted strings; each tolerates a missing closing character by ending at the end of the value.
struct ByteCursor {
    let bytes: [UInt8]
    private(set) var index: Int

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
        index = 0
    }

    var isAtEnd: Bool { index >= bytes.count }

    func peek() -> UInt8? { bytes.byte(at: index) }

    mutating func advance() { index = min(index + 1, bytes.count) }

    /// Skips white space and comments (CFWS); reports whether there was any.
    @discardableResult
    mutating func skipCFWS() -> Bool {
        let start = index
        while let byte = peek() {
            if byte.isTrimmable {
                advance()
            } else if byte == UInt8(ascii: "(") {
                skipComment()
            } else {
                break
            }
        }
        return index > start
    }

    /// Skips a comment, nested ones included (RFC 5322 §3.2.2), from its `(`.
    mutating func skipComment() {
        var depth = 0
        while let byte = peek() {
            advance()
            switch byte {
            case .backslash: advance()
            case UInt8(ascii: "("): depth += 1
            case UInt8(ascii: ")"):
                depth -= 1
                if depth == 0 { return }
            default: break
            }
        }
    }

    /// Reads a quoted string from its `"`: the bytes as written (quotes included) and its content with the
    /// quoted-pairs undone.
    mutating func readQuotedString() -> (written: ArraySlice<UInt8>, content: [UInt8]) {
        let start = index
        var content: [UInt8] = []
        advance()
        while let byte = peek() {
            advance()
            if byte == .quote { break }
            if byte == .backslash, let escaped = peek() {
                advance()
                content.append(escaped)
            } else {
                content.append(byte)
            }
        }
        return (bytes[start..<index], content)
    }

    /// Reads a domain literal from its `[` to its `]` (RFC 5322 §3.4.1), as written.
    mutating func readDomainLiteral() -> ArraySlice<UInt8> {
        let start = index
        advance()
        while let byte = peek() {
            advance()
            if byte == UInt8(ascii: "]") { break }
            if byte == .backslash { advance() }
        }
        return bytes[start..<index]
    }

    /// Reads the bytes up to (not including) the first one for which `isEnd` holds, or to the end.
    mutating func read(until isEnd: (UInt8) -> Bool) -> ArraySlice<UInt8> {
        let start = index
        while let byte = peek(), !isEnd(byte) { advance() }
        return bytes[start..<index]
    }
}
