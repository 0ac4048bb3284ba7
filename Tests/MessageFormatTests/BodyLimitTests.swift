import Testing

@testable import MessageFormat

@Suite("Body limits and bounded memory")
struct BodyLimitTests {
    /// Nested multiparts, `depth` levels deep, with a text part at the bottom (at MIME depth `depth`).
    func nestedMultipart(depth: Int) -> String {
        var message = "Content-Type: multipart/mixed; boundary=b0\n\n"
        for level in 0..<(depth - 1) {
            message += "--b\(level)\nContent-Type: multipart/mixed; boundary=b\(level + 1)\n\n"
        }
        message += "--b\(depth - 1)\n\ndeep text\n"
        for level in (0..<depth).reversed() { message += "--b\(level)--\n" }
        return message
    }

    /// Messages forwarded inside each other, `depth` levels deep, the text at MIME depth `depth`.
    func nestedMessages(depth: Int) -> String {
        String(repeating: "Content-Type: message/rfc822\n\n", count: depth) + "\ndeep text"
    }

    @Test("the body text stops at bodyLimit, and then no more input is needed")
    func bodyLimit() {
        var collector = BodyTextCollector(header: headerBlock(""), limits: limits(bodyLimit: 10))
        collector.consume(bytes("0123456789abcdef"))
        #expect(!collector.needsMoreInput)
        collector.consume(bytes("more"))
        #expect(collector.finish() == bytes("0123456789"))
    }

    @Test("bodyLimit counts decoded bytes and part separators", arguments: [0, 1, 3, 4, 5, 8, 100])
    func limitAcrossParts(limit: Int) {
        let message =
            "Content-Type: multipart/mixed; boundary=b\n\n--b\n\nabc\n"
            + "--b\nContent-Transfer-Encoding: base64\n\nZGVm\n--b--\n"
        let whole = Array("abc\ndef".utf8)
        #expect(bodyText(of: bytes(message), limits: limits(bodyLimit: limit)) == Array(whole.prefix(limit)))
    }

    @Test("text deeper than maxMIMEDepth is not looked at", arguments: [1, 2, 3, 4, 5])
    func depthLimit(depth: Int) {
        var limits = MessageLimits.standard
        limits.maxMIMEDepth = 3
        let expected = depth <= 3 ? "deep text" : ""
        #expect(bodyString(of: nestedMultipart(depth: depth), limits: limits) == expected)
        #expect(bodyString(of: nestedMessages(depth: depth), limits: limits) == expected)
    }

    @Test("absurd nesting ends at the standard depth limit")
    func absurdNesting() {
        #expect(bodyString(of: nestedMultipart(depth: 32)) == "deep text")
        #expect(bodyString(of: nestedMultipart(depth: 33)) == "")
        #expect(bodyString(of: nestedMultipart(depth: 2000)) == "")
        #expect(bodyString(of: nestedMessages(depth: 2000)) == "")
    }

    @Test("parts past maxMIMEParts are not looked at")
    func partLimit() {
        var limits = MessageLimits.standard
        limits.maxMIMEParts = 3
        let parts = (1...5).map { "--b\n\npart \($0)\n" }.joined()
        let message = "Content-Type: multipart/mixed; boundary=b\n\n" + parts + "--b--\n"
        #expect(bodyString(of: message, limits: limits) == "part 1\npart 2\npart 3")
    }

    @Test("ten thousand parts are read, the limit's worth")
    func manyParts() {
        let parts = String(repeating: "--b\nContent-Type: image/gif\n\nGIF\n", count: 9_999)
        let message = "Content-Type: multipart/mixed; boundary=b\n\n" + parts + "--b\n\nlast\n--b--\n"
        #expect(bodyString(of: message) == "last")
    }

