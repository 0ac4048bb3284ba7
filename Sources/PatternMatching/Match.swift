/// Bounds on one search, so a catastrophic pattern costs a bounded amount of CPU and memory (SPEC §8).
public struct MatchLimits: Equatable, Hashable, Sendable {
    /// PCRE2's match limit: backtracking steps from one start position (pcre2_set_match_limit).
    public var matchLimit: UInt32
    /// PCRE2's depth limit: nested backtracking frames (pcre2_set_depth_limit).
    public var depthLimit: UInt32
    /// PCRE2's heap limit for backtracking frames, in KiB (pcre2_set_heap_limit).
    public var heapLimitKiB: UInt32
    /// Pattern steps over the whole search, all start positions together.
    ///
    /// PCRE2 resets its match limit at every start position, so a multiline `^(a+)+$` over a body of
    /// many short lines stays under it at each line and still runs for minutes (measured: 36 s on
    /// 100 KB). Every pattern is compiled with auto-callouts, and the matcher counts them against this.
    public var workLimit: UInt64

    /// Creates limits from their parts.
    public init(matchLimit: UInt32, depthLimit: UInt32, heapLimitKiB: UInt32, workLimit: UInt64) {
        self.matchLimit = matchLimit
        self.depthLimit = depthLimit
        self.heapLimitKiB = heapLimitKiB
        self.workLimit = workLimit
    }

    /// roost's limits for every rule test. The match limit is PCRE2's default: a lower one refuses
    /// `(?s).*unsubscribe` on a 1 MB body, which backtracks once per byte. The work limit is what stops
    /// a catastrophic pattern, after about 0.3 s of CPU on the project machine; ordinary body tests on
    /// 1 MB take under 2 M steps. The heap limit keeps a search's frames within SPEC §9's memory budget.
    public static let standard = MatchLimits(
        matchLimit: 10_000_000, depthLimit: 100_000, heapLimitKiB: 8 * 1024, workLimit: 10_000_000)
}

/// Which limit ended a search.
public enum MatchLimitReason: Equatable, Hashable, Sendable {
    /// `MatchLimits.matchLimit` (PCRE2_ERROR_MATCHLIMIT, -47).
    case matchLimit
    /// `MatchLimits.depthLimit` (PCRE2_ERROR_DEPTHLIMIT, -53).
    case depthLimit
    /// `MatchLimits.heapLimitKiB` (PCRE2_ERROR_HEAPLIMIT, -63).
    case heapLimit
    /// `MatchLimits.workLimit`, counted by roost's callout.
    case workLimit
}

/// The outcome of one search. Every outcome is a value: nothing a message contains can make it trap.
public enum MatchResult: Equatable, Sendable {
    /// The pattern matched; the captures are in the match.
    case matched(Match)
    /// The pattern does not match the subject.
    case noMatch
    /// A limit stopped the search; roost counts the test as not matched and logs it.
    case limitExceeded(MatchLimitReason)
    /// PCRE2 failed otherwise (e.g. out of memory): counted as not matched and logged.
    case failed(code: Int32, message: String)

    /// The match, if there was one.
    public var match: Match? {
        if case .matched(let match) = self { return match }
        return nil
    }
}

/// A successful match: the byte ranges of `$0`…`$n` in the subject, and the subject to read them from.
public struct Match: Equatable, Sendable {
    /// The searched bytes; ranges are offsets from its first byte.
    public let subject: ArraySlice<UInt8>
    /// Group 0 (the whole match) and each capture group; nil for a group that took no part.
    public let groups: [Range<Int>?]
    /// The pattern's named groups.
    public let groupNames: [GroupName]

    /// The bytes group `number` matched, as offsets into the subject.
    public func range(of number: Int) -> Range<Int>? {
        guard groups.indices.contains(number) else { return nil }
        return groups[number]
    }

    /// The bytes the group called `name` matched.
    public func range(of name: String) -> Range<Int>? {
        guard let group = groupNames.first(where: { $0.name == name }) else { return nil }
        return range(of: group.number)
    }

    /// The bytes group `number` matched.
    public func bytes(of number: Int) -> ArraySlice<UInt8>? {
        guard let range = range(of: number) else { return nil }
        let start = subject.startIndex + range.lowerBound
        return subject[start..<(start + range.count)]
    }

    /// The text group `number` matched; invalid UTF-8 becomes U+FFFD.
    public func text(of number: Int) -> String? {
        bytes(of: number).map { String(decoding: $0, as: UTF8.self) }
    }

    /// The text the group called `name` matched; invalid UTF-8 becomes U+FFFD.
    public func text(of name: String) -> String? {
        guard let group = groupNames.first(where: { $0.name == name }) else { return nil }
        return text(of: group.number)
    }
}
