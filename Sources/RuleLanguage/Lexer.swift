import PatternMatching

/// Turns a rule file's bytes into tokens, one at a time, as the parser asks for them. It works on
/// bytes and builds a String only for a word, a string literal's parts or a diagnostic (SPEC §9).
struct Lexer {
    /// Where the lexer stands.
    var cursor: ByteCursor
    /// Every problem found so far; the lexer goes on after each one.
    private(set) var diagnostics: [Diagnostic] = []

    /// A lexer at the start of `source`.
    init(_ source: SourceFile) { cursor = ByteCursor(source.bytes) }

    /// The next token; `.end` at the end of the file, as often as asked.
    mutating func next() -> Token {
        skipSpaceAndComments()
        let start = cursor.location
        guard let byte = cursor.peek() else { return Token(kind: .end, range: SourceRange(start, start)) }
        switch byte {
        case UInt8(ascii: "\n"):
            cursor.advance()
            skipBlankLines()
            return Token(kind: .newline, range: SourceRange(start, start))
        case UInt8(ascii: "\""): return scanString()
        case UInt8(ascii: "/"): return scanRegex()
        case _ where byte.isASCIIDigit: return scanNumber()
        case _ where byte.isASCIILetter || byte == UInt8(ascii: "_"): return scanWord()
        default: return scanPunctuation(byte, start: start)
        }
    }

    /// Records a problem and goes on.
    mutating func report(_ message: String, at range: SourceRange, hint: String? = nil) {
        diagnostics.append(Diagnostic(.error, message, at: range, hint: hint))
    }

    /// A token from `start` to the cursor.
    func token(_ kind: Token.Kind, from start: SourceLocation) -> Token {
        Token(kind: kind, range: SourceRange(start, cursor.location))
    }

    private mutating func skipSpaceAndComments() {
        while let byte = cursor.peek() {
            if byte.isInlineSpace {
                cursor.advance()
            } else if byte == UInt8(ascii: "#") {
                cursor.advance { $0 != UInt8(ascii: "\n") }
            } else {
                return
            }
        }
    }

    /// After a line break, the blank and comment lines that follow belong to the same terminator,
    /// so the parser sees one token for a run of them.
    private mutating func skipBlankLines() {
        skipSpaceAndComments()
        while cursor.peek() == UInt8(ascii: "\n") {
            cursor.advance()
            skipSpaceAndComments()
        }
    }

    /// word -> [A-Za-z_][A-Za-z0-9_]*, a keyword or a name
    private mutating func scanWord() -> Token {
        let start = cursor.location
        cursor.advance { $0.isNameCharacter }
        let word = cursor.bytes(from: start.offset)
        if let keyword = Keyword.named(word) { return token(.keyword(keyword), from: start) }
        return token(.identifier(String(decoding: word, as: UTF8.self)), from: start)
    }

    /// number -> [0-9]+ [KMGkmg]?, the suffix multiplying by 1024, 1024² or 1024³
    private mutating func scanNumber() -> Token {
        let start = cursor.location
        var value = 0
        var overflow = false
        while let byte = cursor.peek(), byte.isASCIIDigit {
            let (times10, o1) = value.multipliedReportingOverflow(by: 10)
            let (sum, o2) = times10.addingReportingOverflow(Int(byte - UInt8(ascii: "0")))
            (value, overflow) = (sum, overflow || o1 || o2)
            cursor.advance()
        }
        if let byte = cursor.peek(), let shift = Self.suffixShift(byte) {
            cursor.advance()
            overflow = overflow || value > Int.max >> shift
            value = overflow ? 0 : value << shift
        }
        if let byte = cursor.peek(), byte.isNameCharacter {
            cursor.advance { $0.isNameCharacter }
            report(
                "invalid number '\(String(decoding: cursor.bytes(from: start.offset), as: UTF8.self))'",
                at: SourceRange(start, cursor.location), hint: "a size is digits with an optional K, M or G")
            return token(.invalid, from: start)
        }
        if overflow {
            report("number is too large", at: SourceRange(start, cursor.location))
            return token(.invalid, from: start)
        }
        return token(.number(value), from: start)
    }