    @Test("a part header past maxHeaderBytes is cut, not kept")
    func hugePartHeader() {
        var limits = MessageLimits.standard
        limits.maxHeaderBytes = 1000
        var collector = BodyTextCollector(
            header: headerBlock("Content-Type: multipart/mixed; boundary=b\n"), limits: limits)
        collector.consume(bytes("--b\nContent-Type: text/plain\nX-Big: "))
        let piece = [UInt8](repeating: UInt8(ascii: "h"), count: 1 << 16)
        for _ in 0..<64 { collector.consume(piece) }
        #expect(collector.workingCapacity < 8 * 1024)
        collector.consume(bytes("\n\ntext\n--b--\n"))
        #expect(collector.finish() == bytes("text"))
    }

    @Test("a 50 MB line without a line end is not accumulated", arguments: ["image/png", "text/plain"])
    func hugeLine(type: String) {
        var collector = BodyTextCollector(
            header: headerBlock("Content-Type: multipart/mixed; boundary=b\n"), limits: .standard)
        collector.consume(bytes("--b\nContent-Type: \(type)\n\n"))
        let piece = [UInt8](repeating: UInt8(ascii: "-"), count: 1 << 20)
        for _ in 0..<50 {
            collector.consume(piece)
            #expect(collector.workingCapacity < 256 * 1024)
        }
        collector.consume(bytes("\n--b\n\nafter\n--b--\n"))
        let text = collector.finish()
        #expect(text.count == (type == "image/png" ? 5 : MessageLimits.standard.bodyLimit))
    }

    @Test("a 20 MB base64 attachment is skipped in bounded memory, and the text after it is found")
    func bigAttachment() {
        var collector = BodyTextCollector(
            header: headerBlock("Content-Type: multipart/mixed; boundary=\"=_big\"\n"), limits: .standard)
        collector.consume(bytes("--=_big\nContent-Type: text/plain\n\nbefore\n--=_big\n"))
        collector.consume(bytes("Content-Type: application/octet-stream\nContent-Transfer-Encoding: base64\n\n"))
        let line = bytes(String(repeating: "QUJD", count: 19) + "\n")  // 77 bytes, as MIME writes base64
        let chunk = Array(Array(repeating: line, count: 851).joined())  // about 64 KiB
        var fed = 0
        var largest = 0
        while fed < 20 << 20 {
            collector.consume(chunk)
            fed += chunk.count
            largest = max(largest, collector.workingCapacity)
        }
        collector.consume(
            bytes("--=_big\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: base64\n\n"))
        collector.consume(bytes(base64Lines(bytes("after the attachment")) + "--=_big--\n"))
        #expect(collector.finish() == bytes("before\nafter the attachment"))
        #expect(largest < 64 * 1024)
    }

    @Test("a 20 MB base64 text part stops at bodyLimit and needs no more input")
    func bigTextPart() {
        var collector = BodyTextCollector(
            header: headerBlock("Content-Type: text/plain\nContent-Transfer-Encoding: base64\n"), limits: .standard)
        let chunk = bytes(base64Lines([UInt8](repeating: UInt8(ascii: "z"), count: 48 * 1024)))
        var fed = 0
        while collector.needsMoreInput && fed < 20 << 20 {
            collector.consume(chunk)
            fed += chunk.count
            #expect(collector.workingCapacity < 256 * 1024)
        }
        #expect(fed < 2 << 20)
        let text = collector.finish()
        #expect(text.count == MessageLimits.standard.bodyLimit)
        #expect(text.allSatisfy { $0 == UInt8(ascii: "z") })
    }

    @Test(
        "chunk edges inside base64 quanta, QP escapes, characters and boundary lines do not matter",
        arguments: [1, 2, 3, 4, 5, 6, 7, 11, 4096])
    func chunkEdges(size: Int) {
        let message = """
            Content-Type: multipart/mixed; boundary="--==edge==--"

            ----==edge==--
            Content-Type: text/plain; charset=shift_jis
            Content-Transfer-Encoding: quoted-printable

            =93=FA=96=7B=8C=EA and soft=
             break
            ----==edge==--
            Content-Type: text/plain; charset=iso-2022-jp
            Content-Transfer-Encoding: base64

            GyRCRnxLXDhsGyhC
            ----==edge==----
            """
        #expect(bodyString(of: message, chunkSize: size) == "日本語 and soft break\n日本語")
    }
}
