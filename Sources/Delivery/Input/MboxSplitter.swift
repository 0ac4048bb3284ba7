/// Splits an mbox stream into messages, chunk by chunk, with state that survives chunk edges (mbox(5)).
///
/// A message starts at a line beginning `From ` at the start of the file or after an empty line; that From_ line
/// is handed on as the first line of its message (`InputNormalizer` takes the envelope sender from it). A `From `
/// line anywhere else is body text, as mboxo writers that forgot to quote it meant. Quoting is undone the mboxrd
/// way, which also covers mboxo: a line `>…>From ` loses one `>`. The empty line before a From_ line (and at the
/// end of the file) is the separator the writer added, not part of the message.
///
/// Runs of ordinary lines are handed on as slices of the chunk; only the start of a line that could matter (empty,
/// `>`, `F` after an empty line, CR) is looked at byte by byte, and at most a few bytes of it are held back.
struct MboxSplitter {
    /// What the splitter hands on, in stream order.
    enum Piece {
        /// A new message starts; its bytes (From_ line first) follow.
        case messageStart
        /// Bytes of the current message.
        case bytes(ArraySlice<UInt8>)
    }

    /// What is known about the line being read.
    private enum LineState {
        /// At its start: nothing seen yet.
        case start
        /// A CR at its start, held: an empty line if LF follows.
        case carriageReturn
        /// One or more `>` seen (the first one held); `held` has the bytes of `From ` matched since.
        case quoted
        /// After an empty line: `held` has the bytes of `From ` matched so far.
        case separator
        /// Nothing more to decide: copy to the end of the line.
        case body
    }

    private static let from: [UInt8] = Array("From ".utf8)
    private var state = LineState.start
    /// The start of the file counts as an empty line before it.
    private var followsEmptyLine = true
    /// The last empty line (`\n` or `\r\n`), held until the next line shows whether it was a separator.
    private var heldEmptyLine: [UInt8] = []
    /// Bytes at the start of the current line not handed on yet.
    private var held: [UInt8] = []

    /// Splits the next chunk, handing each piece to `emit` in order.
    mutating func consume(_ chunk: ArraySlice<UInt8>, _ emit: (Piece) -> Void) {
        var index = chunk.startIndex
        var runStart = index
        while index < chunk.endIndex {
            if state == .body {
                guard let newline = chunk[index...].firstIndex(of: UInt8(ascii: "\n")) else { break }
                index = newline + 1
                state = .start
                followsEmptyLine = false
                continue
            }
            let byte = chunk[index]
            if state == .start, !mayMatter(byte) {
                state = .body
                continue
            }
            if runStart < index { emit(.bytes(chunk[runStart..<index])) }
            // A byte not taken by the line-start decision is the first of the line's body, handed on with it.
            if decide(byte, emit) { index += 1 }
            runStart = index
        }
        if runStart < chunk.endIndex { emit(.bytes(chunk[runStart...])) }
    }

    /// Ends the input: bytes still held are body text; a final empty line is the writer's separator.
    mutating func finish(_ emit: (Piece) -> Void) {
        switch state {
        case .quoted: emit(.bytes(([UInt8(ascii: ">")] + held)[...]))
        case .separator:
            emitHeldEmptyLine(emit)
            emit(.bytes(held[...]))
        case .carriageReturn: emit(.bytes(held[...]))
        case .start, .body: break
        }
        held = []
        heldEmptyLine = []
        state = .start
    }

    /// Whether a line starting with `byte` needs a closer look; every other line is body text as it is.
    private func mayMatter(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: ">"): true
        case UInt8(ascii: "F"): followsEmptyLine
        default: !heldEmptyLine.isEmpty
        }
    }

    /// Looks at one byte at the start of a line; false when the byte is not taken but starts the line's body text.
    private mutating func decide(_ byte: UInt8, _ emit: (Piece) -> Void) -> Bool {
        switch state {
        case .start: return decideStart(byte, emit)
        case .carriageReturn:
            guard byte == UInt8(ascii: "\n") else {
                emit(.bytes(held[...]))
                endLineStart()
                return false
            }
            held.append(byte)
            endEmptyLine()
            return true
        case .quoted: return decideQuoted(byte, emit)
        case .separator: return decideSeparator(byte, emit)
        case .body: return false
        }
    }

    private mutating func decideStart(_ byte: UInt8, _ emit: (Piece) -> Void) -> Bool {
        if byte == UInt8(ascii: "F") && followsEmptyLine {
            state = .separator
            held = [byte]
            return true
        }
        // Not a From_ line, so the empty line before it belongs to the message.
        emitHeldEmptyLine(emit)
        switch byte {
        case UInt8(ascii: "\n"):
            held = [byte]
            endEmptyLine()
        case UInt8(ascii: "\r"):
            state = .carriageReturn
            held = [byte]
        case UInt8(ascii: ">"):
            state = .quoted
            held = []
        default:
            endLineStart()
            return false
        }
        return true
    }

    /// `>` runs: every `>` after the first is handed on at once (they are body text whatever follows), the first
    /// is dropped if `From ` follows.
    private mutating func decideQuoted(_ byte: UInt8, _ emit: (Piece) -> Void) -> Bool {
        if held.isEmpty && byte == UInt8(ascii: ">") {
            emit(.bytes([byte][...]))
            return true
        }
        guard byte == Self.from[held.count] else {
            emit(.bytes(([UInt8(ascii: ">")] + held)[...]))
            endLineStart()
            return false
        }
        held.append(byte)
        if held.count == Self.from.count {
            emit(.bytes(held[...]))
            endLineStart()
        }
        return true
    }

    private mutating func decideSeparator(_ byte: UInt8, _ emit: (Piece) -> Void) -> Bool {
        guard byte == Self.from[held.count] else {
            emitHeldEmptyLine(emit)
            emit(.bytes(held[...]))
            endLineStart()
            return false
        }
        held.append(byte)
        guard held.count == Self.from.count else { return true }
        heldEmptyLine = []
        emit(.messageStart)
        emit(.bytes(held[...]))
        endLineStart()
        return true
    }

    /// The line turned out to be body text: the byte that decided it is its first body byte.
    private mutating func endLineStart() {
        held = []
        state = .body
        followsEmptyLine = false
    }

    private mutating func endEmptyLine() {
        heldEmptyLine = held
        held = []
        state = .start
        followsEmptyLine = true
    }

    private mutating func emitHeldEmptyLine(_ emit: (Piece) -> Void) {
        guard !heldEmptyLine.isEmpty else { return }
        emit(.bytes(heldEmptyLine[...]))
        heldEmptyLine = []
    }
}
