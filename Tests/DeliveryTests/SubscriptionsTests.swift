import Dispatch
import Glibc
import MaildirLayout
import TestSupport
import Testing

@testable import Delivery

@Suite("The subscriptions file under concurrent updates (SPEC §4)")
struct SubscriptionsTests {
    @Test("8 writers adding 25 folders each lose no update and leave no lock")
    func concurrentUpdates() throws {
        let directory = TemporaryDirectory()
        let root = directory.path
        DispatchQueue.concurrentPerform(iterations: 8) { writer in
            let fd = open(root, O_RDONLY | O_DIRECTORY)
            defer { close(fd) }
            for index in 0..<25 {
                let name = try? FolderName(parsing: "Writer\(writer)/Folder\(index)")
                if let name { try? Subscriptions(system: .live).subscribe(name, root: fd) }
            }
        }
        let lines = String(decoding: directory.read("subscriptions"), as: UTF8.self).split(separator: "\n")
        #expect(lines.count == 200)
        #expect(Set(lines).count == 200)
        #expect(!directory.list("").contains("subscriptions.lock"))
    }

    @Test("a stale lock left by a crashed writer is broken; a fresh one is waited for")
    func staleLock() throws {
        let directory = TemporaryDirectory()
        directory.write([], to: "subscriptions.lock")
        var old = [timespec(tv_sec: 1_000_000, tv_nsec: 0), timespec(tv_sec: 1_000_000, tv_nsec: 0)]
        utimensat(AT_FDCWD, directory.appending("subscriptions.lock"), &old, 0)
        let fd = open(directory.path, O_RDONLY | O_DIRECTORY)
        defer { close(fd) }
        try Subscriptions(system: .live).subscribe(try FolderName(parsing: "Junk"), root: fd)
        #expect(directory.read("subscriptions") == Array("Junk\n".utf8))
    }

    @Test("a name already listed is not added twice")
    func idempotent() throws {
        let directory = TemporaryDirectory()
        let fd = open(directory.path, O_RDONLY | O_DIRECTORY)
        defer { close(fd) }
        for _ in 0..<3 { try Subscriptions(system: .live).subscribe(try FolderName(parsing: "Lists/swift"), root: fd) }
        #expect(directory.read("subscriptions") == Array("Lists.swift\n".utf8))
    }
}
