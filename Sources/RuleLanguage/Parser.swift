/// Parses `source` into a rule file. Every problem is collected as a diagnostic, in file order, and
/// parsing resumes at the next statement, so one run reports them all (STYLE §3). Regexes are not
/// compiled here: `check(_:)` does that, and delivery does it lazily (SPEC §9).
public func parse(_ source: SourceFile) -> (RuleFile, [Diagnostic]) {
    var parser = Parser(source)
    let file = parser.parseRuleFile()
    return (file, (parser.lexer.diagnostics + parser.diagnostics).inFileOrder())
}

/// A problem that ends the current statement. The diagnostic is nil when the lexer already reported it.
struct SyntaxError: Error {
    /// The problem, or nil if the lexer reported it.
    let diagnostic: Diagnostic?
}

/// A recursive-descent parser, one function per production; each names its production in its doc comment.
struct Parser {
    /// The token source; its diagnostics join the parser's at the end.
    var lexer: Lexer
    /// The token under consideration.
    private(set) var token: Token
    /// Where the previous token ended, which is where a finished node ends.
    private(set) var previousEnd: SourceLocation
    /// The problems the parser found.
    var diagnostics: [Diagnostic] = []
    /// `}` to pass over silently: an `if` whose `{` vanished in an error leaves its `}` behind.
    private var orphanedCloseBraces = 0
    /// How deep blocks, `not`s and parentheses nest where the parser stands.
    private var depth = 0
    /// Beyond this a rule file is refused rather than risk the stack: the parser, checker and
    /// evaluator all recurse once per level, and a trap would lose the diagnosis (STYLE §3).
    static let maximumDepth = 100

    /// A parser at the first token of `source`.
    init(_ source: SourceFile) {
        lexer = Lexer(source)
        token = lexer.next()
        previousEnd = token.range.start
    }

    /// Enters one level of nesting at the current token, or fails past `maximumDepth`.
    mutating func enterNesting() throws(SyntaxError) {
        guard depth < Self.maximumDepth else {
            throw error("nesting is too deep", hint: "blocks, 'not' and parentheses nest at most \(Self.maximumDepth) levels")
        }
        depth += 1
    }

    /// Leaves the level `enterNesting()` entered.
    mutating func leaveNesting() { depth -= 1 }

    /// Moves to the next token.
    mutating func advance() {
        previousEnd = token.range.end
        token = lexer.next()
    }

    /// ruleFile -> statements EOF
    mutating func parseRuleFile() -> RuleFile {
        RuleFile(statements: parseStatements(inBlock: false))
    }

    /// statements -> (statement (terminator | before "}" | before EOF))*
    mutating func parseStatements(inBlock: Bool) -> [Statement] {
        var statements: [Statement] = []
        while true {
            skipTerminators()
            switch token.kind {
            case .end: return statements
            case .closeBrace where inBlock: return statements
            case .closeBrace:
                if orphanedCloseBraces > 0 { orphanedCloseBraces -= 1 } else { record(error("unexpected '}'")) }
                advance()
                continue
            default: break
            }
            let startsWithIf = token.isKeyword(.if)
            do {
                let statement = try parseStatement()
                statements.append(statement)
                // The `}` of an `if` ends its statement, and the search for `else` took the line break.
                if case .if = statement.kind { continue }
                try expectStatementEnd()
            } catch {
                record(error)
                recover(afterIf: startsWithIf)
            }
        }
    }

    /// statement -> ifStatement | setStatement | includeStatement | action
    mutating func parseStatement() throws(SyntaxError) -> Statement {
        switch token.kind {
        case .keyword(.if): return try parseIf()
        case .keyword(.set): return try parseSet()
        case .keyword(.include):
            let start = token.range.start
            advance()
            let path = try expectString(after: "'include'")
            return Statement(kind: .include(path), range: SourceRange(start, previousEnd))
        case .keyword(.else):
            throw error("'else' without 'if'", hint: "'else' goes on the line of the '}' that closes the 'if' block, or the line after it")
        case .keyword(let keyword) where Keyword.actions.contains(keyword):
            let action = try parseAction(keyword)
            return Statement(kind: .action(action), range: action.range)
        case .identifier(let word): throw unknownStatement(word)
        case .invalid: throw SyntaxError(diagnostic: nil)
        default: throw error("expected a statement, found \(token.description)")
        }
    }

