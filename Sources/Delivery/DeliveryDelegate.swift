import Glibc
import MessageFormat
import RuleEngine

/// Answers evaluation's two questions for a real delivery (STYLE.md §2): runs `filter` programs, whose output
/// becomes the message, and looks Message-IDs up in the duplicate store.
public final class DeliveryDelegate: EvaluationDelegate {
    let content: MessageContent
    let runner: ProcessRunner
    let settings: ProgramSettings
    let duplicates: DuplicateStore?
    let limits: MessageLimits
    let collectsBodyText: Bool
    let system: System
    /// Problems met on the way (a store that could not be read), for the log.
    public private(set) var problems: [DeliveryError] = []

    /// Creates the delegate of one delivery.
    public init(
        content: MessageContent, system: System, settings: ProgramSettings, duplicates: DuplicateStore?,
        limits: MessageLimits, collectsBodyText: Bool
    ) {
        self.content = content
        self.system = system
        runner = ProcessRunner(system: system)
        self.settings = settings
        self.duplicates = duplicates
        self.limits = limits
        self.collectsBodyText = collectsBodyText
    }

    /// The key of the duplicate store: the Message-ID, else the header block (SPEC §5.2).
    public static func duplicateKey(_ header: HeaderBlock) -> [UInt8] {
        header.messageID ?? header.unfoldedText
    }

    public func isDuplicate(_ message: MessageView, days: Int) -> Bool {
        do {
            return try duplicates?.contains(Self.duplicateKey(message.header), withinDays: days) ?? false
        } catch {
            // An unreadable store makes every message new: a duplicate delivered is better than a message lost.
            problems.append(error)
            return false
        }
    }

    /// Runs the program with the message on stdin. Its output, normalized like any input, becomes the message, but
    /// only when it exits 0 with a non-empty, whole output; otherwise the message stays as it was (SPEC §5.3).
    public func filter(_ arguments: [String], message: MessageView) -> (message: MessageView?, note: String) {
        guard let seconds = settings.timeLimit(now: system.monotonicMilliseconds()) else {
            return (nil, "no time left before roost's own deadline; not run")
        }
        do {
            let output = try content.store.makeSpool()
            defer { output.remove() }
            let input = try content.spool.openForReading()
            defer { system.closeQuietly(input) }
            guard let outputFD = output.writableDescriptor else { return (nil, "no output file") }
            let limit = max(64 << 20, 2 * content.spool.byteCount)
            let result = runner.run(
                ProgramRun(arguments: arguments, environment: settings.environment, input: .file(descriptor: input),
                           timeoutSeconds: seconds, outputLimit: limit),
                stdoutTo: outputFD)
            if let failure = Self.failure(of: result) { return (nil, failure) }
            try output.seal()
            return try adopt(output, envelope: message.envelope)
        } catch {
            return (nil, "\(error)")
        }
    }

    /// Reads the program's output back through intake (From_ line, CRLF) into a new spool, which becomes the message.
    private func adopt(_ output: SpoolFile, envelope: Envelope) throws(DeliveryError) -> (message: MessageView?, note: String) {
        let normalized = try content.store.makeSpool()
        let input = try output.openForReading()
        defer { system.closeQuietly(input) }
        let read = try MessageReader(system: system, limits: limits, collectsBodyText: collectsBodyText)
            .read(input) { bytes throws(DeliveryError) in try normalized.append(bytes) }
        guard read.size > 0 else {
            normalized.remove()
            return (nil, "the program wrote nothing")
        }
        try normalized.seal()
        content.replace(with: normalized, header: read.header)
        let view = MessageView(
            header: read.headerBlock, bodyText: read.bodyText, rawBody: read.bodyPrefix, size: read.size, envelope: envelope)
        return (view, "the program's output (\(read.size) bytes) replaced the message")
    }

    /// Why a program run does not count as success, or nil when it does.
    static func failure(of result: ProgramResult) -> String? {
        let said = String(decoding: result.stderr.prefix { $0 != 10 }, as: UTF8.self)
        let detail = said.isEmpty ? "" : ": \(said)"
        switch result.status {
        case .notStarted(let errno): return "could not start: \(errno)"
        case .timedOut: return "killed after the time limit"
        case .signaled(let signal): return "killed by signal \(signal)\(detail)"
        case .exited(let code) where code != 0: return "exited with status \(code)\(detail)"
        case .exited: break
        }
        if result.stdoutTruncated { return "its output was too large" }
        if let errno = result.inputReadError { return "reading the message failed: \(errno)" }
        if let errno = result.outputWriteError { return "writing its output failed: \(errno)" }
        return nil
    }
}
