import TestSupport
import Testing

@Suite("Malformed messages are still delivered, byte for byte (SPEC §3)")
struct MalformedMessageTests {
    static let cases: [(String, [UInt8])] = [
        ("no header/body separator", Array("Subject: no separator\nJust text that never had a blank line\n".utf8)),
        ("no header at all", Array("\nbody only\n".utf8)),
        ("only headers", Array("From: a@b\nSubject: only headers\n".utf8)),
        ("bare CR", Array("Subject: bare\rCR\n\nline\rwith\rCRs\r".utf8)),
        ("NUL bytes", Array("Subject: nul\0here\n\nbody\0\0\n".utf8)),
        ("8-bit and invalid UTF-8 headers", Array("Subject: caf".utf8) + [0xE9, 0xFF, 0xC3] + Array("\n\nx\n".utf8)),
        ("a 1 MB header line", Array("X-Long: ".utf8) + Array(repeating: UInt8(ascii: "a"), count: 1 << 20) + Array("\n\nb\n".utf8)),
        ("no final newline", Array("Subject: x\n\nno newline at end".utf8)),
        ("a leading continuation line", Array(" folded first\nSubject: y\n\nz\n".utf8)),
    ]

    @Test("stored exactly as given", arguments: cases)
    func storedAsIs(_ name: String, _ bytes: [UInt8]) throws {
        let home = MailHome()
        let result = try home.deliver(bytes)
        #expect(result.status == 0, "\(name): \(result.stdout)")
        let stored = home.files("new")
        #expect(stored.count == 1)
        guard let file = stored.first else { return }
        #expect(home.contents("new", file) == bytes)
        #expect(file.hasSuffix(",S=\(bytes.count)"))
        #expect(home.files("tmp").isEmpty)
    }

    @Test("CRLF line ends are stored as LF, and the From_ line is dropped")
    func crlf() throws {
        let home = MailHome()
        #expect(try home.deliver(Array("Subject: crlf\r\n\r\nline one\r\nline two\r\n".utf8)).status == 0)
        #expect(home.contents("new", home.files("new")[0]) == Array("Subject: crlf\n\nline one\nline two\n".utf8))
    }
}
