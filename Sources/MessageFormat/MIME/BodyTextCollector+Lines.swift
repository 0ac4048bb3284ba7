/// The line layer of the collector: finds delimiter lines in a stream cut anywhere, and hands everything else on
/// to the entity being read.
extension BodyTextCollector {
    /// Reads a chunk.
    mutating func scan(_ bytes: UnsafeBufferPointer<UInt8>) {
        var index = 0
        while index < bytes.count, !isStopped {
            if multiparts.isEmpty && mode != .header {
                // Nothing can end this entity before the end of the body: no need to look at lines.
                deliver(UnsafeBufferPointer(rebasing: bytes[index...]))
                return
            }
            index = isAtLineStart ? scanLineStart(bytes, from: index) : scanRestOfLine(bytes, from: index)
        }
    }

    /// Hands on the rest of a line; its LF waits, since it may belong to a delimiter line that follows. Outside a
    /// header, the lines after it that cannot be delimiters (they do not start with `-`) go along in the same call.
    private mutating func scanRestOfLine(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        var position = start
        while let newline = bytes.firstIndex(of: .lineFeed, from: position) {
            let next = newline + 1
            if mode != .header, next < bytes.count, bytes[next] != .hyphen {
                position = next
                continue
            }
            deliver(UnsafeBufferPointer(rebasing: bytes[start..<newline]))
            endLine()
            return next
        }
        deliver(UnsafeBufferPointer(rebasing: bytes[start...]))
        return bytes.count
    }

    /// At a line start: a line that begins with `-` may be a delimiter, which it is only if it is short and
    /// matches a boundary; it is held (in `lineHead` when it runs past the chunk) until that is clear. Any other
    /// line is content at once.
    private mutating func scanLineStart(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        let longest = multiparts.longestDelimiterLine
        if lineHead.isEmpty {
            guard bytes[start] == .hyphen, !multiparts.isEmpty else { return startContentLine(at: start) }
            let window = UnsafeBufferPointer(rebasing: bytes[start..<min(bytes.count, start + longest + 1)])
            if let newline = window.firstIndex(of: .lineFeed, from: 0) {
                // The whole line is in this chunk: no copy.
                guard let (index, isClosing) = multiparts.match(UnsafeBufferPointer(rebasing: window[..<newline]))
                else { return startContentLine(at: start) }
                reachDelimiterLine(of: index, isClosing: isClosing)
                return start + newline + 1
            }
            if window.count > longest { return startContentLine(at: start) }
        }
        let room = max(0, longest + 1 - lineHead.count)
        let window = UnsafeBufferPointer(rebasing: bytes[start..<min(bytes.count, start + room)])
        if let newline = window.firstIndex(of: .lineFeed, from: 0) {
            lineHead += window[..<newline]
            finishLineHead()
            return start + newline + 1
        }
        lineHead += window
        if lineHead.count > longest || (lineHead.count >= 2 && lineHead[1] != .hyphen) {
            releaseLineHead()  // too long, or not `--`: content
            isAtLineStart = false
        }
        return start + window.count
    }

    /// The line starting at `start` is content.
    private mutating func startContentLine(at start: Int) -> Int {
        releaseHeldLineBreak()
        isAtLineStart = false
        return start
    }

    /// A whole line was held: it is a delimiter, or content after all.
    mutating func finishLineHead() {
        if let (index, isClosing) = lineHead.withUnsafeBufferPointer({ multiparts.match($0) }) {
            lineHead.removeAll(keepingCapacity: true)
            reachDelimiterLine(of: index, isClosing: isClosing)
        } else {
            releaseLineHead()
            endLine()
        }
    }

    /// A delimiter line was read; the LF before it was part of it.
    private mutating func reachDelimiterLine(of index: Int, isClosing: Bool) {
        isLineBreakHeld = false
        isAtLineStart = true
        reachDelimiter(of: index, isClosing: isClosing)
    }

    /// The held start of a line is content.
    private mutating func releaseLineHead() {
        releaseHeldLineBreak()
        var head: [UInt8] = []
        swap(&head, &lineHead)  // hand the bytes on without copying, and keep the buffer for the next line
        head.withUnsafeBufferPointer { deliver($0) }
        head.removeAll(keepingCapacity: true)
        swap(&head, &lineHead)
    }

    /// A line ended: an empty one ends a header at once (the next line may be a delimiter of the multipart that
    /// header announces); any other LF is content unless a delimiter line follows, which only boundaries allow.
    private mutating func endLine() {
        isAtLineStart = true
        // "\r" alone counts as empty, for CRLF text nobody normalized.
        let isEmptyHeaderLine =
            entityHeaderLineLength == 0
            || (entityHeaderLineLength == 1 && entityHeader.last == .carriageReturn)
        if mode == .header && isEmptyHeaderLine {
            completeHeader()
        } else if multiparts.isEmpty {
            deliverLineBreak()
        } else {
            isLineBreakHeld = true
        }
    }

    /// The held LF turned out to be content.
    mutating func releaseHeldLineBreak() {
        guard isLineBreakHeld else { return }
        isLineBreakHeld = false
        deliverLineBreak()
    }

    /// Content bytes for the entity being read; in a header, never a LF.
    private mutating func deliver(_ bytes: UnsafeBufferPointer<UInt8>) {
        switch mode {
        case .header:
            let room = max(0, limits.maxHeaderBytes - entityHeader.count)
            entityHeader += bytes.prefix(room)
            entityHeaderLineLength += bytes.count
        case .text:
            textDecoder?.decode(bytes, into: &text)
            if text.isFull { isStopped = true }
        case .skip:
            break
        }
    }

    /// A LF that is content for the entity being read.
    private mutating func deliverLineBreak() {
        switch mode {
        case .header:
            if entityHeader.count < limits.maxHeaderBytes { entityHeader.append(.lineFeed) }
            entityHeaderLineLength = 0
        case .text:
            withUnsafePointer(to: UInt8.lineFeed) { deliver(UnsafeBufferPointer(start: $0, count: 1)) }
        case .skip:
            break
        }
    }
}
