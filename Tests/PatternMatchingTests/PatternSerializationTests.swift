import Testing

@testable import PatternMatching

private let sources: [(String, PatternFlags)] = [
    ("^yes$", .caseless), ("<(?<list>[a-z0-9-]+)\\.", .caseless), ("^b$", .multiline), ("a.b", .dotAll),
    ("a b # comment", .extended), ("caf\u{E9} (\\S+)", []), ("(a)(b)(?<third>c)\\1", []),
]

@Test("serialized patterns decode to patterns that match as the originals do, with their groups and flags")
func serializationRoundTrip() throws {
    let originals = try sources.map { try Pattern.compile(source: $0.0, flags: $0.1) }
    let bytes = try #require(Pattern.serialize(originals))
    let decoded = try #require(bytes.withUnsafeBytes { Pattern.deserialize($0, flags: sources.map(\.1)) })
    #expect(decoded.count == originals.count)
    let subjects = ["YES", "List-Id: <Swift-Users.swift.org>", "a\nb\nc", "a\nb", "ab", "café ok", "abcab", "no"]
    for (original, copy) in zip(originals, decoded) {
        #expect(copy.flags == original.flags)
        #expect(copy.captureCount == original.captureCount)
        #expect(copy.groupNames == original.groupNames)
        for subject in subjects {
            let expected = original.firstMatch(in: Array(subject.utf8)).match.map { ($0.text(of: 0), $0.groups.count) }
            let actual = copy.firstMatch(in: Array(subject.utf8)).match.map { ($0.text(of: 0), $0.groups.count) }
            #expect(expected?.0 == actual?.0 && expected?.1 == actual?.1, "\(subject)")
        }
    }
}

@Test("bytes that are not what serialize wrote, or hold another number of patterns, decode to nil")
func serializationRefusesForeignBytes() throws {
    let bytes = try #require(Pattern.serialize([try Pattern.compile(source: "a+")]))
    #expect(bytes.withUnsafeBytes { Pattern.deserialize($0, flags: [[], []]) } == nil)
    #expect(Array(bytes.prefix(16)).withUnsafeBytes { Pattern.deserialize($0, flags: [[]]) } == nil)
    var otherVersion = bytes
    otherVersion[4] ^= 0xFF
    #expect(otherVersion.withUnsafeBytes { Pattern.deserialize($0, flags: [[]]) } == nil)
    #expect([UInt8](repeating: 0, count: 64).withUnsafeBytes { Pattern.deserialize($0, flags: [[]]) } == nil)
    #expect(Pattern.serialize([]) == [])
    #expect([UInt8]().withUnsafeBytes { Pattern.deserialize($0, flags: []) }?.isEmpty == true)
}

@Test("SerializedPatterns decodes any one pattern alone, on first use; a damaged table or block is refused")
func onePatternAtATime() throws {
    let originals = try sources.map { try Pattern.compile(source: $0.0, flags: $0.1) }
    let offsets = originals.indices.map { $0 * 10 + 3 }
    let (records, blob) = try #require(SerializedPatterns.encode(originals, offsets: offsets))
    let lazy = try #require(SerializedPatterns(records: records[...], blob: blob[...]))
    for index in originals.indices.reversed() {
        #expect(lazy.index(ofOffset: offsets[index]) == index)
        let pattern = try #require(lazy.pattern(at: index))
        #expect(pattern === lazy.pattern(at: index), "decoded once")
        #expect(pattern.flags == originals[index].flags && pattern.groupNames == originals[index].groupNames)
        for subject in ["YES", "List-Id: <swift-users.swift.org>", "a\nb", "ab", "café ok", "abcab"] {
            #expect(
                pattern.firstMatch(in: Array(subject.utf8)).match?.text(of: 0)
                    == originals[index].firstMatch(in: Array(subject.utf8)).match?.text(of: 0))
        }
    }
    #expect(lazy.index(ofOffset: 4) == nil)
    #expect(lazy.pattern(at: originals.count) == nil)
    #expect(SerializedPatterns(records: records.dropLast(), blob: blob[...]) == nil)
    #expect(SerializedPatterns(records: records[...], blob: blob.prefix(100)) == nil)
    var damaged = blob
    damaged[damaged.count - 3] ^= 0x10
    let refused = try #require(SerializedPatterns(records: records[...], blob: damaged[...]))
    #expect(refused.pattern(at: originals.count - 1) == nil, "a damaged block never reaches PCRE2")
    #expect(refused.pattern(at: 0) != nil)
    var wrongSize = records
    wrongSize[9] &+= 1
    #expect(try #require(SerializedPatterns(records: wrongSize[...], blob: blob[...])).pattern(at: 0) == nil)
}
