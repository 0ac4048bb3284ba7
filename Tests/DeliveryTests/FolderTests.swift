import Glibc
import MaildirLayout
import RuleEngine
import TestSupport
import Testing

@testable import Delivery

@Suite("Maildir++ folders on disk (SPEC §4, §8)")
struct FolderTests {
    static let sample = message("Subject: folders", "", "body")

    func plan(_ folders: [String], flags: MaildirFlags = []) throws -> DeliveryPlan {
        DeliveryPlan(stores: try folders.map { .init(target: try FolderTarget(parsing: $0), flags: flags) }, disposition: .store)
    }

    @Test("a new folder gets tmp/ new/ cur/ (0700), maildirfolder and a subscriptions line")
    func creation() throws {
        let directory = TemporaryDirectory()
        _ = try deliver(Self.sample, in: directory, plan: try plan(["Rechnungen/März"]))
        let folder = directory.appending("Maildir/.Rechnungen.M&AOQ-rz")
        for sub in ["", "/tmp", "/new", "/cur"] {
            var status = stat()
            #expect(stat(folder + sub, &status) == 0)
            #expect(status.st_mode & 0o777 == 0o700)
        }
        #expect(directory.list("Maildir/.Rechnungen.M&AOQ-rz/new").count == 1)
        #expect(directory.list("Maildir/.Rechnungen.M&AOQ-rz").contains("maildirfolder"))
        #expect(String(decoding: directory.read("Maildir/subscriptions"), as: UTF8.self) == "Rechnungen.M&AOQ-rz\n")
    }

    @Test("copies into several folders are hard links of one file; flags put a copy in cur/")
    func copies() throws {
        let directory = TemporaryDirectory()
        _ = try deliver(Self.sample, in: directory, plan: try plan(["Archive", "INBOX"], flags: [.seen]))
        let archived = directory.list("Maildir/.Archive/cur")
        #expect(archived.count == 1 && archived[0].hasSuffix(",S=\(Self.sample.count):2,S"))
        var status = stat()
        stat(directory.appending("Maildir/cur/") + directory.list("Maildir/cur")[0], &status)
        #expect(status.st_nlink == 2)
        #expect(directory.list("Maildir/tmp").isEmpty)
    }

    @Test("subscriptions keep what was there and follow a version 2 file's format")
    func subscriptionsFormats() throws {
        let directory = TemporaryDirectory()
        _ = try deliver(Self.sample, in: directory)
        directory.write(Array("V\t2\n\nArchive\n".utf8), to: "Maildir/subscriptions")
        _ = try deliver(Self.sample, in: directory, plan: try plan(["Lists/swift"]))
        #expect(String(decoding: directory.read("Maildir/subscriptions"), as: UTF8.self) == "V\t2\n\nArchive\nLists\tswift\n")
        #expect(!directory.list("Maildir").contains("subscriptions.lock"))
    }

    @Test("symlinked tmp/, new/, cur/ or folder directories are refused, never followed",
          arguments: ["Maildir/tmp", "Maildir/new", "Maildir/cur", "Maildir/.Junk"])
    func symlinks(_ link: String) throws {
        let directory = TemporaryDirectory()
        let outside = TemporaryDirectory("roost-outside")
        for sub in ["tmp", "new", "cur"] { mkdir(outside.appending(sub), 0o700) }
        mkdir(directory.appending("Maildir"), 0o700)
        symlink(outside.path, directory.appending(link))
        let target = link.hasSuffix("Junk") ? ["Junk"] : ["INBOX"]
        _ = try? deliver(Self.sample, in: directory, plan: try plan(target))
        for sub in ["tmp", "new", "cur"] { #expect(outside.list(sub).isEmpty) }
    }

    @Test("another Maildir by absolute path is created and used")
    func absoluteMaildir() throws {
        let directory = TemporaryDirectory()
        let other = directory.appending("Shared/")
        _ = try deliver(Self.sample, in: directory, plan: try plan([other]))
        #expect(directory.list("Shared/new").count == 1)
        #expect(directory.list("Maildir/new").isEmpty)
    }
}

@Suite("Edited messages (SPEC §4: stored bytes include the rules' header edits)")
struct RewriteTests {
    @Test("a rewritten spool has the new header and the original body, and its own size")
    func rewrite() throws {
        let directory = TemporaryDirectory()
        let store = try MaildirStore(rootPath: directory.appending("Maildir"), home: nil, system: .live)
        let original = try store.makeSpool()
        let header = message("Subject: old", "", "")
        let body = Array(repeating: UInt8(ascii: "b"), count: 200_000)
        try original.append(header + body)
        try original.seal()
        let newHeader = message("X-Added: yes", "Subject: old", "", "")
        let edited = try store.rewrite(original, header: newHeader, replacingHeaderOf: header.count)
        let stored = try store.store(edited, in: .inbox, flags: [])
        #expect(directory.read("Maildir/\(stored.relativePath)") == newHeader + body)
        #expect(stored.name.hasSuffix(",S=\(newHeader.count + body.count)"))
        edited.remove()
        original.remove()
        #expect(directory.list("Maildir/tmp").isEmpty)
    }
}
