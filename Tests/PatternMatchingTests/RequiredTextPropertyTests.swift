import PatternMatching
import TestSupport
import Testing

// RequiredText lets the rule engine skip PCRE2 on a header value that lacks the text, so a required text missing from
// a value the pattern matches silently misfiles mail. These tests hold it to that on thousands of random patterns built
// from the parts a hand-written scanner gets wrong: escapes, classes, groups, quantifiers and case folding.

extension SplitMix64 {
    fileprivate mutating func chance(_ percent: Int) -> Bool { below(100) < percent }

    fileprivate mutating func pick<Element>(_ items: [Element]) -> Element { items[below(items.count)] }
}

/// A generated regex as a tree, so that besides its source it can offer strings it probably matches: random
/// subjects alone would almost never match a pattern with a five-character literal in it.
private indirect enum Piece {
    /// One item of the pattern and strings it may match ("" for an assertion).
    case atom(String, samples: [String])
    case sequence([Piece])
    /// `open` + alternatives joined by `|` + `)`; with an empty `open`, a top-level alternation without parentheses.
    case group(open: String, alternatives: [Piece])
    case repeated(Piece, quantifier: String, counts: [Int])

    var source: String {
        switch self {
        case .atom(let source, _): source
        case .sequence(let pieces): pieces.map { $0.source }.joined()
        case .group(let open, let alternatives):
            open.isEmpty
                ? alternatives.map { $0.source }.joined(separator: "|")
                : open + alternatives.map { $0.source }.joined(separator: "|") + ")"
        case .repeated(let piece, let quantifier, _): piece.source + quantifier
        }
    }

    func sample(_ random: inout SplitMix64) -> String {
        switch self {
        case .atom(_, let samples): return random.pick(samples)
        case .sequence(let pieces): return pieces.map { $0.sample(&random) }.joined()
        case .group(_, let alternatives): return random.pick(alternatives).sample(&random)
        case .repeated(let piece, _, let counts):
            return (0..<random.pick(counts)).map { _ in piece.sample(&random) }.joined()
        }
    }
}

/// Random patterns from a grammar weighted towards what RequiredText's scanner has to get right.
private struct RegexGenerator {
    var random: SplitMix64
    private var groupNumber = 0

    init(seed: UInt64) { random = SplitMix64(seed: seed) }

    // k, s and their capitals fold with U+212A and U+017F in caseless UTF mode; İ and ı fold with nothing ASCII.
    static let literals = [
        "a", "b", "c", "k", "K", "s", "S", "x", "y", "z", "E", "Q", "0", "1", "9", " ", "-", ",", ":", "@", "!", "<",
        ">", "#", "=", "'", "/", "}", "]", "é", "É", "ß", "ſ", "\u{212A}", "İ", "ı",
    ]
    static let escapedPunctuation = [".", "-", "/", "\\", "*", "(", ")", "[", "]", "|", "{", "?", "$", "^", " ", "#"]
    static let escapes: [(String, [String])] = [
        ("\\d", ["0", "7"]), ("\\w", ["a", "_", "é"]), ("\\s", [" ", "\t"]), ("\\b", [""]), ("\\B", [""]),
        ("\\x41", ["A", "a"]), ("\\x4b", ["K", "k"]), ("\\x{e9}", ["é", "É"]), ("\\x{212a}", ["\u{212A}", "k"]),
        ("\\101", ["A"]), ("\\e", ["\u{1B}"]), ("\\t", ["\t"]), ("\\n", ["\n"]), ("\\Qa.b\\E", ["a.b"]),
        ("\\Q|k)\\E", ["|k)"]), ("\\E", [""]), ("\\N", ["a", "."]), ("\\K", [""]), ("\\cA", ["\u{01}"]),
        ("\\h", [" "]), ("\\R", ["\n"]), ("\\p{L}", ["a", "é"]), ("\\A", [""]), ("\\z", [""]), ("\\G", [""]),
    ]
    static let classItems: [(String, [String])] = [
        ("abc", ["a", "b", "c"]), ("a-z", ["m", "k", "s"]), ("kK", ["k", "K", "\u{212A}"]), ("sſ", ["s", "ſ", "S"]),
        ("\\]", ["]"]), ("\\\\", ["\\"]), ("\\d", ["5"]), ("[:alpha:]", ["q", "é"]), ("[:digit:]", ["3"]),
        ("[", ["["]), ("[:x", ["[", ":", "x"]), ("\\c]", ["\u{1D}"]), ("\\c\\", ["\u{1C}"]), ("\\Q]x\\E", ["]", "x"]),
        ("\\Q]x[\\E", ["]", "x", "["]), ("|", ["|"]),
        ("(", ["("]), (")", [")"]), ("{", ["{"]), ("-", ["-"]), ("é", ["é"]), ("$", ["$"]), ("\\x{e9}", ["é"]),
    ]
    /// What may stand first in a class, where PCRE2 takes `]` as a member (after `\Q\E` or `\E` too, as Perl does).
    static let classLeads = ["]", "\\Q\\E", "\\E", "\\Q\\E]", "\\E]", "^"]
    static let groupOpeners = ["(", "(?:", "(?i:", "(?-i:", "(?=", "(?!", "(?<=", "(?<!", "(?>", "(?|", "(?s:"]
    static let others: [(String, [String])] = [
        ("^", [""]), ("$", [""]), (".", ["a", "é", "\n"]), ("(?i)", [""]), ("(?-i)", [""]), ("(?m)", [""]),
        ("{", ["{"]), ("}", ["}"]), ("{2", ["{2"]), ("{,3}", ["{,3}"]), ("\\", [""]),
    ]
    static let quantifiers: [(String, [Int])] = [
        ("?", [0, 1]), ("*", [0, 1, 2]), ("+", [1, 2]), ("{2}", [2]), ("{1,3}", [1, 3]), ("{0}", [0]),
        ("??", [0, 1]), ("*?", [0, 2]), ("++", [1, 2]), ("+?", [1]), ("?+", [0, 1]), ("{2,}", [2, 3]),
    ]

