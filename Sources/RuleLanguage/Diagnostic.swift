/// One problem found in a rule file. Problems are collected as values, never thrown (STYLE §3).
public struct Diagnostic: Equatable, Sendable {
    /// Errors void the rule file (SPEC §3); warnings only inform `roost check`.
    public enum Severity: String, Equatable, Sendable {
        /// The rule file cannot be used.
        case error
        /// The rule file works, but probably not as meant.
        case warning
    }

    /// Error or warning.
    public let severity: Severity
    /// One line, lower case, no final period, e.g. "unknown action 'delivr'; did you mean 'deliver'?".
    public let message: String
    /// Where the problem is; the caret goes under its start.
    public let range: SourceRange
    /// A suggestion for the fix, printed on a line of its own.
    public let hint: String?

    /// Creates a diagnostic.
    public init(_ severity: Severity, _ message: String, at range: SourceRange, hint: String? = nil) {
        self.severity = severity
        self.message = message
        self.range = range
        self.hint = hint
    }

    /// Where the problem starts.
    public var location: SourceLocation { range.start }

    /// The diagnostic as `roost check` prints it: `file:line:col: error: message`, the source line, and
    /// a caret under the column, with the line's tabs copied so the caret lines up (STYLE §3).
    public func render(source: SourceFile) -> String {
        render(source: source, lines: LineTable(source))
    }

    /// Renders several diagnostics of one file in the given order, each ending in a line break.
    public static func render(_ diagnostics: [Diagnostic], source: SourceFile) -> String {
        let lines = LineTable(source)
        return diagnostics.map { $0.render(source: source, lines: lines) }.joined()
    }

    private func render(source: SourceFile, lines: LineTable) -> String {
        let line = lines.line(location.line)
        var caret = ""
        var column = 1
        for byte in line where !isContinuationByte(byte) {
            guard column < location.column else { break }
            caret.append(byte == UInt8(ascii: "\t") ? "\t" : " ")
            column += 1
        }
        // A problem at the end of a line ("expected '}'") puts the caret just past its last character.
        caret += String(repeating: " ", count: max(0, location.column - column))
        var text = "\(source.path):\(location.line):\(location.column): \(severity.rawValue): \(message)\n"
        text += String(decoding: line, as: UTF8.self) + "\n" + caret + "^\n"
        if let hint { text += "hint: \(hint)\n" }
        return text
    }
}

extension [Diagnostic] {
    /// True if any of the diagnostics is an error, which voids the rule file (SPEC §3). On the concrete array, not
    /// on Sequence: a generic extension is called unspecialized from other modules, and that looks up `Element` at
    /// run time on every delivery (0.1 M instructions).
    public var containsErrors: Bool { contains { $0.severity == .error } }

    /// The diagnostics in file order; those at the same place keep the order they were found in.
    func inFileOrder() -> [Diagnostic] {
        enumerated().sorted { ($0.element.location.offset, $0.offset) < ($1.element.location.offset, $1.offset) }
            .map(\.element)
    }
}