    private static func suffixShift(_ byte: UInt8) -> Int? {
        switch byte | 0x20 {
        case UInt8(ascii: "k"): 10
        case UInt8(ascii: "m"): 20
        case UInt8(ascii: "g"): 30
        default: nil
        }
    }

    /// regex -> "/" ( "\" any | any but "/" and line break )* "/" [imsx]*
    ///
    /// The source is kept byte for byte, `\/` included: PCRE2 reads `\/` as a slash, and its error
    /// offsets then count the same bytes as the rule file.
    private mutating func scanRegex() -> Token {
        let start = cursor.location
        cursor.advance()
        let sourceStart = cursor.offset
        while let byte = cursor.peek(), byte != UInt8(ascii: "/"), byte != UInt8(ascii: "\n") {
            cursor.advance()
            if byte == UInt8(ascii: "\\"), cursor.peek() != UInt8(ascii: "\n") { cursor.advance() }
        }
        guard cursor.peek() == UInt8(ascii: "/") else {
            report(
                "unterminated regular expression", at: SourceRange(start, cursor.location),
                hint: "end it with '/' on the same line; write '\\/' for a slash inside it")
            return token(.invalid, from: start)
        }
        let source = Array(cursor.bytes(from: sourceStart))
        cursor.advance()
        let flags = scanFlags()
        let range = SourceRange(start, cursor.location)
        return Token(kind: .regex(RegexLiteral(source: source, flags: flags, range: range)), range: range)
    }

    private mutating func scanFlags() -> PatternFlags {
        var flags = PatternFlags()
        while let byte = cursor.peek(), byte.isNameCharacter {
            let start = cursor.location
            cursor.advance()
            if let flag = PatternFlags(letter: byte) {
                flags.insert(flag)
            } else {
                report(
                    "unknown regular expression flag '\(Character(Unicode.Scalar(byte)))'",
                    at: SourceRange(start, cursor.location), hint: "the flags are i, m, s and x")
            }
        }
        return flags
    }

    private mutating func scanPunctuation(_ byte: UInt8, start: SourceLocation) -> Token {
        cursor.advance()
        let kind: Token.Kind
        switch byte {
        case UInt8(ascii: ";"): kind = .semicolon
        case UInt8(ascii: "~"): kind = .matchOperator(isNegated: false)
        case UInt8(ascii: "="): kind = .equals
        case UInt8(ascii: ","): kind = .comma
        case UInt8(ascii: "{"): kind = .openBrace
        case UInt8(ascii: "}"): kind = .closeBrace
        case UInt8(ascii: "("): kind = .openParen
        case UInt8(ascii: ")"): kind = .closeParen
        case UInt8(ascii: "<"): kind = .comparison(advance(ifAt: "=") ? .lessOrEqual : .less)
        case UInt8(ascii: ">"): kind = .comparison(advance(ifAt: "=") ? .greaterOrEqual : .greater)
        case UInt8(ascii: "!") where advance(ifAt: "~"): kind = .matchOperator(isNegated: true)
        default: return scanUnexpected(byte, start: start)
        }
        return token(kind, from: start)
    }

    private mutating func advance(ifAt expected: Unicode.Scalar) -> Bool {
        guard cursor.peek() == UInt8(ascii: expected) else { return false }
        cursor.advance()
        return true
    }

    /// A character no token starts with: one diagnostic for it and whatever clings to it.
    private mutating func scanUnexpected(_ byte: UInt8, start: SourceLocation) -> Token {
        cursor.advance(while: isContinuationByte)
        let character = String(decoding: cursor.bytes(from: start.offset), as: UTF8.self)
        cursor.advance { $0 >= 0x80 || $0.isNameCharacter }
        let hint: String? =
            switch byte {
            case UInt8(ascii: "!"): "write '!~' for a regex that must not match, or 'not' before a test"
            case UInt8(ascii: "'"): "strings are written in double quotes"
            case _ where byte >= 0x80: "text outside quotes is ASCII; write names and folders as \"strings\""
            default: nil
            }
        report("unexpected character '\(character)'", at: SourceRange(start, cursor.location), hint: hint)
        return token(.invalid, from: start)
    }
}