    mutating func pattern() -> Piece {
        groupNumber = 0
        guard random.chance(12) else { return sequence(depth: 0) }
        return .group(open: "", alternatives: [sequence(depth: 0), sequence(depth: 0)])
    }

    mutating func flags() -> PatternFlags {
        var flags: PatternFlags = []
        if random.chance(40) { flags.insert(.caseless) }
        if random.chance(20) { flags.insert(.multiline) }
        if random.chance(20) { flags.insert(.dotAll) }
        // RequiredText gives up on `x` outright, so patterns spent on it check only that it does.
        if random.chance(5) { flags.insert(.extended) }
        return flags
    }

    private mutating func sequence(depth: Int) -> Piece {
        .sequence((0...random.below(6)).map { _ in item(depth: depth) })
    }

    private mutating func item(depth: Int) -> Piece {
        let atom = atom(depth: depth)
        guard random.chance(25) else { return atom }
        let (quantifier, counts) = random.pick(Self.quantifiers)
        return .repeated(atom, quantifier: quantifier, counts: counts)
    }

    private mutating func atom(depth: Int) -> Piece {
        switch random.below(depth < 2 ? 11 : 9) {
        case 0...3:
            let literal = random.pick(Self.literals)
            return .atom(literal, samples: [literal])
        case 4:
            let punctuation = random.pick(Self.escapedPunctuation)
            return .atom("\\" + punctuation, samples: [punctuation])
        case 5:
            let (source, samples) = random.pick(Self.escapes)
            return .atom(source, samples: samples)
        case 6: return characterClass()
        case 7, 8:
            let (source, samples) = random.pick(Self.others)
            return .atom(source, samples: samples)
        default: return group(depth: depth + 1)
        }
    }

    private mutating func characterClass() -> Piece {
        var source = "["
        var samples: [String] = []
        if random.chance(25) {
            let lead = random.pick(Self.classLeads)
            source += lead
            samples += lead.hasSuffix("]") ? ["]"] : []
        }
        for _ in 0...random.below(3) {
            let (item, members) = random.pick(Self.classItems)
            source += item
            samples += members
        }
        // Negated classes and odd leads make the samples guesses; the subjects' random strings cover the rest.
        return .atom(source + "]", samples: samples + ["q", "é"])
    }

    private mutating func group(depth: Int) -> Piece {
        var open = random.pick(Self.groupOpeners)
        if random.chance(10) {
            groupNumber += 1
            let prefix = random.pick(["(?<n", "(?'n", "(?P<n"])
            open = prefix + "\(groupNumber)" + (prefix == "(?'n" ? "'" : ">")
        }
        let count = random.chance(35) ? 2 + random.below(2) : 1
        return .group(open: open, alternatives: (0..<count).map { _ in sequence(depth: depth) })
    }
}

/// Subjects for one pattern: its own samples, the same in other cases, and random strings over its characters.
private enum SubjectMaker {
    static let noise = ["a", "K", "s", "\u{212A}", "ſ", "é", "ß", " ", "\n", "1", "-", ".", "]", "İ", "x"]
    /// Each letter's partner under Unicode case folding (and near misses, İ and ẞ, that PCRE2 should not fold).
    /// Keyed by scalar because Character compares canonically: the Kelvin sign and "K" are one Character.
    static let twins: [Unicode.Scalar: String] = [
        "k": "\u{212A}", "K": "\u{212A}", "\u{212A}": "k", "s": "ſ", "S": "ſ", "ſ": "S", "i": "İ", "I": "ı",
        "İ": "i", "ı": "I", "ß": "ẞ", "ẞ": "ß", "é": "É", "É": "é", "a": "A", "A": "a", "x": "X", "X": "x",
    ]

