import PatternMatching
import Testing

@testable import RuleLanguage

/// The kinds of all tokens of `text` before the end, and the lexer's diagnostics.
private func lex(_ text: String) -> ([Token.Kind], [String]) {
    var lexer = Lexer(SourceFile(path: "t", text: text))
    var kinds: [Token.Kind] = []
    while true {
        let token = lexer.next()
        if token.kind == .end { break }
        kinds.append(token.kind)
    }
    return (kinds, lexer.diagnostics.map(\.message))
}

private func lexOne(_ text: String) -> Token.Kind? {
    let (kinds, _) = lex(text)
    return kinds.count == 1 ? kinds.first : nil
}

private func range(_ line: Int, _ column: Int, _ endColumn: Int, offset: Int = 0) -> SourceRange {
    SourceRange(
        SourceLocation(offset: offset + column - 1, line: line, column: column),
        SourceLocation(offset: offset + endColumn - 1, line: line, column: endColumn))
}

private func parts(_ text: String) -> [StringPart]? {
    guard case .string(let literal) = lexOne(text) else { return nil }
    return literal.parts
}

@Test("keywords and other words are told apart")
func words() {
    #expect(lex("deliver Foo _x9 if").0 == [.keyword(.deliver), .identifier("Foo"), .identifier("_x9"), .keyword(.if)])
}

@Test("every keyword lexes as itself", arguments: Keyword.allCases)
func everyKeyword(keyword: Keyword) {
    #expect(lexOne(keyword.rawValue) == .keyword(keyword))
}

@Test("sizes take K, M and G as powers of 1024", arguments: [
    ("0", 0), ("5", 5), ("5K", 5120), ("5k", 5120), ("2M", 2_097_152), ("1G", 1_073_741_824), ("007", 7),
])
func sizes(text: String, value: Int) {
    #expect(lexOne(text) == .number(value))
}

@Test("a number too large for 64 bits is a diagnostic, not a trap", arguments: [
    "99999999999999999999", "9223372036854775807K", "9007199254740992G",
])
func sizeOverflow(text: String) {
    #expect(lex(text) == ([.invalid], ["number is too large"]))
}

@Test("a number followed by letters is one invalid token")
func sizeWithJunk() {
    #expect(lex("5MB x") == ([.invalid, .identifier("x")], ["invalid number '5MB'"]))
}

@Test("a regex keeps its source byte for byte, \\/ included, and its flags")
func regexLiteral() {
    let expected = RegexLiteral(source: Array("^a\\/b".utf8), flags: [.caseless, .multiline], range: range(1, 1, 10))
    #expect(lex("/^a\\/b/mi").0 == [.regex(expected)])
}

@Test("an unescaped slash ends a regex, even inside brackets")
func slashEndsRegex() {
    #expect(lex("/[/]/").1 == ["unexpected character ']'", "unterminated regular expression"])
    #expect(lex("/[\\/]/").1 == [])
}

@Test("an empty regex is allowed")
func emptyRegex() {
    #expect(lexOne("//") == .regex(RegexLiteral(source: [], flags: [], range: range(1, 1, 3))))
}

@Test("a regex must end on its line")
func unterminatedRegex() {
    #expect(lex("/abc {\n}").1 == ["unterminated regular expression"])
    #expect(lex("/abc\\\nx/").0.first == .invalid)
}

@Test("unknown regex flags are reported one by one")
func unknownRegexFlag() {
    #expect(lex("/a/igx").1 == ["unknown regular expression flag 'g'"])
}

@Test("string escapes are resolved", arguments: [
    (#""a\"b""#, "a\"b"), (#""a\\b""#, "a\\b"), (#""a\nb\tc""#, "a\nb\tc"), (#""""#, ""), (#""März ✓""#, "März ✓"),
    (#""$$5""#, "$5"),
])
func stringEscapes(text: String, value: String) {
    guard case .string(let literal) = lexOne(text) else {
        Issue.record("not a string")
        return
    }
    #expect(literal.plainValue == value)
}

@Test("interpolations become parts of their own, with their ranges")
func interpolationParts() {
    #expect(
        parts(#""Lists/${list}-$1.$name$$x${2}""#) == [
            .literal("Lists/"), .variable("list", range(1, 8, 15)), .literal("-"), .capture(1, range(1, 16, 18)),
            .literal("."), .variable("name", range(1, 19, 24)), .literal("$x"), .capture(2, range(1, 27, 31)),
        ])
}

@Test("a variable name ends at the first character that cannot be in a name")
func variableNameEnd() {
    #expect(parts(#""$list.example""#) == [.variable("list", range(1, 2, 7)), .literal(".example")])
}

@Test("broken interpolations and escapes are diagnostics", arguments: [
    (#""${list""#, "unclosed '${' in string"),
    (#""${}""#, "'${}' is not a variable name"),
    (#""${a-b}""#, "'${a-b}' is not a variable name"),
    (#""${10}""#, "there is no capture '${10}'"),
    (#""5 $ each""#, "'$' must start $name, ${name} or $1"),
    (#""\q""#, "unknown escape '\\q' in string"),
    (#""abc"#, "unterminated string"),
])
func brokenStrings(text: String, message: String) {
    let (kinds, messages) = lex(text)
    #expect(messages == [message])
    guard case .string = kinds.first else {
        Issue.record("a broken string is still a string token")
        return
    }
}

@Test("a string with bytes that are not UTF-8 is reported")
func invalidUTF8InString() {
    var lexer = Lexer(SourceFile(path: "t", bytes: [0x22, 0x61, 0xE9, 0x22]))
    _ = lexer.next()
    #expect(lexer.diagnostics.map(\.message) == ["string is not valid UTF-8"])
}

@Test("comments, blank lines and CRs disappear; a run of line breaks is one newline token")
func commentsAndNewlines() {
    #expect(lex("a # note\r\n\n  # more\n\tb;c").0 == [.identifier("a"), .newline, .identifier("b"), .semicolon, .identifier("c")])
    #expect(lex("# only a comment\n").0 == [.newline])
}

@Test("operators and punctuation")
func punctuation() {
    #expect(
        lex("~ !~ < <= > >= = , { } ( )").0 == [
            .matchOperator(isNegated: false), .matchOperator(isNegated: true), .comparison(.less),
            .comparison(.lessOrEqual), .comparison(.greater), .comparison(.greaterOrEqual), .equals, .comma,
            .openBrace, .closeBrace, .openParen, .closeParen,
        ])
}

@Test("an unexpected character is one diagnostic, however much clings to it", arguments: [
    ("@home", "unexpected character '@'"), ("März", "unexpected character 'ä'"), ("! x", "unexpected character '!'"),
])
func unexpectedCharacters(text: String, message: String) {
    #expect(lex(text).1 == [message])
}

@Test("columns count characters, not bytes")
func columnsCountCharacters() {
    var lexer = Lexer(SourceFile(path: "t", text: "log \"März\" x\n  y"))
    _ = lexer.next()
    let string = lexer.next()
    let x = lexer.next()
    _ = lexer.next()
    let y = lexer.next()
    #expect(string.range == SourceRange(SourceLocation(offset: 4, line: 1, column: 5), SourceLocation(offset: 11, line: 1, column: 11)))
    #expect(x.range.start == SourceLocation(offset: 12, line: 1, column: 12))
    #expect(y.range.start == SourceLocation(offset: 16, line: 2, column: 3))
}
