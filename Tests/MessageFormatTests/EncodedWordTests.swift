import Testing

@testable import MessageFormat

@Suite("RFC 2047 encoded-words")
struct EncodedWordTests {
    /// RFC 2047 §8, the table of encoded-words next to each other (in a comment, as the RFC shows them).
    @Test(
        "the examples of RFC 2047 §8 decode as the RFC says",
        arguments: [
            ("(=?ISO-8859-1?Q?a?=)", "(a)"),
            ("(=?ISO-8859-1?Q?a?= b)", "(a b)"),
            ("(=?ISO-8859-1?Q?a?= =?ISO-8859-1?Q?b?=)", "(ab)"),
            ("(=?ISO-8859-1?Q?a?=  =?ISO-8859-1?Q?b?=)", "(ab)"),
            ("(=?ISO-8859-1?Q?a?=\n    =?ISO-8859-1?Q?b?=)", "(ab)"),
            ("(=?ISO-8859-1?Q?a_b?=)", "(a b)"),
            ("(=?ISO-8859-1?Q?a?= =?ISO-8859-2?Q?_b?=)", "(a b)"),
        ])
    func rfc2047Table(value: String, expected: String) {
        #expect(decoded("Comments: " + value + "\n") == expected)
    }

    @Test(
        "the header examples of RFC 2047 §8 decode as the RFC says",
        arguments: [
            ("From: =?US-ASCII?Q?Keith_Moore?= <moore@cs.utk.edu>", "Keith Moore <moore@cs.utk.edu>"),
            ("To: =?ISO-8859-1?Q?Keld_J=F8rn_Simonsen?= <keld@dkuug.dk>", "Keld Jørn Simonsen <keld@dkuug.dk>"),
            ("CC: =?ISO-8859-1?Q?Andr=E9?= Pirard <PIRARD@vm1.ulg.ac.be>", "André Pirard <PIRARD@vm1.ulg.ac.be>"),
            (
                "Subject: =?ISO-8859-1?B?SWYgeW91IGNhbiByZWFkIHRoaXMgeW8=?=\n"
                    + "    =?ISO-8859-2?B?dSB1bmRlcnN0YW5kIHRoZSBleGFtcGxlLg==?=",
                "If you can read this you understand the example."
            ),
            ("From: =?ISO-8859-1?Q?Olle_J=E4rlefors?= <ojarlefors@sics.se>", "Olle Järlefors <ojarlefors@sics.se>"),
            (
                "From: Nathaniel Borenstein <nsb@thumper.bellcore.com>\n    (=?iso-8859-8?b?7eXs+SDv4SDp7Oj08A==?=)",
                "Nathaniel Borenstein <nsb@thumper.bellcore.com>    "
                    + "(\u{5DD}\u{5D5}\u{5DC}\u{5E9} \u{5DF}\u{5D1} \u{5D9}\u{5DC}\u{5D8}\u{5E4}\u{5E0})"
            ),
        ])
    func rfc2047Headers(field: String, expected: String) {
        #expect(decoded(field + "\n") == expected)
    }

    @Test(
        "RFC 2231 language tags are accepted and dropped",
        arguments: [
            ("=?US-ASCII*EN?Q?Keith_Moore?=", "Keith Moore"),
            ("=?utf-8*de?Q?Gr=C3=BC=C3=9Fe?=", "Grüße"),
            ("=?utf-8*en-US?B?aGVsbG8=?=", "hello"),
        ])
    func languageTags(value: String, expected: String) {
        #expect(decoded("Subject: " + value) == expected)
    }

    @Test(
        "malformed words and unknown charsets stay as written",
        arguments: [
            "=?utf-8?Q?missing end",
            "=?utf-8?X?unknown encoding?=",
            "=?utf-8?Q?with space?=",
            "=?utf-8?B?not*base64?=",
            "=??Q?no_charset?=",
            "=?x-no-such-charset?Q?abc?=",
            "=?utf-8//TRANSLIT?Q?abc?=",
            "=?utf-8?Q",
            "=?",
            "a = ? b ?= c",
        ])
    func malformedStays(value: String) {
        #expect(decoded("Subject: " + value) == value)
    }

