import PatternMatching

/// Parses and checks `source` the way `roost check` does: syntax errors, every regex compiled (errors
/// with the column in the rule file), and the warnings of SPEC §5.6, all in file order.
public func check(_ source: SourceFile) -> (RuleFile, [Diagnostic]) {
    let (file, syntaxDiagnostics) = parse(source)
    return (file, (syntaxDiagnostics + Checker().check(file)).inFileOrder())
}

/// Finds what parsing alone cannot: regex compile errors, and the warnings of SPEC §5.6 — statements
/// after an unconditional final action, unknown variables, folder names that cannot exist.
///
/// Delivery does not run it: it compiles a regex when a rule first reaches it (SPEC §9) and turns a
/// failure into a diagnostic with `RegexLiteral.diagnostic(for:)`.
public struct Checker {
    /// Creates a checker.
    public init() {}

    /// The checker's diagnostics for `file`, in file order.
    public func check(_ file: RuleFile) -> [Diagnostic] {
        var walk = CheckWalk(assigned: file.assignedNames)
        walk.visit(file.statements, in: CaptureScope())
        walk.warnAboutMisspeltSettings(file.statements)
        return walk.diagnostics.inFileOrder()
    }
}

extension RegexLiteral {
    /// The rule-file diagnostic for a compile error of this regex: PCRE2's message, and the caret under
    /// the byte PCRE2's offset names (at the closing slash when the pattern ended too soon).
    public func diagnostic(for error: PatternError) -> Diagnostic {
        var index = min(max(error.offset, 0), source.count)
        while index > 0, index < source.count, isContinuationByte(source[index]) { index -= 1 }
        let location = SourceLocation(
            offset: range.start.offset + 1 + index, line: range.start.line,
            column: range.start.column + 1 + characterCount(source.prefix(index)))
        return Diagnostic(.error, "\(error.message) in regular expression", at: SourceRange(location, range.end))
    }
}

/// The captures a block can read: those of the regexes in the conditions of its enclosing `if`s.
struct CaptureScope {
    /// The named groups of the regexes in scope.
    var names: Set<String> = []
    /// The most numbered groups any regex in scope has.
    var groupCount = 0
    /// True once some enclosing condition has a regex, so `$0` has a value.
    var hasRegex = false
    /// A regex in scope did not compile, so its groups are unknown and no capture is questioned.
    var isUncertain = false
}

/// One pass over the syntax tree, collecting diagnostics.
struct CheckWalk {
    private let patterns = PatternCache()
    /// Every name some `set` assigns, wherever it stands.
    let assigned: Set<String>
    /// Every name some string interpolates.
    var interpolated: Set<String> = []
    /// What the walk found.
    var diagnostics: [Diagnostic] = []

    /// A walk that knows the names some `set` assigns.
    init(assigned: Set<String>) { self.assigned = assigned }

    /// Checks a statement list; the first statement after one that always ends the evaluation is unreachable.
    mutating func visit(_ statements: [Statement], in scope: CaptureScope) {
        var ending: String?
        for statement in statements {
            if let reason = ending {
                diagnostics.append(Diagnostic(.warning, "statement is never reached", at: statement.range, hint: reason))
                ending = nil
            } else {
                ending = Self.endingReason(statement)
            }
            visit(statement, in: scope)
        }
    }

    private mutating func visit(_ statement: Statement, in scope: CaptureScope) {
        switch statement.kind {
        case .if(let conditional):
            for branch in conditional.branches {
                visit(branch.block.statements, in: compileRegexes(in: branch.condition, into: scope))
            }
            if let elseBlock = conditional.elseBlock { visit(elseBlock.statements, in: scope) }
        case .set(let assignment):
            checkInterpolations(in: assignment.value, scope: scope)
            if assignment.name == "default" { checkFolderName(assignment.value) }
        case .include(let path): checkInterpolations(in: path, scope: scope)
        case .action(let action): visit(action, in: scope)
        case .deferred: break  // only compiled files hold these, and they were checked when compiled
        }
    }

    private mutating func visit(_ action: Action, in scope: CaptureScope) {
        for literal in action.strings { checkInterpolations(in: literal, scope: scope) }
        if case .deliver(let folder, _) = action.kind { checkFolderName(folder) }
    }

    /// Compiles the condition's regexes, reporting errors, and adds their groups to the scope.
    private mutating func compileRegexes(in condition: Condition, into outer: CaptureScope) -> CaptureScope {
        var scope = outer
        for regex in condition.regexes {
            scope.hasRegex = true
            switch patterns.pattern(source: regex.source, flags: regex.flags) {
            case .success(let pattern):
                scope.groupCount = max(scope.groupCount, pattern.captureCount)
                scope.names.formUnion(pattern.groupNames.map(\.name))
            case .failure(let error):
                diagnostics.append(regex.diagnostic(for: error))
                scope.isUncertain = true
            }
        }
        return scope
    }

    /// Why nothing after `statement` runs, or nil if something may.
    private static func endingReason(_ statement: Statement) -> String? {
        switch statement.kind {
        case .action(let action) where action.isFinal:
            return "'\(action.keyword)' on line \(action.range.start.line) always ends the evaluation"
        case .if(let conditional):
            guard let elseBlock = conditional.elseBlock,
                conditional.branches.allSatisfy({ endsAlways($0.block) }), endsAlways(elseBlock)
            else { return nil }
            return "every branch of the 'if' on line \(statement.range.start.line) ends the evaluation"
        default: return nil
        }
    }

    private static func endsAlways(_ block: Block) -> Bool {
        block.statements.contains { endingReason($0) != nil }
    }
}
