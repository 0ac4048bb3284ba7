/// The words with a meaning in the rule language (SPEC §5). Anywhere else a word is a name.
public enum Keyword: String, CaseIterable, Sendable {
    /// Statements (SPEC §5.1).
    case `if`, `else`, set, include
    /// Operators of conditions (SPEC §5.2).
    case and, or, not
    /// Tests and their words (SPEC §5.2).
    case header, raw, exists, address, headers, body, subject, from, to, sender, recipient, `extension`, size
    /// The duplicate test (SPEC §5.2).
    case duplicate
    /// Actions and their words (SPEC §5.3).
    case deliver, copy, discard, forward, pipe, filter, reject, `defer`, add, remove, flag, log, stop
    /// Flags of the `flag` action (SPEC §5.3).
    case seen, flagged, answered, draft

    /// The keywords that start an action.
    static let actions: [Keyword] = [
        .deliver, .copy, .discard, .forward, .pipe, .filter, .reject, .defer, .add, .remove, .flag, .log, .stop,
    ]
    /// The keywords that start a test.
    static let tests: [Keyword] = [
        .header, .raw, .address, .headers, .body, .subject, .from, .to, .sender, .recipient, .extension, .size,
        .duplicate,
    ]
    /// The keywords that start a statement other than an action.
    static let statements: [Keyword] = [.if, .set, .include]

    /// The keyword spelt `word`, if any.
    static func named(_ word: String) -> Keyword? { named(Array(word.utf8)[...]) }

    /// The keyword spelt by `bytes`, if any. The lexer asks for every word, so this neither builds a
    /// String nor hashes: it compares with the few keywords of the same length and first letter.
    static func named(_ bytes: ArraySlice<UInt8>) -> Keyword? {
        guard let first = bytes.first, bytes.count < byLength.count else { return nil }
        for (spelling, keyword) in byLength[bytes.count] where spelling.first == first {
            if spelling.elementsEqual(bytes) { return keyword }
        }
        return nil
    }

    // byLength[n] holds the keywords of n bytes; the longest has 9.
    private static let byLength: [[([UInt8], Keyword)]] = allCases.reduce(into: Array(repeating: [], count: 10)) {
        table, keyword in table[keyword.rawValue.utf8.count].append((Array(keyword.rawValue.utf8), keyword))
    }
}

/// A token of the rule language, with the range it covers.
struct Token: Equatable {
    /// What the token is, with what it carries.
    enum Kind: Equatable {
        case keyword(Keyword)
        /// A word that is no keyword: a variable name, or a misspelt keyword.
        case identifier(String)
        case string(StringLiteral)
        case regex(RegexLiteral)
        /// A size or number; K, M and G already multiplied in.
        case number(Int)
        /// `~`, or `!~` when negated.
        case matchOperator(isNegated: Bool)
        case comparison(SizeComparison)
        case equals, comma, openBrace, closeBrace, openParen, closeParen
        /// A line break, with any blank or comment lines after it.
        case newline
        case semicolon
        case end
        /// Something the lexer already reported; the parser skips the statement without a second message.
        case invalid
    }

    /// What the token is.
    let kind: Kind
    /// Where it is written.
    let range: SourceRange

    /// True for the tokens that end a statement.
    var isTerminator: Bool {
        switch kind {
        case .newline, .semicolon: true
        default: false
        }
    }

    // These and `if case` stand in for `==` on kinds, which copies payloads and costs ~100 instructions
    // per call: the parser asks several times per token.

    /// True if the token is `keyword`.
    func isKeyword(_ keyword: Keyword) -> Bool {
        if case .keyword(let found) = kind { found == keyword } else { false }
    }

    /// True for `{`.
    var isOpenBrace: Bool {
        if case .openBrace = kind { true } else { false }
    }

    /// How a message names the token: "'deliver'", "a string", "end of line".
    var description: String {
        switch kind {
        case .keyword(let keyword): "'\(keyword.rawValue)'"
        case .identifier(let word): "'\(word)'"
        case .string: "a string"
        case .regex: "a regular expression"
        case .number: "a number"
        case .matchOperator(let isNegated): isNegated ? "'!~'" : "'~'"
        case .comparison(let comparison): "'\(comparison.rawValue)'"
        case .equals: "'='"
        case .comma: "','"
        case .openBrace: "'{'"
        case .closeBrace: "'}'"
        case .openParen: "'('"
        case .closeParen: "')'"
        case .newline: "end of line"
        case .semicolon: "';'"
        case .end: "end of file"
        case .invalid: "an invalid token"
        }
    }
}
