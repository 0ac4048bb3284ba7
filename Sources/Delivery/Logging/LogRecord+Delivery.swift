import MessageFormat
import RuleEngine

extension LogRecord {
    /// The keys every line about this message starts with: msgid, from, size.
    public static func about(_ message: ReceivedMessage, envelope: Envelope) -> LogRecord {
        var record = LogRecord()
        if let id = message.headerBlock.messageID { record["msgid"] = String(decoding: id, as: UTF8.self) }
        if let sender = envelope.sender { record["from"] = "<\(sender)>" }
        record["size"] = String(message.size)
        return record
    }

    /// A line about this message carrying a note (a `log` action, a rule problem).
    public func noting(_ text: String) -> LogRecord {
        var record = self
        record["note"] = text
        return record
    }

    /// The record completed with what happened to the message.
    public func describing(_ outcome: Outcome) -> LogRecord {
        var record = self
        switch outcome {
        case .delivered(let files):
            record["action"] = "deliver"
            record["folder"] = files.map(\.folder).joined(by: ",")
            record["file"] = files.map(\.relativePath).joined(by: ",")
            record["status"] = "sent"
        case .discarded(let reason):
            record["action"] = "discard"
            record["status"] = "discarded"
            record["reason"] = reason
        case .rejected(let text):
            record["action"] = "reject"
            record["status"] = "rejected"
            record["reason"] = text
        case .deferred(let reason):
            record["action"] = "defer"
            record["status"] = "deferred"
            record["reason"] = reason
        }
        return record
    }

    /// The record completed with a program that took the message: `action=forward to=<addresses>` or
    /// `action=pipe to=<program>`.
    public func describing(_ program: ProgramStep) -> LogRecord {
        var record = self
        record["rule"] = program.rule
        switch program.kind {
        case .forward:
            record["action"] = program.isCopy ? "copy-forward" : "forward"
            record["to"] = program.arguments.drop { $0 != "--" }.dropFirst().joined(by: ",")
        case .pipe:
            record["action"] = program.isCopy ? "copy-pipe" : "pipe"
            record["to"] = program.arguments.first
        }
        record["status"] = "sent"
        return record
    }

    /// A line for a failure: `status=deferred` when it ends the delivery with 75 (the MTA retries), `status=recovered`
    /// when a fallback took the message or the problem did not concern the message itself.
    public static func failure(_ error: DeliveryError, about context: LogRecord = LogRecord(), fatal: Bool = true) -> LogRecord {
        var record = context
        record["status"] = fatal ? "deferred" : "recovered"
        record["error"] = error.description
        return record
    }
}
