/// IMAP's modified UTF-7 (RFC 3501 §5.1.3), the encoding Dovecot and Courier use for non-ASCII folder names on disk.
public enum ModifiedUTF7 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,".utf8)

    /// Encodes a folder level: printable ASCII stays, `&` becomes `&-`, every other run becomes `&<base64 of UTF-16>-`.
    public static func encode(_ text: String) -> String {
        var output: [UInt8] = []
        var pending: [UInt16] = []
        for scalar in text.unicodeScalars {
            if (0x20...0x7E).contains(scalar.value) {
                flush(&pending, into: &output)
                output.append(UInt8(scalar.value))
                if scalar == "&" { output.append(UInt8(ascii: "-")) }
            } else {
                pending.append(contentsOf: String(scalar).utf16)
            }
        }
        flush(&pending, into: &output)
        return String(decoding: output, as: UTF8.self)
    }

    /// Decodes modified UTF-7; nil when the text is not valid modified UTF-7 (RFC 3501 forbids, e.g., `&` unclosed).
    public static func decode(_ encoded: String) -> String? {
        var result = ""
        var bytes = Array(encoded.utf8)[...]
        while let byte = bytes.popFirst() {
            guard byte == UInt8(ascii: "&") else {
                guard (0x20...0x7E).contains(byte) else { return nil }
                result.unicodeScalars.append(Unicode.Scalar(byte))
                continue
            }
            guard let end = bytes.firstIndex(of: UInt8(ascii: "-")) else { return nil }
            let run = bytes[..<end]
            bytes = bytes[(end + 1)...]
            if run.isEmpty { result.append("&"); continue }
            guard let units = decodeBase64(run), let text = String(utf16Units: units) else { return nil }
            result.append(text)
        }
        return result
    }

    private static func flush(_ units: inout [UInt16], into output: inout [UInt8]) {
        guard !units.isEmpty else { return }
        var bytes: [UInt8] = []
        for unit in units { bytes.append(UInt8(unit >> 8)); bytes.append(UInt8(unit & 0xFF)) }
        output.append(UInt8(ascii: "&"))
        var bits: UInt32 = 0
        var count = 0
        for byte in bytes {
            bits = (bits << 8) | UInt32(byte)
            count += 8
            while count >= 6 {
                count -= 6
                output.append(alphabet[Int((bits >> UInt32(count)) & 0x3F)])
            }
        }
        if count > 0 { output.append(alphabet[Int((bits << UInt32(6 - count)) & 0x3F)]) }
        output.append(UInt8(ascii: "-"))
        units.removeAll()
    }

    private static func decodeBase64(_ run: ArraySlice<UInt8>) -> [UInt16]? {
        var bits: UInt32 = 0
        var count = 0
        var bytes: [UInt8] = []
        for character in run {
            guard let value = alphabet.firstIndex(of: character) else { return nil }
            bits = ((bits << 6) | UInt32(value)) & 0xFFFFFF
            count += 6
            if count >= 8 {
                count -= 8
                bytes.append(UInt8((bits >> UInt32(count)) & 0xFF))
            }
        }
        guard bytes.count % 2 == 0 else { return nil }
        return stride(from: 0, to: bytes.count, by: 2).map { UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]) }
    }
}

extension String {
    fileprivate init?(utf16Units units: [UInt16]) {
        var scalars = String.UnicodeScalarView()
        var iterator = units.makeIterator()
        var decoder = UTF16()
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar): scalars.append(scalar)
            case .emptyInput: self = String(scalars); return
            case .error: return nil
            }
        }
    }
}
