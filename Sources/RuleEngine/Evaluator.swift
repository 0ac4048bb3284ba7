import MaildirLayout
import MessageFormat
import PatternMatching
import RuleLanguage

/// Walks the rules for one message and decides (SPEC §5): returns the plan and its trace, never performs anything.
public final class Evaluator {
    /// Whether a statement let evaluation go on.
    enum Flow { case next, stop }

    let rules: RuleSet
    let delegate: any EvaluationDelegate
    let patterns: PatternCache
    let matcher: Matcher
    var message: MessageView {
        didSet { fieldNameIndex = nil }
    }
    /// The message's field names, built when a test first asks for a header by name (a big rule file asks
    /// hundreds of times); forgotten whenever an edit or a filter changes the message.
    var fieldNameIndex: FieldNameIndex?
    var scope: Scope
    var unit = 0
    var flags: MaildirFlags = []
    /// Whether a final action other than `stop` ran: then there is no default delivery.
    var finalActionRan = false
    /// How many filters replaced the message so far: each store and program names the version it gets.
    var filterCount = 0
    var plan = DeliveryPlan(stores: [], disposition: .store)
    var trace: [TraceEvent] = []
    var lastFailedTest: TraceEvent?
    var closest: [TraceEvent] = []
    /// The depth of nested includes, bounded like the parser's nesting.
    var includeDepth = 0
    /// Whether tests and actions are recorded: for dry runs and `-v`; a plain delivery skips the cost.
    let tracing: Bool

    /// Prepares an evaluation; `patterns` may hold the regexes the loader already compiled.
    public init(
        rules: RuleSet, message: MessageView, environment: [String: String], delegate: any EvaluationDelegate,
        patterns: PatternCache = PatternCache(), limits: MatchLimits = .standard, tracing: Bool = true
    ) {
        self.tracing = tracing
        self.rules = rules
        self.message = message
        self.delegate = delegate
        self.patterns = patterns
        matcher = Matcher(limits: limits)
        scope = Scope(variables: [:], environment: environment)
    }

    /// Runs every root file in order until a final action, then adds the default delivery if none was final.
    public func evaluate() -> Evaluation {
        var flow = Flow.next
        for root in rules.roots where flow == .next {
            flow = run(unit: root)
        }
        // SPEC §5.3: no final action (or only `stop`) means the default delivery.
        if !finalActionRan, case .store = plan.disposition {
            plan.stores.append(
                DeliveryPlan.Store(
                    target: defaultFolder, flags: flags, editCount: plan.headerEdits.count, contentVersion: filterCount))
            if tracing { trace.append(TraceEvent(kind: .action(description: "deliver to the default folder \(defaultFolder)"))) }
        }
        plan.fallback = defaultFolder
        return Evaluation(plan: plan, trace: trace, closest: plan.rule == nil ? closest : [])
    }

    /// The message after the evaluation: header edits and filters applied.
    public var finalMessage: MessageView { message }

    func run(unit index: Int) -> Flow {
        let saved = unit
        unit = index
        defer { unit = saved }
        let current = rules.units[index]
        guard !tracing, let screens = current.screens else { return run(current.file.statements, topLevel: true) }
        return screens.bytes.withUnsafeBytes { bytes in
            run(current.file.statements, topLevel: true) { index in
                screens.ranges[index].map { screenRulesOut(UnsafeRawBufferPointer(rebasing: bytes[$0])) } ?? false
            }
        }
    }

    /// Runs statements in order; `skips` says which a screen rules out, before the statement is even copied
    /// out of its array (most of a big file ends there).
    func run(_ statements: [Statement], topLevel: Bool = false, skips: (Int) -> Bool = { _ in false }) -> Flow {
        for index in statements.indices where !skips(index) {
            let statement = statements[index]
            if topLevel { lastFailedTest = nil }
            let flow = run(statement)
            if topLevel, let failed = lastFailedTest, statement.isConditional { closest.append(failed) }
            if flow == .stop { return .stop }
        }
        return .next
    }

    func run(_ statement: Statement) -> Flow {
        switch statement.kind {
        case .if(let conditional): runIf(conditional)
        case .set(let assignment): assign(assignment, at: statement.range)
        case .include(let path): include(path, at: statement.range)
        case .action(let action): perform(action)
        case .deferred(let deferred): runDeferred(deferred)
        }
    }

    /// The first branch whose condition holds runs, with that condition's captures; else the `else` block.
    func runIf(_ conditional: IfStatement) -> Flow {
        let outer = scope.captures
        defer { scope.captures = outer }
        for branch in conditional.branches {
            var captures = outer
            if holds(branch.condition, captures: &captures) {
                scope.captures = captures
                lastFailedTest = nil
                return run(branch.block.statements)
            }
        }
        guard let elseBlock = conditional.elseBlock else { return .next }
        return run(elseBlock.statements)
    }

    func location(_ range: SourceRange) -> RuleLocation {
        RuleLocation(file: rules.units[unit].name, line: range.start.line)
    }

    func note(_ text: String, at range: SourceRange?) {
        trace.append(TraceEvent(kind: .note(text), location: range.map(location)))
        plan.logLines.append(range.map { "\(location($0)): \(text)" } ?? text)
    }
}

extension Statement {
    /// An `if`, decoded or still deferred: what "closest" reports on.
    fileprivate var isConditional: Bool {
        switch kind {
        case .if, .deferred: true
        case .set, .include, .action: false
        }
    }
}
