/// The decoded body text being collected: at most `limit` bytes (`bodylimit`), text parts joined by one LF.
struct BoundedText {
    private(set) var bytes: [UInt8] = []
    let limit: Int
    /// Set when a new part begins after text was collected: its first byte is preceded by a LF.
    private var separatorIsDue = false

    init(limit: Int) { self.limit = limit }

    var isFull: Bool { bytes.count >= limit }

    /// Marks the start of another text part.
    mutating func beginPart() { separatorIsDue = !bytes.isEmpty }

    /// Appends as much of `piece` as the limit leaves room for.
    mutating func append(_ piece: some Collection<UInt8>) {
        guard !piece.isEmpty, !isFull else { return }
        if separatorIsDue {
            separatorIsDue = false
            bytes.append(.lineFeed)
        }
        let room = limit - bytes.count
        if piece.count <= room {
            bytes += piece
        } else {
            bytes += piece.prefix(room)
        }
    }
}
