/// Splits a header section into fields (RFC 5322 §2.2): unfolds continuation lines, separates `Name: value`,
/// and stops at the first empty line or at the limits.
struct HeaderParser {
    private let bytes: [UInt8]
    private let end: Int
    private let maxFields: Int
    /// Set when bytes or fields past the limits were left unparsed.
    private(set) var isTruncated = false

    init(bytes: [UInt8], limits: MessageLimits) {
        self.bytes = bytes
        end = min(bytes.count, limits.maxHeaderBytes)
        maxFields = limits.maxHeaderFields
    }

    /// Every field up to the first empty line, in order.
    mutating func parseFields() -> [HeaderField] {
        var fields: [HeaderField] = []
        var logicalLine: [UInt8]? = nil
        var index = 0
        while index < end {
            let lineEnd = bytes[index..<end].firstIndex(of: .lineFeed) ?? end
            var line = bytes[index..<lineEnd]
            // A CR before the LF is part of the line break (CRLF input); a CR anywhere else is data.
            if lineEnd < end, line.last == .carriageReturn { line = line.dropLast() }
            index = lineEnd + 1
            if let first = line.first, first.isLinearWhitespace, logicalLine != nil {
                logicalLine? += line  // unfolding: the line break goes, the white space stays
                continue
            }
            if let finished = logicalLine {
                guard fields.count < maxFields else {
                    isTruncated = true
                    return fields
                }
                fields.append(Self.field(from: finished))
            }
            if line.isEmpty && lineEnd < end { return fields }  // the empty line that ends the header section
            logicalLine = Array(line)
        }
        if end < bytes.count { isTruncated = true }
        if let finished = logicalLine {
            if fields.count < maxFields { fields.append(Self.field(from: finished)) } else { isTruncated = true }
        }
        return fields
    }

    /// `Name: value`, where the name is printable ASCII without a colon (RFC 5322 §3.6.8) and may be followed by
    /// white space before the colon (§4.5); any other line becomes a field without a name, its text the value.
    static func field(from line: [UInt8]) -> HeaderField {
        if let colon = line.firstIndex(of: .colon) {
            let name = line[..<colon].trimmingTrailingWhitespace()
            if !name.isEmpty, name.allSatisfy({ (33...126).contains($0) }) {
                return split(line, name: String(decoding: name, as: UTF8.self), valueFrom: colon + 1)
            }
        }
        return split(line, name: "", valueFrom: 0)
    }

    private static func split(_ line: [UInt8], name: String, valueFrom start: Int) -> HeaderField {
        let value = line[start...].trimmingWhitespace()
        return HeaderField(
            name: name, lead: Array(line[..<value.startIndex]), rawValue: Array(value),
            trail: Array(line[value.endIndex...]))
    }
}
