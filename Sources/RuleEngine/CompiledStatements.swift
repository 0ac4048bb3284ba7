import RuleLanguage

/// A compiled file's top-level statements in order: those kept whole (in the unit's `RuleFile`), and the deferred
/// ones, which stay bytes of the compiled file until evaluation needs them. The evaluator checks a deferred
/// statement's screen before it makes a `Statement` of it: a thousand-rule file is read on every delivery, and
/// making a thousand statements that a screen then sets aside cost more than screening them.
public struct CompiledStatements: Sendable {
    /// One top-level statement.
    enum Entry: Sendable {
        /// A statement kept whole: its index in the unit's `file.statements`.
        case whole(Int)
        /// A deferred statement: where its screen and its encoding are in `bytes`, and where it is in the source.
        case deferred(screen: Range<Int>, encoded: Range<Int>, range: SourceRange)
    }

    /// The compiled file's bytes.
    let bytes: [UInt8]
    /// The top-level statements in file order.
    let entries: [Entry]

    /// All top-level statements in file order, the deferred ones as `.deferred` statements: for traces, which run
    /// every statement test by test, and for tests.
    public func statements(keptWhole: [Statement]) -> [Statement] {
        entries.map { entry in
            switch entry {
            case .whole(let index): keptWhole[index]
            case .deferred(_, let encoded, let range): statement(encoded: encoded, range: range)
            }
        }
    }

    /// The deferred statement encoded at `encoded`.
    func statement(encoded: Range<Int>, range: SourceRange) -> Statement {
        Statement(kind: .deferred(DeferredStatement(encoded: bytes[encoded])), range: range)
    }
}
