import Delivery
import MessageFormat
import RuleEngine

/// The text `--dry-run` prints: what roost read and where the message would go. Nothing is written.
struct DryRunReport {
    let message: ReceivedMessage
    let envelope: Envelope
    let plan: DeliveryPlan
    let context: DeliveryContext

    var text: String {
        var lines = ["roost dry run: nothing is written"]
        lines.append("message: \(message.size) bytes, sender \(envelope.sender.map { "<\($0)>" } ?? "unknown")")
        for store in plan.stores {
            let where_ = store.target.description
            lines.append("deliver: \(where_) (\(context.maildir)/\(store.flags.subdirectory)/)")
        }
        lines.append("exit status: \(message.size == 0 ? "0 (empty message, nothing stored)" : "0")")
        return lines.joined(separator: "\n") + "\n"
    }
}
