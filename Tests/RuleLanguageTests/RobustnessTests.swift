import TestSupport
import Testing

@testable import RuleLanguage

/// Rule files that nest 100 000 levels deep, by kind of nesting.
private let deeplyNested = [
    "parentheses": "if " + String(repeating: "(", count: 100_000) + "duplicate" + String(repeating: ")", count: 100_000)
        + " { stop }",
    "not": "if " + String(repeating: "not ", count: 100_000) + "duplicate { stop }",
    "blocks": String(repeating: "if duplicate {\n", count: 100_000) + String(repeating: "}\n", count: 100_000),
]

@Test("deep nesting is a diagnostic, not a stack overflow", arguments: ["parentheses", "not", "blocks"])
func deepNesting(kind: String) {
    let (_, diagnostics) = check(SourceFile(path: "t", text: deeplyNested[kind] ?? ""))
    #expect(diagnostics.map(\.message).contains("nesting is too deep"))
}

@Test("nesting up to the limit is fine")
func nestingAtTheLimit() {
    let depth = Parser.maximumDepth - 1
    let text = "if " + String(repeating: "(", count: depth) + "duplicate" + String(repeating: ")", count: depth) + " { stop }"
    #expect(check(SourceFile(path: "t", text: text)).1 == [])
}

@Test("random bytes and shuffled rule fragments never trap, and every diagnostic lies inside the file")
func garbageNeverTraps() {
    var random = SplitMix64(seed: 42)
    let fragments = [
        "if", "else", "{", "}", "(", ")", "not", "and", "or", "header", "\"List-Id\"", ",", "~", "!~", "/a(b/", "/x/i",
        "\"${", "\"$1\"", "deliver", "copy", "pipe", "\"prog 'a\"", "size", "<", "5M", "9999999999999999999G", ";",
        "\n", "#", "é", "\t", "\\", "$", "set", "=", "flag", "sen", "raw", "body", "exists", "März", "\"\u{1}\"",
    ]
    for _ in 0..<300 {
        var bytes: [UInt8] = []
        for _ in 0..<Int.random(in: 1...60, using: &random) {
            if Bool.random(using: &random) {
                bytes += Array((fragments.randomElement(using: &random) ?? "").utf8) + [UInt8(ascii: " ")]
            } else {
                bytes.append(UInt8.random(in: 0...255, using: &random))
            }
        }
        let source = SourceFile(path: "t", bytes: bytes)
        let (_, diagnostics) = check(source)
        for diagnostic in diagnostics {
            #expect(diagnostic.location.offset >= 0 && diagnostic.location.offset <= bytes.count)
        }
        _ = Diagnostic.render(diagnostics, source: source)
    }
}
