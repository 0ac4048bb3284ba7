import Foundation
import PatternMatching
import Testing

@testable import RuleLanguage

// The compiled cache's codec: every tree comes back equal, ranges included, and no bytes make decoding trap.

/// The tree of `text`; records an issue for any diagnostic.
private func parsed(_ text: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) -> RuleFile {
    let (file, diagnostics) = parse(SourceFile(path: "t", text: text))
    #expect(diagnostics.isEmpty, "\(diagnostics.map(\.message))", sourceLocation: sourceLocation)
    return file
}

/// Encodes `file`, decodes the bytes and expects the same tree back. A failure names the first top-level statement
/// that differs rather than printing two whole trees.
private func expectRoundTrip(_ file: RuleFile, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
    do {
        let decoded = try RuleFileCodec.decode(RuleFileCodec.encode(file))
        let isEqual = decoded == file
        let difference = zip(decoded.statements, file.statements).enumerated().first { $1.0 != $1.1 }?.offset
        let summary = "\(decoded.statements.count) of \(file.statements.count) statements back; first differing: "
        #expect(isEqual, "\(summary)\(difference.map(String.init) ?? "none")", sourceLocation: sourceLocation)
    } catch {
        Issue.record("\(error.reason) at byte \(error.offset)", sourceLocation: sourceLocation)
    }
}

/// The decoding error for `bytes`, or nil if they decode.
private func decodingError(_ bytes: [UInt8]) -> RuleFileCodec.DecodingError? {
    do {
        _ = try RuleFileCodec.decode(bytes)
        return nil
    } catch {
        return error
    }
}

/// The package root, found from this file's path, as RoostCLITests finds it.
private let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().path

private let exampleRuleFiles = ((try? FileManager.default.contentsOfDirectory(atPath: packageRoot + "/Rules")) ?? [])
    .filter { $0.hasSuffix(".roostrc") }.sorted()

/// `count` rules in the shapes a long rule file has: the bench's header tests (bench/gen_rules.py) mixed with
/// every kind of statement, so each test, target and action appears many times.
private func generatedRules(_ count: Int) -> String {
    let headers = ["Subject", "From", "To", "X-Mailer", "Reply-To", "Organization"]
    return (0..<count).map { number in
        let header = headers[number % headers.count]
        switch number % 8 {
        case 0: return "if header \"\(header)\" ~ /qzx\(number)-(offer|deal)/ {\n    deliver \"Never/\(number)\"\n}"
        case 1: return "if header \"\(header)\" ~ /^prize.*qzx\(number)$/i { deliver \"Fällig/\(number)\" }"
        case 2:
            return "if not (from ~ /a\(number)/i or to !~ /b/) and size >= \(number)K {\n"
                + "    copy forward \"a\(number)@example.com\", \"${USER}@example.com\"\n"
                + "} else if header \"X-\(number)\", \"X-Other\" exists { discard }\nelse { stop }"
        case 3: return "set v\(number) = \"März ${list} $1 \(number)\""
        case 4: return "if body ~ /(?<w>x\(number))/ms { pipe \"/usr/bin/prog --id=$1 '${w} x'\" }"
        case 5:
            return "if raw header \"Received\" ~ /by \(number)/x {\n    add header \"X-Rule\" \"\(number)\"\n"
                + "    flag seen\n} else {\n    log \"no \(number) 🦆\"\n}"
        case 6:
            return "if address \"From\", \"Sender\" ~ /@x\(number)\\./ { copy pipe \"cat\"; filter \"/bin/f $2\" }\n"
                + "if duplicate and headers ~ /^List-/m { reject \"5.7.1 no \(number)\"; defer \"later\" }"
        default:
            return "if (sender ~ /s/ or recipient ~ /r/) and extension !~ /e/ and raw body ~ /\(number)/ {\n"
                + "    if size < 5M { remove header \"X-\(number)\"; copy deliver \"Copies\"; flag draft }\n"
                + "}\ninclude \"${HOME}/rules/\(number).roostrc\""
        }
    }.joined(separator: "\n")
}

@Test("every example in Rules/ comes back from its encoding unchanged", arguments: exampleRuleFiles)
func exampleRoundTrip(file: String) throws {
    let text = try String(contentsOfFile: packageRoot + "/Rules/" + file, encoding: .utf8)
    expectRoundTrip(parsed(text))
}

@Test("the Rules/ examples are found")
func examplesFound() {
    #expect(exampleRuleFiles.count >= 5)
}

