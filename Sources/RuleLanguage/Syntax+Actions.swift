/// One action of SPEC §5.3.
public struct Action: Equatable, Sendable {
    /// The action and its operands.
    public enum Kind: Equatable, Sendable {
        /// `deliver "Folder"`, or `copy "Folder"` (also spelt `copy deliver "Folder"`) when `isCopy`.
        case deliver(folder: StringLiteral, isCopy: Bool)
        /// `discard`
        case discard
        /// `forward "addr", …`, or `copy forward …` when `isCopy`.
        case forward(addresses: [StringLiteral], isCopy: Bool)
        /// `pipe "program args…"`, or `copy pipe …` when `isCopy`.
        case pipe(Command, isCopy: Bool)
        /// `filter "program args…"`: the program's output replaces the message.
        case filter(Command)
        /// `reject "text"`: exit 77 with the text.
        case reject(StringLiteral)
        /// `defer "text"`: exit 75.
        case `defer`(StringLiteral)
        /// `add header "Name" "value"`
        case addHeader(HeaderName, value: StringLiteral)
        /// `remove header "Name"`
        case removeHeader(HeaderName)
        /// `flag seen|flagged|answered|draft`
        case flag(MessageFlag)
        /// `log "text"`
        case log(StringLiteral)
        /// `stop`
        case stop
    }

    /// The action and its operands.
    public var kind: Kind
    /// From the action's first word to its last operand.
    public var range: SourceRange

    /// True if the action ends the evaluation (SPEC §5.3, column "final").
    public var isFinal: Bool {
        switch kind {
        case .deliver(_, let isCopy), .forward(_, let isCopy), .pipe(_, let isCopy): !isCopy
        case .discard, .reject, .defer, .stop: true
        case .filter, .addHeader, .removeHeader, .flag, .log: false
        }
    }

    /// The action's first word as written, e.g. "deliver" or "copy", for messages and traces.
    public var keyword: String {
        switch kind {
        case .deliver(_, let isCopy): isCopy ? "copy" : "deliver"
        case .forward(_, let isCopy): isCopy ? "copy forward" : "forward"
        case .pipe(_, let isCopy): isCopy ? "copy pipe" : "pipe"
        case .discard: "discard"
        case .filter: "filter"
        case .reject: "reject"
        case .defer: "defer"
        case .addHeader: "add header"
        case .removeHeader: "remove header"
        case .flag: "flag"
        case .log: "log"
        case .stop: "stop"
        }
    }
}

/// The Maildir flags a rule can set (SPEC §4: they move the file to `cur/` with `:2,` flags).
public enum MessageFlag: String, CaseIterable, Equatable, Sendable {
    /// `S`
    case seen
    /// `F`
    case flagged
    /// `R`
    case answered
    /// `D`
    case draft
}

/// A header name, checked at parse time to be a valid field name (printable ASCII, no ':').
public struct HeaderName: Equatable, Sendable {
    /// The name as written; compared case-insensitively when matching.
    public var name: String
    /// Where its string literal is written.
    public var range: SourceRange
}
