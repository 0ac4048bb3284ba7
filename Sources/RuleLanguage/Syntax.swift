// The syntax tree of a rule file (SPEC §5): plain Equatable, Sendable values, each node with its range.

/// A parsed rule file: its statements in order (SPEC §5.1).
public struct RuleFile: Equatable, Sendable {
    /// The top-level statements.
    public var statements: [Statement]

    /// Creates a file from its statements (a parser's, or a compiled file's).
    public init(statements: [Statement]) { self.statements = statements }
}

/// One statement: a conditional, an assignment, an include or an action.
public struct Statement: Equatable, Sendable {
    /// What the statement does.
    public enum Kind: Equatable, Sendable {
        /// `if COND { … } else if COND { … } else { … }`
        case `if`(IfStatement)
        /// `set NAME = "string"`
        case set(Assignment)
        /// `include "path"`: another rule file, evaluated here
        case include(StringLiteral)
        /// An action of SPEC §5.3.
        case action(Action)
        /// A top-level `if` still in a compiled rule file's encoding, decoded only when evaluation needs it.
        case deferred(DeferredStatement)
    }

    /// What the statement does.
    public var kind: Kind
    /// From its first keyword to its last token (the closing `}` of an `if`).
    public var range: SourceRange

    /// Creates a statement.
    @inlinable
    public init(kind: Kind, range: SourceRange) {
        self.kind = kind
        self.range = range
    }
}

/// A top-level `if` kept encoded (`RuleFileCodec.encode(statement:)`) until evaluation needs it. Its file keeps
/// the statement's screen beside it (`Statement.screen`): a message that matches none of those tests skips the
/// statement without decoding it. A 1000-rule file decoded in full costs more than the rest of a delivery; most of
/// its rules never match a given message.
public struct DeferredStatement: Equatable, Sendable {
    /// The statement's encoding.
    public var encoded: ArraySlice<UInt8>

    /// Creates a deferred statement.
    @inlinable
    public init(encoded: ArraySlice<UInt8>) {
        self.encoded = encoded
    }
}

/// `if` with its `else if` branches and an optional `else`.
public struct IfStatement: Equatable, Sendable {
    /// The `if` branch first, then each `else if`, in order; the first whose condition holds runs.
    public var branches: [Branch]
    /// The `else` block, run when no branch's condition holds.
    public var elseBlock: Block?
}

/// A condition and the block it guards.
public struct Branch: Equatable, Sendable {
    /// The condition after `if` or `else if`.
    public var condition: Condition
    /// The block run when the condition holds; a regex's captures live only inside it (SPEC §5.4).
    public var block: Block
}

/// `{ statements }`.
public struct Block: Equatable, Sendable {
    /// The statements between the braces.
    public var statements: [Statement]
    /// From `{` to `}`.
    public var range: SourceRange
}

/// `set NAME = "value"` (SPEC §5.5).
public struct Assignment: Equatable, Sendable {
    /// The variable's name, as written.
    public var name: String
    /// Where the name is written.
    public var nameRange: SourceRange
    /// The value, interpolated when the statement runs.
    public var value: StringLiteral
}

/// A combination of tests: `not` binds tightest, then `and`, then `or` (SPEC §5.2).
public struct Condition: Equatable, Sendable {
    /// The operator, or the single test.
    public enum Kind: Equatable, Sendable {
        /// One test.
        case test(Test)
        /// `not COND`
        indirect case not(Condition)
        /// `A and B and …`, two or more operands, evaluated left to right until one fails.
        case and([Condition])
        /// `A or B or …`, two or more operands, evaluated left to right until one holds.
        case or([Condition])
    }

    /// The operator, or the single test.
    public var kind: Kind
    /// The whole condition; a parenthesised one without its parentheses.
    public var range: SourceRange
}

/// One test of SPEC §5.2.
public struct Test: Equatable, Sendable {
    /// What is tested.
    public enum Kind: Equatable, Sendable {
        /// `TARGET ~ /re/`, or `TARGET !~ /re/` when negated.
        case match(MatchTarget, RegexLiteral, isNegated: Bool)
        /// `header "Name"[, "Name2"…] exists`
        case headerExists([HeaderName])
        /// `size < N` and the other comparisons; N in bytes, K/M/G already applied.
        case size(SizeComparison, Int)
        /// `duplicate`: the Message-ID was delivered within `duplicatedays`.
        case duplicate
    }

    /// What is tested.
    public var kind: Kind
    /// From the test's first word to its regex or number.
    public var range: SourceRange
}

/// The value a regex test looks at (SPEC §5.2).
public enum MatchTarget: Equatable, Sendable {
    /// `header "Name", …`: unfolded, trimmed, RFC 2047 decoded values.
    case header([HeaderName])
    /// `raw header "Name", …`: the same without decoding.
    case rawHeader([HeaderName])
    /// `address "Name", …`: each addr-spec in those headers.
    case address([HeaderName])
    /// `headers`: the whole unfolded header block, multiline.
    case headers
    /// `body`: the decoded text of the body, multiline.
    case body
    /// `raw body`: the body bytes as stored.
    case rawBody
    /// `subject`: the Subject header.
    case subject
    /// `from`: the From header.
    case from
    /// `to`: the To and Cc headers.
    case to
    /// `sender`: the envelope sender.
    case sender
    /// `recipient`: the envelope recipient.
    case recipient
    /// `extension`: the recipient's address extension.
    case `extension`
}

/// The operators of a `size` test.
public enum SizeComparison: String, Equatable, Sendable {
    /// `<`
    case less = "<"
    /// `<=`
    case lessOrEqual = "<="
    /// `>`
    case greater = ">"
    /// `>=`
    case greaterOrEqual = ">="
}
