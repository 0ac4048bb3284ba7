import CPCRE2

/// Why a regex did not compile: PCRE2's own message and where in the pattern it stopped.
public struct PatternError: Error, Equatable, Sendable {
    /// PCRE2's error code (positive for compile errors), kept for logs and tests.
    public let code: Int32
    /// PCRE2's message, e.g. "missing closing parenthesis".
    public let message: String
    /// Byte offset into the pattern source; PCRE2 points just past the character it choked on.
    public let offset: Int

    /// Creates an error from its parts.
    public init(code: Int32, message: String, offset: Int) {
        self.code = code
        self.message = message
        self.offset = offset
    }
}

/// A named capture group: its name and the number PCRE2 gave it.
public struct GroupName: Equatable, Hashable, Sendable {
    /// The name written in `(?<name>…)`.
    public let name: String
    /// The group's number, as in `$1`.
    public let number: Int
}

/// A compiled PCRE2 regex. A class because the compiled code must be freed exactly once.
///
/// Not Sendable: roost delivers on one thread, and a `Matcher` that shares match data across patterns
/// must not be used from two threads at once either.
public final class Pattern {
    /// The compiled code, owned by this object and freed in deinit.
    let code: OpaquePointer
    /// The flags the pattern was compiled with.
    public let flags: PatternFlags
    /// How many capture groups the pattern has, not counting group 0 (the whole match).
    public let captureCount: Int
    /// The named groups in the order of their numbers.
    public let groupNames: [GroupName]

    /// Compiles `source` (UTF-8 bytes). The options are fixed by SPEC §5.2: UTF mode with invalid-UTF
    /// handling, so 8-bit junk in a message never makes a match fail, and LF as the only newline.
    ///
    /// Not used, on purpose: `PCRE2_NO_UTF_CHECK` (mail is not valid UTF-8) and the JIT (PLATFORM.md §5:
    /// Debian's 10.42 JIT mis-matches `\S`, `\W`, `\D` together with MATCH_INVALID_UTF).
    /// `PCRE2_AUTO_CALLOUT` lets a `Matcher` count the work of a whole search (see `MatchLimits.workLimit`).
    /// - Throws: `PatternError` with PCRE2's message and byte offset.
    public static func compile(source: [UInt8], flags: PatternFlags) throws(PatternError) -> Pattern {
        let options = PCRE2_UTF | PCRE2_MATCH_INVALID_UTF | PCRE2_NEVER_BACKSLASH_C | PCRE2_AUTO_CALLOUT
            | flags.compileOptions
        var errorCode: Int32 = 0
        var errorOffset = 0
        let context = pcre2_compile_context_create_8(nil)
        defer { pcre2_compile_context_free_8(context) }
        if let context { pcre2_set_newline_8(context, UInt32(PCRE2_NEWLINE_LF)) }
        let compiled = source.withNonEmptyBuffer { pointer, count in
            pcre2_compile_8(pointer, count, options, &errorCode, &errorOffset, context)
        }
        guard let compiled else {
            throw PatternError(code: errorCode, message: errorMessage(for: errorCode), offset: errorOffset)
        }
        return Pattern(code: compiled, flags: flags)
    }

    /// Compiles the UTF-8 of `source`; see `compile(source:flags:)` for `[UInt8]`.
    /// - Throws: `PatternError` with PCRE2's message and byte offset.
    public static func compile(source: String, flags: PatternFlags = []) throws(PatternError) -> Pattern {
        try compile(source: Array(source.utf8), flags: flags)
    }

    init(code: OpaquePointer, flags: PatternFlags) {
        self.code = code
        self.flags = flags
        self.captureCount = Int(Self.info(code, PCRE2_INFO_CAPTURECOUNT))
        self.groupNames = Self.readNameTable(code)
    }

    deinit { pcre2_code_free_8(code) }

    /// The number of the group called `name`, or nil if the pattern has no such group.
    public func number(ofGroup name: String) -> Int? {
        groupNames.first { $0.name == name }?.number
    }

    /// Searches `subject` once, with a matcher made for this call; an evaluator running many patterns
    /// keeps one `Matcher` instead, so the match data and its backtracking memory are reused.
    public func firstMatch(in subject: [UInt8], limits: MatchLimits = .standard) -> MatchResult {
        Matcher(limits: limits).firstMatch(of: self, in: subject[...])
    }

    /// PCRE2's text for an error code, e.g. "missing closing parenthesis".
    static func errorMessage(for code: Int32) -> String {
        var buffer = [UInt8](repeating: 0, count: 256)
        let length = pcre2_get_error_message_8(code, &buffer, buffer.count)
        guard length > 0 else { return "PCRE2 error \(code)" }
        return String(decoding: buffer.prefix(Int(length)), as: UTF8.self)
    }

    private static func info(_ code: OpaquePointer, _ what: Int32) -> UInt32 {
        var value: UInt32 = 0
        guard pcre2_pattern_info_8(code, UInt32(what), &value) == 0 else { return 0 }
        return value
    }

    /// Reads PCRE2's name table: each entry is the group number (2 bytes, big-endian), then the name,
    /// NUL-terminated and padded to the entry size.
    private static func readNameTable(_ code: OpaquePointer) -> [GroupName] {
        let count = Int(info(code, PCRE2_INFO_NAMECOUNT))
        let entrySize = Int(info(code, PCRE2_INFO_NAMEENTRYSIZE))
        var table: UnsafePointer<UInt8>?
        guard count > 0, entrySize > 2, pcre2_pattern_info_8(code, UInt32(PCRE2_INFO_NAMETABLE), &table) == 0,
            let table
        else { return [] }
        let entries = UnsafeBufferPointer(start: table, count: count * entrySize)
        return (0..<count).map { index in
            let entry = entries[(index * entrySize)..<((index + 1) * entrySize)]
            let number = Int(entry[entry.startIndex]) << 8 | Int(entry[entry.startIndex + 1])
            let name = entry.dropFirst(2).prefix { $0 != 0 }
            return GroupName(name: String(decoding: name, as: UTF8.self), number: number)
        }.sorted { $0.number < $1.number }
    }
}

extension Collection<UInt8> {
    /// Calls `body` with a pointer PCRE2 accepts: an empty buffer may have no base address, and
    /// PCRE2 10.42 rejects a NULL pointer even with length 0.
    func withNonEmptyBuffer<R>(_ body: (UnsafePointer<UInt8>, Int) -> R) -> R {
        let direct = withContiguousStorageIfAvailable { buffer -> R? in
            guard let base = buffer.baseAddress, !buffer.isEmpty else { return nil }
            return body(base, buffer.count)
        }
        if let direct, let direct { return direct }
        guard isEmpty else { return Array(self).withNonEmptyBuffer(body) }
        var zero: UInt8 = 0
        return withUnsafePointer(to: &zero) { body($0, 0) }
    }
}
