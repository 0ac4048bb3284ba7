/// Collects what `body ~ /re/` sees (SPEC §5.2): the decoded text of the body's text/* parts, converted to UTF-8,
/// joined by one LF, at most `bodyLimit` bytes.
///
/// It is fed the body in chunks of any size, cut anywhere (inside a boundary line, a base64 quantum, a multi-byte
/// character): the result does not depend on where. Memory stays bounded whatever the input: nothing holds a
/// part, and line buffers hold only what could still be a boundary line. HTML parts are kept with their tags.
/// Parts with another type (attachments, images) are skipped at the cost of finding their line starts; once the
/// limit is reached, or nothing more can be collected, `consume` returns at once.
public struct BodyTextCollector {
    enum Mode { case header, text, skip }

    let limits: MessageLimits
    var text: BoundedText
    /// The multiparts whose parts are being read.
    var multiparts = MultipartStack()
    var mode = Mode.skip
    /// Depth of the entity being read: 0 for the message itself.
    var depth = 0
    var textDecoder: TextPartDecoder?
    /// The header of the entity being read, when `mode` is `.header`; bytes past `maxHeaderBytes` are dropped.
    var entityHeader: [UInt8] = []
    var entityHeaderLineLength = 0
    /// Whether the entity being read is a part of a multipart/digest.
    var defaultsToMessage = false
    var partCount = 0
    /// Set when nothing more can be collected: the limit is reached, or the rest is skipped.
    var isStopped = false
    /// Line state while boundaries are active: at a line start, the line's LF held back (the LF before a
    /// delimiter line belongs to the delimiter, RFC 2046 §5.1.1), and the start of a line that may be one.
    var isAtLineStart = true
    var isLineBreakHeld = false
    var lineHead: [UInt8] = []

    /// Starts collecting the body of a message with this header.
    public init(header: HeaderBlock, limits: MessageLimits) {
        self.limits = limits
        text = BoundedText(limit: limits.bodyLimit)
        begin(EntityPlan(header: header, defaultsToMessage: false))
    }

    /// Whether more body can still change the result; false once the limit is reached or the rest is skipped,
    /// so the caller may stop feeding (and `consume` is free anyway).
    public var needsMoreInput: Bool { !isStopped }

    /// Takes the next chunk of the body.
    public mutating func consume(_ chunk: some Collection<UInt8>) {
        guard !isStopped else { return }
        let done: Void? = chunk.withContiguousStorageIfAvailable { scan($0) }
        if done == nil { Array(chunk).withUnsafeBufferPointer { scan($0) } }
    }

    /// The collected text, after the end of the body: what is still held (a last line, a broken base64 tail, an
    /// incomplete character) is decoded as well as it can be.
    public consuming func finish() -> [UInt8] {
        if !isStopped {
            if !lineHead.isEmpty { finishLineHead() }
            releaseHeldLineBreak()
        }
        endEntity()
        return text.bytes
    }

    /// Sets up reading an entity's body as its header says.
    mutating func begin(_ plan: EntityPlan) {
        mode = .skip
        switch plan {
        case .text(let encoding, let charset):
            mode = .text
            textDecoder = TextPartDecoder(encoding: encoding, charset: charset)
            text.beginPart()
        case .multipart(let boundary, let isDigest) where depth < limits.maxMIMEDepth:
            multiparts.push(MultipartFrame(boundary: boundary, depth: depth, isDigest: isDigest))
        case .message where depth < limits.maxMIMEDepth:
            depth += 1
            beginHeader(defaultsToMessage: false)
        case .multipart, .message, .skip:
            break
        }
        if mode == .skip && multiparts.isEmpty { isStopped = true }  // the rest of the body is this skipped entity
    }

    private mutating func beginHeader(defaultsToMessage: Bool) {
        mode = .header
        self.defaultsToMessage = defaultsToMessage
        entityHeader.removeAll(keepingCapacity: true)
        entityHeaderLineLength = 0
    }

    /// The entity's header is complete (its empty line was read): parse it and read the body it announces.
    mutating func completeHeader() {
        let header = HeaderBlock(parsing: entityHeader, limits: limits)
        entityHeader.removeAll(keepingCapacity: true)
        begin(EntityPlan(header: header, defaultsToMessage: defaultsToMessage))
    }

    /// A delimiter line of `multiparts.frames[index]`: the entity being read ends, and so does any multipart
    /// inside it (RFC 2046 §5.1.2: an inner multipart left open). After a close delimiter comes the epilogue,
    /// skipped.
    mutating func reachDelimiter(of index: Int, isClosing: Bool) {
        endEntity()
        multiparts.keep(isClosing ? index : index + 1)
        guard !isClosing, let frame = multiparts.frames.last else {
            isStopped = multiparts.isEmpty
            return
        }
        partCount += 1
        guard partCount <= limits.maxMIMEParts else {
            isStopped = true
            return
        }
        depth = frame.depth + 1
        beginHeader(defaultsToMessage: frame.isDigest)
    }

    /// Finishes the entity being read: a text part's decoders give up what they hold.
    mutating func endEntity() {
        textDecoder?.finish(into: &text)
        textDecoder = nil
        mode = .skip
    }
}

extension BodyTextCollector {
    /// Buffer capacity held besides the collected text; bounded whatever the input (the memory tests watch it).
    var workingCapacity: Int {
        lineHead.capacity + entityHeader.capacity + (textDecoder?.workingCapacity ?? 0)
    }
}
