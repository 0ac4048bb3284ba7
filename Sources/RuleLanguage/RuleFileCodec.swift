import PatternMatching

/// Turns a rule file's syntax tree into bytes and back, for the compiled cache beside a rule file (like Sieve's
/// `.svbin`): delivery parses the rules once per message, and decoding costs a small fraction of parsing.
///
/// The format, version 1: the magic `ROOSTAST`, the version as a little-endian UInt32, then the top-level
/// statements, and nothing after them. Each node is written in field order; a node with cases starts with a tag
/// byte, which also carries `copy` and `!~` (the raw values of the tag enumerations below: a new case goes at the
/// end, with a new version). Counts, lengths and numbers are LEB128 varints, signed ones zigzagged; strings and
/// regex sources are a length and their bytes. A range is deltas from the range before it (`ByteWriter.writeRange`),
/// mostly two or three bytes.
public enum RuleFileCodec {
    /// Why bytes are not a syntax tree this version wrote (truncated, wrong magic or version, unknown tag, count
    /// too big, nesting too deep, invalid UTF-8, bytes after the tree): the caller parses the rule file instead.
    public struct DecodingError: Error, Equatable, Sendable {
        /// What is wrong, for a log line.
        public let reason: String
        /// Where in the bytes the problem was found.
        public let offset: Int
    }

    /// The first bytes of every encoding.
    static let magic: [UInt8] = Array("ROOSTAST".utf8)
    /// Raised whenever the layout of any node changes, so an old cache is refused rather than misread.
    static let version: UInt32 = 1
    /// Decoding recurses once per block and per `not`, `and` and `or`. The parser admits 100 levels of blocks,
    /// `not`s and parentheses, and each parenthesised level can hold an `or` of `and`s: 2 × 100 + 2 nodes deep.
    static let maximumDepth = 2 * Parser.maximumDepth + 2

    /// The bytes of `file`, for `decode(_:)` to read back into an equal tree.
    public static func encode(_ file: RuleFile) -> [UInt8] {
        var writer = ByteWriter()
        magic.forEach { writer.writeByte($0) }
        writer.writeUInt32(version)
        writer.write(file.statements)
        return writer.bytes
    }

    /// The tree `encode(_:)` wrote into `bytes`. Never traps, whatever the bytes hold.
    /// - Throws: `DecodingError` if the bytes are not a whole tree of this version.
    public static func decode(_ bytes: UnsafeRawBufferPointer) throws(DecodingError) -> RuleFile {
        // Result carries the typed error through the untyped closure of withMemoryRebound.
        let result = bytes.withMemoryRebound(to: UInt8.self) { buffer in
            Result { () throws(DecodingError) in try decode(buffer) }
        }
        return try result.get()
    }

    /// The tree `encode(_:)` wrote into `bytes`.
    /// - Throws: `DecodingError` if the bytes are not a whole tree of this version.
    public static func decode(_ bytes: [UInt8]) throws(DecodingError) -> RuleFile {
        try bytes.withUnsafeBufferPointer { buffer in Result { () throws(DecodingError) in try decode(buffer) } }.get()
    }

    /// One statement's bytes, without the file header: what a compiled rule file keeps per top-level statement so
    /// that each can be decoded on its own, when evaluation reaches it (`DeferredStatement`).
    public static func encode(statement: Statement) -> [UInt8] {
        var writer = ByteWriter()
        writer.write([statement])
        return writer.bytes
    }

    /// The statement `encode(statement:)` wrote.
    /// - Throws: `DecodingError` if the bytes are not exactly one statement.
    public static func decode(statement bytes: ArraySlice<UInt8>) throws(DecodingError) -> Statement {
        let statements = try decodeWhole(bytes) { reader throws(DecodingError) in try reader.readStatements(depth: 0) }
        guard statements.count == 1 else { throw DecodingError(reason: "not one statement", offset: 0) }
        return statements[0]
    }

    private static func decodeWhole<Value>(
        _ bytes: ArraySlice<UInt8>, _ read: (inout ByteReader) throws(DecodingError) -> Value
    ) throws(DecodingError) -> Value {
        let result = bytes.withUnsafeBufferPointer { buffer in
            Result { () throws(DecodingError) -> Value in
                var reader = ByteReader(buffer)
                let value = try read(&reader)
                guard reader.remaining == 0 else { throw reader.failure("bytes after the node", at: reader.index) }
                return value
            }
        }
        return try result.get()
    }

