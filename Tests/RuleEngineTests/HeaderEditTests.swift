import RuleEngine
import TestSupport
import Testing

@Suite("Header edits on the stored message")
struct HeaderEditTests {
    let header = message("Received: from a", "\tby b", "Subject: hi", "X-Spam: yes", "x-spam: again", " folded", "", "")

    @Test("add prepends; remove drops every field of the name with its continuation lines")
    func edits() {
        let edited = HeaderEdit.apply([.add(name: "X-Checked", value: Array("ok".utf8)), .remove(name: "X-SPAM")], to: header)
        #expect(edited == message("X-Checked: ok", "Received: from a", "\tby b", "Subject: hi", "", ""))
    }

    @Test("a header without its empty line (a message without a body) stays without one")
    func noSeparator() {
        let edited = HeaderEdit.apply([.add(name: "A", value: Array("1".utf8))], to: message("B: 2", ""))
        #expect(edited == message("A: 1", "B: 2", ""))
    }

    @Test("remove after add removes the added field too; no edits changes nothing")
    func order() {
        #expect(HeaderEdit.apply([.add(name: "X", value: [49]), .remove(name: "x")], to: header) == header)
        #expect(HeaderEdit.apply([], to: header) == header)
    }
}
