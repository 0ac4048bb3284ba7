/// Compiles each distinct regex once, on first use, and remembers a failure as well as a success.
///
/// SPEC §9: a rule file is parsed per delivery, so its regexes are compiled lazily, only when a rule is
/// reached, and rules after a final action cost nothing.
public final class PatternCache {
    private struct Key: Hashable {
        let source: [UInt8]
        let flags: PatternFlags

        // All bytes at once: the synthesized hash feeds the hasher one byte per call.
        func hash(into hasher: inout Hasher) {
            source.withUnsafeBytes { hasher.combine(bytes: $0) }
            hasher.combine(flags)
        }
    }

    private var entries: [Key: Result<Pattern, PatternError>] = [:]

    /// Creates an empty cache.
    public init() {}

    /// The compiled pattern for `source` and `flags`, compiling it on the first request.
    public func pattern(source: [UInt8], flags: PatternFlags) -> Result<Pattern, PatternError> {
        let key = Key(source: source, flags: flags)
        if let known = entries[key] { return known }
        let compiled = Result { () throws(PatternError) -> Pattern in try Pattern.compile(source: source, flags: flags) }
        entries[key] = compiled
        return compiled
    }

    /// How many distinct patterns have been compiled (or failed to).
    public var count: Int { entries.count }
}