    @Test("in a partly decodable value each decodable word is replaced and the rest stays")
    func partlyDecodable() {
        #expect(
            decoded("Subject: =?x-unknown?Q?a?= =?utf-8?Q?b?= =?utf-8?Q?c?= text =?utf-8?Q?d?=")
                == "=?x-unknown?Q?a?= bc text d")
    }

    @Test("white space between a decoded word and a malformed one stays")
    func spaceBesideMalformed() {
        #expect(decoded("Subject: =?utf-8?Q?a?= =?utf-8?Q?b c?= =?utf-8?Q?d?=") == "a =?utf-8?Q?b c?= d")
    }

    @Test("words are found next to other text, inside quotes and comments")
    func wordsAnywhere() {
        #expect(decoded(#"From: "=?utf-8?Q?J=C3=B6rg?=" <j@example.com>"#) == #""Jörg" <j@example.com>"#)
        #expect(decoded("Subject: Re:=?utf-8?Q?caf=C3=A9?=!") == "Re:café!")
    }

    @Test("a character split across two adjacent words comes out whole")
    func splitCharacter() {
        // "é" is C3 A9; each word holds one byte of it.
        #expect(decoded("Subject: =?utf-8?B?w6=?= =?utf-8?Q?=A9t=C3=A9?=") == "été")
        #expect(decoded("Subject: =?UTF-8?Q?=C3?= =?utf-8?Q?=A9?=") == "é")
    }

    @Test("Q and B are read in either case, padding may be missing")
    func lenientEncodings() {
        #expect(decoded("Subject: =?utf-8?q?a_b?= =?UTF-8?b?Yw?=") == "a bc")
        #expect(decoded("Subject: =?utf-8?Q?100=25_=3f=zz?=") == "100% ?=zz")
    }

    @Test("bytes that are not valid in the charset stay as they are")
    func invalidBytesInWord() {
        let field = headerBlock("Subject: =?utf-8?Q?ok=FF=FEok?= and =?shift_jis?Q?=82?=").fields.first
        #expect(field?.decodedBytes == bytes("ok") + raw(0xFF, 0xFE) + bytes("ok and ") + raw(0x82))
    }

    @Test("8-bit bytes outside the words survive decoding")
    func eightBitOutside() {
        let value = raw(0xE9) + bytes(" =?utf-8?Q?x?= ") + raw(0xFF)
        let block = HeaderBlock(parsing: bytes("Subject: ") + value, limits: .standard)
        #expect(block.fields.first?.decodedBytes == raw(0xE9) + bytes(" x ") + raw(0xFF))
        #expect(block.fields.first?.rawValue == value)
    }

    @Test("a value without words is shared, not copied")
    func noWords() {
        let value = bytes("plain = ? text")
        #expect(EncodedWordDecoder.decode(value) == value)
    }

    @Test("an empty encoded text decodes to nothing")
    func emptyWord() {
        #expect(decoded("Subject: a =?utf-8?Q??= b") == "a  b")
    }

    @Test("twenty thousand words in a row decode, in linear time")
    func manyWords() {
        let value = Array(repeating: "=?utf-8?Q?=C3=A9?=", count: 20_000).joined(separator: " ")
        #expect(decoded("Subject: " + value) == String(repeating: "é", count: 20_000))
        let alternating = Array(repeating: "=?koi8-r?Q?=F0?= =?x-bad?Q?x?= =?iso-8859-2?Q?=B1?=", count: 5_000)
        #expect(decoded("Subject: " + alternating.joined(separator: " ")).hasPrefix("П =?x-bad?Q?x?= ąП"))
    }

    @Test("each run of a stateful charset starts from its initial state")
    func statefulCharsetRuns() {
        // ISO-2022-JP "日本" (ESC $ B F| K\ ESC ( B), twice, apart: one decoder serves both runs.
        let word = "=?iso-2022-jp?B?GyRCRnxLXBsoQg==?="
        #expect(decoded("Subject: \(word) und \(word)") == "日本 und 日本")
    }
}
