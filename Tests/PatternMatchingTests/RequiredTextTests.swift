import Testing

@testable import PatternMatching

private func required(_ pattern: String, _ flags: PatternFlags = []) -> String? {
    RequiredText(source: Array(pattern.utf8), flags: flags).map { String(decoding: $0.bytes, as: UTF8.self) }
}

@Suite("Required text: what every match of a regex contains, or nothing when unsure")
struct RequiredTextTests {
    @Test("the longest top-level run of plain characters", arguments: [
        ("qzx0-(offer|prize)", "qzx0-"), ("casino [0-9]+ qzx1", "casino "), ("^prize.*qzx2$", "prize"),
        ("<(?<list>[a-z0-9-]+)\\.", "<"), ("ab+c", "ab"), ("ab*cd", "cd"), ("abc?d", "ab"), ("x\\.example\\.com", "x.example.com"),
        ("[[:alpha:]]+ hello", " hello"), ("[]a]bc", "bc"), ("a(?=bcd)ef", "ef"), ("café?x", "caf"), ("(ab|cd)efg", "efg"),
        ("wörld", "wörld"), ("a|b", nil), ("(a)", nil), ("\\d+", nil), ("a{2}bc", nil), ("(?i)abc", nil), ("(*UTF)abc", nil),
        ("\\Qa.b\\E", nil), ("\\x41bc", nil), ("\\cAbc", nil), ("\\101bc", nil), ("\\k<n>abc", nil), ("(?#x)abc", nil),
    ] as [(String, String?)])
    func runs(pattern: String, expected: String?) {
        #expect(required(pattern) == expected)
    }

    @Test("caseless: lower-cased, k and s left out (PCRE2 folds them with non-ASCII letters), non-ASCII gives up")
    func caseless() {
        #expect(required("^YES$", .caseless) == "ye")
        #expect(required("Viagra", .caseless) == "viagra")
        #expect(required("kelvin", .caseless) == "elvin")
        #expect(required("Straße", .caseless) == nil)
        #expect(required("a b", .extended) == nil)
    }

    @Test("every subject a pattern matches contains its required text", arguments: [
        "qzx0-(offer|prize)", "^prize.*qzx2$", "ab*cd", "abc?d", "café?x", "a(?=bcd)ef", "(ab|cd)efg", "x\\.y+z",
    ])
    func sound(pattern: String) throws {
        let subjects = ["qzx0-offer", "prize qzx2", "acd", "abbbcd", "abd", "abcd", "cafx", "caféx", "abcdef", "aef",
                        "abefg", "cdefg", "x.yyz", "x.z", "nothing", "QZX0-OFFER"]
        let compiled = try Pattern.compile(source: pattern)
        let text = try #require(RequiredText(source: Array(pattern.utf8), flags: []))
        for subject in subjects where compiled.firstMatch(in: Array(subject.utf8)).match != nil {
            #expect(Array(subject.utf8).withUnsafeBytes { text.isContained(in: $0) }, "\(pattern) matched \(subject)")
        }
    }

    @Test("containment: anywhere in the value, either case when caseless, never past the end")
    func containment() {
        let text = RequiredText(bytes: Array("qzx".utf8), caseless: true)
        for (value, expected) in [("aQZXb", true), ("qzx", true), ("qz", false), ("", false), ("xqzqzx", true)] {
            #expect(Array(value.utf8).withUnsafeBytes { text.isContained(in: $0) } == expected, "\(value)")
        }
        #expect(!Array("QZX".utf8).withUnsafeBytes { RequiredText(bytes: Array("qzx".utf8), caseless: false).isContained(in: $0) })
    }
}
