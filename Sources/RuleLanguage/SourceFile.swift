/// A rule file as the bytes read from disk, with the path diagnostics print.
public struct SourceFile: Equatable, Sendable {
    /// The path as the user named it; diagnostics start with it.
    public let path: String
    /// The file's bytes: UTF-8 text, though nothing here traps if it is not.
    public let bytes: [UInt8]

    /// Creates a source file from bytes read elsewhere.
    public init(path: String, bytes: [UInt8]) {
        self.path = path
        self.bytes = bytes
    }

    /// Creates a source file from text, for tests and tools.
    public init(path: String, text: String) {
        self.init(path: path, bytes: Array(text.utf8))
    }
}

/// A position in a rule file. Columns count characters (Unicode scalars), not bytes, so a caret
/// lands under the right letter of `März` (STYLE §3).
///
/// Stored in 32 bits each: every token and node carries two locations, and the parser runs once per
/// delivery (SPEC §9), so halving their size shows. Past 2 GiB a location saturates; a loader refuses
/// such a rule file long before.
public struct SourceLocation: Hashable, Comparable, Sendable, CustomStringConvertible {
    @usableFromInline let storedOffset: Int32
    @usableFromInline let storedLine: Int32
    @usableFromInline let storedColumn: Int32

    /// Creates a location from its parts. Inlinable, like the other small initializers a compiled rule file's
    /// reader calls for each of a thousand statements: a call across modules cost more than the work.
    @inlinable
    public init(offset: Int, line: Int, column: Int) {
        storedOffset = Int32(clamping: offset)
        storedLine = Int32(clamping: line)
        storedColumn = Int32(clamping: column)
    }

    /// Byte offset from the start of the file.
    public var offset: Int { Int(storedOffset) }
    /// Line number, from 1.
    public var line: Int { Int(storedLine) }
    /// Column number, from 1, in characters.
    public var column: Int { Int(storedColumn) }

    /// `line:column`, the form diagnostics and traces print.
    public var description: String { "\(line):\(column)" }

    /// Orders locations by their place in the file.
    public static func < (lhs: SourceLocation, rhs: SourceLocation) -> Bool { lhs.offset < rhs.offset }
}

/// The stretch of a rule file a token or syntax node covers; `end` is just past its last character.
public struct SourceRange: Hashable, Sendable {
    /// Where the node starts.
    public let start: SourceLocation
    /// Just past the node's last character.
    public let end: SourceLocation

    /// Creates a range; `end` must not come before `start`.
    @inlinable
    public init(_ start: SourceLocation, _ end: SourceLocation) {
        self.start = start
        self.end = end
    }

    /// The range from the start of `self` to the end of `other`.
    func through(_ other: SourceRange) -> SourceRange { SourceRange(start, other.end) }
}

/// Where each line of a source file starts: built only when something is rendered, since a delivery
/// that finds no problem never needs it.
public struct LineTable: Sendable {
    private let bytes: [UInt8]
    private let starts: [Int]

    /// Scans `source` once for its line breaks.
    public init(_ source: SourceFile) {
        bytes = source.bytes
        var starts = [0]
        for (offset, byte) in source.bytes.enumerated() where byte == UInt8(ascii: "\n") {
            starts.append(offset + 1)
        }
        self.starts = starts
    }

    /// The bytes of line `number` (from 1), without the line break or a CR before it; empty if there is no such line.
    public func line(_ number: Int) -> ArraySlice<UInt8> {
        guard number >= 1, number <= starts.count else { return [] }
        let start = starts[number - 1]
        var end = number < starts.count ? starts[number] - 1 : bytes.count
        if end > start, bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
        return bytes[start..<end]
    }

    /// The line and column of a byte offset (clamped to the file).
    public func location(ofOffset offset: Int) -> SourceLocation {
        let offset = min(max(offset, 0), bytes.count)
        var low = 0
        var high = starts.count - 1
        while low < high {  // the last line start not after `offset`
            let middle = (low + high + 1) / 2
            if starts[middle] <= offset { low = middle } else { high = middle - 1 }
        }
        let column = 1 + characterCount(bytes[starts[low]..<offset])
        return SourceLocation(offset: offset, line: low + 1, column: column)
    }
}

/// How many characters `bytes` hold: every byte that is not a UTF-8 continuation byte starts one.
func characterCount(_ bytes: some Sequence<UInt8>) -> Int {
    bytes.reduce(0) { count, byte in isContinuationByte(byte) ? count : count + 1 }
}

/// True for the bytes 0x80…0xBF, which continue a multi-byte UTF-8 character.
@inline(__always) func isContinuationByte(_ byte: UInt8) -> Bool { byte & 0xC0 == 0x80 }
