import Glibc
import TestSupport
import Testing

@testable import Delivery

@Suite("Rule files are used only when safe (SPEC §3, §5.6)")
struct RuleFileReaderTests {
    let reader = RuleFileReader(system: .live, user: getuid())

    @Test("a private file of the user is read")
    func safe() throws {
        let directory = TemporaryDirectory()
        let path = directory.write(Array("deliver \"Junk\"\n".utf8), to: "roostrc")
        chmod(path, 0o644)
        #expect(try reader.read(path) == Array("deliver \"Junk\"\n".utf8))
    }

    @Test("group- or world-writable files are ignored", arguments: [0o664, 0o646, 0o666])
    func writable(_ mode: Int) {
        let directory = TemporaryDirectory()
        let path = directory.write([], to: "roostrc")
        chmod(path, mode_t(mode))
        #expect(throws: RuleFileProblem.writableByOthers(S_IFREG | mode_t(mode))) { try reader.read(path) }
    }

    @Test("a file owned by another user is ignored", .enabled(if: getuid() == 0))
    func foreign() {
        let directory = TemporaryDirectory()
        let path = directory.write([], to: "roostrc")
        let other = RuleFileReader(system: .live, user: 4242)
        chown(path, 4343, 4343)
        #expect(throws: RuleFileProblem.foreignOwner(4343)) { try other.read(path) }
    }

    @Test("missing files, directories and FIFOs are told apart")
    func kinds() {
        let directory = TemporaryDirectory()
        #expect(throws: RuleFileProblem.missing) { try reader.read(directory.appending("none")) }
        #expect(throws: RuleFileProblem.notRegularFile) { try reader.read(directory.path) }
        mkfifo(directory.appending("fifo"), 0o600)
        #expect(throws: RuleFileProblem.notRegularFile) { try reader.read(directory.appending("fifo")) }
    }
}
