/// Turns a value from a message (a capture, a header) into exactly one folder level (SPEC §5.4), so no value can
/// add a level or name a path outside the Maildir.
public enum InterpolatedLevel {
    /// `/` and `.` become `_`, control characters (C0 incl. TAB, DEL, C1) are dropped. The result may still be
    /// empty or too long: `FolderName(levels:)` rejects those and the caller falls back to the default folder.
    public static func sanitize(_ value: String) -> String {
        var result = String.UnicodeScalarView()
        for scalar in value.unicodeScalars where !FolderName.isControl(scalar) {
            result.append(scalar == "/" || scalar == "." ? "_" : scalar)
        }
        return String(result)
    }
}