    private static func decode(_ buffer: UnsafeBufferPointer<UInt8>) throws(DecodingError) -> RuleFile {
        var reader = ByteReader(buffer)
        guard try reader.readFixed(magic.count).elementsEqual(magic) else {
            throw reader.failure("not a roost syntax tree", at: 0)
        }
        let found = try reader.readUInt32()
        guard found == version else { throw reader.failure("format version \(found), not \(version)", at: magic.count) }
        let file = RuleFile(statements: try reader.readStatements(depth: 0))
        guard reader.remaining == 0 else { throw reader.failure("bytes after the syntax tree", at: reader.index) }
        return file
    }
}

private enum StatementTag: UInt8 { case `if`, set, include, action, actionSharingRange }
private enum ConditionTag: UInt8 { case test, testSharingRange, not, and, or }
private enum TestTag: UInt8 { case match, negatedMatch, headerExists, size, duplicate }
private enum ActionTag: UInt8 {
    case deliver, copyDeliver, discard, forward, copyForward, pipe, copyPipe, filter, reject, `defer`, addHeader
    case removeHeader, flag, log, stop
}
private enum PartTag: UInt8 { case literal, capture, variable }

extension ByteWriter {
    fileprivate mutating func write(_ statements: [Statement]) { writeArray(statements) { $0.write($1) } }

    /// Appends a node's tag, then its range.
    private mutating func write(_ tag: some RawRepresentable<UInt8>, _ range: SourceRange) {
        write(tag)
        writeRange(range)
    }

    /// Appends `tag` and `range`, or only `sharingTag` when the node's one child, written next, has the same range.
    /// The parser gives an action statement its action's range, and a single-test condition its test's.
    private mutating func write<Tag: RawRepresentable<UInt8>>(
        _ tag: Tag, _ range: SourceRange, or sharingTag: Tag, ifChildHas childRange: SourceRange
    ) {
        if range == childRange { write(sharingTag) } else { write(tag, range) }
    }

    private mutating func write(_ statement: Statement) {
        switch statement.kind {
        case .if(let conditional):
            write(StatementTag.if, statement.range)
            writeArray(conditional.branches) {
                $0.write($1.condition)
                $0.write($1.block)
            }
            writeBool(conditional.elseBlock != nil)
            if let elseBlock = conditional.elseBlock { write(elseBlock) }
        case .set(let assignment):
            write(StatementTag.set, statement.range)
            writeRange(assignment.nameRange)
            writeString(assignment.name)
            write(assignment.value)
        case .include(let path):
            write(StatementTag.include, statement.range)
            write(path)
        case .action(let action):
            write(StatementTag.action, statement.range, or: .actionSharingRange, ifChildHas: action.range)
            write(action)
        case .deferred(let deferred):
            // Only trees read from a compiled file hold these; written out, they are the statement they stand for
            // (bytes that no longer decode, which a checksum makes all but impossible, become an empty `if`).
            let decoded = try? RuleFileCodec.decode(statement: deferred.encoded)
            write(decoded ?? Statement(kind: .if(IfStatement(branches: [], elseBlock: nil)), range: statement.range))
        }
    }

    private mutating func write(_ block: Block) {
        writeRange(block.range)
        write(block.statements)
    }

    private mutating func write(_ condition: Condition) {
        switch condition.kind {
        case .test(let test):
            write(ConditionTag.test, condition.range, or: .testSharingRange, ifChildHas: test.range)
            write(test)
        case .not(let operand):
            write(ConditionTag.not, condition.range)
            write(operand)
        case .and(let operands):
            write(ConditionTag.and, condition.range)
            writeArray(operands) { $0.write($1) }
        case .or(let operands):
            write(ConditionTag.or, condition.range)
            writeArray(operands) { $0.write($1) }
        }
    }

    private mutating func write(_ test: Test) {
        switch test.kind {
        case .match(let target, let regex, let isNegated):
            write(isNegated ? TestTag.negatedMatch : .match, test.range)
            write(target)
            writeRange(regex.range)
            writeBytes(regex.source)
            writeByte(regex.flags.rawValue)
        case .headerExists(let names):
            write(TestTag.headerExists, test.range)
            writeArray(names) { $0.write($1) }
        case .size(let comparison, let size):
            write(TestTag.size, test.range)
            writeString(comparison.rawValue)
            writeSigned(size)
        case .duplicate: write(TestTag.duplicate, test.range)
        }
    }

