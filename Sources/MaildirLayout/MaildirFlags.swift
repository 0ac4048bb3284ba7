/// The Maildir info flags roost can set (`flag seen|flagged|answered|draft`); maildir(5) "2," semantics.
public struct MaildirFlags: OptionSet, Sendable, Hashable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let draft = MaildirFlags(rawValue: 1 << 0)
    public static let flagged = MaildirFlags(rawValue: 1 << 1)
    public static let answered = MaildirFlags(rawValue: 1 << 2)
    public static let seen = MaildirFlags(rawValue: 1 << 3)

    /// Letters in ASCII order, as maildir(5) requires: D F R S.
    private static let letters: [(MaildirFlags, Character)] = [(.draft, "D"), (.flagged, "F"), (.answered, "R"), (.seen, "S")]

    /// The flag named in a rule (`seen`, `flagged`, `answered`, `draft`), or nil.
    public init?(named name: String) {
        switch name {
        case "seen": self = .seen
        case "flagged": self = .flagged
        case "answered": self = .answered
        case "draft": self = .draft
        default: return nil
        }
    }

    /// `:2,<letters>` for a flagged message, empty when there are none.
    public var infoSuffix: String {
        isEmpty ? "" : ":2," + String(Self.letters.filter { contains($0.0) }.map(\.1))
    }

    /// A message with flags has been "seen by a client" in Maildir terms, so it goes to cur/, else to new/.
    public var subdirectory: String { isEmpty ? "new" : "cur" }
}
