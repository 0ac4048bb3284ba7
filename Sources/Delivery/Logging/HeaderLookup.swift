/// Finds a header's first value in a raw header block, unfolded and trimmed: all the log line needs (Message-ID)
/// and all the envelope needs (Return-Path), without parsing the whole block.
public enum HeaderLookup {
    /// The first field called `name` (case-insensitive), or nil.
    public static func firstValue(of name: String, in header: [UInt8]) -> [UInt8]? {
        let wanted = Array(name.lowercased().utf8) + [UInt8(ascii: ":")]
        var lineStart = header.startIndex
        while lineStart < header.endIndex {
            let lineEnd = header[lineStart...].firstIndex(of: UInt8(ascii: "\n")) ?? header.endIndex
            if lineEnd - lineStart >= wanted.count,
                zip(header[lineStart...], wanted).allSatisfy({ lowercase($0) == $1 })
            {
                return unfoldedValue(in: header, from: lineStart + wanted.count)
            }
            lineStart = lineEnd + 1
        }
        return nil
    }

    private static func unfoldedValue(in header: [UInt8], from start: Int) -> [UInt8] {
        var value: [UInt8] = []
        var index = start
        while index < header.endIndex {
            let byte = header[index]
            if byte == UInt8(ascii: "\n") {
                let next = index + 1 < header.endIndex ? header[index + 1] : 0
                guard next == UInt8(ascii: " ") || next == UInt8(ascii: "\t") else { break }
            } else {
                value.append(byte)
            }
            index += 1
        }
        let isSpace: (UInt8) -> Bool = { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") || $0 == UInt8(ascii: "\r") }
        return Array(value.drop(while: isSpace).reversed().drop(while: isSpace).reversed())
    }

    private static func lowercase(_ byte: UInt8) -> UInt8 {
        (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte + 32 : byte
    }
}
