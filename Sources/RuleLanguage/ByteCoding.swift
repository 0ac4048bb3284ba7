// The primitives of RuleFileCodec's format: LEB128 varints, zigzag for signed numbers, length-prefixed bytes, and
// source ranges as deltas. The reader walks a buffer by index and checks every read against its end, because a
// cache file on disk can hold anything and a trap would lose the delivery's diagnosis (STYLE §3).

/// Appends the format's primitives to a byte array.
struct ByteWriter {
    /// What has been written so far.
    private(set) var bytes: [UInt8] = []
    /// The start of the last range written: the next start is written as the difference, which is small
    /// because the encoder visits nodes roughly in file order.
    private var previousStart = SourceLocation(offset: 0, line: 0, column: 0)

    /// Appends one byte.
    mutating func writeByte(_ byte: UInt8) { bytes.append(byte) }

    /// Appends `value` as four bytes, least significant first.
    mutating func writeUInt32(_ value: UInt32) {
        for shift in stride(from: 0, to: 32, by: 8) { bytes.append(UInt8(truncatingIfNeeded: value >> shift)) }
    }

    /// Appends `value` in LEB128: seven bits a byte, low bits first, the high bit set on all but the last.
    mutating func writeVarint(_ value: UInt64) {
        var rest = value
        while rest >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: rest) | 0x80)
            rest >>= 7
        }
        bytes.append(UInt8(rest))
    }

    /// Appends `value` zigzagged (0, -1, 1, -2 … become 0, 1, 2, 3 …), so small negatives stay short.
    mutating func writeSigned(_ value: Int) {
        let wide = Int64(value)
        writeVarint(UInt64(bitPattern: (wide << 1) ^ (wide >> 63)))
    }

    /// Appends a count of elements or bytes.
    mutating func writeCount(_ count: Int) { writeVarint(UInt64(count)) }

    /// Appends 1 for true, 0 for false.
    mutating func writeBool(_ value: Bool) { bytes.append(value ? 1 : 0) }

    /// Appends a tag: a case of the format's enumerations, as its raw value.
    mutating func write(_ tag: some RawRepresentable<UInt8>) { bytes.append(tag.rawValue) }

    /// Appends the count of `elements`, then each one as `writeElement` writes it.
    mutating func writeArray<Element>(_ elements: [Element], _ writeElement: (inout ByteWriter, Element) -> Void) {
        writeCount(elements.count)
        for element in elements { writeElement(&self, element) }
    }

    /// Appends the length of `text` in UTF-8 bytes, then those bytes.
    mutating func writeString(_ text: String) {
        writeCount(text.utf8.count)
        bytes.append(contentsOf: text.utf8)
    }

    /// Appends the length of `raw`, then its bytes.
    mutating func writeBytes(_ raw: [UInt8]) {
        writeCount(raw.count)
        bytes.append(contentsOf: raw)
    }

    /// Appends `range` as two zigzag deltas, its start's offset from the previous range's start and its end's offset
    /// from its start, each shifted left to carry a flag in bit 0. A clear flag says the line stayed the same and
    /// the column moved as far as the offset, as it does on an ASCII line; a set one says two more deltas follow,
    /// for the line and the column. So a typical range takes two or three bytes, and decodes in two reads.
    mutating func writeRange(_ range: SourceRange) {
        writeDeltas(from: previousStart, to: range.start)
        writeDeltas(from: range.start, to: range.end)
        previousStart = range.start
    }

    private mutating func writeDeltas(from base: SourceLocation, to location: SourceLocation) {
        let offset = delta(from: base.offset, to: location.offset)
        let line = delta(from: base.line, to: location.line)
        let column = delta(from: base.column, to: location.column)
        let isOnOneLine = line == 0 && column == offset
        writeVarint(UInt64(zigzag(offset)) << 1 | (isOnOneLine ? 0 : 1))
        guard !isOnOneLine else { return }
        writeVarint(UInt64(zigzag(line)))
        writeVarint(UInt64(zigzag(column)))
    }

    // SourceLocation stores Int32s, so wrapping 32-bit differences are exact whatever the locations hold.
    private func delta(from base: Int, to value: Int) -> Int32 {
        Int32(truncatingIfNeeded: value) &- Int32(truncatingIfNeeded: base)
    }

    private func zigzag(_ value: Int32) -> UInt32 { UInt32(bitPattern: (value << 1) ^ (value >> 31)) }
}

