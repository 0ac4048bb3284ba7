import Testing

@testable import MessageFormat

@Suite("Address lists")
struct AddressListTests {
    /// The address fields of RFC 5322 Appendix A, with the addr-specs each holds.
    @Test(
        "the examples of RFC 5322 Appendix A give their addr-specs",
        arguments: [
            // A.1.1 addressing
            ("John Doe <jdoe@machine.example>", ["jdoe@machine.example"]),
            ("Michael Jones <mjones@machine.example>", ["mjones@machine.example"]),
            ("Mary Smith <mary@example.net>", ["mary@example.net"]),
            // A.1.2 different types of mailboxes
            (#""Joe Q. Public" <john.q.public@example.com>"#, ["john.q.public@example.com"]),
            (
                "Mary Smith <mary@x.test>, jdoe@example.org, Who? <one@y.test>",
                ["mary@x.test", "jdoe@example.org", "one@y.test"]
            ),
            (
                #"<boss@nil.test>, "Giant; \"Big\" Box" <sysservices@example.net>"#,
                ["boss@nil.test", "sysservices@example.net"]
            ),
            // A.1.3 group addresses
            (
                "A Group:Ed Jones <c@a.test>,joe@where.test,John <jdoe@one.test>;",
                ["c@a.test", "joe@where.test", "jdoe@one.test"]
            ),
            ("Undisclosed recipients:;", []),
            // A.2 reply messages
            (#""Mary Smith: Personal Account" <smith@home.example>"#, ["smith@home.example"]),
            // A.3 resent messages
            ("Jane Brown <j-brown@other.example>", ["j-brown@other.example"]),
            // A.5 white space, comments, and other oddities
            (#"Pete(A nice \) chap) <pete(his account)@silly.test(his host)>"#, ["pete@silly.test"]),
            (
                "A Group(Some people)\n     :Chris Jones <c@(Chris's host.)public.example>,\n"
                    + "         joe@example.org,\n  John <jdoe@one.test> (my dear friend); (the end of the group)",
                ["c@public.example", "joe@example.org", "jdoe@one.test"]
            ),
            ("(Empty list)(start)Hidden recipients  :(nobody(that I know))  ;", []),
            // A.6.1 obsolete addressing
            ("Joe Q. Public <john.q.public@example.com>", ["john.q.public@example.com"]),
            (
                "Mary Smith <@node.test:mary@example.net>, , jdoe@test  . example",
                ["mary@example.net", "jdoe@test.example"]
            ),
            // A.6.3 obsolete white space and comments
            ("John Doe <jdoe@machine(comment).  example>", ["jdoe@machine.example"]),
            ("Mary Smith\n  \n          <mary@example.net>", ["mary@example.net"]),
        ])
    func rfc5322AppendixA(value: String, expected: [String]) {
        let field = headerBlock("To: " + value + "\n").fields.first
        #expect(AddressList.addrSpecs(in: field?.rawValue ?? []) == expected)
    }

    @Test(
        "odd but real address lists",
        arguments: [
            (#""john doe"@example.com"#, [#""john doe"@example.com"#]),
            (#"Name <"odd\"local"@Example.COM>"#, [#""odd\"local"@Example.COM"#]),
            ("user@[192.168.0.1]", ["user@[192.168.0.1]"]),
            ("<@route1,@route2:user@host>", ["user@host"]),
            ("Someone <@a.example,,@b.example:user@host.example>, other@x", ["user@host.example", "other@x"]),
            ("root", ["root"]),
            ("<root>", ["root"]),
            ("Mary Smith", []),
            ("<>", []),
            ("", []),
            ("undisclosed-recipients:;", []),
            ("team: a@x, b@y;, c@z", ["a@x", "b@y", "c@z"]),
            ("a@x b@y", ["a@x", "b@y"]),
            ("John <john@x, Mary <mary@y>", ["john@x", "mary@y"]),
            ("A <a@x> B <b@y>", ["a@x", "b@y"]),
            ("=?utf-8?Q?J=C3=B6rg?= <joerg@example.com>", ["joerg@example.com"]),
            ("\"unterminated <x@y>", []),
            ("(unterminated comment a@b", []),
            ("a@b@c", ["a@b"]),
            ("user@", ["user@"]),
            ("@only", []),
            (",,,;;;:::<<<>>>", []),
            ("Café Owner <café@bücher.example>", ["café@bücher.example"]),
            ("UPPER.Case@Example.ORG", ["UPPER.Case@Example.ORG"]),
            ("a.b.c@d.e.f (comment) , g@h", ["a.b.c@d.e.f", "g@h"]),
        ])
    func oddLists(value: String, expected: [String]) {
        #expect(AddressList.addrSpecs(in: bytes(value)) == expected)
    }

    @Test("invalid UTF-8 in an address is repaired, never a crash")
    func invalidUTF8() {
        #expect(AddressList.addrSpecs(in: raw(0x61, 0xFF, 0x40, 0x62)) == ["a\u{FFFD}@b"])
    }

    @Test("a huge address list is read in linear time")
    func hugeList() {
        let list = Array(repeating: "Name <user@example.com>", count: 20_000).joined(separator: ", ")
        #expect(AddressList.addrSpecs(in: bytes(list)).count == 20_000)
        let dots = bytes(String(repeating: "a.", count: 200_000) + "a@b")
        #expect(AddressList.addrSpecs(in: dots).first?.count == 400_003)
    }
}
