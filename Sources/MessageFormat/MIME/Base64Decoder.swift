/// Undoes base64 (RFC 2045 §6.8) chunk by chunk, tolerantly: characters outside the alphabet (line breaks, junk)
/// are skipped, `=` ends a quantum early and decoding goes on after it (concatenated blobs), and an incomplete
/// last quantum gives the bytes it holds.
struct Base64Decoder {
    /// Bits not yet written, `sextets` × 6 of them in the low bits.
    private var bits: UInt32 = 0
    private var sextets = 0

    /// Value of each byte in the alphabet; `invalid` for the rest, `padding` for `=`.
    static let alphabet: [UInt8] = {
        var table = [UInt8](repeating: invalid, count: 256)
        for (value, character) in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8.enumerated() {
            table[Int(character)] = UInt8(value)
        }
        table[Int(UInt8.equals)] = padding
        return table
    }()
    static let invalid: UInt8 = 0xFF
    static let padding: UInt8 = 0xFE

    /// Decodes the next piece of text, appending whole bytes to `output`.
    mutating func decode(_ input: UnsafeBufferPointer<UInt8>, into output: inout [UInt8]) {
        output.reserveCapacity(output.count + input.count / 4 * 3 + 3)
        Self.alphabet.withUnsafeBufferPointer { alphabet in
            for character in input {
                let value = alphabet[Int(character)]
                if value < 64 {
                    bits = bits << 6 | UInt32(value)
                    sextets += 1
                    if sextets == 4 {
                        output.append(UInt8(truncatingIfNeeded: bits >> 16))
                        output.append(UInt8(truncatingIfNeeded: bits >> 8))
                        output.append(UInt8(truncatingIfNeeded: bits))
                        bits = 0
                        sextets = 0
                    }
                } else if value == Self.padding {
                    flush(into: &output)
                }
            }
        }
    }

    /// Writes the bytes of an incomplete quantum (a broken tail, or one ended by `=`); one lone sextet holds none.
    mutating func flush(into output: inout [UInt8]) {
        switch sextets {
        case 2: output.append(UInt8(truncatingIfNeeded: bits >> 4))
        case 3:
            output.append(UInt8(truncatingIfNeeded: bits >> 10))
            output.append(UInt8(truncatingIfNeeded: bits >> 2))
        default: break
        }
        bits = 0
        sextets = 0
    }

    /// The bytes of an RFC 2047 "B" encoded text; nil when it holds a character outside the alphabet, since then
    /// it is no encoded-word and stays as written. Missing padding is tolerated.
    static func decodeWord(_ text: ArraySlice<UInt8>) -> [UInt8]? {
        guard text.allSatisfy({ alphabet[Int($0)] != invalid }) else { return nil }
        var decoder = Base64Decoder()
        var output: [UInt8] = []
        Array(text).withUnsafeBufferPointer { decoder.decode($0, into: &output) }
        decoder.flush(into: &output)
        return output
    }
}
