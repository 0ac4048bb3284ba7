/// The content of the duplicate store as a value: a hash key and, oldest first, one (hash, time) entry per recorded
/// Message-ID. Raw IDs are never stored. The file is text, one entry a line:
///
///     roost-duplicates 1 <32 hex digits: the SipHash key>
///     <16 hex digits: SipHash-2-4 of the ID> <seconds since the epoch>
///
/// Damage is never an error: a file without the exact first line parses to nil, which the store treats as empty
/// (and rewrites with a new key), and a line that is not exactly an entry (a torn last line, garbage) is skipped.
/// A damaged store forgets IDs; it never costs mail.
struct DuplicateTable: Equatable {
    /// One recorded ID.
    struct Entry: Equatable {
        /// SipHash-2-4 of the ID under the table's key.
        var hash: UInt64
        /// When it was recorded, seconds since the epoch.
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
        let headerLength = Self.magic.count + 32
        guard bytes.count > headerLength, bytes[headerLength] == UInt8(ascii: "\n"), bytes.starts(with: Self.magic),
            let high = Self.hex(bytes, at: Self.magic.count), let low = Self.hex(bytes, at: Self.magic.count + 16)
        else { return nil }
        key = (high, low)
        entries.reserveCapacity(bytes.count / 28)
        // One pass over the bytes, no line arrays: a full store is 10 000 lines, read on every delivery.
        var start = headerLength + 1
        while let newline = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) {
            // Only whole lines count: a torn last line has no newline and is left out.
            if let entry = Self.entry(bytes, from: start, to: newline) { entries.append(entry) }
            start = newline + 1
        }
    }

    /// The file content: the first line, then each entry.
    func serialized() -> [UInt8] {
        var bytes = Self.magic
        bytes.reserveCapacity(bytes.count + 33 + entries.count * 28)
        Self.appendHex(key.0, to: &bytes)
        Self.appendHex(key.1, to: &bytes)
        bytes.append(UInt8(ascii: "\n"))
        for entry in entries {
            Self.appendHex(entry.hash, to: &bytes)
            bytes.append(UInt8(ascii: " "))
            Self.appendDecimal(entry.time, to: &bytes)
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

    /// Same key, same entries in the same order (tuples are not Equatable by themselves).
    static func == (left: DuplicateTable, right: DuplicateTable) -> Bool {
        left.key == right.key && left.entries == right.entries
    }

    /// `<16 hex> <1–18 digits>` in `bytes[start..<end]`, nothing more; 18 digits cannot overflow an Int.
    private static func entry(_ bytes: [UInt8], from start: Int, to end: Int) -> Entry? {
        guard end - start >= 18, end - start <= 16 + 1 + 18, bytes[start + 16] == UInt8(ascii: " "),
            let hash = hex(bytes, at: start)
        else { return nil }
        var time = 0
        for digit in bytes[(start + 17)..<end] {
            guard digit >= UInt8(ascii: "0"), digit <= UInt8(ascii: "9") else { return nil }
            time = time * 10 + Int(digit - UInt8(ascii: "0"))
        }
        return Entry(hash: hash, time: time)
    }

    /// The 16 lowercase hex digits at `bytes[start...]` as a number.
    private static func hex(_ bytes: [UInt8], at start: Int) -> UInt64? {
        guard start + 16 <= bytes.count else { return nil }
        var value: UInt64 = 0
        for digit in bytes[start..<(start + 16)] {
            switch digit {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): value = value << 4 | UInt64(digit - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): value = value << 4 | UInt64(digit - UInt8(ascii: "a") + 10)
            default: return nil
            }
        }
        return value
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// Appends 16 lowercase hex digits.
    private static func appendHex(_ value: UInt64, to bytes: inout [UInt8]) {
        for shift in stride(from: 60, through: 0, by: -4) { bytes.append(hexDigits[Int(value >> UInt64(shift) & 0xf)]) }
    }

    /// Appends a non-negative number in decimal (a time before 1970 is written as 0).
    private static func appendDecimal(_ value: Int, to bytes: inout [UInt8]) {
        var remaining = max(0, value)
        let first = bytes.count
        repeat {
            bytes.append(UInt8(ascii: "0") + UInt8(remaining % 10))
            remaining /= 10
        } while remaining > 0
        bytes[first...].reverse()
    }
}