    private mutating func write(_ target: MatchTarget) {
        let (tag, names) = target.parts
        write(tag)
        if tag.takesNames { writeArray(names) { $0.write($1) } }
    }

    private mutating func write(_ name: HeaderName) {
        writeRange(name.range)
        writeString(name.name)
    }

    private mutating func write(_ action: Action) {
        switch action.kind {
        case .deliver(_, let isCopy): write(isCopy ? ActionTag.copyDeliver : ActionTag.deliver)
        case .forward(_, let isCopy): write(isCopy ? ActionTag.copyForward : ActionTag.forward)
        case .pipe(_, let isCopy): write(isCopy ? ActionTag.copyPipe : ActionTag.pipe)
        case .discard: write(ActionTag.discard)
        case .filter: write(ActionTag.filter)
        case .reject: write(ActionTag.reject)
        case .defer: write(ActionTag.defer)
        case .addHeader: write(ActionTag.addHeader)
        case .removeHeader: write(ActionTag.removeHeader)
        case .flag: write(ActionTag.flag)
        case .log: write(ActionTag.log)
        case .stop: write(ActionTag.stop)
        }
        writeRange(action.range)
        switch action.kind {
        case .deliver(let text, _), .reject(let text), .defer(let text), .log(let text): write(text)
        case .forward(let addresses, _): writeArray(addresses) { $0.write($1) }
        case .pipe(let command, _), .filter(let command):
            write(command.literal)
            writeArray(command.words) { $0.write($1.parts) }
        case .addHeader(let name, let value):
            write(name)
            write(value)
        case .removeHeader(let name): write(name)
        case .flag(let flag): writeString(flag.rawValue)
        case .discard, .stop: break
        }
    }

    private mutating func write(_ literal: StringLiteral) {
        writeRange(literal.range)
        write(literal.parts)
    }

    private mutating func write(_ parts: [StringPart]) {
        writeArray(parts) { writer, part in
            switch part {
            case .literal(let text):
                writer.write(PartTag.literal)
                writer.writeString(text)
            case .capture(let number, let range):
                writer.write(PartTag.capture)
                writer.writeRange(range)
                writer.writeSigned(number)
            case .variable(let name, let range):
                writer.write(PartTag.variable)
                writer.writeRange(range)
                writer.writeString(name)
            }
        }
    }
}

extension ByteReader {
    fileprivate typealias DecodingError = RuleFileCodec.DecodingError

    /// The depth one level below `depth`, or an error past `RuleFileCodec.maximumDepth`.
    @inline(__always)
    private func nested(_ depth: Int) throws(DecodingError) -> Int {
        guard depth < RuleFileCodec.maximumDepth else {
            throw failure("nesting deeper than \(RuleFileCodec.maximumDepth) levels", at: index)
        }
        return depth + 1
    }

    fileprivate mutating func readStatements(depth: Int) throws(DecodingError) -> [Statement] {
        try readArray { reader throws(DecodingError) in try reader.readStatement(depth: depth) }
    }

    private mutating func readStatement(depth: Int) throws(DecodingError) -> Statement {
        let tag = try read(StatementTag.self)
        if tag == .actionSharingRange {
            let action = try readAction()
            return Statement(kind: .action(action), range: action.range)
        }
        let range = try readRange()
        let kind: Statement.Kind
        switch tag {
        case .if:
            let branches = try readArray { reader throws(DecodingError) in
                Branch(condition: try reader.readCondition(depth: depth), block: try reader.readBlock(depth: depth))
            }
            let elseBlock = try readBool() ? try readBlock(depth: depth) : nil
            kind = .if(IfStatement(branches: branches, elseBlock: elseBlock))
        case .set:
            let nameRange = try readRange()
            let name = try readString()
            kind = .set(Assignment(name: name, nameRange: nameRange, value: try readStringLiteral()))
        case .include: kind = .include(try readStringLiteral())
        case .action, .actionSharingRange: kind = .action(try readAction())
        }
        return Statement(kind: kind, range: range)
    }

