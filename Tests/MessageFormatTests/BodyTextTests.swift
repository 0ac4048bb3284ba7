import Testing

@testable import MessageFormat

@Suite("Body text of single-part messages")
struct BodyTextTests {
    @Test("a message without Content-Type passes its body through byte for byte")
    func noContentType() {
        let body = bytes("Hello\r\nwith\0NUL and ") + raw(0xE9, 0xFF) + bytes("\n")
        #expect(bodyText(of: bytes("Subject: x\n\n") + body) == body)
        #expect(bodyText(of: bytes("Subject: x\n\n") + body, chunkSize: 1) == body)
    }

    @Test("an empty body gives empty text")
    func emptyBody() {
        #expect(bodyText(of: bytes("Subject: x\n\n")).isEmpty)
        #expect(bodyText(of: bytes("Subject: x")).isEmpty)
    }

    @Test("quoted-printable: escapes, soft line breaks, and broken escapes kept as written")
    func quotedPrintable() {
        let message = """
            Content-Type: text/plain; charset=utf-8
            Content-Transfer-Encoding: quoted-printable

            Gr=C3=BC=c3=9Fe, this line is soft=
             broken; soft with space=  \t
            here. Broken: =ZZ =4 =\r
            =3D end=
            """
        #expect(
            bodyString(of: message) == "Grüße, this line is soft broken; soft with spacehere. Broken: =ZZ =4 = end=")
    }

    @Test("quoted-printable: a broken escape at the very end is kept")
    func quotedPrintableTail() {
        let header = "Content-Transfer-Encoding: quoted-printable\n\n"
        #expect(bodyString(of: header + "abc=") == "abc=")
        #expect(bodyString(of: header + "abc=4") == "abc=4")
        #expect(bodyString(of: header + "abc=\t ") == "abc=\t ")
    }

    @Test("quoted-printable: a long run of white space after = does not grow a buffer")
    func quotedPrintableWhitespaceRun() {
        let run = String(repeating: " ", count: 10_000)
        let text = bodyString(of: "Content-Transfer-Encoding: quoted-printable\n\nx=" + run + "y")
        #expect(text == "x=" + run + "y")
    }

    @Test("base64: line breaks and junk are skipped, a broken tail gives what it holds")
    func base64Text() {
        let message = """
            Content-Type: text/plain; charset=utf-8
            Content-Transfer-Encoding: base64

            R3LDvMOfZS
            wgV2VsdCE*?
            h!ISE
            """
        // Without the junk this is "R3LDvMOfZSwgV2VsdCEhISE", "Grüße, Welt!!!!" with its padding cut off.
        #expect(bodyString(of: message) == "Grüße, Welt!!!!")
    }

    @Test("base64: padding in the middle ends a blob and decoding goes on")
    func base64Concatenated() {
        let message =
            "Content-Transfer-Encoding: BASE64\n\n" + base64(bytes("one")) + base64(bytes("two!")) + "\n"
            + base64(bytes("three"))
        #expect(bodyString(of: message) == "onetwo!three")
    }

    @Test("base64: a lone trailing character is dropped")
    func base64LoneSextet() {
        #expect(bodyString(of: "Content-Transfer-Encoding: base64\n\nYWJj\nZ") == "abc")
    }

    @Test("text/html is kept with its tags")
    func html() {
        let message = "Content-Type: text/html; charset=iso-8859-1\n\n<p>Gr" + "\u{FC}" + "&szlig;e</p>\n"
        // The literal holds UTF-8 for ü; as ISO-8859-1 its two bytes are two characters.
        #expect(bodyString(of: message) == "<p>GrÃ¼&szlig;e</p>\n")
    }

    @Test(
        "a wrong declared charset: what does not convert stays as bytes",
        arguments: [
            // Declared UTF-8, written in Latin-1: the invalid bytes stay, matchable byte for byte.
            ("utf-8", raw(0x63, 0x61, 0x66, 0xE9), raw(0x63, 0x61, 0x66, 0xE9)),
            // Declared US-ASCII, written in UTF-8: passed through, so the UTF-8 is still text.
            ("us-ascii", bytes("café"), bytes("café")),
            // Declared Shift_JIS, bytes that are not Shift_JIS: kept as they are.
            ("shift_jis", raw(0x41, 0xFF, 0x42), raw(0x41, 0xFF, 0x42)),
            // Declared ISO-8859-1, written in UTF-8: each byte is a Latin-1 character, as declared.
            ("iso-8859-1", bytes("é"), bytes("Ã©")),
            // A charset nobody knows: as it is.
            ("x-martian", raw(0x80, 0x81), raw(0x80, 0x81)),
        ])
    func wrongCharset(charset: String, body: [UInt8], expected: [UInt8]) {
        let message = bytes("Content-Type: text/plain; charset=\(charset)\n\n") + body
        #expect(bodyText(of: message) == expected)
        #expect(bodyText(of: message, chunkSize: 1) == expected)
    }

    @Test("a non-text single part gives no text, and needs no more input")
    func nonText() {
        let header = headerBlock("Content-Type: application/pdf\n\n")
        var collector = BodyTextCollector(header: header, limits: .standard)
        #expect(!collector.needsMoreInput)
        collector.consume(bytes("%PDF-1.4 text that is no text"))
        #expect(collector.finish().isEmpty)
    }

    @Test("an unknown transfer encoding skips the part")
    func unknownTransferEncoding() {
        #expect(bodyString(of: "Content-Transfer-Encoding: x-uuencode\n\nbegin 644 x\n").isEmpty)
    }

    @Test("a top-level message/rfc822 body is read as a message")
    func topLevelMessage() {
        let message = """
            Content-Type: message/rfc822

            Subject: inner
            Content-Type: text/plain; charset=iso-8859-1
            Content-Transfer-Encoding: quoted-printable

            Gr=FC=DFe
            """
        #expect(bodyString(of: message) == "Grüße")
        #expect(bodyString(of: message, chunkSize: 1) == "Grüße")
    }

    @Test("collection accepts any collection of bytes as a chunk")
    func anyCollection() {
        var collector = BodyTextCollector(header: headerBlock(""), limits: .standard)
        collector.consume(bytes("ab").lazy.map { $0 })
        collector.consume(bytes("cd")[...])
        collector.consume(Set([UInt8(ascii: "e")]))
        #expect(collector.finish() == bytes("abcde"))
    }
}
