import MaildirLayout

/// Renders an evaluation for people (`--dry-run`) and for programs (`--format json`), SPEC §6.
public struct TraceRenderer {
    /// Facts about the message shown before the trace.
    public struct Summary: Sendable {
        public var size: Int
        public var messageID: String?
        public var sender: String?
        public var recipient: String?
        public var `extension`: String?

        /// Creates a summary.
        public init(size: Int, messageID: String?, sender: String?, recipient: String?, extension: String?) {
            self.size = size
            self.messageID = messageID
            self.sender = sender
            self.recipient = recipient
            self.extension = `extension`
        }
    }

    let summary: Summary
    let evaluation: Evaluation
    /// Rule files that were not used, and why.
    let problems: [String]
    /// The directory a store would write into (`/home/bob/Maildir/.Junk/cur/`).
    let path: (DeliveryPlan.Store) -> String

    /// Creates a renderer.
    public init(summary: Summary, evaluation: Evaluation, problems: [String], path: @escaping (DeliveryPlan.Store) -> String) {
        self.summary = summary
        self.evaluation = evaluation
        self.problems = problems
        self.path = path
    }

    /// The exit status a real delivery would have.
    public var exitStatus: Int {
        switch evaluation.plan.disposition {
        case .store, .discard: 0
        case .reject: 77
        case .defer: 75
        }
    }

    /// One line per event, then the outcome.
    public var text: String {
        var lines = ["roost dry run: nothing is written, run or sent"]
        lines.append("message: \(summary.size) bytes" + (summary.messageID.map { ", Message-ID \($0)" } ?? "")
            + ", sender " + (summary.sender.map { "<\($0)>" } ?? "unknown")
            + (summary.extension.map { ", extension \($0)" } ?? ""))
        lines += problems.map { "rules: \($0)" }
        lines += evaluation.trace.map(Self.line)
        lines += outcomeLines
        if !evaluation.closest.isEmpty {
            lines.append("closest: the last test that failed in each rule:")
            lines += evaluation.closest.map { "  " + Self.line($0) }
        }
        lines.append("exit status: \(exitStatus)")
        return lines.joined(separator: "\n") + "\n"
    }

    /// One event as a line: `file:line: what → result`.
    public static func line(_ event: TraceEvent) -> String {
        let prefix = event.location.map { "\($0): " } ?? ""
        switch event.kind {
        case .test(let description, let outcome): return prefix + description + " → " + Self.describe(outcome)
        case .action(let description): return prefix + description
        case .note(let text): return prefix + "note: " + text
        }
    }

    static func describe(_ outcome: TestOutcome) -> String {
        switch outcome {
        case .matched(let text, let captures):
            let shown = text.map { " \(JSONValue.quote($0))" } ?? ""
            let groups = captures.map { "\($0.0)=\(JSONValue.quote($0.1))" }.joined(separator: " ")
            return "matched" + shown + (groups.isEmpty ? "" : " (\(groups))")
        case .notMatched: return "no match"
        case .limitExceeded(let reason): return "no match (\(reason))"
        }
    }

    private var outcomeLines: [String] {
        let plan = evaluation.plan
        var lines = plan.stores.map { store in
            "outcome: store in \(store.target)\(store.flags.isEmpty ? "" : " (flags \(store.flags.infoSuffix))") → \(path(store))"
        }
        lines += plan.programs.map { "outcome: \($0.kind == .pipe ? "pipe to" : "run") \($0.arguments.joined(separator: " "))" }
        switch plan.disposition {
        case .store: break
        case .discard: lines.append("outcome: discard")
        case .reject(let text): lines.append("outcome: reject: \(text)")
        case .defer(let reason): lines.append("outcome: defer: \(reason)")
        }
        return lines
    }
}