/// Reads the format's primitives from a buffer, throwing at the first byte that cannot be what was asked for.
struct ByteReader {
    private let buffer: UnsafeBufferPointer<UInt8>
    /// Where the next read starts.
    private(set) var index: Int
    // The decoding side of ByteWriter.previousStart, kept as the Int32s a SourceLocation stores.
    private var previousOffset: Int32 = 0
    private var previousLine: Int32 = 0
    private var previousColumn: Int32 = 0

    /// A reader of `buffer`, from its first byte.
    init(_ buffer: UnsafeBufferPointer<UInt8>) {
        self.buffer = buffer
        index = 0
    }

    /// How many bytes are left to read.
    var remaining: Int { buffer.count - index }

    /// The error for the data at `offset`. Kept out of line: building the message is the cold path.
    @inline(never)
    func failure(_ reason: String, at offset: Int) -> RuleFileCodec.DecodingError {
        RuleFileCodec.DecodingError(reason: reason, offset: offset)
    }

    /// The next byte.
    @inline(__always)
    mutating func readByte() throws(RuleFileCodec.DecodingError) -> UInt8 {
        guard index < buffer.count else { throw failure("truncated", at: index) }
        let byte = buffer[index]
        index += 1
        return byte
    }

    /// The next `count` bytes, as they stand in the buffer.
    @inline(__always)
    mutating func readFixed(_ count: Int) throws(RuleFileCodec.DecodingError) -> UnsafeBufferPointer<UInt8> {
        guard count <= remaining else { throw failure("truncated", at: index) }
        defer { index += count }
        return UnsafeBufferPointer(rebasing: buffer[index..<index + count])
    }

    /// A Boolean ByteWriter.writeBool wrote.
    @inline(__always)
    mutating func readBool() throws(RuleFileCodec.DecodingError) -> Bool {
        let byte = try readByte()
        guard byte <= 1 else { throw failure("\(byte) is not a Boolean", at: index - 1) }
        return byte == 1
    }

    /// A tag ByteWriter.write(_:) wrote; a byte that is no case of `Tag` is an error.
    @inline(__always)
    mutating func read<Tag: RawRepresentable<UInt8>>(_: Tag.Type) throws(RuleFileCodec.DecodingError) -> Tag {
        let byte = try readByte()
        guard let tag = Tag(rawValue: byte) else { throw failure("unknown \(Tag.self) \(byte)", at: index - 1) }
        return tag
    }

    /// A count, then that many elements, as `readElement` reads them.
    @inline(__always)
    mutating func readArray<Element>(
        _ readElement: (inout ByteReader) throws(RuleFileCodec.DecodingError) -> Element
    ) throws(RuleFileCodec.DecodingError) -> [Element] {
        let count = try readCount()
        // Most arrays of a syntax tree hold one element. As a literal it costs one allocation and nothing more,
        // where reserveCapacity also copies an empty buffer into the new one and releases the old.
        if count == 1 { return [try readElement(&self)] }
        var elements: [Element] = []
        elements.reserveCapacity(count)
        for _ in 0..<count { elements.append(try readElement(&self)) }
        return elements
    }

    /// A number ByteWriter.writeUInt32 wrote.
    mutating func readUInt32() throws(RuleFileCodec.DecodingError) -> UInt32 {
        var value: UInt32 = 0
        for (position, byte) in try readFixed(4).enumerated() { value |= UInt32(byte) << (position * 8) }
        return value
    }

    /// A LEB128 number. Most are one or two bytes long, and those take the inlined path.
    @inline(__always)
    mutating func readVarint() throws(RuleFileCodec.DecodingError) -> UInt64 {
        if index + 1 < buffer.count {
            let first = buffer[index]
            if first < 0x80 {
                index += 1
                return UInt64(first)
            }
            let second = buffer[index + 1]
            if second < 0x80 {
                index += 2
                return UInt64(first & 0x7F) | UInt64(second) << 7
            }
        }
        return try readLongVarint()
    }

