import MaildirLayout
import RuleLanguage

extension Evaluator {
    /// The folder of the default delivery and of every fallback (`set default`, SPEC §5.5).
    var defaultFolder: FolderTarget {
        guard let name = scope.variables["default"], let target = try? FolderTarget(parsing: name) else { return .inbox }
        return target
    }

    /// `set NAME = "value"`: later statements see it; `logfile` also reaches the plan (SPEC §5.5).
    func assign(_ assignment: Assignment, at range: SourceRange) -> Flow {
        // A folder or a file name built from message values: each value stays one name level (SPEC §5.4), so no
        // header can point the default delivery or the log file anywhere else.
        let namesAPath = assignment.name == "default" || assignment.name == "logfile"
        let value = namesAPath ? scope.interpolateFolder(assignment.value.parts) : scope.interpolate(assignment.value.parts)
        scope.variables[assignment.name] = value
        if assignment.name == "logfile" { plan.logfile = value }
        if assignment.name == "default", (try? FolderTarget(parsing: value)) == nil {
            note("default folder \"\(value)\" cannot exist; INBOX stays the default", at: range)
        }
        return .next
    }

    /// `include "path"`: the loader resolved it; runs here, in the same scope.
    func include(_ path: StringLiteral, at range: SourceRange) -> Flow {
        guard let included = rules.units[unit].includes[range.start.offset], includeDepth < RuleSet.maximumIncludeDepth else {
            note("include \(path.plainValue ?? "") was not loaded; skipped", at: range)
            return .next
        }
        includeDepth += 1
        defer { includeDepth -= 1 }
        return run(unit: included)
    }

    /// The test as written in the rule file.
    func describe(_ test: Test) -> String {
        rules.units[unit].text(of: test.range)
    }

    /// A deferred statement that gets here (its screen did not rule it out, or a trace needs it run test by test)
    /// is decoded and run like any other.
    func runDeferred(_ deferred: DeferredStatement) -> Flow {
        guard let statement = try? RuleFileCodec.decode(statement: deferred.encoded) else {
            note("a compiled rule could not be decoded; it was skipped", at: nil)
            return .next
        }
        return run(statement)
    }
}
