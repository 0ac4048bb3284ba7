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
    func screenRulesOut(_ screen: UnsafeRawBufferPointer) -> Bool {
        var ruledOut = true
        let readable = Screen.forEachTest(in: screen) { test in
            ruledOut = noValueMatches(test)
            return ruledOut
        }
        return readable && ruledOut
    }

    private func noValueMatches(_ test: Screen.Probe) -> Bool {
        var noMatch = true
        // The pattern is looked up (and decoded from the compiled file) only for a value holding its required text.
        let search = { (value: [UInt8]) -> Bool in
            if !test.required.isEmpty,
                !value.withUnsafeBytes({ RequiredText.value($0, contains: test.required, caseless: test.caseless) })
            {
                return true
            }
            guard let pattern = self.patterns.pattern(unit: self.unit, index: test.pattern),
                case .noMatch = self.matcher.firstMatch(of: pattern, in: value)
            else {
                noMatch = false
                return false
            }
            return true
        }
        if let target = test.namelessTarget {
            forEachValue(of: target, search)
            return noMatch
        }
        test.forEachName { name in forEachField(named: name) { forEachValue(of: $0, as: test.target, search) } }
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
    /// false. Header values are passed as stored: a 1000-rule file tests headers a thousand times per delivery.
    func forEachValue(of target: MatchTarget, _ body: ([UInt8]) -> Bool) {
        switch target {
        case .header(let names), .rawHeader(let names), .address(let names):
            let tag = target.parts.tag
            forEachField(named: names.lazy.map(\.name)) { forEachValue(of: $0, as: tag, body) }
        case .headers: _ = body(message.header.unfoldedText)
        case .body: _ = body(message.bodyText)
        case .rawBody: _ = body(message.rawBody)
        case .subject: forEachField(named: CollectionOfOne("Subject")) { body($0.decodedBytes) }
        case .from: forEachField(named: CollectionOfOne("From")) { body($0.decodedBytes) }
        case .to: forEachField(named: ["To", "Cc"]) { body($0.decodedBytes) }
        case .sender: _ = body(Array((message.envelope.sender ?? "").utf8))
        case .recipient: _ = body(Array((message.envelope.recipient ?? "").utf8))
        case .extension: _ = body(Array((message.envelope.extension ?? "").utf8))
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

    /// The fields of each name (as written in a rule) in turn, in message order, until `body` returns false.
    private func forEachField(named names: some Sequence<String>, _ body: (HeaderField) -> Bool) {
        for var name in names {
            guard name.withUTF8({ forEachField(named: UnsafeRawBufferPointer($0), body) }) else { return }
        }
    }

    /// The fields called `name` (any ASCII case) in message order, until `body` returns false; false if it did.
    /// Through the message's index of field names, built once per version of the message.
    /// The index's own copy of the fields and a write only when it is new: each access to the evaluator's stored
    /// properties is a run-time exclusivity check, and a thousand screens made three of them each.
    private func forEachField(named name: UnsafeRawBufferPointer, _ body: (HeaderField) -> Bool) -> Bool {
        let names: FieldNameIndex
        if let known = fieldNameIndex {
            names = known
        } else {
            names = FieldNameIndex(message.header.fields)
            fieldNameIndex = names
        }
        var more = true
        names.forEachField(named: name) { field in
            more = body(field)
            return more
        }
        return more
    }
}
