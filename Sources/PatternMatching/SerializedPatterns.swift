import CPCRE2

/// Patterns in PCRE2's serialized form, decoded one at a time when first needed: a compiled rule file holds a
/// thousand, and a message usually needs few of them (most screens fail on their required text first).
///
/// PCRE2 serializes a header (magic, version, configuration, count: four 32-bit words), its character tables,
/// then each compiled pattern as the `PCRE2_INFO_SIZE` bytes of its block. One pattern is decoded by handing
/// PCRE2 the same header with a count of one, the tables and that pattern's block.
public final class SerializedPatterns {
    private static let headerSize = 16
    private static let tablesSize = 1088

    private let bytes: ArraySlice<UInt8>
    private let flags: [PatternFlags]
    /// The checksum of each pattern's single-pattern buffer (see `single(_:)`), checked before PCRE2 sees it.
    private let checksums: [UInt64]
    /// Where each pattern's block starts in `bytes`, then where the last one ends.
    private let starts: [Int]
    private var decoded: [Pattern?]

    /// Each pattern's block size, as `serialize` wrote them, for `init`.
    public static func blockSizes(of patterns: [Pattern]) -> [Int] {
        patterns.map { pattern in
            var size = 0
            guard pcre2_pattern_info_8(pattern.code, UInt32(PCRE2_INFO_SIZE), &size) == 0 else { return 0 }
            return size
        }
    }

    /// The checksum of each pattern's buffer as `pattern(at:)` will hand it to PCRE2; nil if the sizes are wrong.
    public static func checksums(of bytes: [UInt8], blockSizes: [Int]) -> [UInt64]? {
        guard let patterns = SerializedPatterns(
            bytes[...], blockSizes: blockSizes, checksums: [UInt64](repeating: 0, count: blockSizes.count),
            flags: [PatternFlags](repeating: [], count: blockSizes.count))
        else { return nil }
        return blockSizes.indices.map { Checksum.of(patterns.single($0)[...]) }
    }

    /// Wraps `bytes` from `Pattern.serialize`; nil unless the header and block sizes account for every byte.
    public init?(_ bytes: ArraySlice<UInt8>, blockSizes: [Int], checksums: [UInt64], flags: [PatternFlags]) {
        guard blockSizes.count == flags.count, checksums.count == flags.count else { return nil }
        if flags.isEmpty {
            guard bytes.isEmpty else { return nil }
        } else {
            let total = blockSizes.reduce(Self.headerSize + Self.tablesSize) { $0 &+ max($1, 0) }
            guard bytes.count == total, blockSizes.allSatisfy({ $0 > 0 }),
                bytes.withUnsafeBytes({ pcre2_serialize_get_number_of_codes_8($0.baseAddress!.assumingMemoryBound(to: UInt8.self)) })
                    == flags.count
            else { return nil }
        }
        var starts = [bytes.startIndex + Self.headerSize + Self.tablesSize]
        starts.reserveCapacity(blockSizes.count + 1)
        for size in blockSizes { starts.append(starts[starts.count - 1] + size) }
        self.bytes = bytes
        self.flags = flags
        self.checksums = checksums
        self.starts = starts
        decoded = Array(repeating: nil, count: flags.count)
    }

    /// How many patterns there are.
    public var count: Int { flags.count }

    /// The `index`th pattern, decoded on first use; nil if out of range, its checksum fails or PCRE2 refuses it.
    public func pattern(at index: Int) -> Pattern? {
        guard decoded.indices.contains(index) else { return nil }
        if let known = decoded[index] { return known }
        let single = single(index)
        guard Checksum.of(single[...]) == checksums[index],
            let pattern = single.withUnsafeBytes({ Pattern.deserialize($0, flags: [flags[index]])?.first })
        else { return nil }
        decoded[index] = pattern
        return pattern
    }

    /// PCRE2's serialized form of the `index`th pattern alone: the header with a count of one, the tables, its block.
    private func single(_ index: Int) -> [UInt8] {
        let prefix = Self.headerSize + Self.tablesSize
        let block = starts[index]..<starts[index + 1]
        return [UInt8](unsafeUninitializedCapacity: prefix + block.count) { buffer, count in
            bytes.withUnsafeBytes { source in
                let raw = UnsafeMutableRawBufferPointer(buffer)
                raw.copyMemory(from: UnsafeRawBufferPointer(rebasing: source[..<prefix]))
                raw.storeBytes(of: Int32(1), toByteOffset: 12, as: Int32.self)
                let blockStart = block.lowerBound - bytes.startIndex
                UnsafeMutableRawBufferPointer(rebasing: raw[prefix...])
                    .copyMemory(from: UnsafeRawBufferPointer(rebasing: source[blockStart..<(blockStart + block.count)]))
            }
            count = prefix + block.count
        }
    }
}
