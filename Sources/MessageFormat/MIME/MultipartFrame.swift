/// A multipart entity whose parts are being read: its boundary, and where it stands in the MIME tree.
struct MultipartFrame {
    let boundary: [UInt8]
    /// Depth of the multipart entity itself; its parts are one deeper.
    let depth: Int
    /// multipart/digest: parts without a Content-Type are messages (RFC 2046 §5.1.5).
    let isDigest: Bool
}
