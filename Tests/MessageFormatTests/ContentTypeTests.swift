import Testing

@testable import MessageFormat

@Suite("Content-Type and its parameters")
struct ContentTypeTests {
    func parse(_ value: String) -> ContentType? { ContentType(parsing: bytes(value)) }

    func parameter(_ name: String, in value: String) -> String? {
        parse(value)?.parameters[name].map { String(decoding: $0, as: UTF8.self) }
    }

    @Test("type and subtype are read in any case, with comments and white space")
    func typeAndSubtype() {
        let type = parse(" (comment) Text / HTML (more) ; charset=UTF-8")
        #expect(type?.type == "text")
        #expect(type?.subtype == "html")
        #expect(type?.charset == bytes("UTF-8"))
    }

    @Test("a value without type/subtype is not a Content-Type", arguments: ["", "text", "/plain", "text/", ";a=b"])
    func invalid(value: String) {
        #expect(parse(value) == nil)
    }

    @Test("parameter values: quoted, unquoted, unquoted with tspecials, names in any case")
    func parameterValues() {
        let value = #"multipart/mixed; BOUNDARY="a b;\"c\""; charset=us-ascii (comment); x=----=_Part_1"#
        #expect(parameter("boundary", in: value) == #"a b;"c""#)
        #expect(parameter("charset", in: value) == "us-ascii")
        #expect(parameter("x", in: value) == "----=_Part_1")
    }

    @Test("junk between parameters is skipped")
    func junk() {
        #expect(parameter("charset", in: "text/plain;; garbage ; = ; charset=utf-8;") == "utf-8")
        #expect(parameter("b", in: "text/plain; a; b=2") == "2")
        #expect(parameter("a", in: #"text/plain; a="unterminated"#) == "unterminated")
    }

    @Test("RFC 2231 continuations are joined in order")
    func continuations() {
        let value = #"application/x-stuff; title*1="part two, "; title*0="Part one; "; title*2=end"#
        #expect(parameter("title", in: value) == "Part one; part two, end")
    }

    @Test(
        "RFC 2231 charset and language encoding is undone",
        arguments: [
            (#"application/x-stuff; title*=us-ascii'en-us'This%20is%20%2A%2A%2Afun%2A%2A%2A"#, "This is ***fun***"),
            (#"text/plain; name*=iso-8859-1''Gr%FC%DFe.txt"#, "Grüße.txt"),
            (#"text/plain; name*=''plain%20name"#, "plain name"),
            (#"text/plain; name*=utf-8''broken%2Escape%zz"#, "broken.scape%zz"),
            (
                #"application/x-stuff; title*0*=us-ascii'en'This%20is%20even%20more%20; "#
                    + #"title*1*=%2A%2A%2Afun%2A%2A%2A%20; title*2="isn't it!""#,
                "This is even more ***fun*** isn't it!"
            ),
            (#"text/plain; name="plain"; name*=utf-8''%C3%A9"#, "é"),
            (#"text/plain; name*1=second; name=plain"#, "plain"),
        ])
    func rfc2231(value: String, expected: String) {
        #expect(parameter(value.contains("title") ? "title" : "name", in: value) == expected)
    }

    @Test(
        "transfer encodings are read in any case; unknown ones are unknown",
        arguments: [
            ("base64", TransferEncoding.base64), (" Base64 (comment)", .base64), ("QUOTED-PRINTABLE", .quotedPrintable),
            ("7bit", .identity), ("8BIT", .identity), ("binary", .identity), ("", .identity), ("x-uuencode", .unknown),
        ])
    func transferEncodings(value: String, expected: TransferEncoding) {
        #expect(TransferEncoding(bytes(value)) == expected)
    }

    @Test(
        "the entity plan follows the type",
        arguments: [
            ("", EntityPlan.text(.identity, charset: nil)),
            ("Content-Type: text/html; charset=koi8-r\n", .text(.identity, charset: bytes("koi8-r"))),
            ("Content-Type: text/plain\nContent-Transfer-Encoding: base64\n", .text(.base64, charset: nil)),
            ("Content-Type: text/plain\nContent-Transfer-Encoding: x-uue\n", .skip),
            ("Content-Type: image/png\n", .skip),
            ("Content-Type: multipart/mixed; boundary=b\n", .multipart(boundary: bytes("b"), isDigest: false)),
            ("Content-Type: multipart/digest; boundary=b\n", .multipart(boundary: bytes("b"), isDigest: true)),
            ("Content-Type: multipart/mixed\n", .text(.identity, charset: nil)),
            ("Content-Type: message/rfc822\n", .message),
            ("Content-Type: message/rfc822\nContent-Transfer-Encoding: base64\n", .skip),
            ("Content-Type: message/delivery-status\n", .skip),
            ("Content-Type: garbage\n", .text(.identity, charset: nil)),
        ])
    func plans(header: String, expected: EntityPlan) {
        #expect(EntityPlan(header: headerBlock(header), defaultsToMessage: false) == expected)
    }

    @Test("a digest's parts without a Content-Type are messages")
    func digestDefault() {
        #expect(EntityPlan(header: headerBlock(""), defaultsToMessage: true) == .message)
        #expect(
            EntityPlan(header: headerBlock("Content-Type: text/plain\n"), defaultsToMessage: true)
                == .text(.identity, charset: nil))
    }
}
