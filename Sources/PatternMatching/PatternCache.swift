/// The patterns of one delivery: those the loader filed per rule file (compiled from the text, or still serialized
/// in the file's compiled form), and any other regex compiled once on first use, a failure remembered as well as a
/// success.
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
    /// The loader's patterns per rule file: found by index or by a binary search for the literal's offset, not by
    /// hashing the pattern's text (a big rule file looks up a thousand per delivery).
    private var placed: [PlacedPatterns] = []

    /// A rule file's patterns in the order of their literals' byte offsets: compiled just now, or still
    /// serialized in its compiled form.
    public enum PlacedPatterns {
        case compiled(offsets: [Int], patterns: [Pattern])
        case serialized(SerializedPatterns)

        func index(ofOffset offset: Int) -> Int? {
            switch self {
            case .compiled(let offsets, _):
                PatternMatching.index(ofOffset: offset, count: offsets.count) { offsets[$0] }
            case .serialized(let patterns): patterns.index(ofOffset: offset)
            }
        }

        func pattern(at index: Int) -> Pattern? {
            switch self {
            case .compiled(_, let patterns): patterns.indices.contains(index) ? patterns[index] : nil
            case .serialized(let patterns): patterns.pattern(at: index)
            }
        }
    }

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

    /// Files the patterns of rule file `unit`.
    public func place(_ patterns: PlacedPatterns, unit: Int) {
        while placed.count <= unit { placed.append(.compiled(offsets: [], patterns: [])) }
        placed[unit] = patterns
    }

    /// The pattern of the literal at byte `offset` of file `unit`, if the loader filed one.
    public func pattern(unit: Int, offset: Int) -> Pattern? {
        guard placed.indices.contains(unit), let index = placed[unit].index(ofOffset: offset) else { return nil }
        return placed[unit].pattern(at: index)
    }

    /// The `index`th pattern filed for file `unit`.
    public func pattern(unit: Int, index: Int) -> Pattern? {
        guard placed.indices.contains(unit) else { return nil }
        return placed[unit].pattern(at: index)
    }

    /// How many distinct patterns have been compiled (or failed to).
    public var count: Int { entries.count }
}