    static func subjects(for piece: Piece, random: inout SplitMix64) -> [[UInt8]] {
        var subjects: [String] = []
        for _ in 0..<6 {
            let sample = piece.sample(&random)
            subjects.append(random.chance(30) ? random.pick(noise) + sample + random.pick(noise) : sample)
            subjects.append(recase(sample, &random))
        }
        let alphabet = piece.source.map(String.init) + noise
        for _ in 0..<4 {
            subjects.append((0..<random.below(12)).map { _ in random.pick(alphabet) }.joined())
        }
        var bytes = subjects.map { Array($0.utf8) }
        // 0xFF is never UTF-8: under MATCH_INVALID_UTF a match may end before it or start after it.
        var broken = bytes[0]
        broken.insert(0xFF, at: random.below(broken.count + 1))
        bytes.append(broken)
        return bytes
    }

    static func recase(_ text: String, _ random: inout SplitMix64) -> String {
        switch random.below(4) {
        case 0: return text.uppercased()
        case 1: return text.lowercased()
        case 2: return text.unicodeScalars.map { twins[$0] ?? String($0) }.joined()
        default:
            var result = ""
            for character in text {
                let flipped = character.isUppercase ? character.lowercased() : character.uppercased()
                result += random.chance(50) ? flipped : String(character)
            }
            return result
        }
    }

    /// The subject with the matched text recased in place, and the recased match alone: a pattern that matched
    /// one spelling is the likeliest to match another, and that is where case folding can outrun the text.
    static func variants(of subject: [UInt8], match: Range<Int>, random: inout SplitMix64) -> [[UInt8]] {
        let matched = String(decoding: subject[match], as: UTF8.self)
        let before = subject[..<match.lowerBound]
        let after = subject[match.upperBound...]
        return (0..<3).map { _ in Array(before) + Array(recase(matched, &random).utf8) + Array(after) }
            + [Array(recase(matched, &random).utf8)]
    }
}

/// A pattern, its flags and a subject it matches that lacks its required text, written so that the pattern can be
/// pasted into a Swift test as it is.
private struct Counterexample: CustomStringConvertible {
    let pattern: [UInt8]
    let flags: PatternFlags
    let subject: [UInt8]
    let required: RequiredText

    var description: String {
        let pattern = String(decoding: pattern, as: UTF8.self).debugDescription
        let subjectText = String(decoding: subject, as: UTF8.self).debugDescription
        let bytes = subject.map { String($0, radix: 16) }.joined(separator: " ")
        let text = String(decoding: required.bytes, as: UTF8.self).debugDescription
        return "pattern \(pattern) flags \"\(flags.letters)\" subject \(subjectText) (bytes \(bytes)) "
            + "required \(text)\(required.caseless ? " caseless" : "")"
    }
}

/// What one run covered, so that a generator change that stops producing matches fails loudly instead of passing.
private struct Coverage {
    var patterns = 0
    var subjects = 0
    var matches = 0
    var counterexamples: [Counterexample] = []
}

/// Matches each subject; for each match, checks the required text and tries recased variants of the match too.
private func check(
    _ pattern: Pattern, source: [UInt8], flags: PatternFlags, required: RequiredText,
    subjects: [[UInt8]], matcher: Matcher, random: inout SplitMix64, coverage: inout Coverage
) {
    var queue = subjects
    var index = 0
    while index < queue.count {
        let subject = queue[index]
        coverage.subjects += 1
        if let match = matcher.firstMatch(of: pattern, in: subject).match {
            coverage.matches += 1
            if !subject.withUnsafeBytes({ required.isContained(in: $0) }) {
                coverage.counterexamples.append(
                    Counterexample(pattern: source, flags: flags, subject: subject, required: required))
                return
            }
            if index < subjects.count, let range = match.range(of: 0) {
                queue += SubjectMaker.variants(of: subject, match: range, random: &random)
            }
        }
        index += 1
    }
}

// Seed, pattern count and the floor on matches are fixed, so a run checks the same 3000 patterns every time (about
// 160,000 subjects, 120,000 of them matched, in about 1 s of a debug build); the floor fails a generator change
// that stops producing subjects the patterns match.
@Test("every subject a random pattern matches contains the pattern's required text")
func requiredTextOfRandomPatterns() {
    var generator = RegexGenerator(seed: 0x726F_6F73_7400_0001)
    let matcher = Matcher()
    var coverage = Coverage()
    var attempts = 0
    while coverage.patterns < 3000 && attempts < 40_000 {
        attempts += 1
        let piece = generator.pattern()
        let flags = generator.flags()
        let source = Array(piece.source.utf8)
        guard let required = RequiredText(source: source, flags: flags),
            let pattern = try? Pattern.compile(source: source, flags: flags)
        else { continue }
        coverage.patterns += 1
        let subjects = SubjectMaker.subjects(for: piece, random: &generator.random)
        check(
            pattern, source: source, flags: flags, required: required,
            subjects: subjects, matcher: matcher,
            random: &generator.random, coverage: &coverage)
    }
    #expect(coverage.patterns == 3000)
    #expect(coverage.matches > 100_000)
    #expect(coverage.counterexamples.isEmpty, "\(report(coverage.counterexamples))")
}

