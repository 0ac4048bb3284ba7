// Actions (SPEC §5.3) and the values `set` gives to variables with a meaning (SPEC §5.5).

extension Parser {
    /// action -> "deliver" string | "copy" copyTarget | "discard" | "forward" strings | "pipe" command
    ///         | "filter" command | "reject" string | "defer" string | "add" "header" string string
    ///         | "remove" "header" string | "flag" flagName | "log" string | "stop"
    mutating func parseAction(_ keyword: Keyword) throws(SyntaxError) -> Action {
        let start = token.range.start
        advance()
        let kind: Action.Kind
        switch keyword {
        case .deliver: kind = .deliver(folder: try expectString(after: "'deliver'"), isCopy: false)
        case .copy: kind = try parseCopyTarget()
        case .discard: kind = .discard
        case .forward: kind = .forward(addresses: try expectStrings(after: "'forward'"), isCopy: false)
        case .pipe: kind = .pipe(try expectCommand(after: "'pipe'"), isCopy: false)
        case .filter: kind = .filter(try expectCommand(after: "'filter'"))
        case .reject: kind = .reject(try expectString(after: "'reject'"))
        case .defer: kind = .defer(try expectString(after: "'defer'"))
        case .add: kind = try parseAddHeader()
        case .remove:
            try expectKeyword(.header, after: "'remove'")
            kind = .removeHeader(try expectHeaderName(after: "'remove header'"))
        case .flag: kind = .flag(try expectFlag())
        case .log: kind = .log(try expectString(after: "'log'"))
        case .stop: kind = .stop
        default: throw error("expected an action, found '\(keyword.rawValue)'", at: SourceRange(start, previousEnd))
        }
        return Action(kind: kind, range: SourceRange(start, previousEnd))
    }

    /// copyTarget -> string | "deliver" string | "forward" strings | "pipe" command
    private mutating func parseCopyTarget() throws(SyntaxError) -> Action.Kind {
        switch token.kind {
        case .keyword(.deliver):
            advance()
            return .deliver(folder: try expectString(after: "'copy deliver'"), isCopy: true)
        case .keyword(.forward):
            advance()
            return .forward(addresses: try expectStrings(after: "'copy forward'"), isCopy: true)
        case .keyword(.pipe):
            advance()
            return .pipe(try expectCommand(after: "'copy pipe'"), isCopy: true)
        default:
            return .deliver(folder: try expectString(after: "'copy'"), isCopy: true)
        }
    }

    /// addHeader -> "header" string string; the value may not break the header block open.
    private mutating func parseAddHeader() throws(SyntaxError) -> Action.Kind {
        try expectKeyword(.header, after: "'add'")
        let name = try expectHeaderName(after: "'add header'")
        let value = try expectString(after: "the header name")
        let hasLineBreak = value.parts.contains { part in
            if case .literal(let text) = part { text.contains("\n") || text.contains("\r") } else { false }
        }
        if hasLineBreak { record("a header value cannot contain a line break", at: value.range) }
        return .addHeader(name, value: value)
    }

    private mutating func expectKeyword(_ keyword: Keyword, after what: String) throws(SyntaxError) {
        guard token.isKeyword(keyword) else {
            throw error("expected '\(keyword.rawValue)' after \(what), found \(token.description)")
        }
        advance()
    }

    /// flagName -> "seen" | "flagged" | "answered" | "draft"
    private mutating func expectFlag() throws(SyntaxError) -> MessageFlag {
        let word: String
        switch token.kind {
        case .keyword(let keyword): word = keyword.rawValue
        case .identifier(let identifier): word = identifier
        case .invalid: throw SyntaxError(diagnostic: nil)
        default: throw error("expected a flag after 'flag', found \(token.description)", hint: Self.flagHint)
        }
        guard let flag = MessageFlag(rawValue: word) else {
            let suggestion = Suggestions.didYouMean(word, among: MessageFlag.allCases.map(\.rawValue))
            throw error("unknown flag '\(word)'\(suggestion)", hint: suggestion.isEmpty ? Self.flagHint : nil)
        }
        advance()
        return flag
    }

    private static let flagHint = "the flags are seen, flagged, answered and draft"

    /// command -> string, split into words now, before anything is interpolated (SPEC §5.3).
    private mutating func expectCommand(after what: String) throws(SyntaxError) -> Command {
        let literal = try expectString(after: what)
        switch CommandWords.split(literal) {
        case .success(let words): return Command(words: words, literal: literal)
        case .failure(.empty): throw error("the command is empty", at: literal.range, hint: "name a program to run")
        case .failure(.unclosedQuote(let quote)):
            throw error("unclosed \(quote) in the command", at: literal.range, hint: "close the quote inside the string")
        }
    }

    /// Checks the literal values of the variables with a meaning (SPEC §5.5), as far as they are known
    /// before run time: a mistake here would otherwise only show at delivery.
    mutating func validateValue(of name: String, _ value: StringLiteral) {
        guard let text = value.plainValue else { return }
        switch name {
        case "timeout", "duplicatedays":
            if !text.isEmpty && text.utf8.allSatisfy(\.isASCIIDigit) { return }
            record("'\(name)' must be a whole number", at: value.range, hint: name == "timeout" ? "seconds, e.g. \"60\"" : "days, e.g. \"7\"")
        case "bodylimit":
            var lexer = Lexer(SourceFile(path: "", text: text))
            guard case .number = lexer.next().kind, case .end = lexer.next().kind, lexer.diagnostics.isEmpty else {
                return record("'bodylimit' must be a size", at: value.range, hint: "bytes with an optional K, M or G, e.g. \"1M\"")
            }
        default: return
        }
    }
}
