// The parser's small helpers: expecting a token, making and recording errors.

extension Parser {
    /// An error at the current token.
    func error(_ message: String, hint: String? = nil) -> SyntaxError {
        SyntaxError(diagnostic: Diagnostic(.error, message, at: token.range, hint: hint))
    }

    /// An error at `range`.
    func error(_ message: String, at range: SourceRange, hint: String? = nil) -> SyntaxError {
        SyntaxError(diagnostic: Diagnostic(.error, message, at: range, hint: hint))
    }

    /// Keeps the error's diagnostic, if the lexer has not reported the problem already.
    mutating func record(_ error: SyntaxError) {
        if let diagnostic = error.diagnostic { diagnostics.append(diagnostic) }
    }

    /// Keeps a problem that does not end the statement.
    mutating func record(_ message: String, at range: SourceRange, hint: String? = nil) {
        diagnostics.append(Diagnostic(.error, message, at: range, hint: hint))
    }

    /// Skips line breaks and `;`.
    mutating func skipTerminators() {
        while token.isTerminator { advance() }
    }

    /// Line breaks may continue a condition after `and`, `or`, `not`, `(`, `,` and before `{` or `)`.
    mutating func skipNewlines() {
        while case .newline = token.kind { advance() }
    }

    /// The string literal under the cursor, consumed.
    mutating func expectString(after what: String) throws(SyntaxError) -> StringLiteral {
        switch token.kind {
        case .string(let literal):
            advance()
            return literal
        case .invalid: throw SyntaxError(diagnostic: nil)
        case .identifier(let word):
            throw error("expected a string after \(what), found \(token.description)", hint: "write it in double quotes: \"\(word)\"")
        default: throw error("expected a string after \(what), found \(token.description)")
        }
    }

    /// strings -> string ("," newline? string)*
    mutating func expectStrings(after what: String) throws(SyntaxError) -> [StringLiteral] {
        try expectList(after: what) { parser, what throws(SyntaxError) in try parser.expectString(after: what) }
    }

    /// A header name: a string without interpolation, of printable ASCII except ':' (RFC 5322 §3.6.8).
    mutating func expectHeaderName(after what: String) throws(SyntaxError) -> HeaderName {
        let literal = try expectString(after: what)
        return try headerName(literal)
    }

    /// headerNames -> headerName ("," newline? headerName)*
    mutating func expectHeaderNames(after what: String) throws(SyntaxError) -> [HeaderName] {
        try expectList(after: what) { parser, what throws(SyntaxError) in try parser.expectHeaderName(after: what) }
    }

    /// element ("," newline? element)*, each element read by `element` with what precedes it.
    private mutating func expectList<Element>(
        after what: String, _ element: (inout Parser, String) throws(SyntaxError) -> Element
    ) throws(SyntaxError) -> [Element] {
        var elements = [try element(&self, what)]
        while case .comma = token.kind {
            advance()
            skipNewlines()
            elements.append(try element(&self, "','"))
        }
        return elements
    }

    private func headerName(_ literal: StringLiteral) throws(SyntaxError) -> HeaderName {
        guard let name = literal.plainValue else {
            throw error("a header name cannot be interpolated", at: literal.range)
        }
        guard !name.isEmpty else { throw error("empty header name", at: literal.range) }
        if name.hasSuffix(":"), name.utf8.dropLast().allSatisfy(Self.isFieldNameByte) {
            throw error("invalid header name '\(name)'", at: literal.range, hint: "leave out the ':'")
        }
        guard name.utf8.allSatisfy(Self.isFieldNameByte) else {
            throw error(
                "invalid header name '\(name)'", at: literal.range,
                hint: "a header name is printable ASCII without spaces or ':'")
        }
        return HeaderName(name: name, range: literal.range)
    }

    private static func isFieldNameByte(_ byte: UInt8) -> Bool {
        byte >= 33 && byte <= 126 && byte != UInt8(ascii: ":")
    }
}
