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
        let log = DeliveryLog(system: system)
        if options.dryRun { return try dryRun(context) }
        let store: MaildirStore
        do {
            store = try MaildirStore(rootPath: context.maildir, home: context.home, system: system)
        } catch {
            log.write(.failure(error))
            throw error
        }
        let spool = try store.makeSpool()
        defer { spool.remove() }
        let message: ReceivedMessage
        do {
            message = try MessageReader(system: system, bodyPrefixLimit: context.bodyLimit)
                .read(0) { bytes throws(DeliveryError) in try spool.append(bytes) }
            try spool.seal()
        } catch {
            log.write(.failure(error))
            throw error
        }
        var record = LogRecord.about(message, envelope: context.envelope(for: message))
        guard message.size > 0 else {
            record["status"] = "discarded"
            record["reason"] = "empty message"
            log.write(record)
            return .outcome(.discarded(reason: "empty message"))
        }
        let plan = DeliveryPlan.deliverToDefault()
        do {
            let (outcome, recovered) = try Deliverer(store: store).carryOut(plan, spool: spool)
            for problem in recovered { log.write(.failure(problem, about: record, fatal: false)) }
            log.write(record.describing(outcome))
            return .outcome(outcome)
        } catch {
            log.write(.failure(error, about: record))
            throw error
        }
    }

    /// Reads the message like a delivery but writes nothing, and prints what would happen.
    private func dryRun(_ context: DeliveryContext) throws -> Termination.Ending {
        let message = try MessageReader(system: system, bodyPrefixLimit: context.bodyLimit).read(0) { _ in }
        let envelope = context.envelope(for: message)
        let plan = DeliveryPlan.deliverToDefault()
        return .printed(DryRunReport(message: message, envelope: envelope, plan: plan, context: context).text, .ok)
    }
}
