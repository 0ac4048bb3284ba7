// Conditions and tests (SPEC §5.2): `not` binds tightest, then `and`, then `or`.

extension Parser {
    /// condition -> andCondition ("or" newline? andCondition)*
    mutating func parseCondition() throws(SyntaxError) -> Condition {
        try parseChain(of: .or, Condition.Kind.or) { parser throws(SyntaxError) in try parser.parseAndCondition() }
    }

    /// andCondition -> notCondition ("and" newline? notCondition)*
    private mutating func parseAndCondition() throws(SyntaxError) -> Condition {
        try parseChain(of: .and, Condition.Kind.and) { parser throws(SyntaxError) in try parser.parseNotCondition() }
    }

    /// operand (operator newline? operand)*, as one node over all operands, or the operand alone.
    private mutating func parseChain(
        of operator: Keyword, _ kind: ([Condition]) -> Condition.Kind,
        operand: (inout Parser) throws(SyntaxError) -> Condition
    ) throws(SyntaxError) -> Condition {
        let first = try operand(&self)
        var rest: [Condition] = []
        while token.isKeyword(`operator`) {
            advance()
            skipNewlines()
            rest.append(try operand(&self))
        }
        return combine(first, rest, kind)
    }

    /// One `and` or `or` node over all operands, or the first alone.
    private func combine(_ first: Condition, _ rest: [Condition], _ kind: ([Condition]) -> Condition.Kind) -> Condition {
        guard let last = rest.last else { return first }
        return Condition(kind: kind([first] + rest), range: first.range.through(last.range))
    }

    /// notCondition -> "not" newline? notCondition | primary
    private mutating func parseNotCondition() throws(SyntaxError) -> Condition {
        guard case .keyword(.not) = token.kind else { return try parsePrimary() }
        let start = token.range.start
        try enterNesting()
        defer { leaveNesting() }
        advance()
        skipNewlines()
        let operand = try parseNotCondition()
        return Condition(kind: .not(operand), range: SourceRange(start, operand.range.end))
    }

    /// primary -> "(" newline? condition newline? ")" | test
    private mutating func parsePrimary() throws(SyntaxError) -> Condition {
        guard case .openParen = token.kind else {
            let test = try parseTest()
            return Condition(kind: .test(test), range: test.range)
        }
        let open = token.range
        try enterNesting()
        defer { leaveNesting() }
        advance()
        skipNewlines()
        let inner = try parseCondition()
        skipNewlines()
        guard case .closeParen = token.kind else {
            throw error("expected ')' to match the '(' at \(open.start), found \(token.description)")
        }
        advance()
        return inner
    }

    /// test -> "raw"? "header" headerNames ("exists" | match) | "raw" "body" match
    ///       | "address" headerNames match | fieldName match | "size" comparison number | "duplicate"
    /// fieldName -> "headers" | "body" | "subject" | "from" | "to" | "sender" | "recipient" | "extension"
    private mutating func parseTest() throws(SyntaxError) -> Test {
        let start = token.range.start
        guard case .keyword(let keyword) = token.kind else { throw unknownTest() }
        advance()
        if let target = Self.fieldTargets[keyword] { return try parseMatch(target, start: start, after: "'\(keyword.rawValue)'") }
        switch keyword {
        case .header: return try parseHeaderTest(start: start, isRaw: false)
        case .raw: return try parseRawTest(start: start)
        case .address:
            let names = try expectHeaderNames(after: "'address'")
            return try parseMatch(.address(names), start: start, after: "the header names")
        case .size: return try parseSizeTest(start: start)
        case .duplicate: return Test(kind: .duplicate, range: SourceRange(start, previousEnd))
        default: throw error("expected a test, found '\(keyword.rawValue)'", at: SourceRange(start, previousEnd))
        }
    }

    private static let fieldTargets: [Keyword: MatchTarget] = [
        .headers: .headers, .body: .body, .subject: .subject, .from: .from, .to: .to, .sender: .sender,
        .recipient: .recipient, .extension: .extension,
    ]

    private func unknownTest() -> SyntaxError {
        switch token.kind {
        case .identifier(let word):
            let suggestion = Suggestions.didYouMean(word, among: Keyword.tests.map(\.rawValue))
            return error(
                "unknown test '\(word)'\(suggestion)",
                hint: suggestion.isEmpty
                    ? "the tests are header, raw header, address, headers, body, raw body, subject, from, to, "
                        + "sender, recipient, extension, size and duplicate" : nil)
        case .invalid: return SyntaxError(diagnostic: nil)
        default: return error("expected a test, found \(token.description)")
        }
    }

    /// headerTest -> "header" headerNames ("exists" | match), after "raw" when `isRaw`
    private mutating func parseHeaderTest(start: SourceLocation, isRaw: Bool) throws(SyntaxError) -> Test {
        let names = try expectHeaderNames(after: "'header'")
        if case .keyword(.exists) = token.kind {
            advance()
            return Test(kind: .headerExists(names), range: SourceRange(start, previousEnd))
        }
        return try parseMatch(isRaw ? .rawHeader(names) : .header(names), start: start, after: "the header names")
    }

    /// rawTest -> "raw" ("header" headerNames match | "body" match)
    private mutating func parseRawTest(start: SourceLocation) throws(SyntaxError) -> Test {
        switch token.kind {
        case .keyword(.header):
            advance()
            return try parseHeaderTest(start: start, isRaw: true)
        case .keyword(.body):
            advance()
            return try parseMatch(.rawBody, start: start, after: "'raw body'")
        default: throw error("expected 'header' or 'body' after 'raw', found \(token.description)")
        }
    }

    /// match -> ("~" | "!~") regex
    private mutating func parseMatch(_ target: MatchTarget, start: SourceLocation, after what: String) throws(SyntaxError)
        -> Test
    {
        guard case .matchOperator(let isNegated) = token.kind else {
            let exists = if case .header = target { " or 'exists'" } else { "" }
            throw error("expected '~' or '!~'\(exists) after \(what), found \(token.description)")
        }
        advance()
        switch token.kind {
        case .regex(let regex):
            advance()
            return Test(kind: .match(target, regex, isNegated: isNegated), range: SourceRange(start, previousEnd))
        case .invalid: throw SyntaxError(diagnostic: nil)
        case .string:
            throw error(
                "expected a regular expression after '\(isNegated ? "!~" : "~")', found a string",
                hint: "write a regular expression between slashes: /…/")
        default: throw error("expected a regular expression after '\(isNegated ? "!~" : "~")', found \(token.description)")
        }
    }

    /// sizeTest -> "size" ("<" | "<=" | ">" | ">=") number
    private mutating func parseSizeTest(start: SourceLocation) throws(SyntaxError) -> Test {
        guard case .comparison(let comparison) = token.kind else {
            throw error("expected '<', '<=', '>' or '>=' after 'size', found \(token.description)")
        }
        advance()
        switch token.kind {
        case .number(let bytes):
            advance()
            return Test(kind: .size(comparison, bytes), range: SourceRange(start, previousEnd))
        case .invalid: throw SyntaxError(diagnostic: nil)
        default: throw error("expected a size after '\(comparison.rawValue)', found \(token.description)", hint: "e.g. 5M")
        }
    }
}
