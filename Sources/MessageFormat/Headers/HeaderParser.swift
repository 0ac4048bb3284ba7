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
        var index = 0
        while index < end {
            let (line, next) = logicalLine(from: index)
            if line.isEmpty && next <= end && bytes.byte(at: next - 1) == .lineFeed {
                return fields  // the empty line that ends the header section
            }
            guard fields.count < maxFields else {
                isTruncated = true
                return fields
            }
            fields.append(Self.field(from: line))
            index = next
        }
        if end < bytes.count { isTruncated = true }
        return fields
    }

    /// The line starting at `start` with its continuation lines, unfolded (RFC 5322 §2.2.3: each line break
    /// before white space goes, the white space stays; a CR before a LF is part of the line break), and the
    /// position after it. An unfolded line is a slice of the input unless it had to be unfolded.
    private func logicalLine(from start: Int) -> (ArraySlice<UInt8>, next: Int) {
        var lineEnd = lineEnd(from: start)
        var unfolded: [UInt8]? = nil
        while lineEnd.next < end, let first = bytes.byte(at: lineEnd.next), first.isLinearWhitespace {
            let continuation = self.lineEnd(from: lineEnd.next)
            if unfolded == nil { unfolded = Array(bytes[start..<lineEnd.content]) }
            unfolded? += bytes[lineEnd.next..<continuation.content]
            lineEnd = continuation
        }
        return (unfolded?[...] ?? bytes[start..<lineEnd.content], lineEnd.next)
    }

    /// Where the line starting at `start` ends: its content (without LF, or CRLF), and the next line's start.
    private func lineEnd(from start: Int) -> (content: Int, next: Int) {
        guard let newline = bytes[start..<end].firstIndex(of: .lineFeed) else { return (end, end) }
        let content = newline > start && bytes[newline - 1] == .carriageReturn ? newline - 1 : newline
        return (content, newline + 1)
    }

    /// `Name: value`, where the name is printable ASCII without a colon (RFC 5322 §3.6.8) and may be followed by
    /// white space before the colon (§4.5); any other line becomes a field without a name, its text the value.
    static func field(from line: ArraySlice<UInt8>) -> HeaderField {
        if let colon = line.firstIndex(of: .colon) {
            let name = line[..<colon].trimmingTrailingWhitespace()
            if !name.isEmpty, name.allSatisfy({ (33...126).contains($0) }) {
                return split(line, name: String(decoding: name, as: UTF8.self), valueFrom: colon + 1)
            }
        }
        return split(line, name: "", valueFrom: line.startIndex)
    }

    private static func split(_ line: ArraySlice<UInt8>, name: String, valueFrom start: Int) -> HeaderField {
        let value = line[start...].trimmingWhitespace()
        return HeaderField(
            name: name, lead: Array(line[..<value.startIndex]), rawValue: Array(value),
            trail: Array(line[value.endIndex...]))
    }
}
