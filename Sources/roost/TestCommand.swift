import Delivery
import Glibc
import MessageFormat
import RuleEngine

/// `roost test [--rules FILE] [--format text|json] [-v] PATH…` (SPEC §6): the dry-run evaluation of every message
/// of .eml files, mboxes and Maildirs, one line per message (with `-v`, its whole trace first), then a table
/// folder → count. Nothing is written, created, run or sent.
///
/// Exit status: 0 when every message was read; 64 for a bad command line, which includes a PATH that is missing,
/// unreadable, or a directory that is not a Maildir (checked before any message is read, so a typo costs
/// nothing); 1 when a message or mailbox failed while being read (reported on stderr, the rest still counted).
struct TestCommand {
    let options: CommandLineOptions
    let environment: ProcessEnvironment
    let system: System

    /// Runs the test; every error comes back as the ending, never as a trap.
    func run() -> Termination.Ending {
        do {
            return try test()
        } catch {
            return .failed(error)
        }
    }

    private func test() throws -> Termination.Ending {
        // The 300 s backstop protects Postfix from a hung delivery; a person testing a large mbox waits for it.
        alarm(0)
        let account = try Privileges(system: system).establish(userName: options.user, allowRoot: true)
        var context = try DeliveryContext(options: options, environment: messageEnvironment, account: account)
        let checker = MailboxReader(system: system, limits: context.limits, collectsBodyText: false)
        for path in options.paths {
            do {
                try checker.check(path)
            } catch {
                throw CommandLineError(message: error.description)
            }
        }
        let loaded = RuleLoader(system: system, user: account?.uid ?? system.userID().effective)
            .load(system: DeliverCommand.systemRules, user: context.rules)
        try context.apply(loaded.rules)
        let reader = MailboxReader(system: system, limits: context.limits, collectsBodyText: loaded.rules.usesBodyTest)
        var report = TestReport(format: options.format, system: system, problems: loaded.problems)
        for path in options.paths {
            do {
                try reader.read(path) { source, result in
                    switch result {
                    case .success(let message): report.add(source, evaluate(message, loaded, context))
                    case .failure(let error): report.skip(error)
                    }
                }
            } catch {
                report.skip(error)
            }
        }
        return report.finish()
    }

    /// The same evaluation as `--dry-run`; with `-v`, the same trace too.
    private func evaluate(_ message: ReceivedMessage, _ loaded: LoadedRules, _ context: DeliveryContext)
        -> TestReport.Evaluated
    {
        let envelope = context.envelope(for: message)
        let evaluation = loaded.evaluate(
            message, envelope: envelope, environment: environment.all, tracing: options.verbose)
        guard options.verbose else { return TestReport.Evaluated(evaluation: evaluation, trace: nil) }
        let report = DryRunReport(
            message: message, envelope: envelope, evaluation: evaluation, problems: [], maildir: context.maildir)
        return TestReport.Evaluated(evaluation: evaluation, trace: options.format == .json ? nil : report.text)
    }

    /// Postfix's `$SENDER` belongs to the message being delivered, not to stored mail: each message's own From_ line
    /// (or `-f`, or its Return-Path) names its sender.
    private var messageEnvironment: ProcessEnvironment {
        var copy = environment
        copy.all["SENDER"] = nil
        return copy
    }
}
