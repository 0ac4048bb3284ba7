/// The bounds on everything a message's sender controls (SPEC §8): past them roost stops looking, never fails.
public struct MessageLimits: Sendable, Equatable {
    /// Header bytes parsed; the rest of an over-long header block is not looked at (the message is still stored whole).
    public var maxHeaderBytes: Int
    /// Header fields parsed; later ones are not visible to header tests.
    public var maxHeaderFields: Int
    /// Deepest MIME entity examined; the top-level message is depth 0, its parts depth 1, and so on.
    public var maxMIMEDepth: Int
    /// Body parts (of all multiparts together) examined; parts past it are not looked at.
    public var maxMIMEParts: Int
    /// Bytes of decoded body text kept for `body` tests: the rule variable `bodylimit` (SPEC §5.2, §5.5).
    public var bodyLimit: Int

    /// Creates limits; a negative value counts as zero.
    public init(maxHeaderBytes: Int, maxHeaderFields: Int, maxMIMEDepth: Int, maxMIMEParts: Int, bodyLimit: Int) {
        self.maxHeaderBytes = max(0, maxHeaderBytes)
        self.maxHeaderFields = max(0, maxHeaderFields)
        self.maxMIMEDepth = max(0, maxMIMEDepth)
        self.maxMIMEParts = max(0, maxMIMEParts)
        self.bodyLimit = max(0, bodyLimit)
    }

    /// roost's defaults: 1.5 MiB of header, so a 1 MB header line still fits, and `bodylimit` 1M.
    public static let standard = MessageLimits(
        maxHeaderBytes: 3 << 19, maxHeaderFields: 10_000, maxMIMEDepth: 32, maxMIMEParts: 10_000, bodyLimit: 1 << 20)
}
