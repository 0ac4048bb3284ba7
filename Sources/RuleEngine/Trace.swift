/// Where in the rules something happened: `.roostrc:12`.
public struct RuleLocation: Equatable, Sendable, CustomStringConvertible {
    /// The rule file's name as the trace shows it.
    public var file: String
    /// The line.
    public var line: Int

    /// Creates a location.
    public init(file: String, line: Int) {
        self.file = file
        self.line = line
    }

    public var description: String { "\(file):\(line)" }
}

/// One step of an evaluation, for `--dry-run`, `roost test` and `-v` (SPEC §6).
public struct TraceEvent: Equatable, Sendable {
    /// What happened.
    public enum Kind: Equatable, Sendable {
        /// A test was evaluated: its text, and whether it held.
        case test(description: String, outcome: TestOutcome)
        /// An action ran (in a dry run: would run): what it does.
        case action(description: String)
        /// A note: a fallback, a sanitised folder name, a limit.
        case note(String)
    }

    /// What happened.
    public var kind: Kind
    /// Where, if it came from a rule.
    public var location: RuleLocation?
}

/// How a test came out.
public enum TestOutcome: Equatable, Sendable {
    /// It held; for a regex, the matched text and the captures (`$1`…, named).
    case matched(text: String?, captures: [(String, String)])
    /// It did not hold.
    case notMatched
    /// A regex ran into a PCRE2 limit: counted as not holding, and logged.
    case limitExceeded(String)

    /// Whether the test held.
    public var held: Bool {
        if case .matched = self { return true }
        return false
    }

    public static func == (lhs: TestOutcome, rhs: TestOutcome) -> Bool {
        switch (lhs, rhs) {
        case (.matched(let a, let c), .matched(let b, let d)):
            a == b && c.map(\.0) == d.map(\.0) && c.map(\.1) == d.map(\.1)
        case (.notMatched, .notMatched): true
        case (.limitExceeded(let a), .limitExceeded(let b)): a == b
        default: false
        }
    }
}

/// The result of evaluating the rules for one message: the plan, and the trace that explains it.
public struct Evaluation: Equatable, Sendable {
    /// What to do.
    public var plan: DeliveryPlan
    /// Every test and action in order.
    public var trace: [TraceEvent]
    /// For a message that went to the default folder: per top-level rule, the last test that failed (what came
    /// closest to matching: the question procmail users ask most).
    public var closest: [TraceEvent]
}
