@testable import MessageFormat

/// The UTF-8 bytes of a string literal; `\r`, `\0` and `\u{…}` escapes give the ugly bytes.
func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

/// Raw bytes, for what a string literal cannot hold (invalid UTF-8).
func raw(_ values: UInt8...) -> [UInt8] { values }

/// Parses a header section written as a string literal.
func headerBlock(_ text: String, limits: MessageLimits = .standard) -> HeaderBlock {
    HeaderBlock(parsing: bytes(text), limits: limits)
}

/// The decoded value of the first field of a one-field header section.
func decoded(_ field: String) -> String {
    headerBlock(field).fields.first?.decodedValue ?? "<no field>"
}

/// Splits a message at its first empty line, as the intake does.
func splitMessage(_ message: [UInt8]) -> (header: [UInt8], body: [UInt8]) {
    var index = 0
    while index + 1 < message.count {
        if message[index] == UInt8(ascii: "\n") && message[index + 1] == UInt8(ascii: "\n") {
            return (Array(message[...(index + 1)]), Array(message[(index + 2)...]))
        }
        index += 1
    }
    return (message, [])
}

/// The body text of a message, the body fed in chunks of `chunkSize` bytes (all at once when nil).
func bodyText(of message: [UInt8], chunkSize: Int? = nil, limits: MessageLimits = .standard) -> [UInt8] {
    let (header, body) = splitMessage(message)
    var collector = BodyTextCollector(header: HeaderBlock(parsing: header, limits: limits), limits: limits)
    let size = max(1, chunkSize ?? body.count)
    var start = 0
    while start < body.count {
        let end = min(start + size, body.count)
        collector.consume(body[start..<end])
        start = end
    }
    return collector.finish()
}

/// `bodyText(of:)` as a String (lossy), for readable expectations.
func bodyString(of message: String, chunkSize: Int? = nil, limits: MessageLimits = .standard) -> String {
    String(decoding: bodyText(of: bytes(message), chunkSize: chunkSize, limits: limits), as: UTF8.self)
}

/// Limits with a different body limit.
func limits(bodyLimit: Int) -> MessageLimits {
    var limits = MessageLimits.standard
    limits.bodyLimit = bodyLimit
    return limits
}

/// Standard base64 with padding, for building test input.
func base64(_ data: [UInt8]) -> String {
    let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
    var output = ""
    var index = 0
    while index < data.count {
        let chunk = data[index..<min(index + 3, data.count)]
        let value = chunk.enumerated().reduce(0) { $0 | Int($1.element) << (16 - 8 * $1.offset) }
        for position in 0..<4 {
            output.append(position <= chunk.count ? alphabet[value >> (18 - 6 * position) & 63] : "=")
        }
        index += 3
    }
    return output
}

/// Base64 in lines of 76 characters, as MIME writes it.
func base64Lines(_ data: [UInt8]) -> String {
    let encoded = Array(base64(data))
    return stride(from: 0, to: encoded.count, by: 76)
        .map { String(encoded[$0..<min($0 + 76, encoded.count)]) + "\n" }.joined()
}
