/// A multipart entity whose parts are being read: its boundary, and where it stands in the MIME tree.
struct MultipartFrame {
    let boundary: [UInt8]
    /// Depth of the multipart entity itself; its parts are one deeper.
    let depth: Int
    /// multipart/digest: parts without a Content-Type are messages (RFC 2046 §5.1.5).
    let isDigest: Bool

    /// White space tolerated after a delimiter (RFC 2046 §5.1.1's transport padding); a longer line is content.
    static let maximumPadding = 128

    /// Longest line that can still be one of this multipart's delimiter lines.
    var longestDelimiterLine: Int { boundary.count + 4 + Self.maximumPadding }

    /// The frame, innermost first, whose delimiter `line` (without its LF) is, and whether it is the closing one.
    /// A line matching an outer frame ends the inner ones too (RFC 2046 §5.1.2: a missing close delimiter).
    static func match(_ line: [UInt8], in frames: [MultipartFrame]) -> (index: Int, isClosing: Bool)? {
        guard line.starts(with: [.hyphen, .hyphen]) else { return nil }
        let afterDashes = line.dropFirst(2)
        for index in frames.indices.reversed() {
            let boundary = frames[index].boundary
            guard afterDashes.starts(with: boundary) else { continue }
            var rest = afterDashes.dropFirst(boundary.count)
            let isClosing = rest.starts(with: [.hyphen, .hyphen])
            if isClosing { rest = rest.dropFirst(2) }
            if rest.allSatisfy(\.isTrimmable) { return (index, isClosing) }
        }
        return nil
    }
}
