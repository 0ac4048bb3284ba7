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
            outcome = names.contains { !message.header.fields(named: $0.name).isEmpty } ? .matched(text: nil, captures: []) : .notMatched
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
        let flags = target.isMultiline ? regex.flags.union(.multiline) : regex.flags
        guard case .success(let pattern) = patterns.pattern(source: regex.source, flags: flags) else {
            return .limitExceeded("the regular expression does not compile")  // the loader voids such files first
        }
        for value in values(of: target) {
            switch matcher.firstMatch(of: pattern, in: value) {
            case .matched(let match):
                if isNegated { return .notMatched }
                let found = Self.captures(of: match)
                captures.merge(found)
                guard tracing else { return .matched(text: nil, captures: []) }
                let named = found.named.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
                let numbered = found.numbered.enumerated().dropFirst().compactMap { index, text in text.map { ("\(index)", $0) } }
                return .matched(text: match.text(of: 0), captures: numbered + named)
            case .noMatch: continue
            case .limitExceeded(let reason):
                note("regex \(regex.text) stopped by the \(reason) limit; counted as no match", at: regex.range)
                return .limitExceeded("\(reason) limit")
            case .failed(_, let message):
                note("regex \(regex.text) failed: \(message); counted as no match", at: regex.range)
                return .limitExceeded(message)
            }
        }
        return isNegated ? .matched(text: nil, captures: []) : .notMatched
    }

    static func captures(of match: Match) -> Captures {
        var captures = Captures()
        captures.numbered = (0..<min(10, match.groups.count)).map { match.text(of: $0) }
        for group in match.groupNames {
            if let text = match.text(of: group.name) { captures.named[group.name] = text }
        }
        return captures
    }

    /// The values a target stands for, each tested on its own (SPEC §5.2).
    func values(of target: MatchTarget) -> [[UInt8]] {
        switch target {
        case .header(let names): names.flatMap { message.header.fields(named: $0.name).map(\.decodedBytes) }
        case .rawHeader(let names): names.flatMap { message.header.fields(named: $0.name).map(\.rawValue) }
        case .address(let names):
            names.flatMap { message.header.fields(named: $0.name).flatMap { AddressList.addrSpecs(in: $0.rawValue).map { Array($0.utf8) } } }
        case .headers: [message.header.unfoldedText]
        case .body: [message.bodyText]
        case .rawBody: [message.rawBody]
        case .subject: message.header.fields(named: "Subject").map(\.decodedBytes)
        case .from: message.header.fields(named: "From").map(\.decodedBytes)
        case .to: (message.header.fields(named: "To") + message.header.fields(named: "Cc")).map(\.decodedBytes)
        case .sender: [Array((message.envelope.sender ?? "").utf8)]
        case .recipient: [Array((message.envelope.recipient ?? "").utf8)]
        case .extension: [Array((message.envelope.extension ?? "").utf8)]
        }
    }
}
