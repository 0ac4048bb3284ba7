/// Turns the bytes an MTA hands over into the bytes roost stores (SPEC §4): Postfix's leading `From sender date`
/// envelope line is dropped (its sender kept), CRLF becomes LF, everything else passes byte for byte.
///
/// It works chunk by chunk with state that survives chunk edges, so the message is never held whole.
public struct InputNormalizer: Sendable {
    /// Longest From_ line whose sender is kept; a longer one is still dropped, its sender ignored.
    static let maximumEnvelopeLineBytes = 4096

    private enum State: Sendable { case start, envelopeLine, body }
    private var state = State.start
    private var startBytes: [UInt8] = []
    private var envelopeLine: [UInt8] = []
    private var pendingCR = false

    /// The sender of the From_ line once it has been read whole; nil when the input had none.
    public private(set) var envelopeSender: String?

    /// Creates a normalizer at the start of a message.
    public init() {}

    /// Normalizes the next chunk; the result may be shorter (a CR may wait for the next chunk).
    public mutating func normalize(_ chunk: ArraySlice<UInt8>) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(chunk.count + 1)
        var rest = chunk[...]
        while state != .body, let byte = rest.popFirst() { feed(byte, into: &output) }
        guard !rest.isEmpty else { return output }
        rest.withUnsafeBufferPointer { copyBody($0, into: &output) }
        return output
    }

    /// The hot path, in the body: copies runs between CRs in bulk, so a 100 MB message costs a memchr-like scan.
    private mutating func copyBody(_ bytes: UnsafeBufferPointer<UInt8>, into output: inout [UInt8]) {
        var start = 0
        if pendingCR, let first = bytes.first {
            pendingCR = false
            if first != UInt8(ascii: "\n") { output.append(UInt8(ascii: "\r")) }
        }
        while let offset = bytes[start...].firstIndex(of: UInt8(ascii: "\r")) {
            output.append(contentsOf: bytes[start..<offset])
            let next = offset + 1
            if next == bytes.count {
                pendingCR = true
                return
            }
            if bytes[next] != UInt8(ascii: "\n") { output.append(UInt8(ascii: "\r")) }
            start = next
        }
        output.append(contentsOf: bytes[start...])
    }

    /// Flushes what is still held back at the end of input (a lone trailing CR, a short first line).
    public mutating func finish() -> [UInt8] {
        var output: [UInt8] = []
        if state == .start { output = startBytes }
        if state == .envelopeLine { takeEnvelope() }
        if pendingCR { output.append(UInt8(ascii: "\r")) }
        pendingCR = false
        state = .body
        return output
    }

    private mutating func feed(_ byte: UInt8, into output: inout [UInt8]) {
        switch state {
        case .start: feedStart(byte, into: &output)
        case .envelopeLine:
            if byte == UInt8(ascii: "\n") {
                takeEnvelope()
                state = .body
            } else if envelopeLine.count < Self.maximumEnvelopeLineBytes {
                envelopeLine.append(byte)
            }
        case .body: feedBody(byte, into: &output)
        }
    }

    /// Decides, from the first five bytes, whether the input opens with an envelope line.
    private mutating func feedStart(_ byte: UInt8, into output: inout [UInt8]) {
        startBytes.append(byte)
        let prefix: [UInt8] = Array("From ".utf8)
        if startBytes.count == prefix.count && startBytes == prefix {
            state = .envelopeLine
            startBytes = []
        } else if !prefix.starts(with: startBytes) {
            state = .body
            let held = startBytes
            startBytes = []
            for held in held { feedBody(held, into: &output) }
        }
    }

    private mutating func feedBody(_ byte: UInt8, into output: inout [UInt8]) {
        if pendingCR {
            pendingCR = false
            if byte != UInt8(ascii: "\n") { output.append(UInt8(ascii: "\r")) }
        }
        if byte == UInt8(ascii: "\r") {
            pendingCR = true
        } else {
            output.append(byte)
        }
    }

    /// `From sender  Sun Nov 29 03:08:50 2026`: the sender is the first word; `MAILER-DAEMON` is the null sender.
    private mutating func takeEnvelope() {
        var line = envelopeLine[...]
        if line.last == UInt8(ascii: "\r") { line = line.dropLast() }
        let sender = line.prefix { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\t") }
        guard envelopeLine.count < Self.maximumEnvelopeLineBytes else { return }
        let text = String(decoding: sender, as: UTF8.self)
        envelopeSender = text == "MAILER-DAEMON" ? "" : text
    }
}
