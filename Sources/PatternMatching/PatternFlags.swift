import CPCRE2

/// The options a rule sets with the letters after a regex literal, `/…/imsx` (SPEC §5.2).
public struct PatternFlags: OptionSet, Hashable, Sendable {
    /// The flags as bits.
    public let rawValue: UInt8

    /// Creates flags from their bit pattern.
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// `i`: letters match either case (PCRE2_CASELESS).
    public static let caseless = PatternFlags(rawValue: 1 << 0)
    /// `m`: `^` and `$` also match at line breaks (PCRE2_MULTILINE).
    public static let multiline = PatternFlags(rawValue: 1 << 1)
    /// `s`: `.` also matches a line break (PCRE2_DOTALL).
    public static let dotAll = PatternFlags(rawValue: 1 << 2)
    /// `x`: white space and `#` comments in the pattern are ignored (PCRE2_EXTENDED).
    public static let extended = PatternFlags(rawValue: 1 << 3)

    /// The flag a rule file spells with `letter` (one of `i m s x`), or nil for any other byte.
    public init?(letter: UInt8) {
        switch letter {
        case UInt8(ascii: "i"): self = .caseless
        case UInt8(ascii: "m"): self = .multiline
        case UInt8(ascii: "s"): self = .dotAll
        case UInt8(ascii: "x"): self = .extended
        default: return nil
        }
    }

    /// The flags as a rule file writes them, in the fixed order `imsx`.
    public var letters: String {
        var result = ""
        if contains(.caseless) { result += "i" }
        if contains(.multiline) { result += "m" }
        if contains(.dotAll) { result += "s" }
        if contains(.extended) { result += "x" }
        return result
    }

    /// The pcre2_compile options these flags add to roost's fixed ones.
    var compileOptions: UInt32 {
        var options: UInt32 = 0
        if contains(.caseless) { options |= PCRE2_CASELESS }
        if contains(.multiline) { options |= PCRE2_MULTILINE }
        if contains(.dotAll) { options |= PCRE2_DOTALL }
        if contains(.extended) { options |= PCRE2_EXTENDED }
        return options
    }
}
