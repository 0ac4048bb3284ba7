import Testing

@testable import RuleLanguage

/// The screen of the only statement of `text`, as the regexes of its tests (`nil`: no screen).
private func screen(_ text: String) -> [String]? {
    let (file, diagnostics) = parse(SourceFile(path: "t", text: text))
    precondition(!diagnostics.containsErrors, "\(diagnostics)")
    return file.statements[0].screen?.map { test in
        guard case .match(_, let regex, _) = test.kind else { return "?" }
        return regex.text
    }
}

@Suite("A statement's screen: tests one of which must match for it to do anything")
struct StatementScreenTests {
    @Test("a positive match, every branch's tests, and every operand of or")
    func screened() {
        #expect(screen("if subject ~ /a/ { stop }") == ["/a/"])
        #expect(screen("if subject ~ /a/ { stop } else if from ~ /b/ { stop }") == ["/a/", "/b/"])
        #expect(screen("if subject ~ /a/ or header \"X\" ~ /b/i { stop }") == ["/a/", "/b/i"])
        #expect(screen("if (subject ~ /a/ and size > 1) or body ~ /b/ { stop }") == ["/a/", "/b/"])
    }

    @Test("and: the first operand that has a screen, if no regex runs before it")
    func and() {
        #expect(screen("if size > 10 and subject ~ /a/ and from ~ /b/ { stop }") == ["/a/"])
        #expect(screen("if duplicate and subject ~ /a/ { stop }") == ["/a/"])
        #expect(screen("if subject !~ /a/ and from ~ /b/ { stop }") == nil)
        #expect(screen("if not subject ~ /a/ and from ~ /b/ { stop }") == nil)
    }

    @Test("no screen: an else, a negated or non-regex test, an or with one unscreened side, an include inside")
    func unscreened() {
        #expect(screen("if subject ~ /a/ { stop } else { stop }") == nil)
        #expect(screen("if subject !~ /a/ { stop }") == nil)
        #expect(screen("if not subject ~ /a/ { stop }") == nil)
        #expect(screen("if size > 10 { stop }") == nil)
        #expect(screen("if header \"X\" exists { stop }") == nil)
        #expect(screen("if subject ~ /a/ or size > 10 { stop }") == nil)
        #expect(screen("if subject ~ /a/ { if from ~ /b/ { include \"other\" } }") == nil)
        #expect(screen("set x = \"y\"") == nil)
        #expect(screen("stop") == nil)
    }
}
