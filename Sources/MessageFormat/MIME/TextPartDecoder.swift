/// The decoding pipeline of one text/* entity: transfer encoding undone, then the charset converted to UTF-8.
/// It works on bounded windows, so neither a huge chunk nor a huge line grows its buffers.
struct TextPartDecoder {
    private let encoding: TransferEncoding
    private var base64 = Base64Decoder()
    private var quotedPrintable = QuotedPrintableDecoder()
    /// nil when the text passes unconverted: UTF-8, US-ASCII, none declared, or a charset iconv does not know
    /// (SPEC §5.2: tested as it is).
    private let charset: CharsetDecoder?
    /// Transfer-decoded bytes waiting for charset conversion, and the conversion's output.
    private var decoded: [UInt8] = []
    private var converted: [UInt8] = []

    /// Input bytes handled per step.
    private static let window = 16 * 1024
    /// Decoded bytes gathered before a charset conversion (one iconv call per line would be slow).
    private static let conversionBatch = 4 * 1024

    init(encoding: TransferEncoding, charset name: [UInt8]?) {
        self.encoding = encoding
        let decoder = name.flatMap { CharsetDecoder(name: $0) }
        charset = decoder?.isPassThrough == false ? decoder : nil
    }

    /// Decodes the next piece of the entity's body into `text`, stopping early once `text` is full.
    mutating func decode(_ input: UnsafeBufferPointer<UInt8>, into text: inout BoundedText) {
        var start = 0
        while start < input.count, !text.isFull {
            let end = input.count - start > Self.window ? start + Self.window : input.count
            step(UnsafeBufferPointer(rebasing: input[start..<end]), into: &text)
            start = end
        }
    }

    private mutating func step(_ piece: UnsafeBufferPointer<UInt8>, into text: inout BoundedText) {
        switch encoding {
        case .base64: base64.decode(piece, into: &decoded)
        case .quotedPrintable: quotedPrintable.decode(piece, into: &decoded)
        case .identity, .unknown:
            guard charset != nil else { return text.append(piece) }
            decoded += piece
        }
        if charset == nil || decoded.count >= Self.conversionBatch { convert(into: &text, isFinal: false) }
    }

    /// Capacity of the pipeline's buffers.
    var workingCapacity: Int { decoded.capacity + converted.capacity }

    /// Writes what is still held: a broken base64 tail, a broken `=` escape, an incomplete character.
    mutating func finish(into text: inout BoundedText) {
        switch encoding {
        case .base64: base64.flush(into: &decoded)
        case .quotedPrintable: quotedPrintable.finish(into: &decoded)
        case .identity, .unknown: break
        }
        convert(into: &text, isFinal: true)
    }

    private mutating func convert(into text: inout BoundedText, isFinal: Bool) {
        guard let charset else {
            text.append(decoded)
            decoded.removeAll(keepingCapacity: true)
            return
        }
        charset.decode(&decoded, into: &converted, isFinal: isFinal)
        text.append(converted)
        converted.removeAll(keepingCapacity: true)
    }
}
