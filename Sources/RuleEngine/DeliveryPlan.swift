import MaildirLayout

/// What the rules decided for one message, in order; the evaluator builds it and never performs it.
public struct DeliveryPlan: Equatable, Sendable {
    /// One copy of the message to store.
    public struct Store: Equatable, Sendable {
        /// The folder or Maildir.
        public var target: FolderTarget
        /// Maildir flags set by `flag` before this store.
        public var flags: MaildirFlags
        /// Where the rule that asked for it is (`.roostrc:12`), nil for the default delivery.
        public var rule: String?
        /// How many of the plan's header edits came before this store: a copy made before an `add header` is
        /// stored without it (SPEC §5.3: edits are visible to later deliveries).
        public var editCount: Int
        /// Whether this is the final delivery (`deliver`, or the default one), not a `copy`.
        public var isFinal: Bool
        /// How many `filter`s had replaced the message before this store: it stores that version.
        public var contentVersion: Int

        /// Creates a store step.
        public init(
            target: FolderTarget, flags: MaildirFlags = [], rule: String? = nil, editCount: Int = 0, isFinal: Bool = true,
            contentVersion: Int = 0
        ) {
            self.target = target
            self.flags = flags
            self.rule = rule
            self.editCount = editCount
            self.isFinal = isFinal
            self.contentVersion = contentVersion
        }
    }

    /// How the message leaves roost.
    public enum Disposition: Equatable, Sendable {
        /// Stored: `stores` holds every copy, the final delivery last.
        case store
        /// Dropped on purpose.
        case discard(reason: String)
        /// Refused: exit 77 with this text.
        case reject(text: String)
        /// Left with the MTA for a retry: exit 75.
        case `defer`(reason: String)

        /// The name traces and reports use: `store`, `discard`, `reject`, `defer`.
        public var name: String {
            switch self {
            case .store: "store"
            case .discard: "discard"
            case .reject: "reject"
            case .defer: "defer"
            }
        }

        /// The reason or the text it carries, if any.
        public var text: String? {
            switch self {
            case .store: nil
            case .discard(let text), .reject(let text), .defer(let text): text
            }
        }
    }

    /// The copies to store, in order.
    public var stores: [Store]
    /// The end of the evaluation.
    public var disposition: Disposition
    /// The folder that takes the message when a store fails (SPEC §3): `set default`, INBOX unless changed.
    public var fallback: FolderTarget
    /// The rule of the final action, for the log line's `rule=` (nil: the default delivery).
    public var rule: String?
    /// Header edits in order, applied to the stored message (`add header`, `remove header`).
    public var headerEdits: [HeaderEdit] = []
    /// Programs the rules asked for (`pipe`, `forward`), in order.
    public var programs: [ProgramStep] = []
    /// Lines for the log (`log "text"`, and rule problems met on the way).
    public var logLines: [String] = []
    /// `set logfile`: where the log line also goes.
    public var logfile: String?

    /// Creates a plan.
    public init(stores: [Store], disposition: Disposition, fallback: FolderTarget = .inbox, rule: String? = nil) {
        self.stores = stores
        self.disposition = disposition
        self.fallback = fallback
        self.rule = rule
    }

    /// The plan without rules: everything goes to the default folder.
    public static func deliverToDefault(_ folder: FolderTarget = .inbox) -> DeliveryPlan {
        DeliveryPlan(stores: [Store(target: folder)], disposition: .store, fallback: folder)
    }
}

/// A change to the message's header made by a rule.
public enum HeaderEdit: Hashable, Sendable {
    /// `add header "Name" "value"`: prepended.
    case add(name: String, value: [UInt8])
    /// `remove header "Name"`: every occurrence, any case.
    case remove(name: String)
}

/// A program a rule runs with the message on its stdin (SPEC §5.3), already split into words and interpolated.
public struct ProgramStep: Equatable, Sendable {
    /// What kind of program step.
    public enum Kind: Equatable, Sendable {
        /// `pipe "program args…"`
        case pipe
        /// `forward "addr"…`: `$sendmail -oi -f SENDER -- ADDR…`
        case forward
    }

    /// What kind.
    public var kind: Kind
    /// argv, program first; each word one argument whatever its value holds.
    public var arguments: [String]
    /// Whether evaluation went on (`copy pipe`, `copy forward`); a final one that fails falls back to the default.
    public var isCopy: Bool
    /// Where the rule is.
    public var rule: String
    /// How many header edits came before it (the program sees those).
    public var editCount: Int
    /// How many `filter`s had replaced the message before it (the program sees that version).
    public var contentVersion: Int

    /// Creates a program step.
    public init(kind: Kind, arguments: [String], isCopy: Bool, rule: String, editCount: Int = 0, contentVersion: Int = 0) {
        self.kind = kind
        self.arguments = arguments
        self.isCopy = isCopy
        self.rule = rule
        self.editCount = editCount
        self.contentVersion = contentVersion
    }

    /// The header a forwarded copy carries, so that a message forwarded back is recognised (and stored instead).
    public static let loopHeader = "X-Roost-Loop"
}
