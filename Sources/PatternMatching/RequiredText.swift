import Glibc

/// Text that every match of a regex contains: a value without it cannot match, and is passed over without running
/// PCRE2 (or even decoding the pattern). A 1000-rule file screens a thousand patterns per message, nearly all of
/// them against values that lack their text.
///
/// Only a conservative reading of the pattern: the longest run of plain characters outside any group, with no
/// alternation at the top level. Anything it does not fully understand (option settings, verbs, `\Q`, escapes
/// that take arguments, `{`, the `x` flag) means no required text, never a wrong one.
public struct RequiredText: Equatable, Sendable {
    /// The bytes, ASCII-lower-cased when `caseless`.
    public let bytes: [UInt8]
    /// Whether ASCII letters match either case.
    public let caseless: Bool

    /// Creates required text from its parts (as a compiled rule file stores it).
    public init(bytes: [UInt8], caseless: Bool) {
        self.bytes = bytes
        self.caseless = caseless
    }

    /// The required text of `source` compiled with `flags`, or nil if the pattern shows none it can be sure of.
    public init?(source: [UInt8], flags: PatternFlags) {
        guard !flags.contains(.extended), let runs = Self.literalRuns(source, caseless: flags.contains(.caseless)),
            let longest = runs.max(by: { $0.count < $1.count }), !longest.isEmpty
        else { return nil }
        self.init(bytes: Array(longest.prefix(255)), caseless: flags.contains(.caseless))
    }

    /// Whether `value` contains the text.
    public func isContained(in value: UnsafeRawBufferPointer) -> Bool {
        bytes.withUnsafeBytes { Self.value(value, contains: $0, caseless: caseless) }
    }

    /// Whether `value` contains `text` (lower-cased when `caseless`): for required text read in place from a
    /// compiled rule file.
    public static func value(_ value: UnsafeRawBufferPointer, contains text: UnsafeRawBufferPointer, caseless: Bool) -> Bool {
        guard !text.isEmpty else { return true }
        guard value.count >= text.count, let base = value.baseAddress else { return false }
        let first = text[0]
        let last = value.count - text.count
        var start = 0
        while start <= last {
            if !caseless {
                // memchr finds the first byte many bytes at a time.
                guard let found = memchr(base + start, Int32(first), last - start + 1) else { return false }
                start = base.distance(to: UnsafeRawPointer(found))
            } else if value[start].lowercasedASCII != first {
                start += 1
                continue
            }
            var offset = 1
            while offset < text.count, (caseless ? value[start + offset].lowercasedASCII : value[start + offset]) == text[offset] {
                offset += 1
            }
            if offset == text.count { return true }
            start += 1
        }
        return false
    }

    /// The runs of plain characters at the top level, in order; nil for a pattern this reading cannot vouch for.
    private static func literalRuns(_ source: [UInt8], caseless: Bool) -> [[UInt8]]? {
        var scanner = Scanner(source: source, caseless: caseless)
        return scanner.scan()
    }
}

/// Walks a pattern once, keeping the top-level literal runs.
private struct Scanner {
    let source: [UInt8]
    let caseless: Bool
    var index = 0
    var depth = 0
    var found: [[UInt8]] = []
    var run: [UInt8] = []
    /// Where the last character of `run` starts, so that a quantifier can take it back off.
    var lastCharacterStart: Int?

    init(source: [UInt8], caseless: Bool) {
        self.source = source
        self.caseless = caseless
    }

    /// Escapes that stand for one position or class of character and take no argument.
    static let plainClassEscapes = Set("dDsSwWbBhHvVRXAZzGK".utf8)

    mutating func scan() -> [[UInt8]]? {
        while index < source.count {
            let byte = source[index]
            index += 1
            switch byte {
            case UInt8(ascii: "\\"):
                guard index < source.count else { return nil }
                let escaped = source[index]
                index += 1
                if escaped.isASCIIAlphanumeric {
                    guard Self.plainClassEscapes.contains(escaped) else { return nil }
                    endRun()
                } else {
                    guard literal(escaped) else { return nil }
                }
            case UInt8(ascii: "("):
                if index < source.count, source[index] == UInt8(ascii: "*") { return nil }
                if index < source.count, source[index] == UInt8(ascii: "?") {
                    guard index + 1 < source.count, Array(":=!<>|'P".utf8).contains(source[index + 1]) else { return nil }
                }
                endRun()
                depth += 1
            case UInt8(ascii: ")"):
                depth -= 1
                guard depth >= 0 else { return nil }
                endRun()
            case UInt8(ascii: "|"):
                guard depth > 0 else { return nil }
            case UInt8(ascii: "["):
                guard skipClass() else { return nil }
                endRun()
            case UInt8(ascii: "{"):
                return nil
            case UInt8(ascii: "?"), UInt8(ascii: "*"):
                dropLastCharacter()
                endRun()
                skipQuantifierModifier()
            case UInt8(ascii: "+"):
                endRun()
                skipQuantifierModifier()
            case UInt8(ascii: "."), UInt8(ascii: "^"), UInt8(ascii: "$"):
                endRun()
            default:
                guard literal(byte) else { return nil }
            }
        }
        guard depth == 0 else { return nil }
        endRun()
        return found
    }

