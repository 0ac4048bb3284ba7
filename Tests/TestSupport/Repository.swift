import Foundation

/// The repository's own files, found from this file's path: the Rules/ examples and their sample messages, the man
/// pages.
public enum Repository {
    /// The repository root.
    public static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    /// The example rule files in Rules/, by name.
    public static var ruleFiles: [String] { names(in: "Rules").filter { $0.hasSuffix(".roostrc") } }

    /// The sample messages in Rules/samples/, by name.
    public static var samples: [String] { names(in: "Rules/samples") }

    private static func names(in directory: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: root + "/" + directory)) ?? []).sorted()
    }
}
