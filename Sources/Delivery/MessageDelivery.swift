import MessageFormat
import RuleEngine

/// One real delivery, from the input descriptor to the stored files: open the Maildir, stream the message into
/// tmp/, seal it, ask for the plan, carry it out, log. Each failure is logged and thrown as a `DeliveryError` (75).
public struct MessageDelivery {
    /// Where the message goes and what intake keeps of it.
    public struct Settings {
        /// The absolute path of the root Maildir.
        public var maildir: String
        /// The user's home, for `~/` Maildir targets and a relative `logfile`.
        public var home: String?
        /// Bounds on what is kept in memory.
        public var limits: MessageLimits
        /// Whether a rule reads the decoded body.
        public var collectsBodyText: Bool

        /// Creates the settings.
        public init(maildir: String, home: String?, limits: MessageLimits = .standard, collectsBodyText: Bool = false) {
            self.maildir = maildir
            self.home = home
            self.limits = limits
            self.collectsBodyText = collectsBodyText
        }
    }

    let system: System
    var log: DeliveryLog

    /// Creates a delivery over a system seam and a log.
    public init(system: System, log: DeliveryLog) {
        self.system = system
        self.log = log
    }

    /// Delivers the message read from `input`.
    /// - Parameters:
    ///   - envelope: the envelope, once the message's From_ line and headers are known.
    ///   - decide: the rules' plan for the message and envelope, and how programs run; a `filter` may replace the
    ///     content it is handed.
    /// - Throws: `DeliveryError` when the message could not be stored: exit 75, nothing visible in new/ or cur/.
    public mutating func deliver(
        from input: CInt, settings: Settings, envelope: (ReceivedMessage) -> Envelope,
        decide: (ReceivedMessage, Envelope, MessageContent) -> (DeliveryPlan, ProgramSettings)
    ) throws(DeliveryError) -> Outcome {
        var record = LogRecord()
        do {
            let store = try MaildirStore(rootPath: settings.maildir, home: settings.home, system: system)
            let spool = try store.makeSpool()
            defer { spool.remove() }
            let message = try MessageReader(system: system, limits: settings.limits, collectsBodyText: settings.collectsBodyText)
                .read(input) { bytes throws(DeliveryError) in try spool.append(bytes) }
            try spool.seal()
            let messageEnvelope = envelope(message)
            record = LogRecord.about(message, envelope: messageEnvelope)
            guard message.size > 0 else { return logged(.discarded(reason: "empty message"), record) }
            let content = MessageContent(spool: spool, header: message.header, store: store)
            let (plan, programs) = decide(message, messageEnvelope, content)
            openLogfile(plan.logfile, home: settings.home)
            for line in plan.logLines { log.write(record.noting(line)) }
            record["rule"] = plan.rule
            let (outcome, recovered, ran) = try Deliverer(store: store, programs: programs, system: system)
                .carryOut(plan, content: content)
            for problem in recovered { log.write(.failure(problem, about: record, fatal: false)) }
            for program in ran { log.write(record.describing(program)) }
            // A message that only went to programs has its lines above; a `deliver` line would name no folder.
            if case .delivered(let files) = outcome, files.isEmpty, !ran.isEmpty { return outcome }
            return logged(outcome, record)
        } catch {
            log.write(.failure(error, about: record))
            throw error
        }
    }

    /// `set logfile`: a relative path is taken from the home directory; a file that cannot be opened is logged
    /// to syslog and the delivery goes on.
    private mutating func openLogfile(_ path: String?, home: String?) {
        guard let path, !path.isEmpty else { return }
        let absolute: String
        if path.hasPrefix("/") {
            absolute = path
        } else if let home, home.hasPrefix("/") {
            absolute = home + "/" + (path.hasPrefix("~/") ? String(path.dropFirst(2)) : path)
        } else {
            // Without a home a relative path would name a file relative to Postfix's queue directory.
            log.write(.failure(DeliveryError("open", path, reason: "no home directory for a relative logfile"), fatal: false))
            return
        }
        do {
            try log.open(logfile: absolute)
        } catch {
            log.write(.failure(error, fatal: false))
        }
    }

    private func logged(_ outcome: Outcome, _ record: LogRecord) -> Outcome {
        log.write(record.describing(outcome))
        return outcome
    }
}
