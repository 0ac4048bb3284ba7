import MessageFormat
import SystemPackage

/// What intake learned about a message while streaming it to the spool.
public struct ReceivedMessage {
    /// The header section as stored (From_ line gone, LF line ends), at most `maxHeaderBytes`.
    public var header: [UInt8]
    /// The header parsed into fields.
    public var headerBlock: HeaderBlock
    /// The first `bodyLimit` bytes of the body as stored (for `raw body` tests).
    public var bodyPrefix: [UInt8]
    /// The decoded text of the body's text/* parts, when asked for (for `body` tests).
    public var bodyText: [UInt8]
    /// Bytes stored in all: the `,S=` size.
    public var size: Int
    /// The sender of Postfix's From_ line, if there was one.
    public var envelopeSender: String?
}

/// Reads a message from a descriptor in chunks and hands every normalized byte to a sink (the spool file, or
/// nothing in a dry run), keeping only the header, a bounded body prefix and the bounded decoded body text in memory
/// (SPEC §3, §8).
public struct MessageReader {
    static let chunkSize = 1 << 16

    let system: System
    let limits: MessageLimits
    let collectsBodyText: Bool

    /// Creates a reader; decoding MIME bodies costs time, so only when a rule reads `body`.
    public init(system: System, limits: MessageLimits, collectsBodyText: Bool) {
        self.system = system
        self.limits = limits
        self.collectsBodyText = collectsBodyText
    }

    /// Reads `fd` to its end.
    /// - Throws: `DeliveryError` from the read or from the sink.
    public func read(_ fd: CInt, into sink: (_ bytes: [UInt8]) throws(DeliveryError) -> Void) throws(DeliveryError) -> ReceivedMessage {
        var intake = MessageIntake(limits: limits, collectsBodyText: collectsBodyText)
        while true {
            let chunk: [UInt8]
            do {
                chunk = try system.read(fd, upTo: Self.chunkSize)
            } catch {
                throw DeliveryError("read", "standard input", errno: error)
            }
            try sink(chunk.isEmpty ? intake.finish() : intake.consume(chunk[...]))
            if chunk.isEmpty { break }
        }
        return intake.message
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
    private(set) var isInBody = false
    /// The last header byte of the previous chunk: a chunk may start with the second "\n" of "\n\n".
    private var previous: UInt8 = UInt8(ascii: "\n")

    init(maximumHeaderBytes: Int, bodyPrefixLimit: Int) {
        self.maximumHeaderBytes = maximumHeaderBytes
        self.bodyPrefixLimit = bodyPrefixLimit
    }

    /// Takes the next chunk; returns the part of it that is body.
    @discardableResult
    mutating func consume(_ bytes: [UInt8]) -> ArraySlice<UInt8> {
        size += bytes.count
        var body = bytes[...]
        if !isInBody {
            let end = endOfHeader(in: bytes)
            header += bytes[..<end]
            body = bytes[end...]
        }
        if isInBody, bodyPrefix.count < bodyPrefixLimit {
            bodyPrefix += body.prefix(bodyPrefixLimit - bodyPrefix.count)
        }
        return body
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
                isInBody = true
                return index
            }
        }
        if header.count + limit >= maximumHeaderBytes { isInBody = true }
        if limit > 0 { previous = bytes[limit - 1] }
        return limit
    }
}
