import Testing

@testable import MaildirLayout

@Suite("Folder names and Maildir++ directories (SPEC §4)")
struct FolderNameTests {
    @Test("INBOX in any case is the root", arguments: ["INBOX", "inbox", "Inbox", "iNbOx"])
    func inbox(_ text: String) throws {
        let name = try FolderName(parsing: text)
        #expect(name.isInbox)
        #expect(name.directoryName == nil)
        #expect(name.description == "INBOX")
    }

    @Test(
        "levels map to Maildir++ directories in modified UTF-7",
        arguments: [
            ("Lists/swift", ".Lists.swift"),
            ("Rechnungen/März", ".Rechnungen.M&AOQ-rz"),
            ("Junk", ".Junk"),
            ("INBOX/Sub", ".INBOX.Sub"),
            ("Tom & Jerry", ".Tom &- Jerry"),
        ])
    func directories(_ text: String, _ directory: String) throws {
        #expect(try FolderName(parsing: text).directoryName == directory)
    }

    @Test(
        "names that cannot exist are refused",
        arguments: [
            ("", FolderNameError.emptyLevel), ("a//b", .emptyLevel), ("/abs", .emptyLevel), ("trail/", .emptyLevel),
            ("..", .dotLevel("..")), ("a/../b", .dotLevel("..")), (".", .dotLevel(".")),
            ("a\u{1}b", .controlCharacter("a\u{1}b")), ("tab\there", .controlCharacter("tab\there")),
            ("del\u{7F}", .controlCharacter("del\u{7F}")), ("c1\u{85}", .controlCharacter("c1\u{85}")),
            ("swift.org", .containsDot("swift.org")), (".hidden", .containsDot(".hidden")),
        ])
    func refused(_ text: String, _ error: FolderNameError) {
        #expect(throws: error) { try FolderName(parsing: text) }
    }

    @Test("a level longer than 255 bytes once encoded is refused, one at the limit is not")
    func levelLength() throws {
        #expect(throws: FolderNameError.tooLong(String(repeating: "x", count: 256))) {
            try FolderName(parsing: String(repeating: "x", count: 256))
        }
        #expect(try FolderName(parsing: String(repeating: "x", count: 255)).levels.count == 1)
        // 80 × "ä" is 160 bytes of UTF-8 but 219 of modified UTF-7; 100 × "ä" goes past 255.
        #expect(throws: FolderNameError.self) { try FolderName(parsing: String(repeating: "ä", count: 100)) }
    }

    @Test("targets: a leading / or ~/ names another Maildir, anything else a folder")
    func targets() throws {
        #expect(try FolderTarget(parsing: "/srv/mail/shared/") == .maildir(path: "/srv/mail/shared/"))
        #expect(try FolderTarget(parsing: "~/OtherMaildir/") == .maildir(path: "~/OtherMaildir/"))
        #expect(try FolderTarget(parsing: "Lists/x") == .folder(try FolderName(parsing: "Lists/x")))
        #expect(try FolderTarget(parsing: "inbox") == .inbox)
    }
}
