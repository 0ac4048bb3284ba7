import Delivery
import Glibc
import RuleLanguage

/// `roost check FILE…`: every problem of every file as `file:line:col: error: …` with the line and a caret
/// (SPEC §5.6); exit 1 on any error, 0 when only warnings (or nothing) were found.
struct CheckCommand {
    let paths: [String]
    let system: System

    func run() -> Termination.Ending {
        var output = ""
        var failed = false
        for path in paths {
            let bytes: [UInt8]
            do {
                bytes = try system.readAll(path: path)
            } catch {
                output += "\(path): error: cannot read the file: \(error)\n"
                failed = true
                continue
            }
            output += safetyWarning(path)
            let source = SourceFile(path: path, bytes: bytes)
            let (_, diagnostics) = check(source)
            if !diagnostics.isEmpty { output += Diagnostic.render(diagnostics, source: source) }
            failed = failed || diagnostics.containsErrors
        }
        return .printed(output, failed ? .checkFailed : .ok)
    }

    /// Delivery ignores a rule file its user does not own or others can write (SPEC §3); say so here, where the
    /// user can act on it, since a delivery only logs it.
    private func safetyWarning(_ path: String) -> String {
        do {
            _ = try RuleFileReader(system: system, user: system.userID().real).read(path)
        } catch {
            switch error {
            case .writableByOthers, .foreignOwner, .tooLarge: return "\(path): warning: delivery would ignore this file: \(error)\n"
            default: break
            }
        }
        return ""
    }
}
