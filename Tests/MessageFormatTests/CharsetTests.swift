import Testing

@testable import MessageFormat

@Suite("Charsets")
struct CharsetTests {
    /// (charset name as a message writes it, bytes in that charset, the text).
    static let table: [(String, [UInt8], String)] = [
        ("UTF-8", bytes("Grüße €"), "Grüße €"),
        ("utf8", bytes("Grüße"), "Grüße"),
        ("US-ASCII", bytes("plain"), "plain"),
        ("ISO-8859-1", raw(0x47, 0x72, 0xFC, 0xDF, 0x65), "Grüße"),
        ("latin1", raw(0x47, 0x72, 0xFC, 0xDF, 0x65), "Grüße"),
        ("iso-8859-15", raw(0x47, 0x72, 0xFC, 0xDF, 0x65, 0x20, 0xA4), "Grüße €"),
        ("ISO8859-15", raw(0xA4), "€"),
        ("Windows-1252", raw(0x93, 0x47, 0x72, 0xFC, 0xDF, 0x65, 0x94, 0x20, 0x80), "“Grüße” €"),
        ("cp1252", raw(0x80), "€"),
        ("ISO-2022-JP", raw(0x1B, 0x24, 0x42, 0x46, 0x7C, 0x4B, 0x5C, 0x38, 0x6C, 0x1B, 0x28, 0x42), "日本語"),
        ("Shift_JIS", raw(0x93, 0xFA, 0x96, 0x7B, 0x8C, 0xEA), "日本語"),
        ("sjis", raw(0x93, 0xFA, 0x96, 0x7B, 0x8C, 0xEA, 0x5C), "日本語\\"),
        ("KOI8-R", raw(0xF0, 0xD2, 0xC9, 0xD7, 0xC5, 0xD4), "Привет"),
        ("GB2312", raw(0xD6, 0xD0, 0xCE, 0xC4), "中文"),
        ("ISO-8859-2", raw(0xB1), "ą"),
    ]

    @Test("every charset decodes in an encoded-word", arguments: table)
    func encodedWord(name: String, encoded: [UInt8], text: String) {
        let word = "=?\(name)?B?\(base64(encoded))?="
        #expect(decoded("Subject: " + word) == text)
        let lowercased = "=?\(name.lowercased())?B?\(base64(encoded))?="
        #expect(decoded("Subject: " + lowercased) == text)
    }

    @Test("every charset decodes in a text part", arguments: table)
    func textPart(name: String, encoded: [UInt8], text: String) {
        let message = bytes("Content-Type: text/plain; charset=\"\(name)\"\n\n") + encoded
        #expect(String(decoding: bodyText(of: message), as: UTF8.self) == text)
        #expect(String(decoding: bodyText(of: message, chunkSize: 1), as: UTF8.self) == text)
    }

    @Test("a name iconv does not know resolves to no decoder")
    func unknownName() {
        #expect(CharsetDecoder(name: bytes("x-no-such-charset")) == nil)
        #expect(CharsetDecoder(name: bytes("utf-8//TRANSLIT")) == nil)
        #expect(CharsetDecoder(name: bytes("")) == nil)
        #expect(CharsetDecoder(name: [UInt8](repeating: 0x61, count: 41)) == nil)
    }

    @Test("an incomplete character at a chunk's end waits for the next chunk")
    func incompleteSequence() {
        guard let decoder = CharsetDecoder(name: bytes("shift_jis")) else {
            Issue.record("no Shift_JIS")
            return
        }
        var input = raw(0x93, 0xFA, 0x96)
        var output: [UInt8] = []
        decoder.decode(&input, into: &output, isFinal: false)
        #expect(output == bytes("日"))
        #expect(input == raw(0x96))
        input += raw(0x7B)
        decoder.decode(&input, into: &output, isFinal: true)
        #expect(output == bytes("日本"))
        #expect(input.isEmpty)
    }

    @Test("an incomplete character at the end of the text is kept as its bytes")
    func incompleteAtEnd() {
        #expect(CharsetDecoder(name: bytes("shift_jis"))?.decodeAll(raw(0x41, 0x93)) == raw(0x41, 0x93))
    }
}
