// Walks over the syntax tree that the checker, the evaluator and the loader share.

extension RuleFile {
    /// Every name a `set` assigns, wherever it stands.
    public var assignedNames: Set<String> { Set(statements.assignments.map(\.name)) }

    /// Every regex literal in file order, e.g. for a loader that compiles them all up front.
    public var regexes: [RegexLiteral] {
        statements.flatMap(\.nestedConditions).flatMap(\.regexes)
    }

    /// True if some test is `duplicate`: only then does delivery record Message-IDs (SPEC §5.2).
    public var usesDuplicateTest: Bool {
        statements.flatMap(\.nestedConditions).contains { $0.tests.contains { $0.kind == .duplicate } }
    }
}

extension Statement {
    /// The conditions of this statement and of every statement nested in it, outermost first.
    var nestedConditions: [Condition] {
        guard case .if(let conditional) = kind else { return [] }
        let blocks = conditional.branches.map(\.block) + (conditional.elseBlock.map { [$0] } ?? [])
        return conditional.branches.map(\.condition) + blocks.flatMap(\.statements).flatMap(\.nestedConditions)
    }
}

extension [Statement] {
    /// Every `set` in these statements and the blocks nested in them.
    var assignments: [Assignment] {
        flatMap { statement -> [Assignment] in
            switch statement.kind {
            case .set(let assignment): [assignment]
            case .if(let conditional):
                conditional.branches.flatMap(\.block.statements.assignments)
                    + (conditional.elseBlock?.statements.assignments ?? [])
            case .include, .action: []
            }
        }
    }
}

extension Condition {
    /// The tests in this condition, left to right.
    public var tests: [Test] {
        switch kind {
        case .test(let test): [test]
        case .not(let operand): operand.tests
        case .and(let operands), .or(let operands): operands.flatMap(\.tests)
        }
    }

    /// The regex literals in this condition, left to right.
    public var regexes: [RegexLiteral] {
        tests.compactMap { test in
            if case .match(_, let regex, _) = test.kind { regex } else { nil }
        }
    }
}

extension Action {
    /// The string literals of the action, in order, for checks that look at every interpolation.
    var strings: [StringLiteral] {
        switch kind {
        case .deliver(let literal, _), .reject(let literal), .defer(let literal), .log(let literal): [literal]
        case .forward(let addresses, _): addresses
        case .pipe(let command, _), .filter(let command): [command.literal]
        case .addHeader(_, let value): [value]
        case .discard, .removeHeader, .flag, .stop: []
        }
    }
}
