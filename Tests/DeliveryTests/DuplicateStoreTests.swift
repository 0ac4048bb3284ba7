import Foundation
import Glibc
import SystemPackage
import TestSupport
import Testing

@testable import Delivery

/// A clock the test moves by hand.
final class ManualClock {
    var seconds = 1_732_848_000
}

@Suite("DuplicateStore: Message-IDs delivered within duplicatedays (SPEC §5.2, issue 6 item 3)")
struct DuplicateStoreTests {
    static let day = 86_400

    /// A store in a fresh directory, on a clock the test controls.
    static func store(in directory: TemporaryDirectory, clock: ManualClock = ManualClock()) -> DuplicateStore {
        var system = System.live
        system.now = { (clock.seconds, 0) }
        return DuplicateStore(path: directory.appending(".roost/duplicates"), system: system)
    }

    static func id(_ text: String) -> [UInt8] { Array(text.utf8) }

    @Test("SipHash-2-4 gives the reference vectors (key 00…0f, message 00…n-1)")
    func sipHashVectors() {
        let hash = SipHash(key: (0x0706_0504_0302_0100, 0x0f0e_0d0c_0b0a_0908))
        let expected: [Int: UInt64] = [
            0: 0x726f_db47_dd0e_0e31, 8: 0x93f5_f579_9a93_2462, 15: 0xa129_ca61_49be_45e5, 63: 0x958a_324c_eb06_4572,
        ]
        for (length, value) in expected {
            #expect(hash.hash((0..<length).map { UInt8($0) }) == value, "length \(length)")
        }
    }

    @Test("a recorded ID is contained, another is not; the file holds hashes, not IDs, and is private")
    func roundTrip() throws {
        let directory = TemporaryDirectory()
        let store = Self.store(in: directory)
        #expect(try !store.contains(Self.id("<a1@example.org>"), withinDays: 7))
        #expect(directory.list(".roost").isEmpty, "a lookup creates nothing")
        try store.record(Self.id("<a1@example.org>"))
        #expect(try store.contains(Self.id("<a1@example.org>"), withinDays: 7))
        #expect(try !store.contains(Self.id("<a2@example.org>"), withinDays: 7))
        let content = String(decoding: directory.read(".roost/duplicates"), as: UTF8.self)
        #expect(!content.contains("example.org") && content.split(separator: "\n").count == 2)
        #expect(try mode(of: directory.appending(".roost")) == 0o700)
        #expect(try mode(of: directory.appending(".roost/duplicates")) == 0o600)
        #expect(directory.list(".roost") == ["duplicates", "duplicates.lock"])
    }

    @Test("entries older than the days asked for do not count, and recording prunes them")
    func expiry() throws {
        let directory = TemporaryDirectory()
        let clock = ManualClock()
        let store = Self.store(in: directory, clock: clock)
        try store.record(Self.id("old"))
        clock.seconds += 6 * Self.day
        #expect(try store.contains(Self.id("old"), withinDays: 7))
        #expect(try !store.contains(Self.id("old"), withinDays: 5))
        #expect(try !store.contains(Self.id("old"), withinDays: 0))
        clock.seconds += 2 * Self.day
        #expect(try !store.contains(Self.id("old"), withinDays: 7))
        #expect(try store.contains(Self.id("old"), withinDays: Int.max), "a huge duplicatedays cannot overflow")
        try store.record(Self.id("new"), keepingDays: 7)
        let table = try #require(DuplicateTable(parsing: directory.read(".roost/duplicates")))
        #expect(table.entries.count == 1 && table.contains(Self.id("new"), since: 0))
    }

    @Test("recording an ID again moves it to now instead of adding a second entry")
    func rerecord() throws {
        let directory = TemporaryDirectory()
        let clock = ManualClock()
        let store = Self.store(in: directory, clock: clock)
        try store.record(Self.id("x"))
        clock.seconds += 6 * Self.day
        try store.record(Self.id("x"))
        clock.seconds += 6 * Self.day
        #expect(try store.contains(Self.id("x"), withinDays: 7))
        #expect(DuplicateTable(parsing: directory.read(".roost/duplicates"))?.entries.count == 1)
    }

