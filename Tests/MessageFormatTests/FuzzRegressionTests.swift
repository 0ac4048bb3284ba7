import Testing

@testable import MessageFormat

/// Inputs the libFuzzer harnesses of `Tests/Fuzz` found (each also in `Tests/Fuzz/FailCases/<target>/`), checked
/// for the property that failed.
@Suite("Fuzz regressions")
struct FuzzRegressionTests {
    /// FuzzAddress, `FailCases/FuzzAddress/minimized-9fd05025cbb2`: an unclosed quoted domain ran past a line
    /// feed, and the addr-spec kept it.
    @Test("an unclosed quoted string running past a line feed gives an addr-spec without the line feed")
    func unclosedQuoteOverLineFeed() {
        let input: [UInt8] = [0xFF, 0x40, 0x22, 0x0A]  // \xFF@"\n
        let specs = AddressList.addrSpecs(in: input)
        #expect(specs == ["\u{FFFD}@\""])
        #expect(specs.allSatisfy { !$0.utf8.contains(0x0A) && !$0.utf8.contains(0x0D) })
    }

    /// The same through a header field: a bare CR survives unfolding and sat inside the quoted local part
    /// (`Tests/Fuzz/Corpus/FuzzAddress/ctl-bytes` holds it).
    @Test("a bare CR inside a quoted local part or domain literal of a To: field is not part of the addr-spec")
    func bareCarriageReturnInQuotes() {
        let input: [UInt8] = Array("To: \"x\ry\"@z, a@[1.2\r.3.4], \"p\r\n q\"@r\n".utf8)
        let field = HeaderBlock(parsing: input, limits: .standard).fields.first
        #expect(AddressList.addrSpecs(in: field?.rawValue ?? []) == ["\"xy\"@z", "a@[1.2.3.4]", "\"p q\"@r"])
    }
}