    private mutating func readBlock(depth: Int) throws(DecodingError) -> Block {
        let inner = try nested(depth)
        let range = try readRange()
        return Block(statements: try readStatements(depth: inner), range: range)
    }

    private mutating func readCondition(depth: Int) throws(DecodingError) -> Condition {
        let tag = try read(ConditionTag.self)
        guard tag != .testSharingRange else {
            let test = try readTest()
            return Condition(kind: .test(test), range: test.range)
        }
        let range = try readRange()
        switch tag {
        case .test, .testSharingRange: return Condition(kind: .test(try readTest()), range: range)
        case .not: return Condition(kind: .not(try readCondition(depth: nested(depth))), range: range)
        case .and, .or:
            let inner = try nested(depth)
            let operands = try readArray { reader throws(DecodingError) in try reader.readCondition(depth: inner) }
            return Condition(kind: tag == .and ? .and(operands) : .or(operands), range: range)
        }
    }

    private mutating func readTest() throws(DecodingError) -> Test {
        let tag = try read(TestTag.self)
        let range = try readRange()
        let kind: Test.Kind
        switch tag {
        case .match, .negatedMatch:
            let target = try readTarget()
            let regexRange = try readRange()
            let source = try readBytes()
            let regex = RegexLiteral(source: source, flags: PatternFlags(rawValue: try readByte()), range: regexRange)
            kind = .match(target, regex, isNegated: tag == .negatedMatch)
        case .headerExists: kind = .headerExists(try readHeaderNames())
        case .size: kind = .size(try readName(of: SizeComparison.self), try readSigned())
        case .duplicate: kind = .duplicate
        }
        return Test(kind: kind, range: range)
    }

    private mutating func readTarget() throws(DecodingError) -> MatchTarget {
        let tag = try read(MatchTarget.Tag.self)
        return MatchTarget(tag: tag, names: tag.takesNames ? try readHeaderNames() : [])
    }

    private mutating func readHeaderNames() throws(DecodingError) -> [HeaderName] {
        try readArray { reader throws(DecodingError) in try reader.readHeaderName() }
    }

    private mutating func readHeaderName() throws(DecodingError) -> HeaderName {
        let range = try readRange()
        return HeaderName(name: try readString(), range: range)
    }

    private mutating func readAction() throws(DecodingError) -> Action {
        let tag = try read(ActionTag.self)
        let range = try readRange()
        let kind: Action.Kind
        switch tag {
        case .deliver, .copyDeliver: kind = .deliver(folder: try readStringLiteral(), isCopy: tag == .copyDeliver)
        case .forward, .copyForward:
            let addresses = try readArray { reader throws(DecodingError) in try reader.readStringLiteral() }
            kind = .forward(addresses: addresses, isCopy: tag == .copyForward)
        case .pipe, .copyPipe: kind = .pipe(try readCommand(), isCopy: tag == .copyPipe)
        case .filter: kind = .filter(try readCommand())
        case .reject: kind = .reject(try readStringLiteral())
        case .defer: kind = .defer(try readStringLiteral())
        case .addHeader: kind = .addHeader(try readHeaderName(), value: try readStringLiteral())
        case .removeHeader: kind = .removeHeader(try readHeaderName())
        case .flag: kind = .flag(try readName(of: MessageFlag.self))
        case .log: kind = .log(try readStringLiteral())
        case .discard: kind = .discard
        case .stop: kind = .stop
        }
        return Action(kind: kind, range: range)
    }

    private mutating func readCommand() throws(DecodingError) -> Command {
        let literal = try readStringLiteral()
        let words = try readArray { reader throws(DecodingError) in CommandWord(parts: try reader.readParts()) }
        return Command(words: words, literal: literal)
    }

    private mutating func readStringLiteral() throws(DecodingError) -> StringLiteral {
        let range = try readRange()
        return StringLiteral(parts: try readParts(), range: range)
    }

    private mutating func readParts() throws(DecodingError) -> [StringPart] {
        try readArray { reader throws(DecodingError) in
            switch try reader.read(PartTag.self) {
            case .literal: return .literal(try reader.readString())
            case .capture:
                let range = try reader.readRange()
                return .capture(try reader.readSigned(), range)
            case .variable:
                let range = try reader.readRange()
                return .variable(try reader.readString(), range)
            }
        }
    }
}
