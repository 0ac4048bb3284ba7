import CPCRE2

extension Pattern {
    /// PCRE2's version, e.g. "10.42 2022-12-11": part of what a compiled rule file is valid for.
    public static var libraryVersion: String {
        var buffer = [UInt8](repeating: 0, count: 64)
        let length = buffer.withUnsafeMutableBytes { pcre2_config_8(UInt32(PCRE2_CONFIG_VERSION), $0.baseAddress) }
        return String(decoding: buffer.prefix(max(0, Int(length) - 1)), as: UTF8.self)
    }

    /// PCRE2's serialized form of `patterns`, in order, sharing one copy of the character tables: what a compiled
    /// rule file keeps so that later deliveries skip `pcre2_compile` (a third of a 1000-rule delivery).
    /// Nil if PCRE2 refuses (it never does for patterns it compiled itself with the default tables).
    public static func serialize(_ patterns: [Pattern]) -> [UInt8]? {
        guard !patterns.isEmpty else { return [] }
        var codes: [OpaquePointer?] = patterns.map(\.code)
        var bytes: UnsafeMutablePointer<UInt8>?
        var size = 0
        let count = codes.withUnsafeMutableBufferPointer { buffer in
            pcre2_serialize_encode_8(buffer.baseAddress, Int32(buffer.count), &bytes, &size, nil)
        }
        guard count == patterns.count, let bytes else { return nil }
        defer { pcre2_serialize_free_8(bytes) }
        return Array(UnsafeBufferPointer(start: bytes, count: size))
    }

    /// The patterns `serialize` wrote, given the flags each was compiled with (PCRE2 does not keep them).
    ///
    /// PCRE2 checks the header (its version, code unit width, newline and link size) but trusts the compiled code
    /// that follows, so callers pass only bytes they wrote themselves and checked whole, never bytes of unknown origin.
    /// - Returns: nil when the bytes are from another PCRE2 build or do not hold `flags.count` patterns.
    public static func deserialize(_ bytes: UnsafeRawBufferPointer, flags: [PatternFlags]) -> [Pattern]? {
        guard !flags.isEmpty else { return bytes.isEmpty ? [] : nil }
        // PCRE2's header: magic, version, configuration, count (four 32-bit words), read without a length.
        guard bytes.count > 16, let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self),
            pcre2_serialize_get_number_of_codes_8(base) == flags.count
        else { return nil }
        var codes = [OpaquePointer?](repeating: nil, count: flags.count)
        let decoded = codes.withUnsafeMutableBufferPointer { buffer in
            pcre2_serialize_decode_8(buffer.baseAddress, Int32(buffer.count), base, nil)
        }
        guard decoded == flags.count else { return nil }
        return zip(codes, flags).map { code, flags in Pattern(code: code!, flags: flags) }
    }
}
