import MaildirLayout
import RuleEngine

/// Carries out a `DeliveryPlan` against the Maildir: every store in order, the fallback folder when the final one
/// fails (SPEC §3), and a log record for each step.
public struct Deliverer {
    let store: MaildirStore

    /// Creates a deliverer for one opened Maildir.
    public init(store: MaildirStore) { self.store = store }

    /// Performs the plan with the sealed spool.
    /// - Returns: the outcome, and the failures that were recovered (for the log).
    /// - Throws: `DeliveryError` when the message could not be stored anywhere: exit 75.
    public func carryOut(_ plan: DeliveryPlan, spool: SpoolFile) throws(DeliveryError) -> (Outcome, [DeliveryError]) {
        switch plan.disposition {
        case .discard(let reason): return (.discarded(reason: reason), [])
        case .reject(let text): return (.rejected(text: text), [])
        case .defer(let reason): return (.deferred(reason: reason), [])
        case .store: break
        }
        var stored: [StoredFile] = []
        var failures: [DeliveryError] = []
        for step in plan.stores {
            do {
                stored.append(try store.store(spool, in: step.target, flags: step.flags))
            } catch {
                // The default folder failing is the end: "INBOX cannot be written" (SPEC §3) gives 75.
                guard step.target != plan.fallback else { throw error }
                failures.append(error)
            }
        }
        let finalFailed = plan.stores.last.map { final in !stored.contains { $0.folder == final.target.description } } ?? true
        if finalFailed && !stored.contains(where: { $0.folder == plan.fallback.description }) {
            // SPEC §3: a failed target falls back to the default folder; if that fails too, the MTA keeps the message.
            stored.append(try store.store(spool, in: plan.fallback, flags: plan.stores.last?.flags ?? []))
        }
        return (.delivered(stored), failures + store.warnings)
    }
}
