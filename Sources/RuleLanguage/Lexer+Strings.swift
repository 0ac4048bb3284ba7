/// Builds a string literal's parts: pending literal bytes, flushed before each interpolation.
struct StringBuilder {
    private(set) var parts: [StringPart] = []
    private var pending: [UInt8] = []
    private(set) var hasInvalidUTF8 = false

    /// Adds one byte of literal text.
    mutating func append(_ byte: UInt8) { pending.append(byte) }

    /// Adds literal text.
    mutating func append(_ bytes: ArraySlice<UInt8>) { pending.append(contentsOf: bytes) }

    /// Adds an interpolation after the literal text so far.
    mutating func append(_ part: StringPart) {
        flush()
        parts.append(part)
    }

    /// The parts, the last literal text included.
    mutating func finish() -> [StringPart] {
        flush()
        return parts
    }

    private mutating func flush() {
        guard !pending.isEmpty else { return }
        let (text, isValid) = decodeText(pending[...])
        hasInvalidUTF8 = hasInvalidUTF8 || !isValid
        parts.append(.literal(text))
        pending.removeAll(keepingCapacity: true)
    }
}

/// The text of `bytes`, with U+FFFD for what is not UTF-8, and whether it all was. ASCII, the usual
/// case in a rule file, skips the validating decoder.
func decodeText(_ bytes: ArraySlice<UInt8>) -> (String, isValid: Bool) {
    if bytes.allSatisfy({ $0 < 0x80 }) { return (String(decoding: bytes, as: UTF8.self), true) }
    if let text = String(validating: bytes, as: UTF8.self) { return (text, true) }
    return (String(decoding: bytes, as: UTF8.self), false)
}

extension Lexer {
    /// string -> '"' ( escape | interpolation | any but '"', '\', '$' and line break )* '"'
    /// escape -> '\"' | '\\' | '\n' | '\t'
    mutating func scanString() -> Token {
        let start = cursor.location
        cursor.advance()
        let runStart = cursor.offset
        cursor.advance { !Self.endsRun($0) }
        // Most strings have nothing to resolve: their text is the bytes between the quotes.
        guard cursor.peek() == UInt8(ascii: "\""), cursor.offset > runStart else {
            return scanResolvingString(from: start, runStart: runStart)
        }
        let (text, isValid) = decodeText(cursor.bytes(from: runStart))
        cursor.advance()
        let range = SourceRange(start, cursor.location)
        if !isValid { report("string is not valid UTF-8", at: range) }
        return Token(kind: .string(StringLiteral(parts: [.literal(text)], range: range)), range: range)
    }

    private static func endsRun(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte == UInt8(ascii: "$") || byte == UInt8(ascii: "\n")
    }

    /// The rest of a string that has escapes or interpolations, or no closing quote.
    private mutating func scanResolvingString(from start: SourceLocation, runStart: Int) -> Token {
        var builder = StringBuilder()
        var runStart = runStart
        while let byte = cursor.peek(), byte != UInt8(ascii: "\""), byte != UInt8(ascii: "\n") {
            builder.append(cursor.bytes(from: runStart))
            if byte == UInt8(ascii: "\\") { scanEscape(into: &builder) } else { scanInterpolation(into: &builder) }
            runStart = cursor.offset
            cursor.advance { !Self.endsRun($0) }
        }
        builder.append(cursor.bytes(from: runStart))
        let closed = cursor.peek() == UInt8(ascii: "\"")
        if closed { cursor.advance() }
        let range = SourceRange(start, cursor.location)
        if !closed {
            report("unterminated string", at: range, hint: "end it with '\"' on the same line; write '\\n' for a line break")
        }
        let parts = builder.finish()
        if builder.hasInvalidUTF8 { report("string is not valid UTF-8", at: range) }
        return Token(kind: .string(StringLiteral(parts: parts, range: range)), range: range)
    }

    private mutating func scanEscape(into builder: inout StringBuilder) {
        let start = cursor.location
        cursor.advance()
        guard let byte = cursor.peek(), byte != UInt8(ascii: "\n") else { return }
        cursor.advance()
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"): builder.append(byte)
        case UInt8(ascii: "n"): builder.append(UInt8(ascii: "\n"))
        case UInt8(ascii: "t"): builder.append(UInt8(ascii: "\t"))
        default:
            cursor.advance(while: isContinuationByte)
            let escape = String(decoding: cursor.bytes(from: start.offset), as: UTF8.self)
            report(
                "unknown escape '\(escape)' in string", at: SourceRange(start, cursor.location),
                hint: "the escapes are \\\", \\\\, \\n and \\t; write '$$' for a dollar sign")
        }
    }

    /// interpolation -> "$$" | "$" digit | "$" name | "${" (name | digit) "}"
    private mutating func scanInterpolation(into builder: inout StringBuilder) {
        let start = cursor.location
        cursor.advance()
        guard let byte = cursor.peek() else { return reportLoneDollar(at: start) }
        if byte == UInt8(ascii: "$") {
            cursor.advance()
            builder.append(byte)
        } else if byte.isASCIIDigit {
            cursor.advance()
            builder.append(.capture(Int(byte - UInt8(ascii: "0")), SourceRange(start, cursor.location)))
        } else if byte.isASCIILetter || byte == UInt8(ascii: "_") {
            let nameStart = cursor.offset
            cursor.advance { $0.isNameCharacter }
            let name = String(decoding: cursor.bytes(from: nameStart), as: UTF8.self)
            builder.append(.variable(name, SourceRange(start, cursor.location)))
        } else if byte == UInt8(ascii: "{") {
            scanBracedInterpolation(from: start, into: &builder)
        } else {
            reportLoneDollar(at: start)
        }
    }

    private mutating func reportLoneDollar(at start: SourceLocation) {
        report(
            "'$' must start $name, ${name} or $1", at: SourceRange(start, cursor.location),
            hint: "write '$$' for a dollar sign")
    }

    private mutating func scanBracedInterpolation(from start: SourceLocation, into builder: inout StringBuilder) {
        cursor.advance()
        let nameStart = cursor.offset
        cursor.advance { $0 != UInt8(ascii: "}") && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\n") }
        let nameBytes = cursor.bytes(from: nameStart)
        guard cursor.peek() == UInt8(ascii: "}") else {
            return report("unclosed '${' in string", at: SourceRange(start, cursor.location), hint: "add '}' after the name")
        }
        cursor.advance()
        let range = SourceRange(start, cursor.location)
        let name = String(decoding: nameBytes, as: UTF8.self)
        if let first = nameBytes.first, first.isASCIIDigit, nameBytes.allSatisfy(\.isASCIIDigit) {
            guard nameBytes.count == 1 else {
                return report("there is no capture '${\(name)}'", at: range, hint: "the numbered captures are $0 to $9")
            }
            builder.append(.capture(Int(first - UInt8(ascii: "0")), range))
        } else if let first = nameBytes.first, !first.isASCIIDigit, nameBytes.allSatisfy(\.isNameCharacter) {
            builder.append(.variable(name, range))
        } else {
            report(
                "'${\(name)}' is not a variable name", at: range, hint: "a name is letters, digits and '_'")
        }
    }
}
