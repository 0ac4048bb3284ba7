import Delivery
import MaildirLayout
import MessageFormat
import RuleEngine

/// `roost [OPTIONS]`: the delivery Postfix runs, and its `--dry-run`. The pipeline reads top to bottom:
/// settle privileges → open the Maildir → stream stdin into tmp/ → plan → store → log.
struct DeliverCommand {
    let options: CommandLineOptions
    let environment: ProcessEnvironment
    let system: System

    /// Runs the delivery; every error comes back as the ending, never as a trap.
    func run() -> Termination.Ending {
        do {
            return try deliver()
        } catch {
            return .failed(error)
        }
    }

    private func deliver() throws -> Termination.Ending {
        let account = try Privileges(system: system).establish(userName: options.user, allowRoot: options.dryRun)
        let context = try DeliveryContext(options: options, environment: environment, account: account)
        if options.dryRun { return try dryRun(context) }
        let settings = MessageDelivery.Settings(maildir: context.maildir, home: context.home, bodyLimit: context.bodyLimit)
        var log = DeliveryLog(system: system)
        log.echoesToStandardError = options.verbose
        let outcome = try MessageDelivery(system: system, log: log).deliver(
            from: 0, settings: settings, envelope: context.envelope(for:), plan: { _, _ in .deliverToDefault() })
        return .outcome(outcome)
    }

    /// Reads the message like a delivery but writes nothing, and prints what would happen.
    private func dryRun(_ context: DeliveryContext) throws -> Termination.Ending {
        let message = try MessageReader(system: system, bodyPrefixLimit: context.bodyLimit).read(0) { _ in }
        let envelope = context.envelope(for: message)
        let plan = DeliveryPlan.deliverToDefault()
        return .printed(DryRunReport(message: message, envelope: envelope, plan: plan, context: context).text, .ok)
    }
}
