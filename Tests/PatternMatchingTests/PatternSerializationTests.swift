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
