import MessageFormat
import SystemPackage

/// What intake learned about a message while streaming it to the spool.
public struct ReceivedMessage {
    /// The header section as stored (From_ line gone, LF line ends), at most `maximumHeaderBytes`.
    public var header: [UInt8]
    /// The first `bodyPrefixLimit` bytes of the body as stored (for `raw body` tests).
    public var bodyPrefix: [UInt8]
    /// Bytes stored in all: the `,S=` size.
    public var size: Int
    /// The sender of Postfix's From_ line, if there was one.
    public var envelopeSender: String?
}

/// Reads a message from a descriptor in chunks and hands every normalized byte to a sink (the spool file, or
/// nothing in a dry run), keeping only the header and a bounded body prefix in memory (SPEC §3, §8).
public struct MessageReader {
    /// A 1 MB header line must still be stored and tested (SPEC §3); past this the rest counts as body.
    static let maximumHeaderBytes = 4 << 20
    static let chunkSize = 1 << 16

    let system: System
    let bodyPrefixLimit: Int

    /// Creates a reader keeping at most `bodyPrefixLimit` body bytes in memory.
    public init(system: System, bodyPrefixLimit: Int) {
        self.system = system
        self.bodyPrefixLimit = bodyPrefixLimit
    }

    /// Reads `fd` to its end.
    /// - Throws: `DeliveryError` from the read or from the sink.
    public func read(_ fd: CInt, into sink: (_ bytes: [UInt8]) throws(DeliveryError) -> Void) throws(DeliveryError) -> ReceivedMessage {
        var normalizer = InputNormalizer()
        var splitter = HeaderSplitter(maximumHeaderBytes: Self.maximumHeaderBytes, bodyPrefixLimit: bodyPrefixLimit)
        var buffer = [UInt8](repeating: 0, count: Self.chunkSize)
        while true {
            let count: Int
            do {
                count = try system.read(fd, into: &buffer)
            } catch {
                throw DeliveryError("read", "standard input", errno: error)
            }
            let bytes = count == 0 ? normalizer.finish() : normalizer.normalize(buffer[..<count])
            splitter.consume(bytes)
            try sink(bytes)
            if count == 0 { break }
        }
        return ReceivedMessage(
            header: splitter.header, bodyPrefix: splitter.bodyPrefix, size: splitter.size,
            envelopeSender: normalizer.envelopeSender)
    }
}

/// Splits the normalized stream at the first empty line: the header is kept whole (bounded), the body only as a
/// prefix. A message with no empty line is all header, as far as the bound allows.
struct HeaderSplitter {
    let maximumHeaderBytes: Int
    let bodyPrefixLimit: Int
    private(set) var header: [UInt8] = []
    private(set) var bodyPrefix: [UInt8] = []
    private(set) var size = 0
    private var inBody = false
    /// The last header byte of the previous chunk: a chunk may start with the second "\n" of "\n\n".
    private var previous: UInt8 = UInt8(ascii: "\n")

    init(maximumHeaderBytes: Int, bodyPrefixLimit: Int) {
        self.maximumHeaderBytes = maximumHeaderBytes
        self.bodyPrefixLimit = bodyPrefixLimit
    }

    mutating func consume(_ bytes: [UInt8]) {
        size += bytes.count
        var body = bytes[...]
        if !inBody {
            let end = endOfHeader(in: bytes)
            header += bytes[..<end]
            body = bytes[end...]
        }
        guard inBody, !body.isEmpty, bodyPrefix.count < bodyPrefixLimit else { return }
        bodyPrefix += body.prefix(bodyPrefixLimit - bodyPrefix.count)
    }

    /// Where the header ends in this chunk: after "\n\n" (or a leading "\n"; the blank line stays with the header),
    /// at the header bound, or nowhere in this chunk.
    private mutating func endOfHeader(in bytes: [UInt8]) -> Int {
        let limit = min(bytes.count, maximumHeaderBytes - header.count)
        var index = 0
        while index < limit {
            guard let newline = bytes[index..<limit].firstIndex(of: UInt8(ascii: "\n")) else { break }
            let before = newline > 0 ? bytes[newline - 1] : previous
            index = newline + 1
            if before == UInt8(ascii: "\n") {
                inBody = true
                return index
            }
        }
        if header.count + limit >= maximumHeaderBytes { inBody = true }
        if limit > 0 { previous = bytes[limit - 1] }
        return limit
    }
}
