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

        /// Creates a store step.
        public init(target: FolderTarget, flags: MaildirFlags = [], rule: String? = nil) {
            self.target = target
            self.flags = flags
            self.rule = rule
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
    }

    /// The copies to store, in order.
    public var stores: [Store]
    /// The end of the evaluation.
    public var disposition: Disposition
    /// The folder that takes the message when a store fails (SPEC §3): `set default`, INBOX unless changed.
    public var fallback: FolderTarget

    /// Creates a plan.
    public init(stores: [Store], disposition: Disposition, fallback: FolderTarget = .inbox) {
        self.stores = stores
        self.disposition = disposition
        self.fallback = fallback
    }

    /// The plan without rules: everything goes to the default folder.
    public static func deliverToDefault(_ folder: FolderTarget = .inbox) -> DeliveryPlan {
        DeliveryPlan(stores: [Store(target: folder)], disposition: .store, fallback: folder)
    }
}
