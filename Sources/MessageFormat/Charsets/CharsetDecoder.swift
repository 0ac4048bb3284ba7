/// Converts text in a declared charset to UTF-8, chunk by chunk; bytes that do not convert stay as they are.
struct CharsetDecoder {
    private enum Engine {
        case passThrough
        case latin1
        case iconv(IconvConverter)
    }

    private let engine: Engine

    /// A decoder for the charset; nil when iconv does not know it.
    init?(_ charset: Charset) {
        switch charset {
        case .passThrough: engine = .passThrough
        case .latin1: engine = .latin1
        case .iconv(let name):
            guard let converter = IconvConverter(from: name) else { return nil }
            engine = .iconv(converter)
        }
    }

    /// A decoder for a charset name as a message writes it; nil when the name is unknown or not a name.
    init?(name: some Collection<UInt8>) {
        guard let charset = Charset(name: name) else { return nil }
        self.init(charset)
    }

    /// Whether the output is the input unchanged, so callers can skip the copy.
    var isPassThrough: Bool {
        if case .passThrough = engine { true } else { false }
    }

    /// Converts `input` and empties it, except for an incomplete multi-byte sequence at its end, which waits for
    /// the next call unless `isFinal`.
    func decode(_ input: inout [UInt8], into output: inout [UInt8], isFinal: Bool) {
        switch engine {
        case .passThrough:
            output += input
            input.removeAll(keepingCapacity: true)
        case .latin1:
            Self.decodeLatin1(input, into: &output)
            input.removeAll(keepingCapacity: true)
        case .iconv(let converter):
            converter.convert(&input, into: &output, isFinal: isFinal)
        }
    }

    /// ISO-8859-1 maps byte n to U+00nn.
    private static func decodeLatin1(_ input: [UInt8], into output: inout [UInt8]) {
        output.reserveCapacity(output.count + input.count * 2)
        for byte in input {
            if byte < 0x80 {
                output.append(byte)
            } else {
                output.append(0xC0 | byte >> 6)
                output.append(0x80 | byte & 0x3F)
            }
        }
    }

    /// Converts a whole string at once (an encoded-word's text), from the charset's initial state.
    func decodeAll(_ input: [UInt8]) -> [UInt8] {
        if case .iconv(let converter) = engine { converter.reset() }
        var input = input
        var output: [UInt8] = []
        decode(&input, into: &output, isFinal: true)
        return output
    }
}
