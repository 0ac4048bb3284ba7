import Testing

@testable import MessageFormat

@Suite("Multipart bodies")
struct MultipartTests {
    /// multipart/mixed holding multipart/alternative (plain + HTML), a PDF, a forwarded message with its own
    /// multipart, and a Latin-1 quoted-printable part; with preamble and epilogue.
    static let nested = """
        From: a@example.com
        Content-Type: multipart/mixed; boundary="outer"

        This is the preamble, not text.
        --outer
        Content-Type: multipart/alternative; boundary=inner

        inner preamble
        --inner
        Content-Type: text/plain; charset=utf-8

        Plain café
        --inner
        Content-Type: text/html; charset=utf-8

        <b>HTML café</b>
        --inner--
        inner epilogue
        --outer
        Content-Type: application/pdf
        Content-Transfer-Encoding: base64

        JVBERi0xLjQKdGV4dCB0aGF0IGlzIG5vIHRleHQK
        --outer
        Content-Type: message/rfc822

        Subject: forwarded
        Content-Type: multipart/mixed; boundary="fwd"

        --fwd
        Content-Type: text/plain; charset=koi8-r
        Content-Transfer-Encoding: base64

        8NLJ18XU
        --fwd
        Content-Type: image/png

        not text
        --fwd--

        --outer
        Content-Type: text/plain; charset=iso-8859-1
        Content-Transfer-Encoding: quoted-printable

        Gr=FC=DFe
        --outer--
        This is the epilogue.
        """

    static let nestedText = "Plain café\n<b>HTML café</b>\nПривет\nGrüße"

    @Test("nested multipart/alternative in multipart/mixed, attachments skipped, message/rfc822 descended into")
    func nestedMessage() {
        #expect(bodyString(of: Self.nested) == Self.nestedText)
    }

    @Test("the result does not depend on where the chunks are cut", arguments: [1, 2, 3, 5, 7, 13, 64, 4096])
    func chunkIndependence(chunkSize: Int) {
        #expect(bodyString(of: Self.nested, chunkSize: chunkSize) == Self.nestedText)
    }

    /// Bodies of `multipart/mixed; boundary=b`: (what it shows, body, text).
    static let oddBodies: [(String, String, String)] = [
        (
            "CRLF line ends and transport padding after delimiters",
            "--b  \r\nContent-Type: text/plain\r\n\r\none\r\n--b\t\r\n\r\ntwo\r\n--b-- \r\n", "one\r\ntwo\r"
        ),
        (
            "lines that only look like delimiters are content",
            "--b\n\n-- \n--bb\n--b-x\n-\n--\n---b\n--b--", "-- \n--bb\n--b-x\n-\n--\n---b"
        ),
        (
            "a missing close delimiter ends the part at the end of the body",
            "--b\n\nfirst\n--b\n\nsecond\n", "first\nsecond\n"
        ),
        ("a close delimiter without a final line end", "--b\n\ntext\n--b--", "text"),
        ("a delimiter without a final line end", "--b\n\ntext\n--b", "text"),
        (
            "a part whose header never ends holds no text",
            "--b\nContent-Type: text/plain\n--b\n\ntext\n--b--\n", "text"
        ),
        ("empty text parts add no separator", "--b\n\n--b\n\none\n--b\n\n--b\n\ntwo\n--b--\n", "one\ntwo"),
        ("no parts at all", "just a preamble\n", ""),
    ]

    @Test("odd multipart bodies, read whole and byte by byte", arguments: oddBodies)
    func oddBody(what: String, body: String, expected: String) {
        let message = "Content-Type: multipart/mixed; boundary=b\n\n" + body
        #expect(bodyString(of: message) == expected, "\(what)")
        #expect(bodyString(of: message, chunkSize: 1) == expected, "\(what)")
    }

    @Test("an outer delimiter ends an inner multipart left open")
    func outerEndsInner() {
        let message = """
            Content-Type: multipart/mixed; boundary=outer

            --outer
            Content-Type: multipart/alternative; boundary=inner

            --inner

            inner text
            --outer

            outer text
            --outer--
            """
        #expect(bodyString(of: message) == "inner text\nouter text")
    }

    @Test("nested boundaries that differ only at the end, or that contain each other, are told apart")
    func similarBoundaries() {
        let long = String(repeating: "x", count: 69)
        let message = """
            Content-Type: multipart/mixed; boundary="\(long)A"

            --\(long)A
            Content-Type: multipart/mixed; boundary="\(long)B"

            --\(long)B

            one
            --\(long)A--x
            --\(long)B--
            --\(long)A
            Content-Type: multipart/mixed; boundary="b--"

            --b--

            two
            --b----
            --\(long)A--
            """
        #expect(bodyString(of: message) == "one\n--\(long)A--x\ntwo")
        #expect(bodyString(of: message, chunkSize: 1) == "one\n--\(long)A--x\ntwo")
    }

    @Test("a digest's parts default to message/rfc822")
    func digest() {
        let message = """
            Content-Type: multipart/digest; boundary=d

            --d

            Subject: first
            Content-Type: text/plain

            first message
            --d
            Content-Type: text/plain

            a plain part
            --d--
            """
        #expect(bodyString(of: message) == "first message\na plain part")
    }

    @Test("a multipart without a boundary is read as plain text")
    func noBoundary() {
        #expect(bodyString(of: "Content-Type: multipart/mixed\n\n--x\n\ntext\n") == "--x\n\ntext\n")
    }

    @Test("parts with 8-bit junk and NUL in their headers are still read")
    func uglyPartHeader() {
        let message =
            bytes("Content-Type: multipart/mixed; boundary=b\n\n--b\nX-Junk: ") + raw(0xFF, 0x00, 0x0D)
            + bytes("\nContent-Type: text/plain\n\nok\n--b--\n")
        #expect(bodyText(of: message) == bytes("ok"))
    }
}
