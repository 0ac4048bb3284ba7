/// The questions evaluation has to ask the outside before the plan is done (STYLE.md §2).
public protocol EvaluationDelegate {
    /// Whether this message was delivered within `days` days (the `duplicate` test).
    func isDuplicate(_ message: MessageView, days: Int) -> Bool
    /// Runs a `filter` program with the message on stdin; its output replaces the message. nil: it failed (or this
    /// is a dry run), and the message stays as it is; `note` says why, for the trace and the log.
    func filter(_ arguments: [String], message: MessageView) -> (message: MessageView?, note: String)
}

/// The delegate of dry runs and of deliveries without programs: nothing runs, nothing was seen before.
public struct InertDelegate: EvaluationDelegate {
    /// Creates the delegate.
    public init() {}

    public func isDuplicate(_ message: MessageView, days: Int) -> Bool { false }

    public func filter(_ arguments: [String], message: MessageView) -> (message: MessageView?, note: String) {
        (nil, "not run in a dry run")
    }
}
