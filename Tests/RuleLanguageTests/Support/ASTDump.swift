@testable import RuleLanguage

/// A compact, range-free rendering of a syntax tree, so a test states a whole AST on one line:
/// statements separated by "; ", blocks in braces, conditions as (and …)/(or …)/(not …), strings
/// with their parts ({var:name}, {cap:1}), commands as [word|word].
func dump(_ file: RuleFile) -> String {
    file.statements.map(dump).joined(separator: "; ")
}

/// Parses `text` and dumps its AST; the diagnostics must be empty.
func dumpParsing(_ text: String) -> (String, [Diagnostic]) {
    let (file, diagnostics) = parse(SourceFile(path: "t", text: text))
    return (dump(file), diagnostics)
}

private func dump(_ statement: Statement) -> String {
    switch statement.kind {
    case .if(let conditional):
        let branches = conditional.branches.map { "if \(dump($0.condition)) \(dump($0.block))" }
        let otherwise = conditional.elseBlock.map { " else \(dump($0))" } ?? ""
        return branches.joined(separator: " else ") + otherwise
    case .set(let assignment): return "set \(assignment.name) = \(dump(assignment.value))"
    case .include(let path): return "include \(dump(path))"
    case .action(let action): return dump(action)
    case .deferred(let deferred): return "deferred(\(deferred.encoded.count) bytes)"
    }
}

private func dump(_ block: Block) -> String {
    block.statements.isEmpty ? "{}" : "{ " + block.statements.map(dump).joined(separator: "; ") + " }"
}

private func dump(_ condition: Condition) -> String {
    switch condition.kind {
    case .test(let test): dump(test)
    case .not(let operand): "(not \(dump(operand)))"
    case .and(let operands): "(and " + operands.map(dump).joined(separator: " ") + ")"
    case .or(let operands): "(or " + operands.map(dump).joined(separator: " ") + ")"
    }
}

private func dump(_ test: Test) -> String {
    switch test.kind {
    case .match(let target, let regex, let isNegated): "\(dump(target)) \(isNegated ? "!~" : "~") \(regex.text)"
    case .headerExists(let names): "header \(dump(names)) exists"
    case .size(let comparison, let bytes): "size \(comparison.rawValue) \(bytes)"
    case .duplicate: "duplicate"
    }
}

private func dump(_ target: MatchTarget) -> String {
    switch target {
    case .header(let names): "header \(dump(names))"
    case .rawHeader(let names): "raw header \(dump(names))"
    case .address(let names): "address \(dump(names))"
    case .rawBody: "raw body"
    default: "\(target)"
    }
}

private func dump(_ names: [HeaderName]) -> String {
    names.map { "\"\($0.name)\"" }.joined(separator: ",")
}

private func dump(_ action: Action) -> String {
    switch action.kind {
    case .deliver(let folder, _), .reject(let folder), .defer(let folder), .log(let folder):
        "\(action.keyword) \(dump(folder))"
    case .forward(let addresses, _): "\(action.keyword) " + addresses.map(dump).joined(separator: ",")
    case .pipe(let command, _), .filter(let command):
        "\(action.keyword) [" + command.words.map { dump($0.parts) }.joined(separator: "|") + "]"
    case .addHeader(let name, let value): "add header \"\(name.name)\" \(dump(value))"
    case .removeHeader(let name): "remove header \"\(name.name)\""
    case .flag(let flag): "flag \(flag.rawValue)"
    case .discard, .stop: action.keyword
    }
}

private func dump(_ literal: StringLiteral) -> String { "\"" + dump(literal.parts) + "\"" }

private func dump(_ parts: [StringPart]) -> String {
    parts.map { part in
        switch part {
        case .literal(let text): text
        case .variable(let name, _): "{var:\(name)}"
        case .capture(let number, _): "{cap:\(number)}"
        }
    }.joined()
}
