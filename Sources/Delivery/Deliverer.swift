import MaildirLayout
import RuleEngine

/// Carries out a `DeliveryPlan` against the Maildir: the header edits, every store in order, the fallback folder
/// when the final one fails (SPEC §3), and the problems met on the way for the log.
public struct Deliverer {
    let store: MaildirStore

    /// Creates a deliverer for one opened Maildir.
    public init(store: MaildirStore) { self.store = store }

    /// Performs the plan with the sealed spool, whose header section is `header`.
    /// - Returns: the outcome, and the failures that were recovered (for the log).
    /// - Throws: `DeliveryError` when the message could not be stored anywhere: exit 75.
    public func carryOut(_ plan: DeliveryPlan, spool: SpoolFile, header: [UInt8]) throws(DeliveryError) -> (Outcome, [DeliveryError]) {
        // A deferred message is stored nowhere: the MTA retries the whole delivery.
        if case .defer(let reason) = plan.disposition { return (.deferred(reason: reason), []) }
        var versions = MessageVersions(original: spool, header: header, edits: plan.headerEdits, store: store)
        defer { versions.removeEdited() }
        let (stored, failures) = try storeAll(plan, versions: &versions)
        switch plan.disposition {
        case .discard(let reason) where stored.isEmpty: return (.discarded(reason: reason), failures + store.warnings)
        case .reject(let text): return (.rejected(text: text), failures + store.warnings)
        default: return (.delivered(stored), failures + store.warnings)
        }
    }

    private func storeAll(_ plan: DeliveryPlan, versions: inout MessageVersions) throws(DeliveryError) -> ([StoredFile], [DeliveryError]) {
        var stored: [StoredFile] = []
        var failures: [DeliveryError] = []
        for step in plan.stores {
            do {
                stored.append(try store.store(try versions.content(after: step.editCount), in: step.target, flags: step.flags))
            } catch {
                // The default folder failing is the end: "INBOX cannot be written" (SPEC §3) gives 75.
                guard step.target != plan.fallback else { throw error }
                failures.append(error)
            }
        }
        // Programs (pipe, forward) are not run yet: a final one is an unusable target, so the default folder.
        var finalFailed = false
        for program in plan.programs {
            failures.append(DeliveryError(program.kind == .pipe ? "pipe" : "forward", program.rule, reason: "programs are not supported yet"))
            if !program.isCopy { finalFailed = true }
        }
        if case .store = plan.disposition, let final = plan.stores.last, !stored.contains(where: { $0.folder == final.target.description }) {
            finalFailed = true
        }
        if finalFailed && !stored.contains(where: { $0.folder == plan.fallback.description }) {
            // SPEC §3: a failed target falls back to the default folder; if that fails too, the MTA keeps the message.
            let last = plan.stores.last
            let content = try versions.content(after: last?.editCount ?? plan.headerEdits.count)
            stored.append(try store.store(content, in: plan.fallback, flags: last?.flags ?? []))
        }
        return (stored, failures)
    }
}

/// The message as each store sees it: the spool as received, or a rewritten spool with the first N header edits.
/// Each version is written once; its copies are hard links.
struct MessageVersions {
    let original: SpoolFile
    let header: [UInt8]
    let edits: [HeaderEdit]
    let store: MaildirStore
    private var edited: [Int: SpoolFile] = [:]

    init(original: SpoolFile, header: [UInt8], edits: [HeaderEdit], store: MaildirStore) {
        self.original = original
        self.header = header
        self.edits = edits
        self.store = store
    }

    /// The version with the first `count` edits applied.
    /// - Throws: `DeliveryError` when the rewritten spool cannot be written.
    mutating func content(after count: Int) throws(DeliveryError) -> SpoolFile {
        guard count > 0 else { return original }
        if let known = edited[count] { return known }
        let rewritten = try store.rewrite(original, header: HeaderEdit.apply(Array(edits.prefix(count)), to: header), replacingHeaderOf: header.count)
        edited[count] = rewritten
        return rewritten
    }

    /// Removes the rewritten spools from tmp/ (the original is the caller's).
    func removeEdited() {
        for spool in edited.values { spool.remove() }
    }
}
