import MessageFormat

/// The names of a message's header fields, lower-cased into one buffer and chained by length: a screen looks a
/// header name up for each of a thousand rules, and a lookup here compares only the names of the right length,
/// touching no field (copying a field to ask for its name costs ten times the comparison).
final class FieldNameIndex {
    /// Names this long or longer share one chain.
    private static let longNames = 64

    /// The fields themselves (the message's array, not a copy).
    private let fields: [HeaderField]
    private let bytes: [UInt8]
    /// Where each field's name ends in `bytes`; it starts where the previous one ends.
    private let ends: [Int]
    /// Per name length (up to `longNames`), the first field with a name that long; -1 for none.
    private let firstOfLength: [Int]
    /// Per field, the next field with a name of the same length (or chain); -1 for none.
    private let nextOfLength: [Int]

    init(_ fields: [HeaderField]) {
        var bytes: [UInt8] = []
        var ends: [Int] = []
        ends.reserveCapacity(fields.count)
        for field in fields {
            bytes += field.name.utf8.lazy.map(\.asciiLowercased)
            ends.append(bytes.count)
        }
        var firstOfLength = [Int](repeating: -1, count: Self.longNames + 1)
        var nextOfLength = [Int](repeating: -1, count: fields.count)
        // Backwards, each field put at the head of its chain: the chains then run in message order.
        for position in fields.indices.reversed() {
            let length = min(ends[position] - (position == 0 ? 0 : ends[position - 1]), Self.longNames)
            nextOfLength[position] = firstOfLength[length]
            firstOfLength[length] = position
        }
        self.fields = fields
        self.bytes = bytes
        self.ends = ends
        self.firstOfLength = firstOfLength
        self.nextOfLength = nextOfLength
    }

    /// Calls `body` with each field called `name` (any ASCII case), in message order, until it returns false.
    func forEachField(named name: UnsafeRawBufferPointer, _ body: (HeaderField) -> Bool) {
        var position = firstOfLength[min(name.count, Self.longNames)]
        while position >= 0 {
            let start = position == 0 ? 0 : ends[position - 1]
            if ends[position] - start == name.count, isName(name, at: start), !body(fields[position]) { return }
            position = nextOfLength[position]
        }
    }

    /// Whether the lower-cased name at `start` is `name` in any ASCII case (the lengths are known to be equal).
    private func isName(_ name: UnsafeRawBufferPointer, at start: Int) -> Bool {
        bytes.withUnsafeBufferPointer { bytes in
            for offset in 0..<name.count where bytes[start + offset] != name[offset].asciiLowercased { return false }
            return true
        }
    }
}
