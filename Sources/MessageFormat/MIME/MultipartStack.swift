/// The multiparts whose parts are being read, outermost first, and the delimiter lines that end their parts
/// (RFC 2046 §5.1.1: `--boundary` or `--boundary--`, then optional white space).
struct MultipartStack {
    private(set) var frames: [MultipartFrame] = []
    /// Each boundary's innermost frame. A line is looked up once rather than compared with every boundary: a
    /// message can nest 32 multiparts whose long boundaries differ only in their last byte.
    private var frameIndex: [[UInt8]: Int] = [:]
    /// The boundary lengths present, which turn most lines away before anything is hashed.
    private var lengths: Set<Int> = []
    /// Longest line that can still be a delimiter line; 0 when no multipart is open.
    private(set) var longestDelimiterLine = 0

    /// White space tolerated after a delimiter (transport padding); a longer line is content.
    static let maximumPadding = 128

    var isEmpty: Bool { frames.isEmpty }

    mutating func push(_ frame: MultipartFrame) {
        frames.append(frame)
        reindex()
    }

    /// Keeps the `count` outermost frames.
    mutating func keep(_ count: Int) {
        frames.removeLast(max(0, frames.count - count))
        reindex()
    }

    private mutating func reindex() {
        frameIndex = [:]
        for (index, frame) in frames.enumerated() { frameIndex[frame.boundary] = index }
        lengths = Set(frames.map(\.boundary.count))
        longestDelimiterLine = frames.map { $0.boundary.count + 4 + Self.maximumPadding }.max() ?? 0
    }

    /// The frame whose delimiter `line` (without its LF) is, and whether it is the closing one. A line matching
    /// an outer frame ends the inner ones too (RFC 2046 §5.1.2: a missing close delimiter); when a line could
    /// be either of two frames' delimiter, the inner one wins.
    func match(_ line: UnsafeBufferPointer<UInt8>) -> (index: Int, isClosing: Bool)? {
        guard line.count >= 2, line[0] == .hyphen, line[1] == .hyphen else { return nil }
        let candidate = line[2...].trimmingTrailingWhitespace()
        var found = frame(boundedBy: candidate).map { (index: $0, isClosing: false) }
        if candidate.count >= 2, candidate.suffix(2).allSatisfy({ $0 == .hyphen }),
            let closing = frame(boundedBy: candidate.dropLast(2)), closing > found?.index ?? -1
        {
            found = (closing, true)
        }
        return found
    }

    private func frame(boundedBy candidate: Slice<UnsafeBufferPointer<UInt8>>) -> Int? {
        guard lengths.contains(candidate.count) else { return nil }
        return frameIndex[Array(candidate)]
    }
}
