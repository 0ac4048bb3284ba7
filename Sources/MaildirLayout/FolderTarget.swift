/// Where a `deliver`/`copy` sends a message: a folder of the user's Maildir, or another Maildir by path (SPEC §5.3).
public enum FolderTarget: Sendable, Hashable, CustomStringConvertible {
    /// A Maildir++ folder of the root Maildir (INBOX included).
    case folder(FolderName)
    /// A literal `"/abs/path/"` or `"~/path/"` naming another Maildir; `~/` is kept for the caller to resolve.
    case maildir(path: String)

    /// Reads a literal target: a leading `/` or `~/` names a Maildir by path, anything else is a folder name.
    /// - Throws: `FolderNameError` for a folder name that cannot exist.
    public init(parsing text: String) throws(FolderNameError) {
        if text.hasPrefix("/") || text.hasPrefix("~/") {
            self = .maildir(path: text)
        } else {
            self = .folder(try FolderName(parsing: text))
        }
    }

    /// The root Maildir.
    public static let inbox = FolderTarget.folder(.inbox)

    public var description: String {
        switch self {
        case .folder(let name): name.description
        case .maildir(let path): path
        }
    }
}
