import Delivery
import RuleEngine
import SystemPackage

/// What `roost test` prints, written as it goes so that a million messages cost no memory: one line (or JSON
/// object) per message, then the table folder → count, sorted by count, then name, and the totals.
struct TestReport {
    /// One message's evaluation, and its rendered trace for `-v`.
    struct Evaluated {
        var evaluation: Evaluation
        var trace: String?
    }

    /// How many messages ended each way.
    private struct Totals {
        var messages = 0
        var stored = 0
        var discarded = 0
        var rejected = 0
        var deferred = 0
        var unreadable = 0

        /// The counts by name, as the JSON output has them.
        var members: [(String, Int)] {
            [
                ("messages", messages), ("stored", stored), ("discarded", discarded), ("rejected", rejected),
                ("deferred", deferred), ("unreadable", unreadable),
            ]
        }
    }

    private static let flushSize = 1 << 16
    let format: CommandLineOptions.TraceFormat
    let system: System
    private var pending: [UInt8] = []
    private var writeError: Errno?
    private var folders: [String: Int] = [:]
    private var programs: [String: Int] = [:]
    private var totals = Totals()

    /// Starts the output with the problems of the rule files, if any.
    init(format: CommandLineOptions.TraceFormat, system: System, problems: [String]) {
        self.format = format
        self.system = system
        switch format {
        case .text: write(problems.map { "rules: \($0)\n" }.joined())
        case .json: write("{\"problems\":" + JSONValue.array(problems.map(JSONValue.string)).text + ",\"messages\":[")
        }
    }

    /// Counts a message and prints its line: `inbox.mbox#12: Lists/swift-users`.
    mutating func add(_ source: String, _ result: Evaluated) {
        let plan = result.evaluation.plan
        totals.messages += 1
        switch plan.disposition {
        case .store: totals.stored += 1
        case .discard: totals.discarded += 1
        case .reject: totals.rejected += 1
        case .defer: totals.deferred += 1
        }
        for store in plan.stores { folders[store.target.description, default: 0] += 1 }
        for program in plan.programs { programs[Self.describe(program), default: 0] += 1 }
        switch format {
        case .text:
            let line = "\(Self.oneLine(source)): \(Self.outcome(plan))\n"
            write(result.trace.map { $0 + line + "\n" } ?? line)
        case .json: writeElement(Self.json(source, plan))
        }
    }

    /// Reports a message or mailbox that could not be read, on stderr; the run goes on, and ends in 1.
    mutating func skip(_ error: MailboxError) {
        totals.unreadable += 1
        if format == .json {
            writeElement(.object([("source", .string(error.source)), ("error", .string(error.reason))]))
        }
        flush()
        try? system.writeAll(2, Array("roost: \(Self.oneLine(error.description))\n".utf8))
    }

    /// Prints the table and the totals.
    mutating func finish() -> Termination.Ending {
        let folderRows = Self.sorted(folders)
        let programRows = Self.sorted(programs)
        switch format {
        case .text: write(table(folderRows + programRows))
        // The object opened in init: its "messages" array ends here, then the rest of its members.
        case .json: write("]," + String(JSONValue.object(json(folderRows, programRows)).text.dropFirst()) + "\n")
        }
        flush()
        if let writeError, writeError != .brokenPipe {
            try? system.writeAll(2, Array("roost: cannot write the output: \(writeError)\n".utf8))
        }
        return .printed("", totals.unreadable > 0 || writeError != nil ? .checkFailed : .ok)
    }

    private func table(_ rows: [(String, Int)]) -> String {
        let t = totals
        let width = max(5, String(t.messages).count)
        let pad = { (count: Int) in String(repeating: " ", count: width - String(count).count) + String(count) }
        var text = "\n" + String(repeating: " ", count: width - 5) + "count  folder\n"
        text += rows.map { "\(pad($0.1))  \($0.0)\n" }.joined()
        text += "\(pad(t.messages))  messages: \(t.stored) stored, \(t.discarded) discarded, \(t.rejected) rejected, "
        return text + "\(t.deferred) deferred, \(t.unreadable) unreadable\n"
    }

    private func json(_ folderRows: [(String, Int)], _ programRows: [(String, Int)]) -> [(String, JSONValue)] {
        [
            ("folders", .array(folderRows.map { .object([("folder", .string($0.0)), ("count", .number($0.1))]) })),
            ("programs", .array(programRows.map { .object([("program", .string($0.0)), ("count", .number($0.1))]) })),
            ("totals", .object(totals.members.map { ($0.0, .number($0.1)) })),
        ]
    }

    /// By count, largest first, then by name.
    private static func sorted(_ counts: [String: Int]) -> [(String, Int)] {
        counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    /// `Lists/x`, `Archive, Junk (flags :2,S)`, `pipe to /usr/bin/x`, `reject: text`: what happens, in order.
    static func outcome(_ plan: DeliveryPlan) -> String {
        var parts = plan.stores.map { "\($0.target)" + ($0.flags.isEmpty ? "" : " (flags \($0.flags.infoSuffix))") }
        parts += plan.programs.map(describe)
        switch plan.disposition {
        case .store: break
        case .discard(let reason): parts.append("discard: \(reason)")
        case .reject(let text): parts.append("reject: \(oneLine(text))")
        case .defer(let reason): parts.append("defer: \(oneLine(reason))")
        }
        return parts.joined(separator: ", ")
    }

    private static func describe(_ program: ProgramStep) -> String {
        switch program.kind {
        case .pipe: "pipe to \(program.arguments.first ?? "")"
        case .forward: "forward to \(program.arguments.drop { $0 != "--" }.dropFirst().joined(separator: " "))"
        }
    }

    private static func json(_ source: String, _ plan: DeliveryPlan) -> JSONValue {
        return .object([
            ("source", .string(source)), ("disposition", .string(plan.disposition.name)),
            ("text", plan.disposition.text.map(JSONValue.string) ?? .null),
            ("folders", .array(plan.stores.map { .string($0.target.description) })),
            ("flags", .array(plan.stores.map { .string($0.flags.infoSuffix) })),
            ("programs", .array(plan.programs.map { .array($0.arguments.map(JSONValue.string)) })),
            ("rule", plan.rule.map(JSONValue.string) ?? .null),
        ])
    }

    /// A value from a file name or a rule, kept on its one line.
    private static func oneLine(_ text: String) -> String {
        String(text.map { $0.isNewline ? " " : $0 })
    }

    private mutating func writeElement(_ value: JSONValue) {
        write((totals.messages + totals.unreadable > 1 ? "," : "") + value.text)
    }

    private mutating func write(_ text: String) {
        pending += text.utf8
        if pending.count >= Self.flushSize { flush() }
    }

    private mutating func flush() {
        defer { pending.removeAll(keepingCapacity: true) }
        guard writeError == nil, !pending.isEmpty else { return }
        do {
            try system.writeAll(1, pending)
        } catch {
            writeError = error
        }
    }
}