/// The first counterexamples, one a line: enough to start from, short enough to read in a test log.
private func report(_ counterexamples: [Counterexample]) -> String {
    "\(counterexamples.count) patterns matched a subject without their required text:\n"
        + counterexamples.prefix(20).map(\.description).joined(separator: "\n")
}

/// A pattern, flags and a subject the pattern matches, picked by hand where a scanner is easiest to fool.
struct AdversarialRequiredTextCase: Sendable, CustomTestStringConvertible {
    let pattern: String
    let flags: PatternFlags
    let subject: String
    init(_ pattern: String, _ flags: PatternFlags = [], _ subject: String) {
        self.pattern = pattern
        self.flags = flags
        self.subject = subject
    }

    var testDescription: String { "/\(pattern)/\(flags.letters) on \(subject.debugDescription)" }
}

private let adversarialCases = [
    // The Kelvin sign and the long s fold with k and s; the scanner must leave those letters out of caseless text.
    AdversarialRequiredTextCase("kelvin", .caseless, "\u{212A}ELVIN"),
    AdversarialRequiredTextCase("Kiss", .caseless, "\u{212A}I\u{17F}\u{17F}"),
    AdversarialRequiredTextCase("x\u{17F}y", [], "x\u{17F}y"), AdversarialRequiredTextCase("ab*c", .caseless, "AC"),
    AdversarialRequiredTextCase("\u{130}?stanbul", [], "stanbul"),
    // A `?` or `*` takes back the whole last character, all its UTF-8 bytes, or the escaped one.
    AdversarialRequiredTextCase("caf\u{E9}?x", [], "cafx"), AdversarialRequiredTextCase("a\\.?b", [], "ab"),
    AdversarialRequiredTextCase("ab++c", [], "abbc"), AdversarialRequiredTextCase("x\\\\y", [], "x\\y"),
    // \K and lookbehind move where the match starts, but the subject still holds what they passed over.
    AdversarialRequiredTextCase("ab\\Kcd", [], "abcd"), AdversarialRequiredTextCase("(?<=abc)def", [], "abcdef"),
    AdversarialRequiredTextCase("(?|ab|cd)ef", [], "cdef"), AdversarialRequiredTextCase("[]a]bc", [], "]bc"),
    AdversarialRequiredTextCase("[\\]x]yz", [], "]yz"), AdversarialRequiredTextCase("[[:alpha:]]yz", [], "qyz"),
    AdversarialRequiredTextCase("b[^\\]]*]c", [], "bxx]c"),
    // Where PCRE2 ends a class: `\c` takes the next character, even `]` or `\`; `]` after a leading `\Q\E` or `\E`
    // is a member; `[:` without `:]` is a plain `[` and `:`; `\Q…\E` quotes a `]`.
    AdversarialRequiredTextCase("[\\c]abc]", [], "c"),
    AdversarialRequiredTextCase("[\\c\\]|abc]xyz", [], "\u{1C}"),
    AdversarialRequiredTextCase("[\\Q\\E]abc]", [], "a"),
    AdversarialRequiredTextCase("[^\\E]abc]", .caseless, "x"),
    AdversarialRequiredTextCase("[[:a]|b]xyz", [], ":"),
    AdversarialRequiredTextCase("[\\Q]xyz[\\E]", [], "x"),
]

@Test("every subject an adversarial pattern matches contains its required text", arguments: adversarialCases)
func requiredTextOfAdversarialPatterns(_ adversarial: AdversarialRequiredTextCase) throws {
    let source = Array(adversarial.pattern.utf8)
    let subject = Array(adversarial.subject.utf8)
    let pattern = try Pattern.compile(source: source, flags: adversarial.flags)
    try #require(pattern.firstMatch(in: subject).match != nil)
    // No required text is always sound: the scanner gives up where it cannot tell where PCRE2 ends a class.
    guard let required = RequiredText(source: source, flags: adversarial.flags) else { return }
    let contained = subject.withUnsafeBytes { required.isContained(in: $0) }
    let text = String(decoding: required.bytes, as: UTF8.self).debugDescription
    #expect(contained, "required text \(text) is not in the subject")
}
