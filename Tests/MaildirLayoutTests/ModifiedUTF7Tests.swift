import Testing

@testable import MaildirLayout

@Suite("IMAP modified UTF-7 (RFC 3501 §5.1.3)")
struct ModifiedUTF7Tests {
    @Test(
        "encodes as RFC 3501, Dovecot and Courier do",
        arguments: [
            ("März", "M&AOQ-rz"),
            ("~peter/mail/台北/日本語", "~peter/mail/&U,BTFw-/&ZeVnLIqe-"),
            ("Entwürfe", "Entw&APw-rfe"),
            ("&", "&-"),
            ("A&B", "A&-B"),
            ("plain ASCII", "plain ASCII"),
            ("日本語", "&ZeVnLIqe-"),
            ("😀", "&2D3eAA-"),
            ("", ""),
        ])
    func encodes(_ text: String, _ encoded: String) {
        #expect(ModifiedUTF7.encode(text) == encoded)
        #expect(ModifiedUTF7.decode(encoded) == text)
    }

    @Test("round-trips every kind of text", arguments: ["Rechnungen", "a&b&&c", "Ωmega", "x\u{7F}y", "tab\there", "€ & ¥"])
    func roundTrips(_ text: String) {
        #expect(ModifiedUTF7.decode(ModifiedUTF7.encode(text)) == text)
    }

    @Test("rejects what is not modified UTF-7", arguments: ["&", "&U,BTFw", "&!!-", "é"])
    func rejects(_ encoded: String) {
        #expect(ModifiedUTF7.decode(encoded) == nil)
    }
}
