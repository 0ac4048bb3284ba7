import Testing

@testable import Delivery

@Suite("Log lines are logfmt in a fixed order (SPEC §7)")
struct LogRecordTests {
    @Test("keys come in SPEC order and values are quoted only when needed")
    func order() {
        var record = LogRecord()
        record["folder"] = "Lists/swift"
        record["msgid"] = "<a1@x>"
        record["from"] = "<alice@example.com>"
        record["size"] = "5120"
        record["action"] = "deliver"
        record["reason"] = "two words"
        #expect(record.line == "msgid=<a1@x> from=<alice@example.com> size=5120 action=deliver folder=Lists/swift reason=\"two words\"")
    }

    @Test("a hostile Message-ID cannot break the line or inject keys")
    func hostile() {
        var record = LogRecord()
        record["msgid"] = "<x>\nstatus=sent \"quoted\"\u{7F}" + String(repeating: "y", count: 1000)
        let line = record.line
        #expect(!line.contains("\n"))
        #expect(line.hasPrefix("msgid=\"<x>\\x0astatus=sent \\\"quoted\\\"\\x7f"))
        #expect(line.count < 300)
    }

    @Test("plain values pass unchanged, empty ones are quoted, long ones are cut at 256 characters")
    func plainValues() {
        #expect(LogRecord.quote("Rechnungen/März") == "Rechnungen/März")
        #expect(LogRecord.quote("") == "\"\"")
        let accented = String(repeating: "ä", count: 200)  // 400 bytes, 200 characters: not cut
        #expect(LogRecord.quote(accented) == accented)
        #expect(LogRecord.quote(String(repeating: "y", count: 300)) == String(repeating: "y", count: 256) + "...")
        #expect(LogRecord.quote(String(repeating: "y", count: 256)) == String(repeating: "y", count: 256))
    }

    @Test("file lines carry an RFC 3339 UTC stamp")
    func timestamp() {
        #expect(DeliveryLog.timestamp(1_732_848_000) == "2024-11-29T02:40:00Z")
    }
}
