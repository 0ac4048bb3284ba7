import PatternMatching
import RuleLanguage

/// A rule file as a delivery needs it, in the form kept beside the file (`.roostrc.compiled`, like Sieve's `.svbin`):
/// the syntax tree, what the loader would otherwise walk the tree to learn, and PCRE2's serialized patterns.
/// Reading it costs a fraction of parsing the text and compiling every regex, which was most of a delivery with a
/// big rule file; top-level `if` statements that have a screen (`Statement.screen`) stay encoded as
/// `DeferredStatement`s, so a message that matches none of their tests never pays for decoding them.
///
/// The bytes carry a key (which roost build wrote them, for which version of the source file), and a checksum, so
/// that stale, foreign or torn files are refused: whoever reads one compiles the source instead.
public struct CompiledRuleFile {
    /// The syntax tree; after `decode`, only the top-level statements kept whole (`compiledStatements` has them all).
    public var file: RuleFile
    /// What the loader learns from walking the tree.
    public var traits: RuleSet.Traits
    /// After `decode`, the top-level statements in order, the deferred ones with their screens.
    public var compiledStatements: CompiledStatements?
    /// The patterns of the file's match tests, compiled with the flags evaluation uses, in file order: just
    /// compiled, or (after `decode`) still serialized, each decoded when first used.
    public var patterns: PatternCache.PlacedPatterns

    /// Creates a compiled file from a tree and its patterns.
    public init(
        file: RuleFile, traits: RuleSet.Traits, patterns: PatternCache.PlacedPatterns,
        compiledStatements: CompiledStatements? = nil
    ) {
        self.file = file
        self.traits = traits
        self.patterns = patterns
        self.compiledStatements = compiledStatements
    }

    static let magic = Array("ROOSTRCC".utf8)
    static let formatVersion: UInt32 = 4

    private enum Entry: UInt8 {
        case statement = 0
        case deferred = 1
    }

    /// The bytes to keep; nil if PCRE2 will not serialize the patterns (or they are not freshly compiled ones).
    /// - Parameter key: identifies the roost build and the source file version; `decode` wants the same key.
    public func encode(key: [UInt64]) -> [UInt8]? {
        guard case .compiled(let offsets, let compiled) = patterns,
            let (records, serialized) = SerializedPatterns.encode(compiled, offsets: offsets)
        else { return nil }
        var out = FixedWidthWriter()
        out.bytes += Self.magic
        out.write32(Self.formatVersion)
        out.write32(UInt32(key.count))
        key.forEach { out.write64($0) }
        out.bytes.append(traits.rawValue)
        let indices = Dictionary(offsets.enumerated().map { ($1, $0) }) { first, _ in first }
        out.write32(UInt32(file.statements.count))
        for statement in file.statements {
            let screen = statement.screen.flatMap { tests in
                tests.isEmpty ? nil : Screen.encode(tests) { indices[$0.range.start.offset] }
            }
            out.bytes.append(screen == nil ? Entry.statement.rawValue : Entry.deferred.rawValue)
            out.writeBlock(RuleFileCodec.encode(statement: statement))
            if let screen {
                out.writeBlock(screen)
                for location in [statement.range.start, statement.range.end] {
                    [location.offset, location.line, location.column].forEach { out.write32(UInt32(truncatingIfNeeded: $0)) }
                }
            }
        }
        out.writeBlock(records)
        // The checksum covers everything but the patterns' bytes, which carry one each, checked when decoded; the
        // trailer says how much it covers, so that it is checked before anything else is read.
        out.write64(UInt64(serialized.count))
        let covered = out.bytes.count
        let checksum = Checksum.of(out.bytes[...])
        out.bytes += serialized
        out.write64(UInt64(covered))
        out.write64(checksum)
        return out.bytes
    }

