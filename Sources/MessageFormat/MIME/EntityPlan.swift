/// What the body collector does with one MIME entity, decided from its header (RFC 2045, RFC 2046).
enum EntityPlan: Equatable {
    /// A text/* body: undo the transfer encoding, convert from the charset (nil: none declared).
    case text(TransferEncoding, charset: [UInt8]?)
    /// A multipart body: parts between these boundary lines; a digest's parts default to message/rfc822.
    case multipart(boundary: [UInt8], isDigest: Bool)
    /// A message/rfc822 body: a message of its own, header first; its text parts count.
    case message
    /// Anything else (images, applications, unknown transfer encodings): skipped.
    case skip

    /// Longest boundary taken; RFC 2046 §5.1.1 allows 70 characters.
    static let maximumBoundaryLength = 200

    /// Decides from the entity's header; `defaultsToMessage` is set for the parts of a multipart/digest
    /// (RFC 2046 §5.1.5), whose default type is message/rfc822 rather than text/plain.
    init(header: HeaderBlock, defaultsToMessage: Bool) {
        let encoding = TransferEncoding(header.firstField(named: "Content-Transfer-Encoding")?.rawValue)
        guard let contentType = header.firstField(named: "Content-Type").flatMap({ ContentType(parsing: $0.rawValue) })
        else {
            // RFC 2045 §5.2: no (usable) Content-Type means text/plain; charset=us-ascii.
            self = defaultsToMessage ? .message : Self.textPart(encoding, charset: nil)
            return
        }
        switch contentType.type {
        case "text":
            self = Self.textPart(encoding, charset: contentType.charset)
        case "multipart":
            if let boundary = contentType.boundary, boundary.count <= Self.maximumBoundaryLength {
                self = .multipart(boundary: boundary, isDigest: contentType.subtype == "digest")
            } else {
                // No boundary to split on: read it as text/plain, as Python's email package does.
                self = Self.textPart(encoding, charset: contentType.charset)
            }
        case "message" where ["rfc822", "global", "news"].contains(contentType.subtype):
            // A message body must be 7bit/8bit/binary (RFC 2046 §5.2.1); an encoded one cannot be read line by line.
            self = encoding == .identity ? .message : .skip
        default:
            self = .skip
        }
    }

    /// RFC 2049: an entity with an unknown transfer encoding is treated as application/octet-stream.
    private static func textPart(_ encoding: TransferEncoding, charset: [UInt8]?) -> EntityPlan {
        encoding == .unknown ? .skip : .text(encoding, charset: charset)
    }
}

/// A Content-Transfer-Encoding (RFC 2045 §6).
enum TransferEncoding: Equatable {
    /// 7bit, 8bit, binary, or none given: the bytes are the content.
    case identity
    case base64
    case quotedPrintable
    /// Anything else (x-uuencode, typos).
    case unknown

    /// Reads the field's raw value (nil: no such field); case and surrounding comments do not matter.
    init(_ value: [UInt8]?) {
        guard let value else {
            self = .identity
            return
        }
        var cursor = ByteCursor(value)
        cursor.skipCFWS()
        switch cursor.read(until: ContentType.endsToken).asciiLowercasedString {
        case "", "7bit", "8bit", "binary": self = .identity
        case "base64": self = .base64
        case "quoted-printable": self = .quotedPrintable
        default: self = .unknown
        }
    }
}
