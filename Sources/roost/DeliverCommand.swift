import Delivery
import MaildirLayout
import MessageFormat
import RuleEngine

/// `roost [OPTIONS]`: the delivery Postfix runs, and its `--dry-run`. The pipeline reads top to bottom:
/// settle privileges → load the rules → stream stdin into tmp/ → evaluate → store → log.
struct DeliverCommand {
    static let systemRules = "/etc/roost/rules"

    let options: CommandLineOptions
    private(set) var environment: ProcessEnvironment
    let system: System

    /// Runs the delivery; every error comes back as the ending, never as a trap.
    mutating func run() -> Termination.Ending {
        do {
            return try deliver()
        } catch {
            return .failed(error)
        }
    }

    private mutating func deliver() throws -> Termination.Ending {
        let account = try Privileges(system: system).establish(userName: options.user, allowRoot: options.dryRun)
        if let account { environment.adopt(account) }
        var context = try DeliveryContext(options: options, environment: environment, account: account)
        let loaded = RuleLoader(
            system: system, user: account?.uid ?? system.userID().effective, keepingCompiledForms: !options.dryRun
        ).load(system: Self.systemRules, user: context.rules)
        // Never freed: releasing a 1000-rule tree node by node costs more than evaluating it, and the process ends
        // after this one delivery, which returns the memory at once.
        _ = Unmanaged.passRetained(KeptUntilExit(loaded))
        try context.apply(loaded.rules)
        if options.dryRun { return try dryRun(context, loaded) }
        var log = DeliveryLog(system: system)
        log.echoesToStandardError = options.verbose
        for problem in loaded.problems { log.write(LogRecord().noting(problem)) }
        let settings = MessageDelivery.Settings(
            maildir: context.maildir, home: context.home, limits: context.limits,
            collectsBodyText: loaded.rules.usesBodyTest)
        var delivery = MessageDelivery(system: system, log: log)
        let startedAt = system.monotonicMilliseconds()
        let duplicates = loaded.rules.usesDuplicateTest ? context.home.map { DuplicateStore(path: $0 + "/.roost/duplicates", system: system) } : nil
        var duplicateKey: [UInt8]?
        let outcome = try delivery.deliver(from: 0, settings: settings, envelope: context.envelope(for:)) { message, envelope, content in
            let programs = ProgramSettings(
                processEnvironment: environment.all, envelope: envelope, timeoutSeconds: context.timeout,
                mustFinishBy: startedAt + (Int(Deadline.defaultSeconds) - 30) * 1000)
            let delegate = DeliveryDelegate(
                content: content, system: system, settings: programs, duplicates: duplicates, limits: context.limits,
                collectsBodyText: loaded.rules.usesBodyTest)
            let evaluation = loaded.evaluate(
                message, envelope: envelope, environment: environment.all, delegate: delegate, tracing: options.verbose)
            if options.verbose { traceToStandardError(evaluation) }
            if duplicates != nil { duplicateKey = DeliveryDelegate.duplicateKey(message.headerBlock) }
            return (evaluation.plan, programs)
        }
        // Recorded only now, after the message is durably stored: a delivery that ended in 75 and is retried must
        // not find itself recorded (procmail's `formail -D` pitfall).
        if case .delivered(let files) = outcome, !files.isEmpty, let duplicates, let duplicateKey {
            do { try duplicates.record(duplicateKey, keepingDays: context.duplicateDays) } catch { log.write(.failure(error, fatal: false)) }
        }
        return .outcome(outcome)
    }

    private func evaluate(_ loaded: LoadedRules, _ message: ReceivedMessage, _ envelope: Envelope, tracing: Bool) -> Evaluation {
        loaded.evaluate(message, envelope: envelope, environment: environment.all, tracing: tracing)
    }

    /// `-v`: the trace, each line starting with `roost:` so that none can pass for a status code.
    private func traceToStandardError(_ evaluation: Evaluation) {
        let lines = evaluation.trace.map { "roost: " + TraceRenderer.line($0) + "\n" }.joined()
        try? system.writeAll(2, Array(lines.utf8))
    }

    /// Reads the message like a delivery but writes nothing, and prints what would happen (SPEC §6).
    private func dryRun(_ context: DeliveryContext, _ loaded: LoadedRules) throws -> Termination.Ending {
        let reader = MessageReader(system: system, limits: context.limits, collectsBodyText: loaded.rules.usesBodyTest)
        let message = try reader.read(0) { _ in }
        let envelope = context.envelope(for: message)
        let evaluation = evaluate(loaded, message, envelope, tracing: true)
        let report = DryRunReport(
            message: message, envelope: envelope, evaluation: evaluation, problems: loaded.problems, maildir: context.maildir)
        return .printed(options.format == .json ? report.json : report.text, .ok)
    }
}

/// Holds a value for the rest of the process (see `deliver()`).
private final class KeptUntilExit<Value> {
    let value: Value
    init(_ value: Value) { self.value = value }
}
