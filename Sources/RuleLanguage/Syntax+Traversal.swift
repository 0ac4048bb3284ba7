// Walks over the syntax tree that the checker, the evaluator and the loader share.

extension RuleFile {
    /// Every name a `set` assigns, wherever it stands.
    public var assignedNames: Set<String> { Set(statements.assignments.map(\.name)) }

    /// Every regex literal in file order, e.g. for a loader that compiles them all up front.
    public var regexes: [RegexLiteral] {
        var regexes: [RegexLiteral] = []
        forEachTest { if case .match(_, let regex, _) = $0.kind { regexes.append(regex) } }
        return regexes
    }

    /// Calls `body` with every test in file order, nested ones included, building no arrays on the way: the
    /// loader walks every test of a 1000-rule file on each delivery.
    public func forEachTest(_ body: (Test) -> Void) {
        statements.forEachCondition { $0.forEachTest(body) }
    }

    /// Every regex of a match test with whether its target is searched multiline (`headers`, `body`), in file
    /// order: what a loader compiles up front, with the flags evaluation will use.
    public var matchRegexes: [(RegexLiteral, multiline: Bool)] {
        var regexes: [(RegexLiteral, multiline: Bool)] = []
        forEachTest { test in
            if case .match(let target, let regex, _) = test.kind { regexes.append((regex, target.isMultiline)) }
        }
        return regexes
    }

    /// The `include` statements anywhere in the file, by the offset of the statement, with their path literal.
    public var includeStatements: [(offset: Int, path: StringLiteral)] {
        var found: [(Int, StringLiteral)] = []
        statements.forEachStatement { statement in
            if case .include(let path) = statement.kind { found.append((statement.range.start.offset, path)) }
        }
        return found
    }

    /// True if some test is `duplicate`: only then does delivery record Message-IDs (SPEC §5.2).
    public var usesDuplicateTest: Bool {
        var found = false
        forEachTest { if case .duplicate = $0.kind { found = true } }
        return found
    }
}

extension [Statement] {
    /// Calls `body` with the condition of every branch, in file order, nested ones included.
    func forEachCondition(_ body: (Condition) -> Void) {
        for statement in self {
            guard case .if(let conditional) = statement.kind else { continue }
            for branch in conditional.branches {
                body(branch.condition)
                branch.block.statements.forEachCondition(body)
            }
            conditional.elseBlock?.statements.forEachCondition(body)
        }
    }

    /// Calls `body` with every statement, in file order, nested ones included.
    func forEachStatement(_ body: (Statement) -> Void) {
        for statement in self {
            body(statement)
            guard case .if(let conditional) = statement.kind else { continue }
            for branch in conditional.branches { branch.block.statements.forEachStatement(body) }
            conditional.elseBlock?.statements.forEachStatement(body)
        }
    }

    /// Every `set` in these statements and the blocks nested in them.
    var assignments: [Assignment] {
        flatMap { statement -> [Assignment] in
            switch statement.kind {
            case .set(let assignment): [assignment]
            case .if(let conditional):
                conditional.branches.flatMap(\.block.statements.assignments)
                    + (conditional.elseBlock?.statements.assignments ?? [])
            case .include, .action, .deferred: []
            }
        }
    }
}

extension Condition {
    /// Calls `body` with each test in this condition, left to right.
    func forEachTest(_ body: (Test) -> Void) {
        switch kind {
        case .test(let test): body(test)
        case .not(let operand): operand.forEachTest(body)
        case .and(let operands), .or(let operands): for operand in operands { operand.forEachTest(body) }
        }
    }

    /// The regex literals in this condition, left to right.
    public var regexes: [RegexLiteral] {
        var regexes: [RegexLiteral] = []
        forEachTest { if case .match(_, let regex, _) = $0.kind { regexes.append(regex) } }
        return regexes
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

extension Statement {
    /// The positive match tests this statement cannot act without, if it has such a set: an `if` without `else`
    /// (and no `include`, which the loader must see) whose every branch condition implies one of the tests. Then a
    /// message matching none of them makes every condition false, and the statement does nothing.
    public var screen: [Test]? {
        guard case .if(let conditional) = kind, conditional.elseBlock == nil else { return nil }
        var includes = false
        conditional.branches.forEach { $0.block.statements.forEachStatement { includes = includes || $0.isInclude } }
        guard !includes else { return nil }
        var tests: [Test] = []
        for branch in conditional.branches {
            guard let implied = branch.condition.impliedTests else { return nil }
            tests += implied
        }
        return tests
    }

    private var isInclude: Bool { if case .include = kind { true } else { false } }
}

extension Condition {
    /// Tests at least one of which holds whenever this condition does: the test itself for a positive match, one
    /// operand's for `and`, every operand's for `or`; nil for `not`, `!~` and tests that are no regex match.
    ///
    /// For `and` only an operand with no regex before it: evaluation stops at the first false operand, and a regex
    /// it would have run first could have logged a note (a PCRE2 limit) that skipping the statement would lose.
    var impliedTests: [Test]? {
        switch kind {
        case .test(let test):
            guard case .match(_, _, isNegated: false) = test.kind else { return nil }
            return [test]
        case .not: return nil
        case .and(let operands):
            for operand in operands {
                if let implied = operand.impliedTests { return implied }
                var runsRegex = false
                operand.forEachTest { if case .match = $0.kind { runsRegex = true } }
                if runsRegex { return nil }
            }
            return nil
        case .or(let operands):
            var tests: [Test] = []
            for operand in operands {
                guard let implied = operand.impliedTests else { return nil }
                tests += implied
            }
            return tests
        }
    }
}

extension MatchTarget {
    /// `headers` and `body` search many lines, so `^` and `$` work per line there (SPEC §5.2).
    public var isMultiline: Bool {
        switch self {
        case .headers, .body: true
        default: false
        }
    }
}
