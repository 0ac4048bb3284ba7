/// A Maildir++ folder as rules name it: `Lists/swift`, or `INBOX` (any case) for the root (SPEC §4).
public struct FolderName: Sendable, Hashable, CustomStringConvertible {
    /// The levels below the root; empty for INBOX.
    public let levels: [String]

    /// The root Maildir.
    public static let inbox = FolderName(validatedLevels: [])

    /// Longest level once encoded: most file systems allow 255 bytes per name, and the level is one name.
    public static let maximumLevelBytes = 255

    private init(validatedLevels: [String]) { levels = validatedLevels }

    /// Parses `A/B/C`; `/` separates levels and `INBOX` in any case is the root.
    /// - Throws: `FolderNameError` when a level is empty, `.`/`..`, holds a control character or a `.`
    ///   (Maildir++'s own separator on disk), or is too long.
    public init(parsing text: String) throws(FolderNameError) {
        if text.uppercased() == "INBOX" {
            self = .inbox
            return
        }
        let levels = text.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        for level in levels { try Self.validate(level) }
        self.init(validatedLevels: levels)
    }

    /// Creates the name from levels that come from interpolated, already sanitised values.
    /// - Throws: `FolderNameError` as `init(parsing:)`.
    public init(levels: [String]) throws(FolderNameError) {
        guard !levels.isEmpty else {
            self = .inbox
            return
        }
        for level in levels { try Self.validate(level) }
        self.init(validatedLevels: levels)
    }

    /// Whether this is the root Maildir.
    public var isInbox: Bool { levels.isEmpty }

    /// The name as rules and logs write it.
    public var description: String { isInbox ? "INBOX" : levels.joined(separator: "/") }

    /// The Maildir++ directory under the root, `.Lists.swift`, each level in modified UTF-7; nil for INBOX.
    public var directoryName: String? {
        isInbox ? nil : "." + levels.map(ModifiedUTF7.encode).joined(separator: ".")
    }

    /// The name Dovecot lists in `subscriptions`: levels joined by its Maildir++ separator, in modified UTF-7.
    public var subscriptionName: String { levels.map(ModifiedUTF7.encode).joined(separator: ".") }

    private static func validate(_ level: String) throws(FolderNameError) {
        if level.isEmpty { throw .emptyLevel }
        if level == "." || level == ".." { throw .dotLevel(level) }
        if level.unicodeScalars.contains(where: isControl) { throw .controlCharacter(level) }
        if level.contains(".") { throw .containsDot(level) }
        if ModifiedUTF7.encode(level).utf8.count > maximumLevelBytes { throw .tooLong(level) }
    }

    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
    }
}

/// Why a folder name cannot exist on disk.
public enum FolderNameError: Error, Equatable, Sendable, CustomStringConvertible {
    case emptyLevel
    case dotLevel(String)
    case controlCharacter(String)
    case containsDot(String)
    case tooLong(String)

    public var description: String {
        switch self {
        case .emptyLevel: "a folder name has an empty level (leading, trailing or double '/')"
        case .dotLevel(let level): "'\(level)' cannot be a folder level"
        case .controlCharacter: "a folder name cannot contain control characters"
        case .containsDot(let level): "'\(level)': '.' separates levels on disk; use '/' between levels"
        case .tooLong: "a folder level is longer than \(FolderName.maximumLevelBytes) bytes once encoded"
        }
    }
}
