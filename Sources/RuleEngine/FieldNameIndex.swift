import MessageFormat

/// The names of a message's header fields, lower-cased into one buffer: a screen compares a header name against
/// every field of the message for each of a thousand rules, and comparing bytes here touches no field (copying a
/// field to ask for its name costs ten times the comparison).
final class FieldNameIndex {
    /// The fields themselves (the message's array, not a copy).
    private let fields: [HeaderField]
    private let bytes: [UInt8]
    /// Where each field's name ends in `bytes`; it starts where the previous one ends.
    private let ends: [Int]

    init(_ fields: [HeaderField]) {
        var bytes: [UInt8] = []
        var ends: [Int] = []
        ends.reserveCapacity(fields.count)
        for field in fields {
            bytes += field.name.utf8.lazy.map(\.asciiLowercased)
            ends.append(bytes.count)
        }
        self.fields = fields
        self.bytes = bytes
        self.ends = ends
    }

    /// Calls `body` with each field called `name` (any ASCII case), in message order, until it returns false.
    func forEachField(named name: UnsafeRawBufferPointer, _ body: (HeaderField) -> Bool) {
        bytes.withUnsafeBufferPointer { bytes in
            ends.withUnsafeBufferPointer { ends in
                var start = 0
                for (position, end) in ends.enumerated() {
                    defer { start = end }
                    guard end - start == name.count else { continue }
                    var same = true
                    for offset in 0..<name.count where bytes[start + offset] != name[offset].asciiLowercased {
                        same = false
                        break
                    }
                    if same, !body(fields[position]) { return }
                }
            }
        }
    }
}
