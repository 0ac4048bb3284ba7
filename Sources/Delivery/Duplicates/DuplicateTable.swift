/// The content of the duplicate store as a value: a hash key and, oldest first, one (hash, time) entry per recorded
/// Message-ID. Raw IDs are never stored. The file is text, one entry a line:
///
///     roost-duplicates 1 <32 hex digits: the SipHash key>
///     <16 hex digits: SipHash-2-4 of the ID> <seconds since the epoch>
///
/// Parsing never fails: a file without the exact first line is an empty table (with a new key), and a line that is
/// not exactly an entry (a torn last line, garbage) is skipped. A damaged store forgets IDs; it never costs mail.
struct DuplicateTable: Equatable {
    /// One recorded ID.
    struct Entry: Equatable {
        var hash: UInt64
        var time: Int
    }

    /// The SipHash key, chosen at random when the store is (re)created.
    var key: (UInt64, UInt64)
    /// Entries, oldest first.
    var entries: [Entry] = []

    private static let magic = Array("roost-duplicates 1 ".utf8)

    /// An empty table.
    init(key: (UInt64, UInt64)) {
        self.key = key
    }

    /// The table a file holds, or nil when the file is not a store (garbage, empty, torn in its first line).
    init?(parsing bytes: [UInt8]) {
        var lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)[...]
        guard let first = lines.popFirst(), first.count == Self.magic.count + 32, first.starts(with: Self.magic),
            let high = Self.hex(first.dropFirst(Self.magic.count).prefix(16)),
            let low = Self.hex(first.suffix(16))
        else { return nil }
        key = (high, low)
        // The file ends in a newline, so the last piece is empty when nothing was torn off.
        entries = lines.compactMap(Self.entry)
    }

    /// The file content: the first line, then each entry.
    func serialized() -> [UInt8] {
        var bytes = Self.magic + Self.hex(key.0) + Self.hex(key.1) + [UInt8(ascii: "\n")]
        bytes.reserveCapacity(bytes.count + entries.count * 28)
        for entry in entries {
            bytes += Self.hex(entry.hash)
            bytes.append(UInt8(ascii: " "))
            bytes += Array(String(entry.time).utf8)
            bytes.append(UInt8(ascii: "\n"))
        }
        return bytes
    }

    /// The hash an ID is stored under.
    func hash(_ id: [UInt8]) -> UInt64 {
        SipHash(key: key).hash(id)
    }

    /// Whether `id` was recorded at `cutoff` or later.
    func contains(_ id: [UInt8], since cutoff: Int) -> Bool {
        let hash = hash(id)
        return entries.contains { $0.hash == hash && $0.time >= cutoff }
    }

    /// Records `id` at `time` (moving an earlier entry for it to the end), drops entries older than `cutoff`, and
    /// then the oldest ones beyond `maximumEntries`.
    mutating func record(_ id: [UInt8], at time: Int, droppingBefore cutoff: Int, maximumEntries: Int) {
        let hash = hash(id)
        entries.removeAll { $0.hash == hash || $0.time < cutoff }
        entries.append(Entry(hash: hash, time: time))
        entries.removeFirst(max(0, entries.count - max(1, maximumEntries)))
    }

    static func == (left: DuplicateTable, right: DuplicateTable) -> Bool {
        left.key == right.key && left.entries == right.entries
    }

    /// `<16 hex> <1–18 digits>`, nothing more; 18 digits cannot overflow an Int.
    private static func entry(_ line: ArraySlice<UInt8>) -> Entry? {
        guard line.count >= 18, line.count <= 16 + 1 + 18, line[line.startIndex + 16] == UInt8(ascii: " "),
            let hash = hex(line.prefix(16))
        else { return nil }
        let digits = line.dropFirst(17)
        guard digits.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) else { return nil }
        return Entry(hash: hash, time: digits.reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) })
    }

    /// Exactly 16 lowercase hex digits as a number.
    private static func hex(_ digits: ArraySlice<UInt8>) -> UInt64? {
        guard digits.count == 16 else { return nil }
        var value: UInt64 = 0
        for digit in digits {
            switch digit {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): value = value << 4 | UInt64(digit - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): value = value << 4 | UInt64(digit - UInt8(ascii: "a") + 10)
            default: return nil
            }
        }
        return value
    }

    /// 16 lowercase hex digits.
    private static func hex(_ value: UInt64) -> [UInt8] {
        let digits = Array("0123456789abcdef".utf8)
        return (0..<16).reversed().map { digits[Int(value >> (4 * UInt64($0)) & 0xf)] }
    }
}