    @Test("8 concurrent writers × 50 IDs: all 400 are there (flock serialises the rewrites)")
    func concurrentWriters() throws {
        let directory = TemporaryDirectory()
        let path = directory.appending(".roost/duplicates")
        let group = DispatchGroup()
        for writer in 0..<8 {
            group.enter()
            // Threads, each with its own store and descriptors: flock locks conflict between open file
            // descriptions even inside one process, as between the processes of parallel deliveries.
            let thread = Thread {
                let store = DuplicateStore(path: path, system: .live)
                for index in 0..<50 { try? store.record(Array("<\(writer).\(index)@example.org>".utf8)) }
                group.leave()
            }
            thread.start()
        }
        group.wait()
        let store = DuplicateStore(path: path, system: .live)
        var missing: [String] = []
        for writer in 0..<8 {
            for index in 0..<50 {
                let found = try store.contains(Array("<\(writer).\(index)@example.org>".utf8), withinDays: 7)
                if !found { missing.append("\(writer).\(index)") }
            }
        }
        #expect(missing.isEmpty)
        #expect(DuplicateTable(parsing: directory.read(".roost/duplicates"))?.entries.count == 400)
        #expect(!directory.list(".roost").contains("duplicates.new"))
    }

    @Test("a damaged store counts as empty and the next record rewrites it", arguments: Damage.allCases)
    func damaged(_ damage: Damage) throws {
        let directory = TemporaryDirectory()
        let store = Self.store(in: directory)
        try store.record(Self.id("kept"))
        let good = directory.read(".roost/duplicates")
        directory.write(damage.apply(to: good), to: ".roost/duplicates")
        #expect(try store.contains(Self.id("kept"), withinDays: 7) == damage.keepsEntries)
        try store.record(Self.id("after"))
        #expect(try store.contains(Self.id("after"), withinDays: 7))
        #expect(DuplicateTable(parsing: directory.read(".roost/duplicates")) != nil)
    }

    /// Ways a store file can be found after a crash, a bad disk, or a stranger's hand.
    enum Damage: CaseIterable {
        case randomBytes, empty, tornFirstLine, tornLastLine, garbageLine, oversized

        func apply(to good: [UInt8]) -> [UInt8] {
            switch self {
            case .randomBytes: (0..<4096).map { _ in UInt8.random(in: 0...255) }
            case .empty: []
            case .tornFirstLine: Array(good.prefix(20))
            case .tornLastLine: good + Array("0123456789abcdef 17328".utf8)
            case .garbageLine: good + Array("not an entry\n\u{0}\u{ff}\n".utf8)
            case .oversized: good + [UInt8](repeating: UInt8(ascii: "\n"), count: DuplicateStore.maximumFileSize)
            }
        }

        /// Whether the entry written before the damage is still found.
        var keepsEntries: Bool { self == .tornLastLine || self == .garbageLine }
    }

    @Test("a .new file left by a crash mid-update changes nothing and is overwritten")
    func crashLeftover() throws {
        let directory = TemporaryDirectory()
        let store = Self.store(in: directory)
        try store.record(Self.id("before"))
        directory.write(Array("roost-duplicates 1 half a fi".utf8), to: ".roost/duplicates.new")
        #expect(try store.contains(Self.id("before"), withinDays: 7))
        try store.record(Self.id("after"))
        #expect(try store.contains(Self.id("before"), withinDays: 7) && store.contains(Self.id("after"), withinDays: 7))
        #expect(!directory.list(".roost").contains("duplicates.new"))
    }

