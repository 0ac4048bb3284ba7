import MessageFormat
import PatternMatching
import RuleLanguage

extension Evaluator {
    /// `not` binds tightest, then `and`, then `or`; both short-circuit left to right (SPEC §5.2). Captures of
    /// every regex test that held on the way are collected for the block.
    func holds(_ condition: Condition, captures: inout Captures) -> Bool {
        switch condition.kind {
        case .test(let test): return holds(test, captures: &captures)
        case .not(let operand):
            var ignored = captures
            return !holds(operand, captures: &ignored)
        case .and(let operands): return operands.allSatisfy { holds($0, captures: &captures) }
        case .or(let operands): return operands.contains { holds($0, captures: &captures) }
        }
    }

    func holds(_ test: Test, captures: inout Captures) -> Bool {
        let outcome: TestOutcome
        switch test.kind {
        case .match(let target, let regex, let isNegated):
            outcome = match(target, regex, isNegated: isNegated, captures: &captures)
        case .headerExists(let names):
            var exists = false
            forEachField(named: names.lazy.map(\.name)) { _ in
                exists = true
                return false
            }
            outcome = exists ? .matched(text: nil, captures: []) : .notMatched
        case .size(let comparison, let limit):
            outcome = compare(message.size, comparison, limit) ? .matched(text: "\(message.size) bytes", captures: []) : .notMatched
        case .duplicate:
            let days = Int(scope.value(of: "duplicatedays")) ?? 7
            outcome = delegate.isDuplicate(message, days: days) ? .matched(text: nil, captures: []) : .notMatched
        }
        guard tracing else { return outcome.held }
        let event = TraceEvent(kind: .test(description: describe(test), outcome: outcome), location: location(test.range))
        trace.append(event)
        if !outcome.held { lastFailedTest = event }
        return outcome.held
    }

    private func compare(_ size: Int, _ comparison: SizeComparison, _ limit: Int) -> Bool {
        switch comparison {
        case .less: size < limit
        case .lessOrEqual: size <= limit
        case .greater: size > limit
        case .greaterOrEqual: size >= limit
        }
    }

    /// Some value of the target matches (`~`), or none does (`!~`). A PCRE2 limit makes the test false either
    /// way, and is logged: a runaway pattern must not decide where mail goes.
    private func match(_ target: MatchTarget, _ regex: RegexLiteral, isNegated: Bool, captures: inout Captures) -> TestOutcome {
        guard let pattern = pattern(for: regex, target) else {
            return .limitExceeded("the regular expression does not compile")  // the loader voids such files first
        }
        var outcome: TestOutcome?
        forEachValue(of: target) { value in
            switch matcher.firstMatch(of: pattern, in: value) {
            case .matched(let match):
                outcome = isNegated ? .notMatched : matched(match, captures: &captures)
            case .noMatch: return true
            case .limitExceeded(let reason):
                note("regex \(regex.text) stopped by the \(reason) limit; counted as no match", at: regex.range)
                outcome = .limitExceeded("\(reason) limit")
            case .failed(_, let message):
                note("regex \(regex.text) failed: \(message); counted as no match", at: regex.range)
                outcome = .limitExceeded(message)
            }
            return false
        }
        if let outcome { return outcome }
        return isNegated ? .matched(text: nil, captures: []) : .notMatched
    }

    /// Whether no test of a deferred statement's screen matches, so the statement cannot act. A match, a PCRE2
    /// limit or a screen that cannot be read leaves the question to the statement's own evaluation, which logs a
    /// limit where it belongs.
    /// `names` is the message's field-name index, which the caller keeps while the message does not change.
    func screenRulesOut(_ screen: UnsafeRawBufferPointer, names: FieldNameIndex) -> Bool {
        var ruledOut = true
        let readable = Screen.forEachTest(in: screen) { test in
            ruledOut = noValueMatches(test, names: names)
            return ruledOut
        }
        return readable && ruledOut
    }

    private func noValueMatches(_ test: Screen.Probe, names: FieldNameIndex) -> Bool {
        // True to go on (this value cannot match); false stops at a value that may. The pattern is looked up (and
        // decoded from the compiled file) only for a value holding its required text. A local function, not a
        // closure in a variable: that would escape, and box and check every variable it shares.
        func search(_ value: [UInt8]) -> Bool {
            if !test.required.isEmpty,
                !value.withUnsafeBytes({ RequiredText.value($0, contains: test.required, caseless: test.caseless) })
            {
                return true
            }
            guard let pattern = patterns.pattern(unit: unit, index: test.pattern),
                case .noMatch = matcher.firstMatch(of: pattern, in: value)
            else { return false }
            return true
        }
        if let target = test.namelessTarget { return forEachValue(of: target, search) }
        var noMatch = true
        test.forEachName { name in
            noMatch = forEachField(named: name, in: names) { forEachValue(of: $0, as: test.target, search) }
            return noMatch
        }
        return noMatch
    }

