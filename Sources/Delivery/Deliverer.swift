import MaildirLayout
import RuleEngine

/// Carries out a `DeliveryPlan` against the Maildir: the header edits, every store in order, the fallback folder
/// when the final one fails (SPEC §3), and the problems met on the way for the log.
public struct Deliverer {
    let store: MaildirStore
    let programs: ProgramSettings
    let system: System

    /// Creates a deliverer for one opened Maildir, running programs with `programs`' environment and time limit.
    public init(store: MaildirStore, programs: ProgramSettings, system: System) {
        self.store = store
        self.programs = programs
        self.system = system
    }

    /// Performs the plan with the message's versions (as received, and after each filter).
    /// - Returns: the outcome, the failures that were recovered, and the programs that ran successfully (for the log).
    /// - Throws: `DeliveryError` when the message could not be stored anywhere: exit 75.
    public func carryOut(
        _ plan: DeliveryPlan, content: MessageContent
    ) throws(DeliveryError) -> (Outcome, [DeliveryError], [ProgramStep]) {
        // A deferred message is stored nowhere: the MTA retries the whole delivery.
        if case .defer(let reason) = plan.disposition { return (.deferred(reason: reason), [], []) }
        var versions = MessageVersions(originals: content.versions, edits: plan.headerEdits, store: store)
        defer { versions.removeEdited() }
        let (stored, failures, ran) = try storeAll(plan, versions: &versions)
        switch plan.disposition {
        case .discard(let reason) where stored.isEmpty: return (.discarded(reason: reason), failures + store.warnings, ran)
        case .reject(let text): return (.rejected(text: text), failures + store.warnings, ran)
        default: return (.delivered(stored), failures + store.warnings, ran)
        }
    }

    /// Stores, then the fallback if the final store failed, then programs, then the fallback if a final program
    /// failed. Whenever the message cannot be stored after all (exit 75), the copies already published are taken back,
    /// so the MTA's retry does not store them a second time (programs that ran cannot be taken back).
    private func storeAll(
        _ plan: DeliveryPlan, versions: inout MessageVersions
    ) throws(DeliveryError) -> ([StoredFile], [DeliveryError], [ProgramStep]) {
        var stored: [StoredFile] = []
        var failures: [DeliveryError] = []
        do throws(DeliveryError) {
            var finalFailed = false
            for step in plan.stores {
                do {
                    let bytes = try versions.content(step.contentVersion, after: step.editCount)
                    stored.append(try store.store(bytes, in: step.target, flags: step.flags))
                } catch {
                    // The default folder failing is the end: "INBOX cannot be written" (SPEC §3) gives 75.
                    guard step.target != plan.fallback else { throw error }
                    failures.append(error)
                    if step.isFinal { finalFailed = true }
                }
            }
            if finalFailed { try storeInFallback(plan, versions: &versions, stored: &stored) }
            var ran: [ProgramStep] = []
            for program in plan.programs {
                guard let failure = run(program, versions: &versions) else {
                    ran.append(program)
                    continue
                }
                failures.append(failure)
                // SPEC §3: a final pipe or forward that fails is an unusable target: the default folder takes it.
                if !program.isCopy { try storeInFallback(plan, versions: &versions, stored: &stored) }
            }
            return (stored, failures, ran)
        } catch {
            for file in stored { store.withdraw(file) }
            throw error
        }
    }

    private func storeInFallback(
        _ plan: DeliveryPlan, versions: inout MessageVersions, stored: inout [StoredFile]
    ) throws(DeliveryError) {
        guard !stored.contains(where: { $0.folder == plan.fallback.description }) else { return }
        let last = plan.stores.last
        let content = try versions.content(last?.contentVersion ?? Int.max, after: last?.editCount ?? plan.headerEdits.count)
        stored.append(try store.store(content, in: plan.fallback, flags: last?.flags ?? []))
    }
}

extension Deliverer {
    /// Runs a `pipe` or `forward` with the message (as edited so far) on stdin; nil when it succeeded (exit 0).
    func run(_ program: ProgramStep, versions: inout MessageVersions) -> DeliveryError? {
        let step = program.kind == .pipe ? "pipe" : "forward"
        var edits = Array(versions.edits.prefix(program.editCount))
        if program.kind == .forward {
            edits.insert(.add(name: ProgramStep.loopHeader, value: Array((programs.environment["RECIPIENT"] ?? "").utf8)), at: 0)
        }
        guard let seconds = programs.timeLimit(now: system.monotonicMilliseconds()) else {
            return DeliveryError(step, program.rule, reason: "no time left before roost's own deadline; not run")
        }
        do {
            let content = try versions.content(program.contentVersion, with: edits)
            let input = try content.openForReading()
            defer { system.closeQuietly(input) }
            let result = ProcessRunner(system: system).run(
                ProgramRun(arguments: program.arguments, environment: programs.environment, input: .file(descriptor: input),
                           timeoutSeconds: seconds))
            return DeliveryDelegate.failure(of: result).map { DeliveryError(step, program.rule, reason: "\(program.arguments.first ?? "") \($0)") }
        } catch {
            return error
        }
    }
}

/// The message as each store sees it: a version (as received, or after the Nth filter) with the first N header
/// edits applied. Each is written once; its copies are hard links.
struct MessageVersions {
    let originals: [(spool: SpoolFile, header: [UInt8])]
    let edits: [HeaderEdit]
    let store: MaildirStore
    private var edited: [Key: SpoolFile] = [:]

    private struct Key: Hashable {
        let version: Int
        let edits: [HeaderEdit]
    }

    init(originals: [(spool: SpoolFile, header: [UInt8])], edits: [HeaderEdit], store: MaildirStore) {
        self.originals = originals
        self.edits = edits
        self.store = store
    }

    /// Version `version` (clamped to the last) with the first `count` edits applied.
    /// - Throws: `DeliveryError` when the rewritten spool cannot be written.
    mutating func content(_ version: Int, after count: Int) throws(DeliveryError) -> SpoolFile {
        try content(version, with: Array(edits.prefix(count)))
    }

    /// Version `version` (clamped to the last) with exactly these edits applied.
    /// - Throws: `DeliveryError` when the rewritten spool cannot be written.
    mutating func content(_ version: Int, with edits: [HeaderEdit]) throws(DeliveryError) -> SpoolFile {
        let index = max(0, min(version, originals.count - 1))
        let original = originals[index]
        guard !edits.isEmpty else { return original.spool }
        let key = Key(version: index, edits: edits)
        if let known = edited[key] { return known }
        let rewritten = try store.rewrite(
            original.spool, header: HeaderEdit.apply(edits, to: original.header), replacingHeaderOf: original.header.count)
        edited[key] = rewritten
        return rewritten
    }

    /// Removes the rewritten spools from tmp/ (the originals are the caller's).
    func removeEdited() {
        for spool in edited.values { spool.remove() }
    }
}