    @Test(
        "a failing write, fsync or rename: an error, the old store whole, no .new left",
        arguments: ["write", "fsync", "rename"])
    func failingUpdate(_ call: String) throws {
        let directory = TemporaryDirectory()
        try Self.store(in: directory).record(Self.id("before"))
        let before = directory.read(".roost/duplicates")
        var system = System.live
        switch call {
        case "write": system.write = { _, _ throws(Errno) in throw .noSpace }
        case "fsync": system.fsync = { _ throws(Errno) in throw .ioError }
        default: system.renameAt = { _, _, _, _, _ throws(Errno) in throw .diskQuotaExceeded }
        }
        let failing = DuplicateStore(path: directory.appending(".roost/duplicates"), system: system)
        #expect(throws: DeliveryError.self) { try failing.record(Self.id("after")) }
        #expect(directory.read(".roost/duplicates") == before)
        #expect(directory.list(".roost") == ["duplicates", "duplicates.lock"])
    }

    @Test("the store keeps at most maximumEntries, dropping the oldest")
    func sizeBound() throws {
        let directory = TemporaryDirectory()
        let clock = ManualClock()
        var store = Self.store(in: directory, clock: clock)
        store.maximumEntries = 100
        for index in 0..<150 {
            clock.seconds += 1
            try store.record(Self.id("<\(index)@example.org>"))
        }
        #expect(DuplicateTable(parsing: directory.read(".roost/duplicates"))?.entries.count == 100)
        #expect(try !store.contains(Self.id("<49@example.org>"), withinDays: 7))
        #expect(try store.contains(Self.id("<50@example.org>"), withinDays: 7))
        #expect(try store.contains(Self.id("<149@example.org>"), withinDays: 7))
    }

    @Test("the default bound: 10 000 entries stay under the size a store may have")
    func defaultBoundFits() {
        var table = DuplicateTable(key: (1, 2))
        table.entries = (0..<10_000).map { .init(hash: UInt64.max - UInt64($0), time: 1_732_848_000 + $0) }
        let oldest = table.entries[0]
        table.record(Array("<new@example.org>".utf8), at: 1_832_848_000, droppingBefore: 0, maximumEntries: 10_000)
        #expect(table.entries.count == 10_000 && table.entries.first != oldest)
        #expect(table.serialized().count < DuplicateStore.maximumFileSize)
        #expect(DuplicateTable(parsing: table.serialized()) == table)
    }

    @Test("a writer gives up on a lock held too long, with an error and the store untouched")
    func lockHeld() throws {
        let directory = TemporaryDirectory()
        var store = Self.store(in: directory)
        try store.record(Self.id("first"))
        let holder = open(directory.appending(".roost/duplicates.lock"), O_RDWR)
        defer { close(holder) }
        #expect(flock(holder, LOCK_EX) == 0)
        store.lockWaitMilliseconds = 50
        #expect(throws: DeliveryError.self) { try store.record(Self.id("second")) }
        #expect(try store.contains(Self.id("first"), withinDays: 7), "readers need no lock")
        #expect(try !store.contains(Self.id("second"), withinDays: 7))
    }

    @Test("a relative path, or a symlink in the store's place, is an error, never a write elsewhere")
    func refusedPaths() throws {
        let relative = DuplicateStore(path: "duplicates", system: .live)
        #expect(throws: DeliveryError.self) { try relative.record(Self.id("x")) }
        let directory = TemporaryDirectory()
        mkdir(directory.appending(".roost"), 0o700)
        symlink(directory.appending("elsewhere"), directory.appending(".roost/duplicates"))
        #expect(throws: DeliveryError.self) { try Self.store(in: directory).contains(Self.id("x"), withinDays: 7) }
        #expect(throws: DeliveryError.self) { try Self.store(in: directory).record(Self.id("x")) }
        #expect(!directory.list("").contains("elsewhere"))
    }
}

/// The permission bits of a file.
func mode(of path: String) throws -> mode_t {
    var status = stat()
    guard lstat(path, &status) == 0 else { throw Errno(rawValue: errno) }
    return status.st_mode & 0o7777
}
