// libFuzzer harness: the input is a whole message as the MTA hands it over (README.md lists what is asserted).
import MessageFormat

/// Inputs below this size are also fed to the body collector one byte at a time.
let byteByByteBelow = 4096

/// Limits small enough that fuzz-sized inputs reach them: few header bytes and fields, shallow MIME trees.
let tightLimits = MessageLimits(
    maxHeaderBytes: 512, maxHeaderFields: 12, maxMIMEDepth: 3, maxMIMEParts: 6, bodyLimit: 200)

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = Array(UnsafeBufferPointer(start: data, count: size))
    // The first byte picks the chunk size (and the second a small body limit); it stays part of the message,
    // so seed messages are fuzzed as they are.
    let chunkSize = chunkSize(for: input.first ?? 0)
    let smallBodyLimit = Int(input.count > 1 ? input[1] : 0)

    let message = normalized(input, chunkSize: chunkSize)
    let (headerBytes, body) = split(message)

    for limits in [MessageLimits.standard, tightLimits] {
        let header = HeaderBlock(parsing: headerBytes, limits: limits)
        checkHeader(header, limits: limits)

        let whole = bodyText(body, header: header, limits: limits, chunkSize: max(1, body.count))
        check(whole.count <= limits.bodyLimit, "body text of \(whole.count) bytes over the limit \(limits.bodyLimit)")
        let chunked = bodyText(body, header: header, limits: limits, chunkSize: chunkSize)
        check(chunked == whole, "chunks of \(chunkSize) gave other body text than the whole body")
        if body.count < byteByByteBelow {
            let byByte = bodyText(body, header: header, limits: limits, chunkSize: 1)
            check(byByte == whole, "chunks of 1 gave other body text than the whole body")
        }
        // A smaller bodylimit gives a prefix of the same text (only the body limit differs).
        var limited = limits
        limited.bodyLimit = min(smallBodyLimit, limits.bodyLimit)
        let prefix = bodyText(body, header: header, limits: limited, chunkSize: chunkSize)
        check(prefix.count <= limited.bodyLimit, "body text of \(prefix.count) bytes over the limit \(limited.bodyLimit)")
        check(prefix == Array(whole.prefix(limited.bodyLimit)), "bodylimit \(limited.bodyLimit) is not a prefix of the text")
    }
    return 0
}

/// 1–64 bytes for most values of the first byte, up to 4 KB for the rest.
func chunkSize(for byte: UInt8) -> Int {
    byte < 192 ? Int(byte % 64) + 1 : Int(byte - 191) * 64
}

/// What the intake stores: From_ line dropped, CRLF → LF. Fed in chunks, the result must be that of the whole.
func normalized(_ input: [UInt8], chunkSize: Int) -> [UInt8] {
    var whole = InputNormalizer()
    var output = whole.normalize(input[...])
    output += whole.finish()

    var inChunks = InputNormalizer()
    var chunked: [UInt8] = []
    var start = 0
    while start < input.count {
        let end = min(start + chunkSize, input.count)
        chunked += inChunks.normalize(input[start..<end])
        start = end
    }
    chunked += inChunks.finish()
    check(chunked == output, "InputNormalizer: chunks of \(chunkSize) gave other bytes than the whole input")
    check(inChunks.envelopeSender == whole.envelopeSender, "InputNormalizer: envelope sender depends on chunks")
    check(output.count <= input.count, "InputNormalizer: output longer than the input")
    return output
}

/// Splits at the first empty line as the intake's HeaderSplitter does: the header keeps that line, and a message
/// starting with an empty line has an empty header; without one, the whole message is header.
func split(_ message: [UInt8]) -> (header: [UInt8], body: ArraySlice<UInt8>) {
    var previous = UInt8(ascii: "\n")
    for (index, byte) in message.enumerated() {
        if byte == UInt8(ascii: "\n") && previous == UInt8(ascii: "\n") {
            return (Array(message[...index]), message[(index + 1)...])
        }
        previous = byte
    }
    return (message, [])
}

/// Every field decoded; unfolded values hold no line feed; a value without `=?` decodes to itself.
func checkHeader(_ header: HeaderBlock, limits: MessageLimits) {
    check(header.fields.count <= limits.maxHeaderFields, "more fields than maxHeaderFields")
    for field in header.fields {
        let decoded = field.decodedBytes
        _ = field.decodedValue
        check(!field.rawValue.contains(UInt8(ascii: "\n")), "a raw value holds a line feed")
        check(!field.unfoldedLine.contains(UInt8(ascii: "\n")), "an unfolded line holds a line feed")
        if !contains(field.rawValue, UInt8(ascii: "="), UInt8(ascii: "?")) {
            check(decoded == field.rawValue, "a value without encoded-words decoded to something else")
        }
        check(field.hasName(field.name), "a field does not have its own name")
        check(header.fields(named: field.name).contains(field), "fields(named:) misses a field")
    }
    let text = header.unfoldedText
    check(text.count(where: { $0 == UInt8(ascii: "\n") }) == header.fields.count, "unfoldedText is not one line a field")
}

/// The body text with the body fed in chunks of `chunkSize`, stopping as soon as the collector needs no more
/// (as the intake does).
func bodyText(_ body: ArraySlice<UInt8>, header: HeaderBlock, limits: MessageLimits, chunkSize: Int) -> [UInt8] {
    var collector = BodyTextCollector(header: header, limits: limits)
    var start = body.startIndex
    while start < body.endIndex && collector.needsMoreInput {
        let end = min(start + chunkSize, body.endIndex)
        collector.consume(body[start..<end])
        start = end
    }
    return collector.finish()
}

func contains(_ bytes: [UInt8], _ first: UInt8, _ second: UInt8) -> Bool {
    var index = 0
    while index + 1 < bytes.count {
        if bytes[index] == first && bytes[index + 1] == second { return true }
        index += 1
    }
    return false
}

/// A failed property: a trap libFuzzer reports as a crash, with the reason on stderr.
func check(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String) {
    if !condition() { fatalError("FuzzMessage property failed: \(message())") }
}
