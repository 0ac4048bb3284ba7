// The checker's warnings about names: variables, captures, settings and folders (SPEC §5.4–§5.6).

import MaildirLayout
extension CheckWalk {
    /// The variables with a meaning to roost (SPEC §5.5).
    static let settings: Set<String> = ["maildir", "default", "logfile", "sendmail", "timeout", "bodylimit", "duplicatedays"]

    /// Environment variables Postfix sets, offered as suggestions. Any upper-case name counts as
    /// environment, since the environment is open-ended.
    static let commonEnvironment = [
        "HOME", "USER", "LOGNAME", "SHELL", "PATH", "LOCAL", "DOMAIN", "EXTENSION", "RECIPIENT", "ORIGINAL_RECIPIENT",
        "SENDER", "CLIENT_ADDRESS", "CLIENT_HELO", "CLIENT_HOSTNAME", "CLIENT_PROTOCOL",
    ]

    /// Warns about `$name`s nothing defines and `$1`s no regex in scope captures.
    mutating func checkInterpolations(in literal: StringLiteral, scope: CaptureScope) {
        for part in literal.parts {
            switch part {
            case .literal: continue
            case .variable(let name, let range):
                interpolated.insert(name)
                checkVariable(name, at: range, scope: scope)
            case .capture(let number, let range):
                checkCapture(number, at: range, scope: scope)
            }
        }
    }

    private mutating func checkVariable(_ name: String, at range: SourceRange, scope: CaptureScope) {
        let isEnvironment = name.utf8.allSatisfy { !(UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0) }
        guard !isEnvironment, !scope.isUncertain, !Self.settings.contains(name), !assigned.contains(name),
            !scope.names.contains(name)
        else { return }
        let known = Self.settings.union(assigned).union(scope.names).union(Self.commonEnvironment)
        let suggestion = Suggestions.closest(to: name, among: known.sorted())
        diagnostics.append(
            Diagnostic(
                .warning, "unknown variable '\(name)'" + (suggestion.map { "; did you mean '\($0)'?" } ?? ""),
                at: range,
                hint: suggestion == nil
                    ? "set it first with 'set \(name) = \"…\"', or name a group (?<\(name)>…) in the 'if' around it" : nil))
    }

    private mutating func checkCapture(_ number: Int, at range: SourceRange, scope: CaptureScope) {
        guard !scope.isUncertain else { return }
        if !scope.hasRegex {
            diagnostics.append(
                Diagnostic(
                    .warning, "'$\(number)' is always empty here", at: range,
                    hint: "captures come from a regular expression in the condition of an enclosing 'if'"))
        } else if number > scope.groupCount {
            let groups = scope.groupCount == 1 ? "1 group" : "\(scope.groupCount) groups"
            diagnostics.append(
                Diagnostic(.warning, "'$\(number)' is always empty here: the regular expressions in scope have \(groups)", at: range))
        }
    }

    /// Warns about a `set` of a free name that is never used but looks like a setting, e.g. `logfle`.
    mutating func warnAboutMisspeltSettings(_ statements: [Statement]) {
        for assignment in statements.assignments where !Self.settings.contains(assignment.name) {
            guard !interpolated.contains(assignment.name),
                let setting = Suggestions.closest(to: assignment.name, among: Self.settings.sorted())
            else { continue }
            diagnostics.append(
                Diagnostic(
                    .warning, "variable '\(assignment.name)' is set but never used; did you mean '\(setting)'?",
                    at: assignment.nameRange))
        }
    }

    /// Warns about a folder name no Maildir++ folder can have, by the same rules delivery applies
    /// (MaildirLayout's `FolderName`). Interpolations count as one harmless level part, since SPEC §5.4
    /// sanitises their values; paths (`/…`, `~/…`) name other Maildirs.
    mutating func checkFolderName(_ literal: StringLiteral) {
        let name = literal.parts.map { part in if case .literal(let text) = part { text } else { "x" } }.joined()
        do {
            _ = try FolderTarget(parsing: name)
        } catch {
            diagnostics.append(
                Diagnostic(
                    .warning, "folder name cannot exist: \(error)", at: literal.range,
                    hint: "no such folder can exist, so the message would go to the default folder"))
        }
    }
}
