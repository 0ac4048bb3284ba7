import CPCRE2

/// Patterns in PCRE2's serialized form, decoded one at a time when first needed: a compiled rule file holds a
/// thousand, and a message usually needs few of them (most screens fail on their required text first). Nothing
/// is read per pattern until then: the record table is read in place.
///
/// PCRE2 serializes a header (magic, version, configuration, count: four 32-bit words), its character tables,
/// then each compiled pattern as the `PCRE2_INFO_SIZE` bytes of its block. One pattern is decoded by handing
/// PCRE2 the same header with a count of one, the tables and that pattern's block, after checking that buffer's
/// checksum: PCRE2 trusts serialized code.
public final class SerializedPatterns {
    private static let headerSize = 16
    private static let tablesSize = 1088
    /// Per pattern: flags (1 byte), its literal's byte offset, its block's start in the blob and its size
    /// (4 bytes each), the checksum of its single-pattern buffer (8 bytes); little-endian.
    private static let recordSize = 21

    private let records: ArraySlice<UInt8>
    private let blob: ArraySlice<UInt8>
    /// How many patterns there are.
    public let count: Int
    private var decoded: [Int: Pattern] = [:]

    /// The record table and the blob for `patterns`, whose literals stand at `offsets`; nil if PCRE2 will not
    /// serialize them.
    public static func encode(_ patterns: [Pattern], offsets: [Int]) -> (records: [UInt8], blob: [UInt8])? {
        guard patterns.count == offsets.count, let blob = Pattern.serialize(patterns) else { return nil }
        var records: [UInt8] = []
        var start = patterns.isEmpty ? 0 : headerSize + tablesSize
        for (pattern, offset) in zip(patterns, offsets) {
            var size = 0
            guard pcre2_pattern_info_8(pattern.code, UInt32(PCRE2_INFO_SIZE), &size) == 0, start + size <= blob.count,
                let offset = UInt32(exactly: offset)
            else { return nil }
            records.append(pattern.flags.rawValue)
            for field in [offset, UInt32(start), UInt32(size)] { withUnsafeBytes(of: field.littleEndian) { records += $0 } }
            let checksum = Checksum.of(single(blob[...], block: start..<(start + size))[...])
            withUnsafeBytes(of: checksum.littleEndian) { records += $0 }
            start += size
        }
        return (records, blob)
    }

    /// Wraps what `encode` wrote; nil unless the table is whole and the blob's header counts its patterns.
    public init?(records: ArraySlice<UInt8>, blob: ArraySlice<UInt8>) {
        guard records.count % Self.recordSize == 0 else { return nil }
        count = records.count / Self.recordSize
        if count == 0 {
            guard blob.isEmpty else { return nil }
        } else {
            guard blob.count > Self.headerSize + Self.tablesSize,
                blob.withUnsafeBytes({ pcre2_serialize_get_number_of_codes_8($0.baseAddress!.assumingMemoryBound(to: UInt8.self)) })
                    == count
            else { return nil }
        }
        self.records = records
        self.blob = blob
    }

    /// The index of the pattern whose literal stands at byte `offset`, if there is one.
    public func index(ofOffset offset: Int) -> Int? {
        PatternMatching.index(ofOffset: offset, count: count) { Int(field($0, at: 1)) }
    }

    /// The `index`th pattern, decoded on first use; nil if out of range, its checksum fails or PCRE2 refuses it.
    public func pattern(at index: Int) -> Pattern? {
        guard index >= 0, index < count else { return nil }
        if let known = decoded[index] { return known }
        let start = Int(field(index, at: 5))
        let size = Int(field(index, at: 9))
        guard start >= Self.headerSize + Self.tablesSize, size > 0, start + size <= blob.count else { return nil }
        let single = Self.single(blob, block: start..<(start + size))
        let checksum = records.withUnsafeBytes {
            UInt64(littleEndian: $0.loadUnaligned(fromByteOffset: index * Self.recordSize + 13, as: UInt64.self))
        }
        let flags = PatternFlags(rawValue: records[records.startIndex + index * Self.recordSize])
        guard Checksum.of(single[...]) == checksum,
            let pattern = single.withUnsafeBytes({ Pattern.deserialize($0, flags: [flags])?.first })
        else { return nil }
        decoded[index] = pattern
        return pattern
    }

    private func field(_ index: Int, at position: Int) -> UInt32 {
        records.withUnsafeBytes {
            UInt32(littleEndian: $0.loadUnaligned(fromByteOffset: index * Self.recordSize + position, as: UInt32.self))
        }
    }

    /// PCRE2's serialized form of one pattern alone: the header with a count of one, the tables, its block
    /// (`block` counted from the start of `blob`).
    private static func single(_ blob: ArraySlice<UInt8>, block: Range<Int>) -> [UInt8] {
        let prefix = headerSize + tablesSize
        return [UInt8](unsafeUninitializedCapacity: prefix + block.count) { buffer, count in
            blob.withUnsafeBytes { source in
                let raw = UnsafeMutableRawBufferPointer(buffer)
                raw.copyMemory(from: UnsafeRawBufferPointer(rebasing: source[..<prefix]))
                raw.storeBytes(of: Int32(1), toByteOffset: 12, as: Int32.self)
                UnsafeMutableRawBufferPointer(rebasing: raw[prefix...])
                    .copyMemory(from: UnsafeRawBufferPointer(rebasing: source[block]))
            }
            count = prefix + block.count
        }
    }
}
