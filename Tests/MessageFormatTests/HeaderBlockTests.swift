import Testing

@testable import MessageFormat

@Suite("Header block")
struct HeaderBlockTests {
    @Test("fields keep their order, names as written, values trimmed")
    func simpleFields() {
        let block = headerBlock("From: a@example.com\nTo:  b@example.com  \nSubject:hello\n\n")
        #expect(block.fields.map(\.name) == ["From", "To", "Subject"])
        #expect(block.fields.map(\.rawValue) == [bytes("a@example.com"), bytes("b@example.com"), bytes("hello")])
        #expect(!block.isTruncated)
    }

    @Test("a folded value is unfolded: the line break goes, the white space stays")
    func unfolding() {
        let block = headerBlock("Subject: one\n two\n\tthree\nX: y\n")
        #expect(block.fields.first?.rawValue == bytes("one two\tthree"))
        #expect(block.fields.count == 2)
    }

    @Test("names match in any case, every occurrence in order")
    func namedLookup() {
        let block = headerBlock("Received: one\nreceived: two\nSubject: s\nRECEIVED: three\n")
        #expect(block.fields(named: "RECEIVED").map(\.decodedValue) == ["one", "two", "three"])
        #expect(block.fields(named: "X-Missing").isEmpty)
    }

    @Test("the unfolded block keeps each line as written, one field per line")
    func unfoldedText() {
        let block = headerBlock("Subject:  two  spaces \n continued\nFrom:x\n\nbody: not a header\n")
        #expect(block.unfoldedText == bytes("Subject:  two  spaces  continued\nFrom:x\n"))
    }

    @Test("parsing stops at the empty line")
    func stopsAtEmptyLine() {
        let block = headerBlock("A: 1\n\nB: 2\n")
        #expect(block.fields.map(\.name) == ["A"])
    }

    @Test("white space before the colon is obsolete syntax and still names the field")
    func obsoleteSpaceBeforeColon() {
        let block = headerBlock("Subject   : hi\n")
        #expect(block.fields.first?.name == "Subject")
        #expect(block.fields.first?.rawValue == bytes("hi"))
    }

    @Test("a line that is not Name: value is kept as a field without a name")
    func lineWithoutColon() {
        let block = headerBlock("From sender Sun Nov 29 03:08:50 2026\nno colon here\nSubject: s\n")
        #expect(block.fields.map(\.name) == ["", "", "Subject"])
        #expect(block.fields.first?.rawValue == bytes("From sender Sun Nov 29 03:08:50 2026"))
        #expect(block.unfoldedText == bytes("From sender Sun Nov 29 03:08:50 2026\nno colon here\nSubject: s\n"))
    }

    @Test("a continuation line at the very start is a field of its own")
    func leadingContinuation() {
        let block = headerBlock("  orphan: line\nSubject: s\n")
        #expect(block.fields.map(\.name) == ["", "Subject"])
        #expect(block.fields.first?.rawValue == bytes("orphan: line"))
        #expect(block.unfoldedText == bytes("  orphan: line\nSubject: s\n"))
    }

    @Test("bare CR and NUL are data")
    func bareCRAndNUL() {
        let block = headerBlock("Subject: a\rb\0c\nX-Null: \0\n")
        #expect(block.fields.first?.rawValue == bytes("a\rb\0c"))
        #expect(block.fields.last?.rawValue == bytes("\0"))
    }

    @Test("CRLF line ends are line ends, also in folding")
    func crlf() {
        let block = headerBlock("Subject: a\r\n b\r\nTo: c\r\n\r\nBody: no\r\n")
        #expect(block.fields.map(\.rawValue) == [bytes("a b"), bytes("c")])
    }

    @Test("8-bit bytes and invalid UTF-8 survive byte for byte, raw and decoded")
    func eightBit() {
        let value = raw(0x63, 0x61, 0x66, 0xE9, 0x20, 0xFF, 0xFE, 0xC3)  // "caf" Latin-1 é, junk, cut-off UTF-8
        let block = HeaderBlock(parsing: bytes("Subject: ") + value + bytes("\n"), limits: .standard)
        #expect(block.fields.first?.rawValue == value)
        #expect(block.fields.first?.decodedBytes == value)
        #expect(block.fields.first?.decodedValue == "caf\u{FFFD} \u{FFFD}\u{FFFD}\u{FFFD}")
    }