    private func unknownStatement(_ word: String) -> SyntaxError {
        let candidates = (Keyword.statements + Keyword.actions).map(\.rawValue)
        let suggestion = Suggestions.closest(to: word, among: candidates)
        let noun = suggestion.flatMap(Keyword.named).map { Keyword.statements.contains($0) } == true ? "statement" : "action"
        let message = "unknown \(noun) '\(word)'" + (suggestion.map { "; did you mean '\($0)'?" } ?? "")
        return error(message, hint: suggestion == nil ? "a statement is 'if', 'set', 'include' or an action" : nil)
    }

    /// ifStatement -> "if" condition block ("else" "if" condition block)* ("else" block)?
    mutating func parseIf() throws(SyntaxError) -> Statement {
        let start = token.range.start
        advance()
        var branches = [try parseBranch()]
        var elseBlock: Block?
        while elseBlock == nil {
            skipTerminators()
            guard case .keyword(.else) = token.kind else { break }
            advance()
            if case .keyword(.if) = token.kind {
                advance()
                branches.append(try parseBranch())
            } else {
                elseBlock = try parseBlock(after: "'else'")
            }
        }
        let statement = IfStatement(branches: branches, elseBlock: elseBlock)
        return Statement(kind: .if(statement), range: SourceRange(start, previousEnd))
    }

    /// branch -> condition block
    private mutating func parseBranch() throws(SyntaxError) -> Branch {
        let condition = try parseCondition()
        return Branch(condition: condition, block: try parseBlock(after: "the condition"))
    }

    /// block -> newline? "{" statements "}"
    mutating func parseBlock(after what: String) throws(SyntaxError) -> Block {
        skipNewlines()
        guard case .openBrace = token.kind else { throw error("expected '{' after \(what), found \(token.description)") }
        let open = token.range
        try enterNesting()
        defer { leaveNesting() }
        advance()
        let statements = parseStatements(inBlock: true)
        guard case .closeBrace = token.kind else {
            throw SyntaxError(diagnostic: Diagnostic(.error, "'{' is never closed", at: open, hint: "add '}' to end the block"))
        }
        advance()
        return Block(statements: statements, range: SourceRange(open.start, previousEnd))
    }

    /// setStatement -> "set" name "=" string
    private mutating func parseSet() throws(SyntaxError) -> Statement {
        let start = token.range.start
        advance()
        let name: String
        switch token.kind {
        case .identifier(let word): name = word
        case .keyword(let keyword): name = keyword.rawValue
        default: throw error("expected a variable name after 'set', found \(token.description)")
        }
        let nameRange = token.range
        advance()
        guard case .equals = token.kind else { throw error("expected '=' after 'set \(name)', found \(token.description)") }
        advance()
        if case .number(let value) = token.kind {
            throw error("the value of a variable is a string", hint: "write set \(name) = \"\(value)\"")
        }
        let value = try expectString(after: "'='")
        validateValue(of: name, value)
        let assignment = Assignment(name: name, nameRange: nameRange, value: value)
        return Statement(kind: .set(assignment), range: SourceRange(start, previousEnd))
    }

    private mutating func expectStatementEnd() throws(SyntaxError) {
        switch token.kind {
        case .newline, .semicolon, .closeBrace, .end: return
        case .invalid: throw SyntaxError(diagnostic: nil)
        default:
            throw error(
                "expected the end of the statement, found \(token.description)",
                hint: "put each statement on a line of its own, or separate them with ';'")
        }
    }

    /// Skips the rest of a broken statement: up to a line break or ";" outside braces, or up to the `}`
    /// that closes the enclosing block. A `{ … }` on the way is skipped whole, and so is an `else` part.
    private mutating func recover(afterIf: Bool) {
        var depth = 0
        var sawBrace = false
        while true {
            switch token.kind {
            case .end: return
            case .newline, .semicolon:
                guard depth == 0 else { break }
                skipTerminators()
                // An `else`, or the `{` of an `if` written on the next line, still belongs to the statement.
                let continues = token.isKeyword(.else) || (afterIf && !sawBrace && token.isOpenBrace)
                guard continues else {
                    if afterIf && !sawBrace { orphanedCloseBraces += 1 }
                    return
                }
                continue
            case .openBrace:
                depth += 1
                sawBrace = true
            case .closeBrace:
                if depth == 0 { return }
                depth -= 1
            default: break
            }
            advance()
        }
    }
}
