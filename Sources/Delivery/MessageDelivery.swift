import MessageFormat
import RuleEngine

/// One real delivery, from the input descriptor to the stored files: open the Maildir, stream the message into
/// tmp/, seal it, ask for the plan, carry it out, log. Each failure is logged and thrown as a `DeliveryError` (75).
public struct MessageDelivery {
    /// Where the message goes and how much of it is kept in memory.
    public struct Settings {
        /// The absolute path of the root Maildir.
        public var maildir: String
        /// The user's home, for `~/` Maildir targets.
        public var home: String?
        /// The body bytes kept in memory for the rules (`bodylimit`).
        public var bodyLimit: Int

        /// Creates the settings.
        public init(maildir: String, home: String?, bodyLimit: Int) {
            self.maildir = maildir
            self.home = home
            self.bodyLimit = bodyLimit
        }
    }

    let system: System
    let log: DeliveryLog

    /// Creates a delivery over a system seam and a log.
    public init(system: System, log: DeliveryLog) {
        self.system = system
        self.log = log
    }

    /// Delivers the message read from `input`.
    /// - Parameters:
    ///   - envelope: the envelope, once the message's From_ line and headers are known.
    ///   - plan: the rules' decision for the message and envelope.
    /// - Throws: `DeliveryError` when the message could not be stored: exit 75, nothing visible in new/ or cur/.
    public func deliver(
        from input: CInt, settings: Settings, envelope: (ReceivedMessage) -> Envelope,
        plan: (ReceivedMessage, Envelope) -> DeliveryPlan
    ) throws(DeliveryError) -> Outcome {
        var record = LogRecord()
        do {
            let store = try MaildirStore(rootPath: settings.maildir, home: settings.home, system: system)
            let spool = try store.makeSpool()
            defer { spool.remove() }
            let message = try MessageReader(system: system, bodyPrefixLimit: settings.bodyLimit)
                .read(input) { bytes throws(DeliveryError) in try spool.append(bytes) }
            try spool.seal()
            let messageEnvelope = envelope(message)
            record = LogRecord.about(message, envelope: messageEnvelope)
            guard message.size > 0 else { return logged(.discarded(reason: "empty message"), record) }
            let (outcome, recovered) = try Deliverer(store: store)
                .carryOut(plan(message, messageEnvelope), spool: spool)
            for problem in recovered { log.write(.failure(problem, about: record, fatal: false)) }
            return logged(outcome, record)
        } catch {
            log.write(.failure(error, about: record))
            throw error
        }
    }

    private func logged(_ outcome: Outcome, _ record: LogRecord) -> Outcome {
        log.write(record.describing(outcome))
        return outcome
    }
}
