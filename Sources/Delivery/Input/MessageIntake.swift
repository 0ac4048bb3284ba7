import MessageFormat

/// One message on its way in, fed in chunks of any size: normalized (From_ line, CRLF), split into header and body
/// prefix, its body text collected when asked for. Delivery (`MessageReader`) and `roost test` (`MailboxReader`)
/// both read through it, so a message means the same to the rules either way.
struct MessageIntake {
    let limits: MessageLimits
    let collectsBodyText: Bool
    private var normalizer = InputNormalizer()
    private var splitter: HeaderSplitter
    private var collector: BodyTextCollector?
    private var headerBlock: HeaderBlock?

    /// Starts a message; decoding MIME bodies costs time, so only when a rule reads `body`.
    init(limits: MessageLimits, collectsBodyText: Bool) {
        self.limits = limits
        self.collectsBodyText = collectsBodyText
        splitter = HeaderSplitter(maximumHeaderBytes: limits.maxHeaderBytes, bodyPrefixLimit: limits.bodyLimit)
    }

    /// Takes the next chunk as read; returns its normalized bytes (what a delivery stores).
    mutating func consume(_ chunk: ArraySlice<UInt8>) -> [UInt8] {
        let bytes = normalizer.normalize(chunk)
        take(bytes)
        return bytes
    }

    /// Ends the input; returns the bytes the normalizer still held back.
    mutating func finish() -> [UInt8] {
        let bytes = normalizer.finish()
        take(bytes)
        return bytes
    }

    /// What was learned, once `finish()` was called.
    var message: ReceivedMessage {
        ReceivedMessage(
            header: splitter.header, headerBlock: headerBlock ?? HeaderBlock(parsing: splitter.header, limits: limits),
            bodyPrefix: splitter.bodyPrefix, bodyText: collector?.finish() ?? [],
            size: splitter.size, envelopeSender: normalizer.envelopeSender)
    }

    private mutating func take(_ bytes: [UInt8]) {
        let body = splitter.consume(bytes)
        if splitter.isInBody && headerBlock == nil {
            headerBlock = HeaderBlock(parsing: splitter.header, limits: limits)
            if collectsBodyText, let headerBlock { collector = BodyTextCollector(header: headerBlock, limits: limits) }
        }
        if collector?.needsMoreInput == true { collector?.consume(body) }
    }
}
