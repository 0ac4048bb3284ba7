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
        guard !tracing, let compiled = current.compiledStatements else {
            return run(current.statements, topLevel: true)
        }
        return runScreened(compiled, keptWhole: current.file.statements)
    }

    /// Runs a compiled file's top-level statements, making a statement of a deferred one only when its screen does
    /// not rule it out (most of a big file ends there).
    private func runScreened(_ compiled: CompiledStatements, keptWhole: [Statement]) -> Flow {
        compiled.bytes.withUnsafeBytes { bytes in
            // The message's field names, kept until a statement runs: a statement may edit the header.
            var names: FieldNameIndex?
            for entry in compiled.entries {
                let statement: Statement
                switch entry {
                case .whole(let index):
                    statement = keptWhole[index]
                case .deferred(let screen, let encoded, let range):
                    let current = names ?? fieldNames()
                    names = current
                    if screenRulesOut(UnsafeRawBufferPointer(rebasing: bytes[screen]), names: current) { continue }
                    statement = compiled.statement(encoded: encoded, range: range)
                }
                names = nil
                if runTopLevel(statement) == .stop { return .stop }
            }
            return .next
        }
    }

    /// Runs statements in order.
    func run(_ statements: [Statement], topLevel: Bool = false) -> Flow {
        for statement in statements {
            let flow = topLevel ? runTopLevel(statement) : run(statement)
            if flow == .stop { return .stop }
        }
        return .next
    }

    /// A top-level statement: a conditional that fails keeps its closest test, for the trace's "why not".
    private func runTopLevel(_ statement: Statement) -> Flow {
        lastFailedTest = nil
        let flow = run(statement)
        if let failed = lastFailedTest, statement.isConditional { closest.append(failed) }
        return flow
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
