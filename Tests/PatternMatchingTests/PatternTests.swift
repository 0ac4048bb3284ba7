import Testing

@testable import PatternMatching

private func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

private func firstMatch(_ pattern: String, _ flags: PatternFlags = [], in subject: [UInt8]) throws -> Match? {
    try Pattern.compile(source: pattern, flags: flags).firstMatch(in: subject).match
}

@Test("each flag letter maps to its PCRE2 option", arguments: [
    ("i", "^subject$", "SUBJECT", true), ("", "^subject$", "SUBJECT", false),
    ("m", "^b$", "a\nb\nc", true), ("", "^b$", "a\nb\nc", false),
    ("s", "a.b", "a\nb", true), ("", "a.b", "a\nb", false),
    ("x", "a b # comment", "ab", true), ("", "a b", "ab", false),
])
func flagLetters(letters: String, pattern: String, subject: String, matches: Bool) throws {
    let flags = letters.utf8.reduce(into: PatternFlags()) { flags, letter in
        if let flag = PatternFlags(letter: letter) { flags.insert(flag) }
    }
    #expect(flags.letters == letters)
    #expect((try firstMatch(pattern, flags, in: bytes(subject)) != nil) == matches)
}

@Test("letters other than i, m, s and x are no flags")
func unknownFlagLetters() {
    #expect(PatternFlags(letter: UInt8(ascii: "g")) == nil)
    #expect(PatternFlags([.extended, .caseless]).letters == "ix")
}

@Test("the newline convention is LF: a CR before the line end is an ordinary character")
func newlineIsLineFeed() throws {
    #expect(try firstMatch("^a$", .multiline, in: bytes("a\r\nb")) == nil)
    #expect(try firstMatch("^a\\r$", .multiline, in: bytes("a\r\nb")) != nil)
}

@Test("a stray Latin-1 byte in the subject never makes the search fail")
func invalidUTF8Subject() throws {
    let subject = bytes("Subject: caf") + [0xE9] + bytes(" ok été")
    let match = try #require(try firstMatch("(caf.)|ok (\\S+)", in: subject))
    #expect(match.text(of: 0) == "ok été")
    #expect(match.range(of: 1) == nil)
    #expect(match.text(of: 2) == "été")
}

@Test("invalid bytes never match anything, not even a dot")
func invalidBytesDoNotMatchDot() throws {
    #expect(try firstMatch("caf.", in: bytes("caf") + [0xE9]) == nil)
    #expect(try firstMatch("^.*$", in: [0xFF, 0xFE]) == nil)
}

@Test("\\S matches a whole multi-byte character (the JIT bug of PLATFORM.md §5 does not apply)")
func multiByteNonSpace() throws {
    let match = try #require(try firstMatch("ok \\S+", in: bytes("ok aé")))
    #expect(match.range(of: 0) == 0..<6)
}

@Test("named groups are listed with their numbers and readable by name")
func namedGroups() throws {
    let pattern = try Pattern.compile(source: "<(?<list>[a-z0-9-]+)\\.(?<host>[a-z.]+)>|(x)", flags: .caseless)
    #expect(pattern.captureCount == 3)
    #expect(pattern.groupNames == [GroupName(name: "list", number: 1), GroupName(name: "host", number: 2)])
    #expect(pattern.number(ofGroup: "host") == 2)
    let match = try #require(pattern.firstMatch(in: bytes("List-Id: <swift-users.lists.example.org>")).match)
    #expect(match.text(of: "list") == "swift-users")
    #expect(match.text(of: "host") == "lists.example.org")
    #expect(match.text(of: 3) == nil)
    #expect(match.text(of: "nothing") == nil)
    #expect(match.text(of: 9) == nil)
}

@Test("ranges count from the start of a slice subject")
func sliceSubject() throws {
    let whole = bytes("xxxxabc")
    let pattern = try Pattern.compile(source: "b")
    let match = try #require(Matcher().firstMatch(of: pattern, in: whole[4...]).match)
    #expect(match.range(of: 0) == 1..<2)
    #expect(match.text(of: 0) == "b")
}

@Test("an empty subject and an empty pattern are both fine")
func emptyInputs() throws {
    #expect(try firstMatch("^$", in: []) != nil)
    #expect(try firstMatch("", in: bytes("abc"))?.range(of: 0) == 0..<0)
    #expect(try firstMatch("a", in: []) == nil)
}

@Test("compile errors carry PCRE2's message and byte offset", arguments: [
    ("foo(bar", "missing closing parenthesis", 7),
    ("a{2,1}", "numbers out of order in {} quantifier", 5),
    ("[z-a]", "range out of order in character class", 3),
    ("\\", "\\ at end of pattern", 1),
    ("é(", "missing closing parenthesis", 3),
])
func compileErrors(source: String, message: String, offset: Int) {
    #expect(throws: PatternError.self) { try Pattern.compile(source: source) }
    do {
        _ = try Pattern.compile(source: source)
    } catch {
        #expect(error.message == message)
        #expect(error.offset == offset)
    }
}

@Test("a pattern that is not valid UTF-8 is a compile error, not a crash")
func invalidUTF8Pattern() {
    #expect(throws: PatternError.self) { try Pattern.compile(source: [0x61, 0xE9, 0x28], flags: []) }
}

@Test("\\C is refused, since it could split a UTF-8 character")
func backslashCIsRefused() {
    #expect(throws: PatternError.self) { try Pattern.compile(source: "a\\C") }
}
