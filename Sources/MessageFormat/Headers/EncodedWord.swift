/// One RFC 2047 encoded-word, `=?charset[*language]?B|Q?text?=`, found in a header value.
///
/// Departure from RFC 2047 §5, on purpose: a word is recognised wherever it stands (inside quotes, next to `(`
/// or other text), as mail clients do, since senders put them there; an incomplete or malformed one is no word.
struct EncodedWord {
    /// The charset name, without an RFC 2231 language tag (`utf-8*en` → `utf-8`).
    let charset: ArraySlice<UInt8>
    /// The text with its B or Q encoding undone, still in `charset`.
    let payload: [UInt8]
    /// Where the word stands in the value, from `=?` to `?=`.
    let range: Range<Int>

    /// Reads the encoded-word that starts at `start` (its `=?`); nil when there is none, or it is malformed.
    init?(in value: [UInt8], at start: Int) {
        guard value.byte(at: start) == .equals, value.byte(at: start + 1) == .question,
            let charsetEnd = Self.endOfToken(in: value, from: start + 2), charsetEnd > start + 2,
            let encoding = value.byte(at: charsetEnd + 1), value.byte(at: charsetEnd + 2) == .question,
            let textEnd = Self.endOfToken(in: value, from: charsetEnd + 3),
            value.byte(at: textEnd + 1) == .equals
        else { return nil }
        let text = value[(charsetEnd + 3)..<textEnd]
        switch encoding {
        case UInt8(ascii: "B"), UInt8(ascii: "b"):
            guard let decoded = Base64Decoder.decodeWord(text) else { return nil }
            payload = decoded
        case UInt8(ascii: "Q"), UInt8(ascii: "q"):
            payload = Self.decodeQ(text)
        default:
            return nil
        }
        let name = value[(start + 2)..<charsetEnd]
        charset = name.prefix { $0 != UInt8(ascii: "*") }
        range = start..<(textEnd + 2)
    }

    /// The position of the `?` that ends a charset or an encoded text; nil when white space or the end of the
    /// value comes first (an encoded-word holds no white space).
    private static func endOfToken(in value: [UInt8], from start: Int) -> Int? {
        var index = start
        while let byte = value.byte(at: index) {
            if byte == .question { return index }
            if byte.isTrimmable { return nil }
            index += 1
        }
        return nil
    }

    /// RFC 2047 §4.2: `_` is a space and `=XX` a byte; a broken `=` escape is kept as written.
    static func decodeQ(_ text: ArraySlice<UInt8>) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(text.count)
        var index = text.startIndex
        while index < text.endIndex {
            let byte = text[index]
            if byte == UInt8(ascii: "_") {
                output.append(.space)
            } else if byte == .equals, index + 2 < text.endIndex, let high = text[index + 1].hexDigitValue,
                let low = text[index + 2].hexDigitValue
            {
                output.append(high << 4 | low)
                index += 2
            } else {
                output.append(byte)
            }
            index += 1
        }
        return output
    }
}