    /// The compiled file in `bytes`, or nil if they are not a whole, intact compiled file written with `key`.
    /// The screen table keeps `bytes`: deferred statements are read from them when evaluation needs them.
    public static func decode(_ bytes: [UInt8], key: [UInt64]) -> CompiledRuleFile? {
        bytes.withUnsafeBytes { raw in
            guard raw.count >= 16 else { return nil }
            var trailer = FixedWidthReader(raw, at: raw.count - 16)
            guard let covered = trailer.read64().flatMap({ Int(exactly: $0) }), covered <= raw.count - 16,
                Checksum.of(bytes[..<covered]) == trailer.read64()
            else { return nil }
            var input = FixedWidthReader(UnsafeRawBufferPointer(rebasing: raw.dropLast(16)), at: 0)
            guard input.readBytes(magic.count).map(Array.init) == magic, input.read32() == formatVersion,
                input.read32().map(Int.init) == key.count, key.allSatisfy({ input.read64() == $0 }),
                let traits = input.readByte().map(RuleSet.Traits.init(rawValue:)),
                let (whole, entries) = readStatements(&input, from: bytes),
                let records = input.readBlockRange(), let length = input.read64(), length == UInt64(input.remaining),
                input.offset == covered,
                let patterns = SerializedPatterns(records: bytes[records], blob: bytes[input.offset..<bytes.count - 16])
            else { return nil }
            return CompiledRuleFile(
                file: RuleFile(statements: whole), traits: traits, patterns: .serialized(patterns),
                compiledStatements: CompiledStatements(bytes: bytes, entries: entries))
        }
    }

    /// The statements kept whole, and every top-level statement's entry.
    private static func readStatements(
        _ input: inout FixedWidthReader, from bytes: [UInt8]
    ) -> ([Statement], [CompiledStatements.Entry])? {
        guard let count = input.read32(), count <= input.remaining else { return nil }
        var whole: [Statement] = []
        var entries: [CompiledStatements.Entry] = []
        entries.reserveCapacity(Int(count))
        for _ in 0..<count {
            guard let entry = input.readByte().flatMap(Entry.init(rawValue:)), let encoded = input.readBlockRange()
            else { return nil }
            switch entry {
            case .statement:
                guard let statement = try? RuleFileCodec.decode(statement: bytes[encoded]) else { return nil }
                entries.append(.whole(whole.count))
                whole.append(statement)
            case .deferred:
                guard let screen = input.readBlockRange(),
                    let start = input.readLocation(), let end = input.readLocation(), start <= end
                else { return nil }
                entries.append(.deferred(screen: screen, encoded: encoded, range: SourceRange(start, end)))
            }
        }
        return (whole, entries)
    }
}

/// Little-endian fixed-width numbers and length-prefixed blocks: the container around the codec's own encoding.
private struct FixedWidthWriter {
    var bytes: [UInt8] = []

    mutating func write32(_ value: UInt32) { withUnsafeBytes(of: value.littleEndian) { bytes += $0 } }
    mutating func write64(_ value: UInt64) { withUnsafeBytes(of: value.littleEndian) { bytes += $0 } }

    mutating func writeBlock(_ block: [UInt8]) {
        write64(UInt64(block.count))
        bytes += block
    }
}

private struct FixedWidthReader {
    let bytes: UnsafeRawBufferPointer
    var offset: Int

    init(_ bytes: UnsafeRawBufferPointer, at offset: Int) {
        self.bytes = bytes
        self.offset = offset
    }

    var remaining: Int { bytes.count - offset }

    mutating func readBytes(_ count: Int) -> UnsafeRawBufferPointer? {
        guard count >= 0, count <= remaining else { return nil }
        defer { offset += count }
        return UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + count)])
    }

    mutating func readByte() -> UInt8? {
        guard remaining >= 1 else { return nil }
        defer { offset += 1 }
        return bytes[offset]
    }

    mutating func readLocation() -> SourceLocation? {
        guard let offset = read32(), let line = read32(), let column = read32() else { return nil }
        return SourceLocation(offset: Int(offset), line: Int(line), column: Int(column))
    }
    // Numbers loaded in place, not through `readBytes`: six of them per statement, a thousand statements per delivery.
    mutating func read32() -> UInt32? {
        guard remaining >= 4 else { return nil }
        defer { offset += 4 }
        return UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
    }

    mutating func read64() -> UInt64? {
        guard remaining >= 8 else { return nil }
        defer { offset += 8 }
        return UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
    }

    /// Where the next length-prefixed block's bytes are, skipping over them.
    @inline(__always)
    mutating func readBlockRange() -> Range<Int>? {
        guard let count = read64(), count <= UInt64(remaining) else { return nil }
        defer { offset += Int(count) }
        return offset..<(offset + Int(count))
    }
}
