import Delivery
import MaildirLayout
import MessageFormat
import RuleEngine

/// What `--dry-run` prints: the trace of SPEC §6 with the on-disk directories a delivery would use.
struct DryRunReport {
    let message: ReceivedMessage
    let envelope: Envelope
    let evaluation: Evaluation
    let problems: [String]
    let maildir: String

    private var renderer: TraceRenderer {
        let summary = TraceRenderer.Summary(
            size: message.size,
            messageID: message.headerBlock.messageID.map { String(decoding: $0, as: UTF8.self) },
            sender: envelope.sender, recipient: envelope.recipient, extension: envelope.extension)
        return TraceRenderer(summary: summary, evaluation: evaluation, problems: problems, path: directory(of:))
    }

    var text: String { renderer.text }
    var json: String { renderer.json }

    /// `<root>/.Folder/new/` (or `cur/` with flags); another Maildir by its own path.
    private func directory(of store: DeliveryPlan.Store) -> String {
        let root = maildir.hasSuffix("/") ? String(maildir.dropLast()) : maildir
        let base: String
        switch store.target {
        case .folder(let name): base = name.directoryName.map { "\(root)/\($0)" } ?? root
        case .maildir(let path): base = path.hasSuffix("/") ? String(path.dropLast()) : path
        }
        return "\(base)/\(store.flags.subdirectory)/"
    }
}
