/// Undoes quoted-printable (RFC 2045 §6.7) chunk by chunk, tolerantly: `=XX` is a byte (either case), `=` before
/// a line end (after optional white space) is a soft line break, and any other `=` is kept as written with what
/// follows it, as RFC 2045 §6.7 (1) suggests for a robust decoder.
struct QuotedPrintableDecoder {
    private enum State {
        case text
        /// After `=`.
        case equals
        /// After `=` and one hex digit (the byte as written).
        case equalsHex(UInt8)
        /// After `=` and the white space in `whitespace`: a soft line break if a line end follows.
        case equalsWhitespace
    }

    private var state = State.text
    private var whitespace: [UInt8] = []
    /// White space after `=` held at most; a longer run cannot be transport padding and is text.
    private static let maximumWhitespace = 256

    /// Decodes the next piece of text, appending to `output`.
    mutating func decode(_ input: UnsafeBufferPointer<UInt8>, into output: inout [UInt8]) {
        var index = 0
        while index < input.count {
            guard case .text = state else {
                escape(input[index], into: &output)
                index += 1
                continue
            }
            // Plain text runs up to the next `=`: copied in one go.
            let equals = input.firstIndex(of: .equals, from: index) ?? input.count
            output += UnsafeBufferPointer(rebasing: input[index..<equals])
            index = equals
            guard index < input.count else { break }
            // A whole `=XX` in this chunk is decoded at once; anything else goes through the states.
            if index + 2 < input.count, let high = input[index + 1].hexDigitValue,
                let low = input[index + 2].hexDigitValue
            {
                output.append(high << 4 | low)
                index += 3
            } else {
                state = .equals
                index += 1
            }
        }
    }

    /// A byte inside an escape.
    private mutating func escape(_ byte: UInt8, into output: inout [UInt8]) {
        switch state {
        case .equals:
            if byte.hexDigitValue != nil {
                state = .equalsHex(byte)
            } else {
                afterEquals(byte, into: &output)
            }
        case .equalsHex(let high):
            if let highValue = high.hexDigitValue, let low = byte.hexDigitValue {
                output.append(highValue << 4 | low)
                state = .text
            } else {
                giveUp(byte, into: &output)
            }
        case .equalsWhitespace, .text:
            afterEquals(byte, into: &output)
        }
    }

    /// A byte after `=` and any white space: a line end makes it a soft break, more white space waits.
    private mutating func afterEquals(_ byte: UInt8, into output: inout [UInt8]) {
        if byte == .lineFeed {
            state = .text
        } else if (byte.isLinearWhitespace || byte == .carriageReturn) && whitespace.count < Self.maximumWhitespace {
            if case .equals = state { whitespace.removeAll(keepingCapacity: true) }
            state = .equalsWhitespace
            whitespace.append(byte)
        } else {
            giveUp(byte, into: &output)
        }
    }

    /// Not an escape after all: what was held is text, and `byte` is looked at afresh.
    private mutating func giveUp(_ byte: UInt8, into output: inout [UInt8]) {
        writeHeld(into: &output)
        if byte == .equals {
            state = .equals
        } else {
            state = .text
            output.append(byte)
        }
    }

    private func writeHeld(into output: inout [UInt8]) {
        switch state {
        case .text: return
        case .equals: output.append(.equals)
        case .equalsHex(let high): output += [.equals, high]
        case .equalsWhitespace: output += [.equals] + whitespace
        }
    }

    /// Writes a broken escape left at the end of the text as written.
    mutating func finish(into output: inout [UInt8]) {
        writeHeld(into: &output)
        state = .text
    }
}
