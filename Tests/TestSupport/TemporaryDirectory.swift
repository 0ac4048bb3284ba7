import Foundation

/// A fresh directory under /tmp, removed when the value is released.
public final class TemporaryDirectory {
    /// Its absolute path.
    public let path: String

    /// Creates the directory (mode 0755, so an unprivileged delivery user can reach a Maildir below it).
    public init(_ label: String = "roost-test") {
        let template = "/tmp/\(label).XXXXXX"
        var bytes = Array(template.utf8CString)
        let made = bytes.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        path = made.map { String(cString: $0) } ?? template
        chmod(path, 0o755)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// A path below the directory.
    public func appending(_ component: String) -> String { path + "/" + component }

    /// Names in a subdirectory, sorted; empty when it does not exist.
    public func list(_ relative: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: appending(relative))) ?? []).sorted()
    }

    /// Writes bytes to a file below the directory and returns its path.
    @discardableResult
    public func write(_ bytes: [UInt8], to relative: String) -> String {
        let file = appending(relative)
        _ = FileManager.default.createFile(atPath: file, contents: Data(bytes))
        return file
    }

    /// The bytes of a file below the directory.
    public func read(_ relative: String) -> [UInt8] {
        FileManager.default.contents(atPath: appending(relative)).map { Array($0) } ?? []
    }
}

/// Builds a message as bytes from lines joined with LF; `\r` stays explicit where a test needs it.
public func message(_ lines: String...) -> [UInt8] {
    Array(lines.joined(separator: "\n").utf8)
}
