/// Reads a rule file byte by byte and knows the line and column of where it stands.
/// `peek()` returns nil at the end, so no input can make a read go out of bounds (STYLE §3).
struct ByteCursor {
    /// The whole file.
    let bytes: [UInt8]
    private(set) var offset = 0
    private(set) var line = 1
    // Counted as the cursor moves, so a long line never costs a rescan per token.
    private(set) var column = 1

    /// A cursor at the start of `bytes`.
    init(_ bytes: [UInt8]) { self.bytes = bytes }

    /// The byte under the cursor, or nil at the end.
    @inline(__always) func peek() -> UInt8? { offset < bytes.count ? bytes[offset] : nil }

    /// The byte `distance` bytes ahead, or nil past the end.
    func peek(ahead distance: Int) -> UInt8? {
        let target = offset + distance
        return target < bytes.count ? bytes[target] : nil
    }

    /// Where the cursor stands.
    var location: SourceLocation { SourceLocation(offset: offset, line: line, column: column) }

    /// Moves past one byte; a line break starts a new line, and only a byte that starts a character
    /// moves the column on. The CR of a CRLF belongs to the line break, as `LineTable` shows lines.
    @inline(__always) mutating func advance() {
        guard let byte = peek() else { return }
        offset += 1
        if byte == UInt8(ascii: "\n") {
            line += 1
            column = 1
        } else if !isContinuationByte(byte), byte != UInt8(ascii: "\r") || peek() != UInt8(ascii: "\n") {
            column += 1
        }
    }

    /// Moves past bytes while `predicate` holds.
    mutating func advance(while predicate: (UInt8) -> Bool) {
        while let byte = peek(), predicate(byte) { advance() }
    }

    /// The bytes from `start` up to the cursor.
    func bytes(from start: Int) -> ArraySlice<UInt8> { bytes[min(start, offset)..<offset] }
}

extension UInt8 {
    /// A–Z, a–z.
    var isASCIILetter: Bool { (self | 0x20) >= UInt8(ascii: "a") && (self | 0x20) <= UInt8(ascii: "z") }
    /// 0–9.
    var isASCIIDigit: Bool { self >= UInt8(ascii: "0") && self <= UInt8(ascii: "9") }
    /// Letters, digits and `_`: the characters of keywords and variable names.
    var isNameCharacter: Bool { isASCIILetter || isASCIIDigit || self == UInt8(ascii: "_") }
    /// Space, tab, CR (a CRLF file reads like an LF one), vertical tab and form feed.
    var isInlineSpace: Bool {
        self == UInt8(ascii: " ") || self == UInt8(ascii: "\t") || self == UInt8(ascii: "\r") || self == 0x0B
            || self == 0x0C
    }
}
