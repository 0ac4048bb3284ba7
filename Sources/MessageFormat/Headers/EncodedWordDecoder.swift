/// Decodes the RFC 2047 encoded-words of a header value to UTF-8 (SPEC §5.2).
///
/// Each word that decodes is replaced; everything else (text between words, malformed words, words in a
/// charset iconv does not know) stays byte for byte. White space between two adjacent decoded words disappears
/// (RFC 2047 §6.2). Adjacent words in one charset are converted together, so a character split across two words
/// (which RFC 2047 forbids but senders do) still comes out whole.
enum EncodedWordDecoder {
    /// The value with its encoded-words decoded; the value itself (sharing its storage) when it has none.
    static func decode(_ value: [UInt8]) -> [UInt8] {
        guard var start = value.firstIndex(of: .equals, followedBy: .question, from: 0) else { return value }
        var output: [UInt8] = []
        output.reserveCapacity(value.count)
        var decoders = DecoderCache()
        var copiedUpTo = 0
        var run: Run? = nil
        while true {
            if let word = EncodedWord(in: value, at: start), let decoder = decoders.decoder(for: word.charset) {
                let gap = value[copiedUpTo..<start]
                let joins = run != nil && gap.allSatisfy(\.isLinearWhitespace)
                if joins && run?.charset.equalsIgnoringASCIICase(word.charset) == true {
                    run?.payload += word.payload
                } else {
                    run?.flush(into: &output)
                    if !joins { output += gap }
                    run = Run(charset: word.charset, decoder: decoder, payload: word.payload)
                }
                copiedUpTo = word.range.upperBound
                start = word.range.upperBound
            } else {
                start += 1
            }
            guard let next = value.firstIndex(of: .equals, followedBy: .question, from: start) else { break }
            start = next
        }
        run?.flush(into: &output)
        output += value[copiedUpTo...]
        return output
    }

    /// Decoded words in one charset, next to each other, waiting to be converted together.
    private struct Run {
        let charset: ArraySlice<UInt8>
        let decoder: CharsetDecoder
        var payload: [UInt8]

        func flush(into output: inout [UInt8]) { output += decoder.decodeAll(payload) }
    }

    /// The decoders one value needs, each opened once: a long header may hold thousands of words, and opening an
    /// iconv descriptor (or failing to, for an unknown name) costs microseconds each time.
    private struct DecoderCache {
        private var decoders: [[UInt8]: CharsetDecoder?] = [:]
        /// Names remembered at most; a header naming more charsets than this opens the rest each time.
        private static let capacity = 16

        /// The decoder for a charset name; nil when the charset is unknown.
        mutating func decoder(for name: ArraySlice<UInt8>) -> CharsetDecoder? {
            let key = name.map(\.asciiLowercased)
            if let known = decoders[key] { return known }
            let decoder = CharsetDecoder(name: name)
            if decoders.count < Self.capacity { decoders[key] = decoder }
            return decoder
        }
    }
}