    /// Adds a plain byte to the run at the top level. False when the pattern must be given up on: a caseless
    /// non-ASCII byte (Unicode case folding is PCRE2's business).
    private mutating func literal(_ byte: UInt8) -> Bool {
        guard depth == 0 else { return true }
        if caseless {
            guard byte < 0x80 else { return false }
            // In UTF mode PCRE2 folds k and s with the Kelvin sign and the long s as well: not plain bytes.
            if [UInt8(ascii: "k"), UInt8(ascii: "s")].contains(byte.lowercasedASCII) {
                endRun()
                return true
            }
        }
        if byte & 0xC0 != 0x80 { lastCharacterStart = run.count }
        run.append(caseless ? byte.lowercasedASCII : byte)
        return true
    }

    /// A `?` or `*` makes the character before it optional: it leaves the run (all its bytes, if it is UTF-8).
    private mutating func dropLastCharacter() {
        guard depth == 0, let start = lastCharacterStart, start < run.count else { return }
        run.removeSubrange(start...)
    }

    private mutating func endRun() {
        if !run.isEmpty { found.append(run) }
        run = []
        lastCharacterStart = nil
    }

    /// A lazy `?` or possessive `+` after a quantifier.
    private mutating func skipQuantifierModifier() {
        if index < source.count, source[index] == UInt8(ascii: "?") || source[index] == UInt8(ascii: "+") { index += 1 }
    }

    /// Skips a character class `[…]`, with `]` first, escapes and `[:name:]` inside it. Gives up (false) on what
    /// changes where PCRE2 ends the class: `\Q`, `\E`, `\c` and other escapes taking an argument, and a `[:`
    /// that is not a whole POSIX class name.
    private mutating func skipClass() -> Bool {
        if index < source.count, source[index] == UInt8(ascii: "^") { index += 1 }
        if index < source.count, source[index] == UInt8(ascii: "]") { index += 1 }
        while index < source.count {
            switch source[index] {
            case UInt8(ascii: "\\"):
                guard index + 1 < source.count else { return false }
                let escaped = source[index + 1]
                guard !escaped.isASCIIAlphanumeric || Self.argumentlessClassEscapes.contains(escaped) else { return false }
                index += 2
            case UInt8(ascii: "]"):
                index += 1
                return true
            case UInt8(ascii: "[") where index + 1 < source.count && source[index + 1] == UInt8(ascii: ":"):
                guard let length = posixClassLength(at: index) else { return false }
                index += length
            case UInt8(ascii: "[") where index + 1 < source.count && [UInt8(ascii: "."), UInt8(ascii: "=")].contains(source[index + 1]):
                return false
            default: index += 1
            }
        }
        return false
    }

    /// Escapes that stand for a set of characters inside a class and read nothing after them.
    static let argumentlessClassEscapes = Set("dDsSwWhHvV".utf8)

    /// The length of `[:name:]` or `[:^name:]` at `start`, or nil if that is not what stands there.
    private func posixClassLength(at start: Int) -> Int? {
        var end = start + 2
        if end < source.count, source[end] == UInt8(ascii: "^") { end += 1 }
        let nameStart = end
        while end < source.count, (0x61...0x7A).contains(source[end]) { end += 1 }
        guard end > nameStart, end + 1 < source.count, source[end] == UInt8(ascii: ":"),
            source[end + 1] == UInt8(ascii: "]")
        else { return nil }
        return end + 2 - start
    }
}

extension UInt8 {
    fileprivate var lowercasedASCII: UInt8 { (0x41...0x5A).contains(self) ? self | 0x20 : self }
    fileprivate var isASCIIAlphanumeric: Bool {
        (0x30...0x39).contains(self) || (0x41...0x5A).contains(self) || (0x61...0x7A).contains(self)
    }
}
