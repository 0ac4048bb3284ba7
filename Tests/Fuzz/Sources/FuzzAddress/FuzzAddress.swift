// libFuzzer harness: the input is the raw value of an address header (README.md lists what is asserted).
import MessageFormat

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = Array(UnsafeBufferPointer(start: data, count: size))

    // The input as it is: no spec holds a line break, each is non-empty, and a second parse agrees.
    let specs = AddressList.addrSpecs(in: input)
    checkSpecs(specs, of: "the input")
    check(AddressList.addrSpecs(in: input) == specs, "addrSpecs(in:) is not deterministic")

    // The same bytes the way the rule engine gets them: as the raw value of a parsed `To:` field (folded lines
    // unfolded, trimmed), where the same must hold.
    let header = HeaderBlock(parsing: Array("To: ".utf8) + input, limits: .standard)
    for field in header.fields {
        let fieldSpecs = AddressList.addrSpecs(in: field.rawValue)
        checkSpecs(fieldSpecs, of: "a To: field")
        check(AddressList.addrSpecs(in: field.rawValue) == fieldSpecs, "addrSpecs(in:) is not deterministic")
    }
    return 0
}

func checkSpecs(_ specs: [String], of source: String) {
    for spec in specs {
        check(!spec.utf8.contains(UInt8(ascii: "\r")), "an addr-spec of \(source) holds a CR: \(spec.debugDescription)")
        check(!spec.utf8.contains(UInt8(ascii: "\n")), "an addr-spec of \(source) holds a LF: \(spec.debugDescription)")
        check(!spec.isEmpty, "an empty addr-spec from \(source)")
    }
}

/// A failed property: a trap libFuzzer reports as a crash, with the reason on stderr.
func check(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String) {
    if !condition() { fatalError("FuzzAddress property failed: \(message())") }
}