@Test("a generated 1000-rule file comes back unchanged, and the input of bench/gen_rules.py does too")
func thousandRules() {
    expectRoundTrip(parsed(generatedRules(1000)))
    let bench = (0..<997).map { "if header \"Subject\" ~ /qzx\($0)-(offer|deal)/ {\n    deliver \"Never/\($0)\"\n}" }
    expectRoundTrip(parsed(bench.joined(separator: "\n") + "\n"))
}

/// A range on line `line` from column `start` to `end`, with the offsets of an ASCII file of 80-column lines.
private func at(_ line: Int, _ start: Int, _ end: Int) -> SourceRange {
    SourceRange(
        SourceLocation(offset: (line - 1) * 80 + start - 1, line: line, column: start),
        SourceLocation(offset: (line - 1) * 80 + end - 1, line: line, column: end))
}

private func literal(_ parts: [StringPart], _ range: SourceRange = at(1, 1, 2)) -> StringLiteral {
    StringLiteral(parts: parts, range: range)
}

private func names(_ names: String...) -> [HeaderName] {
    names.enumerated().map { HeaderName(name: $1, range: at(2, 10 * $0 + 1, 10 * $0 + 9)) }
}

private func regex(_ source: String, _ flags: PatternFlags) -> RegexLiteral {
    RegexLiteral(source: Array(source.utf8), flags: flags, range: at(2, 40, 50))
}

private func statement(_ kind: Action.Kind, line: Int = 3) -> Statement {
    let action = Action(kind: kind, range: at(line, 5, 30))
    return Statement(kind: .action(action), range: action.range)
}

private func condition(_ kind: RuleLanguage.Test.Kind) -> Condition {
    let test = RuleLanguage.Test(kind: kind, range: at(2, 4, 60))
    return Condition(kind: .test(test), range: test.range)
}

@Test("every target, flag letter and kind of test comes back unchanged")
func everyTest() {
    let targets: [MatchTarget] = [
        .header(names("List-Id", "X-Ä")), .rawHeader(names("Subject")), .address(names()), .headers, .body,
        .rawBody, .subject, .from, .to, .sender, .recipient, .extension,
    ]
    let all: PatternFlags = [.caseless, .multiline, .dotAll, .extended]
    let flags: [PatternFlags] = [[], .caseless, .multiline, .dotAll, .extended, all]
    var tests: [RuleLanguage.Test.Kind] = targets.enumerated().map { index, target in
        .match(target, regex("^(?<a>x)\\/ü$", flags[index % flags.count]), isNegated: index % 2 == 1)
    }
    tests += [.match(.body, regex("", PatternFlags(rawValue: 0xFF)), isNegated: true), .headerExists(names("A", "B"))]
    tests += [.headerExists([]), .duplicate, .size(.less, 0), .size(.lessOrEqual, Int.max)]
    tests += [.size(.greater, Int.min), .size(.greaterOrEqual, 5_242_880)]
    let branches = tests.map { Branch(condition: condition($0), block: Block(statements: [], range: at(2, 62, 64))) }
    let conditional = IfStatement(branches: branches, elseBlock: nil)
    expectRoundTrip(RuleFile(statements: [Statement(kind: .if(conditional), range: at(1, 1, 70))]))
}

@Test("not, and, or nest in each other, with and without a range of their own")
func everyCondition() {
    let test = RuleLanguage.Test(kind: .duplicate, range: at(4, 10, 19))
    let own = Condition(kind: .test(test), range: at(4, 9, 20))  // a parenthesised test keeps the parentheses' range
    let shared = Condition(kind: .test(test), range: test.range)
    let negated = Condition(kind: .not(shared), range: at(4, 1, 19))
    let inner = Condition(kind: .or([shared, own, negated]), range: at(4, 1, 40))
    let outer = Condition(kind: .and([Condition(kind: .not(inner), range: at(3, 1, 40)), own]), range: at(3, 1, 70))
    let degenerate = Condition(kind: .and([]), range: at(5, 1, 2))
    let branches = [outer, degenerate, Condition(kind: .or([outer]), range: at(6, 1, 3))].map {
        Branch(condition: $0, block: Block(statements: [statement(.stop)], range: at(7, 1, 40)))
    }
    let elseBlock = Block(statements: [statement(.discard, line: 8)], range: at(8, 1, 20))
    let conditional = IfStatement(branches: branches, elseBlock: elseBlock)
    expectRoundTrip(RuleFile(statements: [Statement(kind: .if(conditional), range: at(3, 1, 80))]))
}

