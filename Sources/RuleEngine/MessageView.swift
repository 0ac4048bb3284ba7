import MessageFormat

/// What the rules see of one message (SPEC §5.2): the parsed header (edited as rules add and remove fields), the
/// decoded body text, the stored body prefix, the size and the envelope. Built by intake; never touches a file.
public struct MessageView: Sendable {
    /// The header fields; `add header`/`remove header` change them, so later tests see the change.
    public var header: HeaderBlock
    /// The decoded text of the body's text/* parts, at most `bodylimit` bytes (empty when no rule reads it).
    public var bodyText: [UInt8]
    /// The body as stored, at most `bodylimit` bytes.
    public var rawBody: [UInt8]
    /// Bytes stored.
    public var size: Int
    /// The envelope.
    public var envelope: Envelope

    /// Creates a view.
    public init(header: HeaderBlock, bodyText: [UInt8], rawBody: [UInt8], size: Int, envelope: Envelope) {
        self.header = header
        self.bodyText = bodyText
        self.rawBody = rawBody
        self.size = size
        self.envelope = envelope
    }

    /// The Message-ID, for duplicate detection and the log.
    public var messageID: [UInt8]? { header.messageID }
}
