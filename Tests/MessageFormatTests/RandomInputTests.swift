import Testing

@testable import MessageFormat

/// Deterministic pseudo-random messages built from fragments that matter to the parsers (delimiters, escapes,
/// encoded-words, line ends, 8-bit junk): nothing may trap, and the body text may not depend on chunk edges.
@Suite("Random input")
struct RandomInputTests {
    /// A small linear congruential generator: the same messages on every run.
    struct Generator {
        var state: UInt64
        mutating func next(below bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
    }

    static let headerFragments: [[UInt8]] =
        [
            "Content-Type: multipart/mixed; boundary=b\n", "Content-Type: multipart/alternative; boundary=\"c\"\n",
            "Content-Type: text/plain; charset=shift_jis\n", "Content-Type: text/html; charset=iso-2022-jp\n",
            "Content-Type: message/rfc822\n", "Content-Type: multipart/digest; boundary=b\n",
            "Content-Type: text/plain; charset*=utf-8''%C3%A9\n", "Content-Transfer-Encoding: base64\n",
            "Content-Transfer-Encoding: quoted-printable\n", "Subject: =?utf-8?Q?a=C3?= =?utf-8?B?qQ==?=\n",
            "To: a@b, <@r:c@d>, \"q\"@e, g:;\n", " folded\n", "X: \r\0\n",
        ].map { Array($0.utf8) } + [[0xFF, 0xFE, 0x0A]]

    static let bodyFragments: [[UInt8]] =
        [
            "--b\n", "--b--\n", "--c\n", "--c--\n", "\n", "\n\n", "text ", "=", "=3", "=3D", "=\n", "= \n", "QUJD",
            "Q", "==", "-", "--", "\r\n", "\u{1B}$B", "F|", "\u{1B}(B", "--b\n\n", "--c\n\n",
            "--b\nContent-Type: text/plain; charset=koi8-r\nContent-Transfer-Encoding: quoted-printable\n\n",
            "--b\nContent-Type: multipart/alternative; boundary=c\n\n", "--b\nContent-Type: message/rfc822\n\n",
        ].map { Array($0.utf8) } + headerFragments + [[0x93], [0xFA], [0xC3], [0xA9], [0x00]]

    static func message(seed: UInt64) -> [UInt8] {
        var generator = Generator(state: seed)
        // Every other message is a multipart, so that delimiters have something to end.
        var message = seed % 2 == 0 ? Array("Content-Type: multipart/mixed; boundary=b\n".utf8) : []
        for _ in 0..<generator.next(below: 6) {
            message += headerFragments[generator.next(below: headerFragments.count)]
        }
        message += Array("\n".utf8)
        for _ in 0..<generator.next(below: 80) {
            message += bodyFragments[generator.next(below: bodyFragments.count)]
        }
        return message
    }

    @Test("body text is the same whatever the chunk size, and nothing traps", arguments: 0..<400)
    func chunkIndependence(seed: Int) {
        let message = Self.message(seed: UInt64(seed))
        let whole = bodyText(of: message)
        for size in [1, 2, 3, 5, 8, 13] {
            #expect(bodyText(of: message, chunkSize: size) == whole, "seed \(seed), chunk size \(size)")
        }
        let limited = bodyText(of: message, chunkSize: 3, limits: limits(bodyLimit: 7))
        #expect(limited == Array(whole.prefix(7)), "seed \(seed)")
    }

    @Test("the random messages exercise text parts and multiparts, not only empty bodies")
    func notVacuous() {
        let messages = (0..<400).map { Self.message(seed: UInt64($0)) }
        let withText = messages.filter { !bodyText(of: $0).isEmpty }
        let multipartWithText = withText.filter { $0.starts(with: Array("Content-Type: multipart".utf8)) }
        #expect(withText.count > 100)
        #expect(multipartWithText.count > 10)
    }

    @Test("headers and addresses of random input parse without trapping", arguments: 0..<200)
    func headersAndAddresses(seed: Int) {
        var generator = Generator(state: UInt64(seed) &+ 1000)
        var bytes: [UInt8] = []
        for _ in 0..<generator.next(below: 60) {
            bytes += Self.bodyFragments[generator.next(below: Self.bodyFragments.count)]
            bytes +=
                [
                    [UInt8(ascii: "<")], [UInt8(ascii: "@")], [UInt8(ascii: "(")], [UInt8(ascii: "\"")],
                    [UInt8(ascii: ":")], [UInt8(ascii: ";")], [UInt8(ascii: ",")], [],
                ][generator.next(below: 8)]
        }
        let block = HeaderBlock(parsing: bytes, limits: .standard)
        #expect(block.fields.count <= bytes.count)
        for field in block.fields {
            _ = AddressList.addrSpecs(in: field.rawValue)
            _ = ContentType(parsing: field.rawValue)
        }
        _ = AddressList.addrSpecs(in: bytes)
        _ = EncodedWordDecoder.decode(bytes)
    }
}
