import Testing

@testable import RuleLanguage

/// Checks `check`'s diagnostics against markers in the text (STYLE §10): each keycap emoji (1️⃣ … 9️⃣)
/// marks where a diagnostic must start, and `expected` gives its message. The markers are removed
/// before checking, so nobody counts columns by hand. Every diagnostic must have its marker, and
/// every marker its diagnostic.
func expectDiagnostics(
    _ marked: String, _ expected: [String: String],
    sourceLocation: Testing.SourceLocation = #_sourceLocation
) {
    let (text, markers) = stripMarkers(marked)
    let (_, diagnostics) = check(SourceFile(path: "test.roostrc", text: text))
    var unmatched = expected
    for diagnostic in diagnostics {
        let marker = markers.first { $0.value == diagnostic.location.description }?.key
        guard let marker, let message = unmatched.removeValue(forKey: marker) else {
            Issue.record(
                "unexpected \(diagnostic.severity.rawValue) at \(diagnostic.location): \(diagnostic.message)",
                sourceLocation: sourceLocation)
            continue
        }
        #expect(diagnostic.message == message, "at \(marker)", sourceLocation: sourceLocation)
    }
    for (marker, message) in unmatched.sorted(by: { $0.key < $1.key }) {
        Issue.record("no diagnostic at \(marker) (\(markers[marker] ?? "no such marker")): \(message)", sourceLocation: sourceLocation)
    }
}

/// The text without its keycap markers, and each marker's "line:column" in that text.
func stripMarkers(_ marked: String) -> (String, [String: String]) {
    var text = String.UnicodeScalarView()
    var markers: [String: String] = [:]
    var line = 1
    var column = 1
    let scalars = Array(marked.unicodeScalars)
    var index = 0
    while index < scalars.count {
        let scalar = scalars[index]
        if index + 2 < scalars.count, scalar.properties.numericType != nil, scalars[index + 1] == "\u{FE0F}",
            scalars[index + 2] == "\u{20E3}"
        {
            markers[String(String.UnicodeScalarView([scalar, scalars[index + 1], scalars[index + 2]]))] = "\(line):\(column)"
            index += 3
            continue
        }
        text.append(scalar)
        if scalar == "\n" { (line, column) = (line + 1, 1) } else { column += 1 }
        index += 1
    }
    return (String(text), markers)
}
