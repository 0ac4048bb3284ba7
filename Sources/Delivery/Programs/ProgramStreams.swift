import Glibc
import SystemPackage

/// The parent's side of a program's stdin: a non-blocking pipe fed from memory or from a file, a chunk at a time, so
/// the poll loop can drain stdout and stderr between writes (no deadlock however large the message).
struct InputFeeder {
    /// The pipe's write end; nil once closed (all fed, or the program stopped reading).
    private(set) var fd: CInt?
    private let source: ProgramInput
    private let system: System
    /// A chunk read from a `.file` source; `chunk[chunkStart..<chunkEnd]` is not written yet.
    private var chunk: [UInt8] = []
    private var chunkStart = 0
    private var chunkEnd = 0
    /// How far a `.bytes` source has been written.
    private var bytesOffset = 0
    /// The program refused input: EPIPE, or it exited with input left.
    private(set) var closedEarly = false
    /// A `.file` source could not be read to its end.
    private(set) var readError: Errno?

    /// A feeder writing `source` into `fd`, which must be non-blocking.
    init(fd: CInt, source: ProgramInput, system: System) {
        self.fd = fd
        self.source = source
        self.system = system
    }

    /// Writes until the pipe is full (EAGAIN), the input is done (then closes: the program sees end of file), or the
    /// program has closed its end (EPIPE: roost ignores SIGPIPE, so this is an errno, and feeding just stops).
    mutating func feed() {
        while let fd {
            guard let pending = nextPending() else { return close() }
            let written: Int
            do {
                written = try write(pending, to: fd)
            } catch .resourceTemporarilyUnavailable {
                return
            } catch {
                closedEarly = true
                return close()
            }
            advance(by: written)
        }
    }

    /// One write(2) of as much of `bytes` as the pipe takes.
    private func write(_ bytes: ArraySlice<UInt8>, to fd: CInt) throws(Errno) -> Int {
        let result: Result<Int, Errno> = bytes.withUnsafeBytes { raw in
            do throws(Errno) { return .success(try system.write(fd, raw)) } catch { return .failure(error) }
        }
        return try result.get()
    }

    /// The program is gone: input still unwritten (the write end is open until the input's end) was refused.
    mutating func abandon() {
        if fd != nil { closedEarly = true }
        close()
    }

    /// Closes the write end if still open.
    mutating func close() {
        if let fd { system.closeQuietly(fd) }
        fd = nil
    }

    /// The bytes still to write, refilling the chunk from a file; nil at the end of the input (or a read error).
    private mutating func nextPending() -> ArraySlice<UInt8>? {
        switch source {
        case .bytes(let bytes):
            return bytesOffset < bytes.count ? bytes[bytesOffset...] : nil
        case .file(let descriptor):
            if chunkStart == chunkEnd {
                if chunk.isEmpty { chunk = [UInt8](repeating: 0, count: 1 << 16) }
                do { chunkEnd = try system.read(descriptor, into: &chunk) } catch {
                    readError = error
                    return nil
                }
                chunkStart = 0
                if chunkEnd == 0 { return nil }
            }
            return chunk[chunkStart..<chunkEnd]
        }
    }

    private mutating func advance(by count: Int) {
        switch source {
        case .bytes: bytesOffset += count
        case .file: chunkStart += count
        }
    }
}

/// The parent's side of a program's stdout or stderr: read until end of file, keeping at most `limit` bytes (in
/// memory, or written to a file) and discarding the rest, so a flood costs time, never memory.
struct OutputSink {
    /// The pipe's read end; nil after end of file.
    private(set) var fd: CInt?
    private let limit: Int
    private let destination: CInt?
    private let system: System
    /// What was kept, when there is no destination file.
    private(set) var captured: [UInt8] = []
    private var kept = 0
    /// Output went past the limit and the excess was discarded.
    private(set) var truncated = false
    /// Writing to the destination file failed; what follows is discarded.
    private(set) var writeError: Errno?

    /// A sink reading the non-blocking `fd`; with a `destination`, what is kept is written there instead of memory.
    init(fd: CInt, limit: Int, destination: CInt? = nil, system: System) {
        self.fd = fd
        self.limit = max(0, limit)
        self.destination = destination
        self.system = system
    }

    /// One read(2) into `buffer`; returns the bytes read, 0 when nothing was there (EAGAIN) or the pipe is finished.
    @discardableResult
    mutating func drain(using buffer: inout [UInt8]) -> Int {
        guard let fd else { return 0 }
        let count: Int
        do { count = try system.read(fd, into: &buffer) } catch .resourceTemporarilyUnavailable { return 0 } catch {
            close()
            return 0
        }
        if count == 0 { close() }
        keep(buffer[..<count])
        return count
    }

    /// Reads what the pipe holds once the program has exited: all it wrote is there, at most a pipe buffer
    /// (64 KiB, up to 1 MiB by F_SETPIPE_SZ). The budget above that keeps a background job that is still writing
    /// (`yes &`) from holding roost here; it gets EPIPE when the read end closes.
    mutating func drainRemaining(using buffer: inout [UInt8]) {
        var budget = 4 << 20
        while budget > 0 {
            let count = drain(using: &buffer)
            if count == 0 { return }
            budget -= count
        }
    }

    /// Closes the read end if still open; a program still writing then gets EPIPE.
    mutating func close() {
        if let fd { system.closeQuietly(fd) }
        fd = nil
    }

    private mutating func keep(_ bytes: ArraySlice<UInt8>) {
        let room = limit - kept
        if bytes.count > room { truncated = true }
        let part = bytes.prefix(room)
        guard !part.isEmpty else { return }
        kept += part.count
        guard let destination else { return captured.append(contentsOf: part) }
        guard writeError == nil else { return }
        do { try system.writeAll(destination, part) } catch { writeError = error }
    }
}
