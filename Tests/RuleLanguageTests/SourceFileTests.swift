import Testing

@testable import RuleLanguage

@Test("the line table finds lines, without their line breaks")
func lineTable() {
    let table = LineTable(SourceFile(path: "t", text: "one\r\ntwo\n\nfour"))
    #expect(Array(table.line(1)) == Array("one".utf8))
    #expect(Array(table.line(2)) == Array("two".utf8))
    #expect(table.line(3).isEmpty)
    #expect(Array(table.line(4)) == Array("four".utf8))
    #expect(table.line(5).isEmpty)
    #expect(table.line(0).isEmpty)
}

@Test("a byte offset maps to line and column in characters", arguments: [
    (0, "1:1"), (3, "1:4"), (4, "2:1"), (6, "2:2"), (7, "2:3"), (100, "2:5"), (-5, "1:1"),
])
func offsetToLocation(offset: Int, location: String) {
    let table = LineTable(SourceFile(path: "t", text: "abc\nüber"))
    #expect(table.location(ofOffset: offset).description == location)
}

@Test("the lexer's locations agree with the line table's")
func lexerAgreesWithLineTable() {
    let source = SourceFile(path: "t", text: "if subject ~ /Grüße/ {\n\tdeliver \"Ölfässer/${x}\"\n}\n")
    let table = LineTable(source)
    var lexer = Lexer(source)
    while true {
        let token = lexer.next()
        #expect(table.location(ofOffset: token.range.start.offset) == token.range.start)
        if token.kind == .end { break }
    }
}

@Test("a diagnostic renders with its hint on a line of its own")
func renderWithHint() {
    let source = SourceFile(path: "rules", text: "a\n  bad\n")
    let location = SourceLocation(offset: 4, line: 2, column: 3)
    let diagnostic = Diagnostic(.warning, "something", at: SourceRange(location, location), hint: "do this")
    #expect(diagnostic.render(source: source) == "rules:2:3: warning: something\n  bad\n  ^\nhint: do this\n")
}

@Test("containsErrors ignores warnings")
func containsErrors() {
    let location = SourceLocation(offset: 0, line: 1, column: 1)
    let warning = Diagnostic(.warning, "w", at: SourceRange(location, location))
    #expect(![warning].containsErrors)
    #expect([warning, Diagnostic(.error, "e", at: SourceRange(location, location))].containsErrors)
}
