import Testing

@testable import MaildirLayout

@Suite("Values interpolated into folder names stay one level inside the Maildir (SPEC §5.4)")
struct InterpolatedLevelTests {
    static let hostile = [
        "../../etc", "a/b", ".hidden", "..", ".", "/", "/etc/passwd", "x\u{0}y", "tab\tand\nnewline", "\u{1B}[31m",
        "dots...", "\u{85}c1", "\u{7F}", String(repeating: "A", count: 4096), "~root", "a/../../b", "..\u{0}..",
    ]

    @Test("no hostile value makes more than one level, a dot level, or a control character", arguments: hostile)
    func staysOneLevel(_ value: String) {
        let level = InterpolatedLevel.sanitize(value)
        #expect(!level.contains("/"))
        #expect(!level.contains("."))
        #expect(!level.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) })
        guard let name = try? FolderName(levels: ["Lists", level]) else { return }  // refused: default folder
        #expect(name.levels.count == 2)
        #expect(name.directoryName?.hasPrefix(".Lists.") == true)
        #expect(name.directoryName?.dropFirst().contains("/") == false)
    }

    @Test("slashes and dots become underscores, control characters vanish")
    func mapping() {
        #expect(InterpolatedLevel.sanitize("../../etc") == "______etc")
        #expect(InterpolatedLevel.sanitize("swift.org/users") == "swift_org_users")
        #expect(InterpolatedLevel.sanitize("a\tb\u{1}c") == "abc")
    }

    @Test("an empty or overlong result is refused, so the message goes to the default folder")
    func refusedResults() {
        #expect(throws: FolderNameError.emptyLevel) { try FolderName(levels: [InterpolatedLevel.sanitize("\u{1}\u{2}")]) }
        #expect(throws: FolderNameError.self) {
            try FolderName(levels: [InterpolatedLevel.sanitize(String(repeating: "A", count: 4096))])
        }
    }
}
