import MaildirLayout
import MessageFormat
import RuleLanguage

extension Evaluator {
    /// One delegating line per action (STYLE.md §6); each helper records the trace and the plan.
    func perform(_ action: Action) -> Flow {
        let at = location(action.range)
        switch action.kind {
        case .deliver(let folder, let isCopy): deliver(folder, isCopy: isCopy, at: at)
        case .discard: finish(.discard(reason: "discard rule at \(at)"), at: at, "discard the message")
        case .reject(let text): finish(.reject(text: scope.interpolate(text.parts)), at: at, "reject the message")
        case .defer(let text): finish(.defer(reason: scope.interpolate(text.parts)), at: at, "defer: the MTA retries later")
        case .forward(let addresses, let isCopy): forward(addresses, isCopy: isCopy, at: at)
        case .pipe(let command, let isCopy): pipe(command, isCopy: isCopy, at: at)
        case .filter(let command): filter(command, at: at)
        case .addHeader(let name, let value): addHeader(name.name, value, at: at)
        case .removeHeader(let name): removeHeader(name.name, at: at)
        case .flag(let flag): setFlag(flag, at: at)
        case .log(let text): log(scope.interpolate(text.parts), at: at)
        case .stop: record("stop", at: at); return .stop
        }
        return action.isFinal ? .stop : .next
    }

    func record(_ description: @autoclosure () -> String, at location: RuleLocation) {
        guard tracing else { return }
        trace.append(TraceEvent(kind: .action(description: description()), location: location))
    }

    /// A final action other than `stop`: the message's fate is decided here.
    private func finish(_ disposition: DeliveryPlan.Disposition, at location: RuleLocation, _ description: String) {
        plan.disposition = disposition
        plan.rule = location.description
        finalActionRan = true
        record(description, at: location)
    }

    private func deliver(_ folder: StringLiteral, isCopy: Bool, at location: RuleLocation) {
        store(in: folderTarget(folder, at: location), isCopy: isCopy, at: location)
    }

    private func store(in target: FolderTarget, isCopy: Bool, at location: RuleLocation) {
        plan.stores.append(
            DeliveryPlan.Store(
                target: target, flags: flags, rule: location.description, editCount: plan.headerEdits.count,
                isFinal: !isCopy, contentVersion: filterCount))
        record("\(isCopy ? "copy to" : "deliver to") \(target)\(flags.isEmpty ? "" : " with flags \(flags.infoSuffix)")", at: location)
        if !isCopy {
            plan.rule = location.description
            finalActionRan = true
        }
    }

    /// The folder a `deliver`/`copy` names; one that cannot exist goes to the default folder (SPEC §5.4).
    func folderTarget(_ folder: StringLiteral, at location: RuleLocation) -> FolderTarget {
        let name = scope.interpolateFolder(folder.parts)
        do {
            return try FolderTarget(parsing: name)
        } catch {
            let text = "folder \"\(name)\" cannot exist (\(error)); the default folder \(defaultFolder) instead"
            trace.append(TraceEvent(kind: .note(text), location: location))
            plan.logLines.append("\(location): \(text)")
            return defaultFolder
        }
    }

    private func forward(_ addresses: [StringLiteral], isCopy: Bool, at location: RuleLocation) {
        let recipients = addresses.map { scope.interpolate($0.parts) }
        // Every forward marks its copy with the forwarding recipient. A message that already went through this
        // recipient, or through one it would go to now, is in a loop: store it instead of sending it round again.
        let seen = Set(message.header.fields(named: ProgramStep.loopHeader).map { $0.decodedValue.lowercased() })
        let looped = ([message.envelope.recipient ?? ""] + recipients).filter { seen.contains($0.lowercased()) }
        if !looped.isEmpty {
            note("forward loop (\(ProgramStep.loopHeader): \(looped.joined(separator: ", "))); not forwarded", at: nil)
            if !isCopy { store(in: defaultFolder, isCopy: false, at: location) }
            return
        }
        let sendmail = scope.variables["sendmail"] ?? "/usr/sbin/sendmail"
        let sender = message.envelope.sender ?? ""
        let arguments = [sendmail, "-oi", "-f", sender, "--"] + recipients
        addProgram(.forward, arguments, isCopy: isCopy, at: location, "forward to \(recipients.joined(separator: ", "))")
    }

    private func pipe(_ command: Command, isCopy: Bool, at location: RuleLocation) {
        let arguments = command.words.map { scope.interpolate($0.parts) }
        addProgram(.pipe, arguments, isCopy: isCopy, at: location, "pipe to \(arguments.joined(separator: " "))")
    }

    private func addProgram(
        _ kind: ProgramStep.Kind, _ arguments: [String], isCopy: Bool, at location: RuleLocation, _ description: String
    ) {
        plan.programs.append(
            ProgramStep(kind: kind, arguments: arguments, isCopy: isCopy, rule: location.description,
                        editCount: plan.headerEdits.count, contentVersion: filterCount))
        record((isCopy ? "copy: " : "") + description, at: location)
        if !isCopy {
            plan.rule = location.description
            finalActionRan = true
        }
    }

    private func filter(_ command: Command, at location: RuleLocation) {
        let arguments = command.words.map { scope.interpolate($0.parts) }
        let (filtered, note) = delegate.filter(arguments, message: message)
        if let filtered {
            message = filtered
            filterCount += 1
        }
        record("filter through \(arguments.joined(separator: " ")): \(note)", at: location)
        if filtered == nil { plan.logLines.append("\(location): filter \(arguments.first ?? ""): \(note); message unchanged") }
    }

    private func addHeader(_ name: String, _ value: StringLiteral, at location: RuleLocation) {
        let text = scope.interpolateHeaderValue(value.parts)
        message.header.fields.insert(HeaderField(name: name, rawValue: Array(text.utf8)), at: 0)
        plan.headerEdits.append(.add(name: name, value: Array(text.utf8)))
        record("add header \(name): \(text)", at: location)
    }

    private func removeHeader(_ name: String, at location: RuleLocation) {
        message.header.fields.removeAll { $0.hasName(name) }
        plan.headerEdits.append(.remove(name: name))
        record("remove header \(name)", at: location)
    }

    private func setFlag(_ flag: MessageFlag, at location: RuleLocation) {
        flags.insert(MaildirFlags(named: flag.rawValue) ?? [])
        record("flag \(flag.rawValue) for the deliveries that follow", at: location)
    }

    private func log(_ text: String, at location: RuleLocation) {
        plan.logLines.append("\(location): \(text)")
        record("log \"\(text)\"", at: location)
    }
}