@Test("every action, copies and interpolated command words included, comes back unchanged")
func everyAction() {
    let text = literal([.literal("März 🦆 "), .capture(1, at(1, 9, 11)), .variable("list", at(1, 11, 18))])
    let empty = literal([], at(1, 30, 32))
    let word = CommandWord(parts: [.literal("--id="), .capture(0, at(1, 5, 7)), .variable("w", at(1, 7, 11))])
    let program = CommandWord(parts: [.literal("/usr/bin/prog")])
    let command = Command(words: [program, word, CommandWord(parts: [])], literal: text)
    let actions: [Action.Kind] = [
        .deliver(folder: text, isCopy: false), .deliver(folder: empty, isCopy: true), .discard,
        .forward(addresses: [text, empty], isCopy: false), .forward(addresses: [], isCopy: true),
        .pipe(command, isCopy: false), .pipe(command, isCopy: true), .filter(command), .reject(text), .defer(empty),
        .addHeader(HeaderName(name: "X-Roost", range: at(1, 12, 21)), value: text),
        .removeHeader(HeaderName(name: "", range: at(1, 15, 17))), .log(text), .stop,
    ] + MessageFlag.allCases.map { .flag($0) }
    var statements = actions.enumerated().map { statement($1, line: $0 + 1) }
    let unshared = Action(kind: .stop, range: at(40, 1, 5))
    statements.append(Statement(kind: .action(unshared), range: at(40, 1, 6)))  // a statement wider than its action
    expectRoundTrip(RuleFile(statements: statements))
}

@Test("set, include, else blocks, empty files and blocks, and unusual locations come back unchanged")
func everyStatement() {
    let assignment = Assignment(name: "logfile", nameRange: at(1, 5, 12), value: literal([.literal("~/.roost.log")]))
    let include = literal([.variable("HOME", at(2, 10, 15)), .literal("/common")], at(2, 9, 25))
    let block = Block(statements: [Statement(kind: .set(assignment), range: at(3, 1, 20))], range: at(3, 1, 30))
    let conditional = IfStatement(branches: [], elseBlock: block)
    // Lines and columns that no parser makes: negative, at the Int32 limits, going backwards across lines.
    let odd = SourceRange(
        SourceLocation(offset: Int(Int32.max), line: Int(Int32.min), column: -5),
        SourceLocation(offset: Int(Int32.min), line: Int(Int32.max), column: 0))
    let multiline = SourceRange(
        SourceLocation(offset: 3, line: 1, column: 4), SourceLocation(offset: 200, line: 9, column: 2))
    let extremes = literal([.capture(Int.min, odd), .capture(Int.max, multiline), .literal("")], odd)
    expectRoundTrip(RuleFile(statements: []))
    expectRoundTrip(
        RuleFile(statements: [
            Statement(kind: .set(assignment), range: at(1, 1, 30)),
            Statement(kind: .include(include), range: at(2, 1, 26)),
            Statement(kind: .if(conditional), range: multiline),
            Statement(kind: .if(IfStatement(branches: [], elseBlock: nil)), range: odd),
            Statement(kind: .include(extremes), range: odd),
            Statement(kind: .action(Action(kind: .stop, range: odd)), range: odd),
        ]))
}

/// `levels` parenthesised levels, each an `or` of an `and`: the deepest tree the parser makes.
private func deepestCondition(_ levels: Int) -> String {
    "if " + String(repeating: "duplicate or duplicate and (", count: levels) + "duplicate or duplicate and duplicate"
        + String(repeating: ")", count: levels) + " { stop }"
}

@Test("the deepest tree the parser makes comes back; a deeper one is refused, not a stack overflow")
func nestingLimit() {
    expectRoundTrip(parsed(deepestCondition(Parser.maximumDepth)))
    let depth = Parser.maximumDepth
    let blocks = String(repeating: "if duplicate {\n", count: depth) + String(repeating: "}\n", count: depth)
    expectRoundTrip(parsed(blocks))

    var tooDeep = Condition(kind: .test(RuleLanguage.Test(kind: .duplicate, range: at(1, 1, 2))), range: at(1, 1, 2))
    for _ in 0..<RuleFileCodec.maximumDepth + 1 { tooDeep = Condition(kind: .not(tooDeep), range: at(1, 1, 2)) }
    let branch = Branch(condition: tooDeep, block: Block(statements: [], range: at(1, 3, 4)))
    let conditional = IfStatement(branches: [branch], elseBlock: nil)
    let file = RuleFile(statements: [Statement(kind: .if(conditional), range: at(1, 1, 4))])
    #expect(decodingError(RuleFileCodec.encode(file))?.reason.hasPrefix("nesting deeper than") == true)

    // A million nested `not`s written by hand: an `if` statement, its range, one branch, then `not` and a range,
    // again and again.
    let header = Array(RuleFileCodec.encode(RuleFile(statements: [])).dropLast())
    let nots = (0..<3_000_000).map { UInt8($0 % 3 == 0 ? 2 : 0) }
    #expect(decodingError(header + [1, 0, 0, 0, 1] + nots)?.reason.hasPrefix("nesting deeper than") == true)
}

