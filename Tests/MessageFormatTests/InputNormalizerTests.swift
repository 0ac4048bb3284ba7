import Testing

@testable import MessageFormat

@Suite("Intake normalization: From_ line and CRLF (SPEC §4)")
struct InputNormalizerTests {
    /// Feeds `input` in chunks of `size` bytes, as a pipe might deliver it.
    func normalize(_ input: [UInt8], chunk size: Int) -> (bytes: [UInt8], sender: String?) {
        var normalizer = InputNormalizer()
        var output: [UInt8] = []
        var index = 0
        while index < input.count {
            output += normalizer.normalize(input[index..<min(input.count, index + size)])
            index += size
        }
        output += normalizer.finish()
        return (output, normalizer.envelopeSender)
    }

    static let chunkSizes = [1, 2, 3, 5, 7, 64, 4096]

    @Test("Postfix's From_ line is dropped and its sender kept", arguments: chunkSizes)
    func fromLine(_ size: Int) {
        let input = Array("From alice@example.org  Sun Nov 29 03:08:50 2026\nSubject: x\n\nbody\n".utf8)
        let result = normalize(input, chunk: size)
        #expect(result.bytes == Array("Subject: x\n\nbody\n".utf8))
        #expect(result.sender == "alice@example.org")
    }

    @Test("the bounce sender MAILER-DAEMON is the null sender", arguments: chunkSizes)
    func bounce(_ size: Int) {
        let result = normalize(Array("From MAILER-DAEMON  Sun Nov 29 03:08:50 2026\n\nx".utf8), chunk: size)
        #expect(result.sender == "")
        #expect(result.bytes == Array("\nx".utf8))
    }

    @Test("CRLF becomes LF; bare CR, NUL and 8-bit bytes stay", arguments: chunkSizes)
    func lineEnds(_ size: Int) {
        let input: [UInt8] = Array("A: b\r\nC: \r\u{0}\r\n\r\nx\r\ry\r".utf8) + [0xE9, 0xFF, 0x0D, 0x0A]
        let expected: [UInt8] = Array("A: b\nC: \r\u{0}\n\nx\r\ry\r".utf8) + [0xE9, 0xFF, 0x0A]
        #expect(normalize(input, chunk: size).bytes == expected)
    }

    @Test("only a From_ line at the very start is an envelope line", arguments: chunkSizes)
    func fromInBody(_ size: Int) {
        let input = Array("Subject: x\n\nFrom me to you\n>From quoted\n".utf8)
        let result = normalize(input, chunk: size)
        #expect(result.bytes == input)
        #expect(result.sender == nil)
    }

    @Test("short and odd inputs pass unchanged", arguments: ["", "F", "Fro", "From", "Frox ", "\r", "From:x\n"])
    func shortInputs(_ text: String) {
        for size in Self.chunkSizes {
            #expect(normalize(Array(text.utf8), chunk: size).bytes == Array(text.utf8))
        }
    }

    @Test("a message that is only a From_ line is empty")
    func onlyEnvelope() {
        #expect(normalize(Array("From a@b  Sun Nov 29 03:08:50 2026\n".utf8), chunk: 3).bytes.isEmpty)
        #expect(normalize(Array("From a@b  Sun Nov 29 03:08:50 2026".utf8), chunk: 3).sender == "a@b")
    }

    @Test("the sender follows -f, then $SENDER, then the From_ line, then Return-Path")
    func senderPrecedence() {
        let returnPath = Array(" <rp@example.org> ".utf8)
        #expect(Envelope.sender(option: "f@x", environment: "e@x", fromLine: "l@x", returnPath: returnPath) == "f@x")
        #expect(Envelope.sender(option: nil, environment: "", fromLine: "l@x", returnPath: returnPath) == "")
        #expect(Envelope.sender(option: nil, environment: nil, fromLine: "l@x", returnPath: returnPath) == "l@x")
        #expect(Envelope.sender(option: nil, environment: nil, fromLine: nil, returnPath: returnPath) == "rp@example.org")
        #expect(Envelope.sender(option: nil, environment: nil, fromLine: nil, returnPath: nil) == nil)
    }
}
