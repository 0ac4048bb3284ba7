/// Content-Type (and Content-Disposition) parameters: `; name=value` with quoted strings, comments, and RFC 2231's
/// continuations (`name*0=`, `name*1*=`) and encodings (`name*=charset'language'%XX`).
enum MIMEParameters {
    /// One `name=value` as written, its RFC 2231 name suffixes split off.
    private struct Piece {
        let name: String
        let section: Int?
        let isEncoded: Bool
        let value: [UInt8]
    }

    /// Reads parameters up to the end of the value. Junk between them is skipped, a parameter without `=` is
    /// ignored, and an unquoted value runs to `;` or white space (so the common unquoted `boundary=--=_x` works).
    static func parse(_ cursor: inout ByteCursor) -> [String: [UInt8]] {
        var pieces: [Piece] = []
        while true {
            cursor.skipCFWS()
            guard !cursor.isAtEnd else { break }
            let name = cursor.read { ContentType.endsToken($0) }
            guard !name.isEmpty else {
                cursor.advance()  // `;` or junk
                continue
            }
            cursor.skipCFWS()
            guard cursor.peek() == .equals else { continue }
            cursor.advance()
            cursor.skipCFWS()
            let value: [UInt8] =
                cursor.peek() == .quote
                ? cursor.readQuotedString().content
                : Array(cursor.read { $0 == UInt8(ascii: ";") || $0.isTrimmable || $0 == UInt8(ascii: "(") })
            pieces.append(piece(name: name, value: value))
        }
        return assemble(pieces)
    }

    /// Splits `title*1*` into `title`, section 1, encoded.
    private static func piece(name: ArraySlice<UInt8>, value: [UInt8]) -> Piece {
        let star = UInt8(ascii: "*")
        var base = name
        let isEncoded = base.last == star
        if isEncoded { base = base.dropLast() }
        var section: Int? = nil
        if let starIndex = base.lastIndex(of: star) {
            let digits = base[(starIndex + 1)...]
            if (1...3).contains(digits.count), digits.allSatisfy({ (0x30...0x39).contains($0) }) {
                section = digits.reduce(0) { $0 * 10 + Int($1 - 0x30) }
                base = base[..<starIndex]
            }
        }
        return Piece(name: base.asciiLowercasedString, section: section, isEncoded: isEncoded, value: value)
    }

    /// Of plain parameters the first of a name counts; an RFC 2231 form of the name takes precedence over it.
    private static func assemble(_ pieces: [Piece]) -> [String: [UInt8]] {
        var result: [String: [UInt8]] = [:]
        result.reserveCapacity(pieces.count)
        for piece in pieces where piece.section == nil && !piece.isEncoded && result[piece.name] == nil {
            result[piece.name] = piece.value
        }
        let rfc2231 = pieces.filter { $0.section != nil || $0.isEncoded }
        guard !rfc2231.isEmpty else { return result }
        let extended = Dictionary(grouping: rfc2231, by: \.name)
        for (name, group) in extended {
            if let whole = group.first(where: { $0.section == nil }) {
                result[name] = decodeEncoded(whole.value)
            } else if let joined = joinSections(group) {
                result[name] = joined
            }
        }
        return result
    }

    /// RFC 2231 §3: sections 0, 1, 2, … in order (a gap ends them), each percent-decoded if marked `*`; the
    /// charset named by section 0 applies to the whole.
    private static func joinSections(_ group: [Piece]) -> [UInt8]? {
        var bySection: [Int: Piece] = [:]
        for piece in group {
            if let section = piece.section, bySection[section] == nil { bySection[section] = piece }
        }
        guard bySection[0] != nil else { return nil }
        var charset: ArraySlice<UInt8>? = nil
        var bytes: [UInt8] = []
        var section = 0
        while let piece = bySection[section] {
            if piece.isEncoded {
                var value = piece.value[...]
                if section == 0 { (charset, value) = splitCharset(value) }
                bytes += percentDecoded(value)
            } else {
                bytes += piece.value
            }
            section += 1
        }
        return convert(bytes, from: charset)
    }

    /// `charset'language'%XX…` → the bytes in UTF-8 (when the charset is known).
    private static func decodeEncoded(_ value: [UInt8]) -> [UInt8] {
        let (charset, text) = splitCharset(value[...])
        return convert(percentDecoded(text), from: charset)
    }

    /// Splits off `charset'language'`; a value without both quotes has no charset.
    private static func splitCharset(_ value: ArraySlice<UInt8>) -> (ArraySlice<UInt8>?, ArraySlice<UInt8>) {
        let quote = UInt8(ascii: "'")
        guard let first = value.firstIndex(of: quote),
            let second = value[(first + 1)...].firstIndex(of: quote)
        else { return (nil, value) }
        return (value[..<first], value[(second + 1)...])
    }

    private static func percentDecoded(_ text: ArraySlice<UInt8>) -> [UInt8] {
        var output: [UInt8] = []
        var index = text.startIndex
        while index < text.endIndex {
            if text[index] == UInt8(ascii: "%"), index + 2 < text.endIndex,
                let high = text[index + 1].hexDigitValue, let low = text[index + 2].hexDigitValue
            {
                output.append(high << 4 | low)
                index += 3
            } else {
                output.append(text[index])
                index += 1
            }
        }
        return output
    }

    private static func convert(_ bytes: [UInt8], from charset: ArraySlice<UInt8>?) -> [UInt8] {
        guard let charset, !charset.isEmpty, let decoder = CharsetDecoder(name: charset) else { return bytes }
        return decoder.decodeAll(bytes)
    }
}
