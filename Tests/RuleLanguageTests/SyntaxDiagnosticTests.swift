import Testing

@testable import RuleLanguage

@Test("misspelt keywords get a suggestion", arguments: [
    (#"if subject ~ /x/ { 1️⃣delivr "Junk" }"#, "unknown action 'delivr'; did you mean 'deliver'?"),
    ("1️⃣sotp", "unknown action 'sotp'; did you mean 'stop'?"),
    ("1️⃣iff subject ~ /x/ { stop }", "unknown statement 'iff'; did you mean 'if'?"),
    ("if 1️⃣subjet ~ /x/ { stop }", "unknown test 'subjet'; did you mean 'subject'?"),
    ("if not 1️⃣duplicat { stop }", "unknown test 'duplicat'; did you mean 'duplicate'?"),
    ("flag 1️⃣sen", "unknown flag 'sen'; did you mean 'seen'?"),
    ("1️⃣frobnicate", "unknown action 'frobnicate'"),
    ("if 1️⃣spam { stop }", "unknown test 'spam'"),
])
func misspeltKeywords(text: String, message: String) {
    expectDiagnostics(text, ["1️⃣": message])
}

@Test("each syntax error names what was expected and what was found", arguments: [
    ("deliver 1️⃣Junk", "expected a string after 'deliver', found 'Junk'"),
    ("deliver1️⃣", "expected a string after 'deliver', found end of file"),
    (#"if subject 1️⃣"x" { stop }"#, "expected '~' or '!~' after 'subject', found a string"),
    (#"if subject ~ 1️⃣"x" { stop }"#, "expected a regular expression after '~', found a string"),
    (#"if header "X" 1️⃣{ stop }"#, "expected '~' or '!~' or 'exists' after the header names, found '{'"),
    ("if size 1️⃣= 5 { stop }", "expected '<', '<=', '>' or '>=' after 'size', found '='"),
    (#"if size < 1️⃣"5" { stop }"#, "expected a size after '<', found a string"),
    (#"if subject ~ /x/ 1️⃣deliver "a""#, "expected '{' after the condition, found 'deliver'"),
    ("if duplicate {} else 1️⃣stop", "expected '{' after 'else', found 'stop'"),
    ("1️⃣}", "unexpected '}'"),
    ("1️⃣else { stop }", "'else' without 'if'"),
    (#"deliver "a" 1️⃣"b""#, "expected the end of the statement, found a string"),
    (#"set 1️⃣"x" = "y""#, "expected a variable name after 'set', found a string"),
    (#"set x 1️⃣"y""#, "expected '=' after 'set x', found a string"),
    ("set timeout = 1️⃣60", "the value of a variable is a string"),
    (#"set timeout = 1️⃣"soon""#, "'timeout' must be a whole number"),
    (#"set duplicatedays = 1️⃣"""#, "'duplicatedays' must be a whole number"),
    (#"set bodylimit = 1️⃣"1 MB""#, "'bodylimit' must be a size"),
    (#"if header 1️⃣"Subject:" exists {}"#, "invalid header name 'Subject:'"),
    (#"remove header 1️⃣"X Spam""#, "invalid header name 'X Spam'"),
    (#"if header 1️⃣"" exists {}"#, "empty header name"),
    (#"if header 1️⃣"X-$name" exists {}"#, "a header name cannot be interpolated"),
    (#"add header "X-A" 1️⃣"a\nb""#, "a header value cannot contain a line break"),
    (#"pipe 1️⃣"prog 'unclosed""#, "unclosed ' in the command"),
    (#"filter 1️⃣"  ""#, "the command is empty"),
    ("if (subject ~ /a/ 1️⃣{ stop }", "expected ')' to match the '(' at 1:4, found '{'"),
    ("if raw 1️⃣subject ~ /a/ {}", "expected 'header' or 'body' after 'raw', found 'subject'"),
    (#"remove 1️⃣"X""#, "expected 'header' after 'remove', found a string"),
    (#"if 1️⃣deliver "x" {}"#, "expected a test, found 'deliver'"),
    ("if subject ~ /a/ and 1️⃣{}", "expected a test, found '{'"),
    ("1️⃣and", "expected a statement, found 'and'"),
    ("flag 1️⃣\"seen\"", "expected a flag after 'flag', found a string"),
    ("if subject ~ /x/ 1️⃣{\n  stop\n", "'{' is never closed"),
])
func syntaxErrors(text: String, message: String) {
    expectDiagnostics(text, ["1️⃣": message])
}

@Test("lexical errors are reported once, and the statement is skipped quietly", arguments: [
    (#"deliver "a1️⃣${b""#, "unclosed '${' in string"),
    ("if subject ~ /x/1️⃣g { stop }", "unknown regular expression flag 'g'"),
    ("if size < 1️⃣5X { stop }", "invalid number '5X'"),
    ("if size < 1️⃣99999999999999999999 { stop }", "number is too large"),
    ("1️⃣@deliver", "unexpected character '@'"),
    (#"log 1️⃣"open"#, "unterminated string"),
])
func lexicalErrors(text: String, message: String) {
    expectDiagnostics(text, ["1️⃣": message])
}

@Test("all errors of a file are reported, each statement after a broken one still parsed")
func severalErrors() {
    expectDiagnostics(
        """
        1️⃣delivr "A"
        if subject ~ /x/ {
            flag 2️⃣sen; deliver "B"
            }
        3️⃣}
        deliver "C" 4️⃣"D"
        if 5️⃣subjet ~ /y/ { deliver "E" } else { discard }
        6️⃣sotp
        """,
        [
            "1️⃣": "unknown action 'delivr'; did you mean 'deliver'?",
            "2️⃣": "unknown flag 'sen'; did you mean 'seen'?",
            "3️⃣": "unexpected '}'",
            "4️⃣": "expected the end of the statement, found a string",
            "5️⃣": "unknown test 'subjet'; did you mean 'subject'?",
            "6️⃣": "unknown action 'sotp'; did you mean 'stop'?",
        ])
}

@Test("an if whose '{' an unterminated regex swallowed does not leave a stray '}' error behind")
func swallowedBrace() {
    expectDiagnostics(
        """
        if subject ~ 1️⃣/abc {
            deliver "x"
        }
        if 2️⃣subjet ~ /y/
        {
            stop
        }
        """,
        ["1️⃣": "unterminated regular expression", "2️⃣": "unknown test 'subjet'; did you mean 'subject'?"])
}

@Test("a broken if is skipped with its else part")
func brokenIfWithElse() {
    expectDiagnostics(
        """
        if 1️⃣subjet ~ /x/ {
            stop
        }
        else {
            discard
        }
        """,
        ["1️⃣": "unknown test 'subjet'; did you mean 'subject'?"])
}

@Test("the statements around a broken one stay in the AST")
func recoveryKeepsStatements() {
    let (file, diagnostics) = parse(SourceFile(path: "t", text: "flag seen\ndelivr \"x\"\nstop"))
    #expect(diagnostics.count == 1)
    #expect(dump(file) == "flag seen; stop")
}

@Test("suggestions need a close match", arguments: [
    ("delivr", "deliver"), ("dliver", "deliver"), ("sotp", "stop"), ("stpo", "stop"), ("flaged", "flagged"),
    ("DELIVER", "deliver"),
])
func suggestions(word: String, suggestion: String) {
    #expect(Suggestions.closest(to: word, among: Keyword.allCases.map(\.rawValue)) == suggestion)
}

@Test("no suggestion is better than a wild one", arguments: ["x", "frobnicate", "go", "abcdef"])
func noWildSuggestions(word: String) {
    #expect(Suggestions.closest(to: word, among: Keyword.allCases.map(\.rawValue)) == nil)
}
