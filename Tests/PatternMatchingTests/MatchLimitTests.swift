import Testing

@testable import PatternMatching

private let megabyte = 1 << 20

@Test("^(a+)+$ on a 1 MB subject is stopped by a limit")
func catastrophicOnOneLine() throws {
    let subject = [UInt8](repeating: UInt8(ascii: "a"), count: megabyte - 1) + [UInt8(ascii: "!")]
    let pattern = try Pattern.compile(source: "^(a+)+$")
    #expect(pattern.firstMatch(in: subject) == .limitExceeded(.workLimit))
    let perPosition = MatchLimits(matchLimit: 100_000, depthLimit: 100_000, heapLimitKiB: 8192, workLimit: 10_000_000)
    #expect(pattern.firstMatch(in: subject, limits: perPosition) == .limitExceeded(.matchLimit))
}

@Test("a multiline catastrophe over many short lines is stopped by the work limit")
func catastrophicOverManyLines() throws {
    // Each line costs PCRE2 about 2^14 steps: under the per-position match limit, so only the
    // work limit, which counts all start positions together, stops it.
    let line = [UInt8](repeating: UInt8(ascii: "a"), count: 14) + Array("!\n".utf8)
    let subject = Array([[UInt8]](repeating: line, count: megabyte / line.count).joined())
    let pattern = try Pattern.compile(source: "^(a+)+$", flags: .multiline)
    #expect(pattern.firstMatch(in: subject) == .limitExceeded(.workLimit))
}

@Test("the depth and heap limits end a search with a value", arguments: [
    (MatchLimits(matchLimit: 1_000_000, depthLimit: 50, heapLimitKiB: 20_000, workLimit: 10_000_000), 200,
        MatchLimitReason.depthLimit),
    (MatchLimits(matchLimit: 10_000_000, depthLimit: 10_000_000, heapLimitKiB: 64, workLimit: 100_000_000), 100_000,
        MatchLimitReason.heapLimit),
])
func depthAndHeapLimits(limits: MatchLimits, length: Int, reason: MatchLimitReason) throws {
    let subject = [UInt8](repeating: UInt8(ascii: "a"), count: length) + [UInt8(ascii: "!")]
    let pattern = try Pattern.compile(source: "^(a|aa)+$")
    #expect(pattern.firstMatch(in: subject, limits: limits) == .limitExceeded(reason))
}

@Test("ordinary body tests on 1 MB of text finish under the standard limits", arguments: [
    "\\bunsubscribe\\b", "\\b(viagra|c[i1]al[i1]s|lottery)\\b", "[a-z]+@[a-z]+\\.com", "^.*unsubscribe",
    "(?s).*unsubscribe",
])
func ordinaryPatternsOnLargeBodies(source: String) throws {
    let line = Array("Hello world, this is some ordinary text with words and numbers 12345 in it.\n".utf8)
    let subject = Array([[UInt8]](repeating: line, count: megabyte / line.count).joined())
    let pattern = try Pattern.compile(source: source, flags: [.caseless, .multiline])
    #expect(pattern.firstMatch(in: subject) == .noMatch)
}

@Test("one matcher serves patterns with few and many groups, one after the other")
func matcherReuse() throws {
    let matcher = Matcher()
    let many = try Pattern.compile(source: String(repeating: "(a)", count: 20))
    let few = try Pattern.compile(source: "(b)(c)?")
    let subject = Array(String(repeating: "a", count: 20).utf8) + Array("bx".utf8)
    #expect(matcher.firstMatch(of: few, in: subject).match?.groups == [20..<21, 20..<21, nil])
    #expect(matcher.firstMatch(of: many, in: subject).match?.range(of: 20) == 19..<20)
    #expect(matcher.firstMatch(of: few, in: subject).match?.text(of: 1) == "b")
    #expect(matcher.firstMatch(of: many, in: Array("b".utf8)) == .noMatch)
}

@Test("the cache compiles a pattern once and remembers a failure too")
func cache() throws {
    let cache = PatternCache()
    let first = try cache.pattern(source: Array("a+".utf8), flags: []).get()
    let second = try cache.pattern(source: Array("a+".utf8), flags: []).get()
    #expect(first === second)
    _ = cache.pattern(source: Array("a+".utf8), flags: .caseless)
    #expect(cache.count == 2)
    guard case .failure(let error) = cache.pattern(source: Array("(".utf8), flags: []) else {
        Issue.record("an unbalanced parenthesis compiled")
        return
    }
    #expect(error.offset == 1)
    #expect(cache.count == 3)
}
