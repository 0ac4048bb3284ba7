import PatternMatching

/// A string literal, split into literal text and interpolations (SPEC §5.4).
public struct StringLiteral: Equatable, Sendable {
    /// The parts in order; adjacent literal text is merged into one part.
    public var parts: [StringPart]
    /// From the opening to the closing quote.
    public var range: SourceRange

    /// The value if the string interpolates nothing, else nil.
    public var plainValue: String? {
        switch parts.count {
        case 0: return ""
        case 1: if case .literal(let text) = parts[0] { return text } else { return nil }
        default: return nil
        }
    }
}

/// A piece of a string literal.
public enum StringPart: Equatable, Sendable {
    /// Text taken as written, escapes and `$$` already resolved.
    case literal(String)
    /// `$0` … `$9` (also `${0}` … `${9}`): a numbered capture of the enclosing `if`.
    case capture(Int, SourceRange)
    /// `$name` or `${name}`: a named capture, a `set` variable or an environment variable.
    case variable(String, SourceRange)
}

/// A regex literal `/source/flags`. The source is kept as written (`\/` included, which PCRE2 reads as
/// a slash), so PCRE2's byte offsets map straight back to columns. The loader compiles every one up front (an
/// error anywhere voids the file, SPEC §3) and keeps them in the file's compiled form; `roost check` compiles them
/// all too.
public struct RegexLiteral: Equatable, Sendable {
    /// The bytes between the slashes.
    public var source: [UInt8]
    /// The letters after the closing slash.
    public var flags: PatternFlags
    /// From the opening slash to the last flag letter.
    public var range: SourceRange

    /// The literal as written, e.g. `/^yes$/i`, for traces.
    public var text: String { "/" + String(decoding: source, as: UTF8.self) + "/" + flags.letters }
}
