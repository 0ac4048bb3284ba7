import Testing

@testable import MaildirLayout

@Suite("Maildir file names and flags (SPEC §4)")
struct UniqueNameTests {
    let source = UniqueName.Source(
        seconds: 1_732_848_000, microseconds: 42, pid: 4711, counter: 3, random: 0xBEEF, host: "mx1.example.org")

    @Test("names follow <sec>.M<usec>P<pid>Q<n>R<hex>.<host>,S=<size>")
    func format() {
        let name = UniqueName(source)
        #expect(name.base == "1732848000.M42P4711Q3Rbeef.mx1.example.org")
        #expect(name.finalName(size: 5120, flags: []) == "1732848000.M42P4711Q3Rbeef.mx1.example.org,S=5120")
    }

    @Test("/ and : in the host name are written as octal escapes")
    func hostEscapes() {
        var odd = source
        odd.host = "a/b:c"
        #expect(UniqueName(odd).base.hasSuffix(".a\\057b\\072c"))
    }

    @Test("flags are :2, plus letters in ASCII order and send the file to cur/")
    func flags() {
        let all: MaildirFlags = [.seen, .draft, .answered, .flagged]
        #expect(all.infoSuffix == ":2,DFRS")
        #expect(all.subdirectory == "cur")
        #expect(MaildirFlags.seen.infoSuffix == ":2,S")
        #expect(MaildirFlags().infoSuffix == "")
        #expect(MaildirFlags().subdirectory == "new")
        #expect(UniqueName(source).finalName(size: 9, flags: [.seen, .flagged]).hasSuffix(",S=9:2,FS"))
        #expect(MaildirFlags(named: "answered") == .answered)
        #expect(MaildirFlags(named: "deleted") == nil)
    }
}