    @inline(never)
    private mutating func readLongVarint() throws(RuleFileCodec.DecodingError) -> UInt64 {
        let start = index
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let byte = try readByte()
            // The tenth byte holds only bit 63; anything more would not fit in 64 bits.
            guard shift < 63 || byte <= 1 else { throw failure("number longer than 64 bits", at: start) }
            value |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { return value }
            shift += 7
        }
    }

    /// A number ByteWriter.writeSigned wrote.
    mutating func readSigned() throws(RuleFileCodec.DecodingError) -> Int {
        let zigzag = try readVarint()
        return Int(Int64(bitPattern: (zigzag >> 1) ^ (0 &- (zigzag & 1))))
    }

    /// A count of elements or bytes that follow, each taking at least one byte; so a larger count than the bytes
    /// left is a lie, caught before anyone reserves memory for it.
    @inline(__always)
    mutating func readCount() throws(RuleFileCodec.DecodingError) -> Int {
        let start = index
        let count = try readVarint()
        guard count <= UInt64(remaining) else { throw countFailure(count, at: start) }
        return Int(count)
    }

    @inline(never)
    private func countFailure(_ count: UInt64, at offset: Int) -> RuleFileCodec.DecodingError {
        failure("count \(count) exceeds the bytes left (\(remaining))", at: offset)
    }

    /// A string ByteWriter.writeString wrote. Invalid UTF-8 is refused rather than repaired, so a string either
    /// comes back exactly as it was encoded or not at all.
    mutating func readString() throws(RuleFileCodec.DecodingError) -> String {
        let start = index
        let bytes = try readFixed(readCount())
        // Filling the string's storage costs half of what String(decoding:) does, and String(validating:as:) is
        // unspecialised and costs more than the whole string. Both replace invalid UTF-8 rather than fail; ASCII
        // never is invalid, and other text must come out as it went in.
        let text = String(unsafeUninitializedCapacity: bytes.count) { $0.initialize(fromContentsOf: bytes) }
        guard isASCII(bytes) || text.utf8.elementsEqual(bytes) else {
            throw failure("invalid UTF-8 in a string", at: start)
        }
        return text
    }

    private func isASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var union: UInt8 = 0
        for byte in bytes { union |= byte }
        return union < 0x80
    }

    /// The case of `T` whose raw value a string names: the format spells rare cases like `<=` or `seen` out.
    mutating func readName<T: RawRepresentable<String>>(of _: T.Type) throws(RuleFileCodec.DecodingError) -> T {
        let start = index
        guard let value = T(rawValue: try readString()) else { throw failure("unknown \(T.self)", at: start) }
        return value
    }

    /// Bytes ByteWriter.writeBytes wrote.
    mutating func readBytes() throws(RuleFileCodec.DecodingError) -> [UInt8] {
        Array(try readFixed(readCount()))
    }

    /// A range ByteWriter.writeRange wrote.
    mutating func readRange() throws(RuleFileCodec.DecodingError) -> SourceRange {
        let (offset, line, column) = try readDeltas(from: (previousOffset, previousLine, previousColumn))
        let end = try readDeltas(from: (offset, line, column))
        previousOffset = offset
        previousLine = line
        previousColumn = column
        return SourceRange(
            SourceLocation(offset: Int(offset), line: Int(line), column: Int(column)),
            SourceLocation(offset: Int(end.offset), line: Int(end.line), column: Int(end.column)))
    }

    @inline(__always)
    private mutating func readDeltas(
        from base: (offset: Int32, line: Int32, column: Int32)
    ) throws(RuleFileCodec.DecodingError) -> (offset: Int32, line: Int32, column: Int32) {
        let start = index
        let flagged = try readVarint()
        guard flagged >> 33 == 0 else { throw failure("location delta beyond 32 bits", at: start) }
        let offset = base.offset &+ unzigzag(UInt32(truncatingIfNeeded: flagged >> 1))
        guard flagged & 1 == 1 else { return (offset, base.line, base.column &+ (offset &- base.offset)) }
        return (offset, try base.line &+ readDelta(), try base.column &+ readDelta())
    }

    @inline(__always)
    private mutating func readDelta() throws(RuleFileCodec.DecodingError) -> Int32 {
        let start = index
        let zigzag = try readVarint()
        guard zigzag <= UInt64(UInt32.max) else { throw failure("location delta beyond 32 bits", at: start) }
        return unzigzag(UInt32(truncatingIfNeeded: zigzag))
    }

    @inline(__always)
    private func unzigzag(_ bits: UInt32) -> Int32 { Int32(bitPattern: (bits >> 1) ^ (0 &- (bits & 1))) }
}