/// A medium file's encoding: 60 generated rules of every kind.
private let mediumEncoding = RuleFileCodec.encode(parse(SourceFile(path: "t", text: generatedRules(60))).0)

@Test("every truncation of an encoding is an error")
func truncations() {
    for length in 0..<mediumEncoding.count {
        #expect(decodingError(Array(mediumEncoding.prefix(length))) != nil, "\(length) bytes decoded")
    }
}

@Test("changing any byte of an encoding ends in an error or some tree, never a trap")
func flippedBytes() {
    var state: UInt64 = 2026  // a linear congruential sequence: the same flips every run
    var decoded = 0
    for _ in 0..<4000 {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        var bytes = mediumEncoding
        let position = Int((state >> 33) % UInt64(bytes.count))
        bytes[position] ^= UInt8(truncatingIfNeeded: state >> 8) | 1
        if let file = try? RuleFileCodec.decode(bytes) {
            decoded += 1
            _ = RuleFileCodec.encode(file)
        }
    }
    #expect(decoded > 0 && decoded < 4000)  // both outcomes happen: the flips reach strings and structure alike
}

@Test("another version, another magic, bytes after the tree and unknown tags are errors")
func headerAndTags() {
    let encoding = RuleFileCodec.encode(parsed("stop"))
    var otherVersion = encoding
    otherVersion[8] &+= 1
    #expect(decodingError(otherVersion) == RuleFileCodec.DecodingError(reason: "format version 2, not 1", offset: 8))
    var otherMagic = encoding
    otherMagic[0] = UInt8(ascii: "X")
    #expect(decodingError(otherMagic)?.reason == "not a roost syntax tree")
    let trailing = RuleFileCodec.DecodingError(reason: "bytes after the syntax tree", offset: encoding.count)
    #expect(decodingError(encoding + [0]) == trailing)
    let header = Array(encoding.prefix(12))
    #expect(decodingError(header + [1, 99])?.reason == "unknown StatementTag 99")
    #expect(decodingError([]) != nil)
}

@Test("a count of 2^40 elements is refused before anything is allocated")
func hugeCount() {
    let header = Array(RuleFileCodec.encode(RuleFile(statements: [])).dropLast())
    let count: [UInt8] = [0x80, 0x80, 0x80, 0x80, 0x80, 0x20]  // LEB128 of 1 << 40
    let refused = RuleFileCodec.DecodingError(reason: "count 1099511627776 exceeds the bytes left (1)", offset: 12)
    #expect(decodingError(header + count + [0]) == refused)
    let overlong: [UInt8] = Array(repeating: 0xFF, count: 9) + [0x7F]  // a tenth byte above 1
    #expect(decodingError(header + overlong)?.reason == "number longer than 64 bits")
}

@Test("a string that is not UTF-8 is refused rather than repaired")
func invalidUTF8() {
    let file = parsed("log \"abc\"")
    var bytes = RuleFileCodec.encode(file)
    guard let position = bytes.firstIndex(of: UInt8(ascii: "b")) else {
        Issue.record("no string in the encoding")
        return
    }
    for invalid: UInt8 in [0x80, 0xC3, 0xFF] {
        bytes[position] = invalid
        #expect(decodingError(bytes)?.reason == "invalid UTF-8 in a string")
    }
}

@Test("decoding reads raw bytes wherever they lie")
func rawBuffer() throws {
    let file = parsed(generatedRules(8))
    let shifted = [0x55] + RuleFileCodec.encode(file)
    let decoded = try shifted.withUnsafeBytes { raw in
        try RuleFileCodec.decode(UnsafeRawBufferPointer(rebasing: raw.dropFirst()))
    }
    #expect(decoded == file)
}
