import Testing

@testable import RuleLanguage

/// The words of `pipe "<command>"`, each rendered with its interpolations as {var:…}/{cap:…}.
private func words(_ command: String) -> [String]? {
    let (file, diagnostics) = parse(SourceFile(path: "t", text: "pipe \(command)"))
    guard diagnostics.isEmpty, case .action(let action)? = file.statements.first?.kind,
        case .pipe(let parsed, _) = action.kind
    else { return nil }
    return parsed.words.map { word in
        word.parts.map { part in
            switch part {
            case .literal(let text): text
            case .variable(let name, _): "{var:\(name)}"
            case .capture(let number, _): "{cap:\(number)}"
            }
        }.joined()
    }
}

@Test("a command splits at spaces and tabs; quotes group and disappear", arguments: [
    (#""/usr/bin/spamc -u roost""#, ["/usr/bin/spamc", "-u", "roost"]),
    (#""  prog\t  a   ""#, ["prog", "a"]),
    (#""formail -A 'X-Seen: yes'""#, ["formail", "-A", "X-Seen: yes"]),
    (#""prog \"a b\" c""#, ["prog", "a b", "c"]),
    (#""prog 'it'\"s\" ''""#, ["prog", "its", ""]),
    (#""prog \"it's\" 'say \"hi\"'""#, ["prog", "it's", "say \"hi\""]),
    (#""grep -E '\\d+' x\\y""#, ["grep", "-E", "\\d+", "x\\y"]),
])
func splitting(command: String, expected: [String]) {
    #expect(words(command) == expected)
}

@Test("an interpolation stays inside its word, whatever its value will be", arguments: [
    (#""logger -t roost $1""#, ["logger", "-t", "roost", "{cap:1}"]),
    (#""prog --folder=${list}/x $sender""#, ["prog", "--folder={var:list}/x", "{var:sender}"]),
    (#""prog '${a} ${b}'""#, ["prog", "{var:a} {var:b}"]),
    (#""prog ${a}${b} c""#, ["prog", "{var:a}{var:b}", "c"]),
    (#""${HOME}/bin/filter""#, ["{var:HOME}/bin/filter"]),
])
func interpolationsStayInTheirWord(command: String, expected: [String]) {
    #expect(words(command) == expected)
}

@Test("an unclosed quote and an empty command are problems", arguments: [
    ("prog 'x", CommandWords.Problem.unclosedQuote("'")),
    ("prog \"x", CommandWords.Problem.unclosedQuote("\"")),
    ("", CommandWords.Problem.empty),
    (" \t ", CommandWords.Problem.empty),
])
func problems(text: String, problem: CommandWords.Problem) {
    let start = SourceLocation(offset: 0, line: 1, column: 1)
    let literal = StringLiteral(parts: text.isEmpty ? [] : [.literal(text)], range: SourceRange(start, start))
    #expect(CommandWords.split(literal) == .failure(problem))
}
