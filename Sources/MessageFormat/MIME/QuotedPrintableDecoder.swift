/// Undoes quoted-printable (RFC 2045 §6.7) chunk by chunk, tolerantly: `=XX` is a byte (either case), `=` before
/// a line end (after optional white space) is a soft line break, and any other `=` is kept as written with what
/// follows it, as RFC 2045 §6.7 (1) suggests for a robust decoder.
struct QuotedPrintableDecoder {
    private enum State {
        case text
        /// After `=`.
        case equals
        /// After `=` and one hex digit.
        case equalsHex(UInt8)
        /// After `=` and white space: a soft line break if a line end follows.
        case equalsWhitespace
    }

    private var state = State.text
    /// The bytes after `=` held back until it is clear what they are; short, except after `=` and a run of white
    /// space, which is bounded by `maximumHeld`.
    private var held: [UInt8] = []
    private static let maximumHeld = 256

    /// Decodes the next piece of text, appending to `output`.
    mutating func decode(_ input: UnsafeBufferPointer<UInt8>, into output: inout [UInt8]) {
        output.reserveCapacity(output.count + input.count)
        var index = 0
        while index < input.count {
            let byte = input[index]
            index += 1
            switch state {
            case .text:
                if byte == .equals { startEscape() } else { output.append(byte) }
            case .equals:
                if let high = byte.hexDigitValue {
                    state = .equalsHex(high)
                    held.append(byte)
                } else {
                    afterEquals(byte, into: &output)
                }
            case .equalsHex(let high):
                if let low = byte.hexDigitValue {
                    output.append(high << 4 | low)
                    state = .text
                } else {
                    giveUp(byte, into: &output)
                }
            case .equalsWhitespace:
                afterEquals(byte, into: &output)
            }
        }
    }

    /// A byte after `=` and any white space: a line end makes it a soft break, more white space waits.
    private mutating func afterEquals(_ byte: UInt8, into output: inout [UInt8]) {
        if byte == .lineFeed {
            state = .text
        } else if (byte.isLinearWhitespace || byte == .carriageReturn) && held.count < Self.maximumHeld {
            state = .equalsWhitespace
            held.append(byte)
        } else {
            giveUp(byte, into: &output)
        }
    }

    /// Not an escape after all: the held bytes are text, and `byte` is looked at afresh.
    private mutating func giveUp(_ byte: UInt8, into output: inout [UInt8]) {
        output += held
        state = .text
        if byte == .equals { startEscape() } else { output.append(byte) }
    }

    private mutating func startEscape() {
        state = .equals
        held.removeAll(keepingCapacity: true)
        held.append(.equals)
    }

    /// Writes a broken escape left at the end of the text as written.
    mutating func finish(into output: inout [UInt8]) {
        if case .text = state { return }
        output += held
        state = .text
    }
}
