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
        var copiedUpTo = 0
        var run: Run? = nil
        while true {
            if let word = EncodedWord(in: value, at: start), let runAfter = extend(run, with: word) {
                let gap = value[copiedUpTo..<start]
                let joins = run != nil && gap.allSatisfy(\.isLinearWhitespace)
                if joins, let current = run, current.charset.equalsIgnoringASCIICase(word.charset) {
                    run?.payload += word.payload
                } else {
                    run?.flush(into: &output)
                    if !joins { output += gap }
                    run = runAfter
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

    /// The run that `word` starts (its charset's decoder opened); nil when iconv does not know the charset. A word
    /// continuing the current run reuses the run's decoder.
    private static func extend(_ run: Run?, with word: EncodedWord) -> Run? {
        if let run, run.charset.equalsIgnoringASCIICase(word.charset) {
            return Run(charset: word.charset, decoder: run.decoder, payload: word.payload)
        }
        guard let decoder = CharsetDecoder(name: word.charset) else { return nil }
        return Run(charset: word.charset, decoder: decoder, payload: word.payload)
    }

    /// Decoded words in one charset, next to each other, waiting to be converted together.
    private struct Run {
        let charset: ArraySlice<UInt8>
        let decoder: CharsetDecoder
        var payload: [UInt8]

        func flush(into output: inout [UInt8]) { output += decoder.decodeAll(payload) }
    }
}