    private func matched(_ match: Match, captures: inout Captures) -> TestOutcome {
        let found = Self.captures(of: match)
        captures.merge(found)
        guard tracing else { return .matched(text: nil, captures: []) }
        let named = found.named.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        let numbered = found.numbered.enumerated().dropFirst().compactMap { index, text in text.map { ("\(index)", $0) } }
        return .matched(text: match.text(of: 0), captures: numbered + named)
    }

    static func captures(of match: Match) -> Captures {
        var captures = Captures()
        captures.numbered = (0..<min(10, match.groups.count)).map { match.text(of: $0) }
        for group in match.groupNames {
            if let text = match.text(of: group.name) { captures.named[group.name] = text }
        }
        return captures
    }

    /// The loader's compiled pattern for the regex literal in the current file, else one compiled now.
    private func pattern(for regex: RegexLiteral, _ target: MatchTarget) -> Pattern? {
        if let known = patterns.pattern(unit: unit, offset: regex.range.start.offset) { return known }
        let flags = target.isMultiline ? regex.flags.union(.multiline) : regex.flags
        return try? patterns.pattern(source: regex.source, flags: flags).get()
    }

    /// Calls `body` with each value the target stands for (SPEC §5.2), each tested on its own, until it returns
    /// false; false if it did. Header values are passed as stored: a 1000-rule file tests headers a thousand times
    /// per delivery.
    @discardableResult
    func forEachValue(of target: MatchTarget, _ body: ([UInt8]) -> Bool) -> Bool {
        switch target {
        case .header(let names), .rawHeader(let names), .address(let names):
            let tag = target.parts.tag
            return forEachField(named: names.lazy.map(\.name)) { forEachValue(of: $0, as: tag, body) }
        case .headers: return body(message.header.unfoldedText)
        case .body: return body(message.bodyText)
        case .rawBody: return body(message.rawBody)
        case .subject: return forEachField(named: CollectionOfOne("Subject")) { body($0.decodedBytes) }
        case .from: return forEachField(named: CollectionOfOne("From")) { body($0.decodedBytes) }
        case .to: return forEachField(named: ["To", "Cc"]) { body($0.decodedBytes) }
        case .sender: return body(Array((message.envelope.sender ?? "").utf8))
        case .recipient: return body(Array((message.envelope.recipient ?? "").utf8))
        case .extension: return body(Array((message.envelope.extension ?? "").utf8))
        }
    }

    /// Calls `body` with each value one field gives a target of kind `tag` until it returns false; false if it did.
    private func forEachValue(of field: HeaderField, as tag: MatchTarget.Tag, _ body: ([UInt8]) -> Bool) -> Bool {
        switch tag {
        case .rawHeader: body(field.rawValue)
        case .address: AddressList.addrSpecs(in: field.rawValue).allSatisfy { body(Array($0.utf8)) }
        default: body(field.decodedBytes)
        }
    }

    /// The fields of each name (as written in a rule) in turn, in message order, until `body` returns false; false
    /// if it did.
    @discardableResult
    private func forEachField(named names: some Sequence<String>, _ body: (HeaderField) -> Bool) -> Bool {
        for var name in names {
            guard name.withUTF8({ forEachField(named: UnsafeRawBufferPointer($0), body) }) else { return false }
        }
        return true
    }

    /// The message's index of field names, built once per version of the message and stored only when new: each
    /// access to the evaluator's stored properties is a run-time exclusivity check (screening keeps the index while
    /// no statement runs).
    func fieldNames() -> FieldNameIndex {
        if let known = fieldNameIndex { return known }
        let built = FieldNameIndex(message.header.fields)
        fieldNameIndex = built
        return built
    }

    /// The fields called `name` (any ASCII case) in message order, until `body` returns false; false if it did.
    private func forEachField(
        named name: UnsafeRawBufferPointer, in names: FieldNameIndex? = nil, _ body: (HeaderField) -> Bool
    ) -> Bool {
        var more = true
        (names ?? fieldNames()).forEachField(named: name) { field in
            more = body(field)
            return more
        }
        return more
    }
}
