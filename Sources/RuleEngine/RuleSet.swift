import RuleLanguage

/// The rule files of one delivery, as the loader found them: the system file, then the user's, each with the files
/// it includes. Parsed and checked; evaluation never sees a file with errors (SPEC §3).
public struct RuleSet: Sendable {
    /// One parsed file.
    public struct Unit: Sendable {
        /// The name used in traces and log lines (`.roostrc`, `rules`, an include's path as written).
        public var name: String
        /// The syntax tree.
        public var file: RuleFile
        /// The file's bytes, so that traces can quote each test as written.
        public var source: [UInt8]
        /// The units its `include` statements name, by the offset of the statement in this file.
        public var includes: [Int: Int]
        /// What the file's tests and statements need from intake.
        public var traits: Traits
        /// Read from its compiled form: its top-level statements in order, the deferred ones with their screens
        /// (`file` then holds only the statements kept whole).
        public var compiledStatements: CompiledStatements?

        /// The top-level statements in file order; from a compiled form, the deferred ones as `.deferred`.
        public var statements: [Statement] {
            compiledStatements?.statements(keptWhole: file.statements) ?? file.statements
        }

        /// Creates a unit; `traits` are worked out from the tree unless a compiled file already knows them.
        public init(
            name: String, file: RuleFile, source: [UInt8], includes: [Int: Int] = [:], traits: Traits? = nil,
            compiledStatements: CompiledStatements? = nil
        ) {
            self.name = name
            self.file = file
            self.source = source
            self.includes = includes
            self.traits = traits ?? Traits(of: file)
            self.compiledStatements = compiledStatements
        }

        /// The text of a range as written in the file, on one line: each line break and the blanks around it
        /// become one space.
        func text(of range: SourceRange) -> String {
            // Clamped at both ends: ranges from a damaged compiled file must not trap a trace.
            let start = min(max(range.start.offset, 0), source.count)
            let end = max(start, min(range.end.offset, source.count))
            var bytes: [UInt8] = []
            bytes.reserveCapacity(end - start)
            var pendingSpace = false
            for byte in source[start..<end] {
                if byte == 10 || byte == 13 {
                    while let last = bytes.last, last == 32 || last == 9 { bytes.removeLast() }
                    pendingSpace = true
                } else if pendingSpace && (byte == 32 || byte == 9) {
                    continue
                } else {
                    if pendingSpace { bytes.append(32) }
                    pendingSpace = false
                    bytes.append(byte)
                }
            }
            return String(decoding: bytes, as: UTF8.self)
        }
    }

    /// How deep includes may nest; the loader refuses deeper chains, so evaluation never meets one.
    public static let maximumIncludeDepth = 32

    /// Every unit; `roots` says which run, in order.
    public var units: [Unit]
    /// The units evaluated one after the other: the system file's, then the user's.
    public var roots: [Int]

    /// Creates a rule set.
    public init(units: [Unit], roots: [Int]) {
        self.units = units
        self.roots = roots
    }

    /// No rules at all: every message goes to the default folder.
    public static let empty = RuleSet(units: [], roots: [])

    /// The top-level `set NAME = "plain value"` statements of the root files, the last of a name winning: settings
    /// that shape intake (`bodylimit`, `maildir`) must be known before the message is read, so only these count.
    /// One walk for all of them: a thousand-rule file is a thousand statements to look through.
    public var settings: [String: String] {
        var values: [String: String] = [:]
        for root in roots {
            for statement in units[root].file.statements {
                if case .set(let assignment) = statement.kind, let plain = assignment.value.plainValue {
                    values[assignment.name] = plain
                }
            }
        }
        return values
    }

    /// Whether any unit tests `duplicate`: only then are Message-IDs recorded (SPEC §5.2).
    public var usesDuplicateTest: Bool { units.contains { $0.traits.contains(.testsDuplicates) } }

    /// Whether any unit tests the decoded body: only then does intake decode MIME parts.
    public var usesBodyTest: Bool { units.contains { $0.traits.contains(.readsBody) } }

    /// What a file needs, learnt in one walk over its tree (or read from its compiled form, which skips the walk).
    public struct Traits: OptionSet, Sendable {
        /// The bits, as a compiled file stores them.
        public let rawValue: UInt8

        /// Creates traits from their bits.
        public init(rawValue: UInt8) { self.rawValue = rawValue }

        /// Some test reads the decoded body.
        public static let readsBody = Traits(rawValue: 1 << 0)
        /// Some test is `duplicate`.
        public static let testsDuplicates = Traits(rawValue: 1 << 1)
        /// The file has `include` statements.
        public static let includes = Traits(rawValue: 1 << 2)

        /// Walks `file` once.
        public init(of file: RuleFile) {
            var traits: Traits = []
            file.forEachTest { test in
                if test.readsBody { traits.insert(.readsBody) }
                if case .duplicate = test.kind { traits.insert(.testsDuplicates) }
            }
            if !file.includeStatements.isEmpty { traits.insert(.includes) }
            self = traits
        }
    }
}

extension Test {
    /// Whether the test reads the decoded body text.
    var readsBody: Bool {
        if case .match(.body, _, _) = kind { return true }
        return false
    }
}