    @Test("8-bit bytes in a name make the line nameless")
    func eightBitName() {
        let block = HeaderBlock(parsing: raw(0x58, 0xE9, 0x3A, 0x20, 0x76, 0x0A), limits: .standard)
        #expect(block.fields.first?.name == "")
    }

    @Test("a 1 MB header line is parsed whole")
    func megabyteLine() {
        let long = [UInt8](repeating: UInt8(ascii: "x"), count: 1_000_000)
        let block = HeaderBlock(parsing: bytes("X-Long: ") + long + bytes("\nSubject: after\n\n"), limits: .standard)
        #expect(block.fields.first?.rawValue.count == 1_000_000)
        #expect(block.fields.last?.rawValue == bytes("after"))
        #expect(!block.isTruncated)
    }

    @Test("a header section without a final line end or empty line is fine")
    func noFinalNewline() {
        #expect(headerBlock("Subject: s").fields.first?.rawValue == bytes("s"))
        #expect(headerBlock("").fields.isEmpty)
        #expect(headerBlock("\n").fields.isEmpty)
    }

    @Test("fields past the field limit are not parsed")
    func fieldLimit() {
        var limits = MessageLimits.standard
        limits.maxHeaderFields = 3
        let block = headerBlock((1...5).map { "X-\($0): v\n" }.joined(), limits: limits)
        #expect(block.fields.map(\.name) == ["X-1", "X-2", "X-3"])
        #expect(block.isTruncated)
        let exact = headerBlock((1...3).map { "X-\($0): v\n" }.joined() + "\n", limits: limits)
        #expect(!exact.isTruncated)
    }

    @Test("bytes past the header byte limit are not parsed")
    func byteLimit() {
        var limits = MessageLimits.standard
        limits.maxHeaderBytes = 12
        let block = headerBlock("A: 1\nB: 2\nC: 3\nD: 4\n", limits: limits)
        #expect(block.fields.map(\.name) == ["A", "B", "C"])
        #expect(block.fields.last?.rawValue == bytes(""))
        #expect(block.isTruncated)
    }

    @Test("ten thousand fields parse, the limit's worth")
    func manyFields() {
        let text = String(repeating: "X-Many: value\n", count: 10_000)
        let block = headerBlock(text)
        #expect(block.fields.count == 10_000)
        #expect(!block.isTruncated)
    }

    @Test("a field made by a rule reads as Name: value")
    func madeField() {
        let field = HeaderField(name: "X-Roost", rawValue: bytes("=?utf-8?q?gr=C3=BC=C3=9Fe?="))
        #expect(field.unfoldedLine == bytes("X-Roost: =?utf-8?q?gr=C3=BC=C3=9Fe?="))
        #expect(field.decodedValue == "grüße")
        let block = HeaderBlock(fields: [field])
        #expect(block.unfoldedText == bytes("X-Roost: =?utf-8?q?gr=C3=BC=C3=9Fe?=\n"))
    }

    @Test("the standard limits are those of SPEC §8")
    func standardLimits() {
        let standard = MessageLimits.standard
        #expect(standard.maxHeaderBytes >= 1_048_576 + 65_536)
        #expect(standard.maxHeaderFields == 10_000)
        #expect(standard.maxMIMEDepth == 32)
        #expect(standard.maxMIMEParts == 10_000)
        #expect(standard.bodyLimit == 1 << 20)
        #expect(
            MessageLimits(maxHeaderBytes: -1, maxHeaderFields: -1, maxMIMEDepth: -1, maxMIMEParts: -1, bodyLimit: -1)
                == MessageLimits(maxHeaderBytes: 0, maxHeaderFields: 0, maxMIMEDepth: 0, maxMIMEParts: 0, bodyLimit: 0))
    }
}
