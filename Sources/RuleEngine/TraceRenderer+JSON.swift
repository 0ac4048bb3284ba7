extension TraceRenderer {
    /// The same content as one JSON object; the schema is documented in roost(1).
    public var json: String {
        JSONValue.object([
            ("message", summaryJSON),
            ("problems", .array(problems.map(JSONValue.string))),
            ("events", .array(evaluation.trace.map(Self.json))),
            ("outcome", outcomeJSON),
            ("closest", .array(evaluation.closest.map(Self.json))),
            ("exit_status", .number(exitStatus)),
        ]).text + "\n"
    }

    private var summaryJSON: JSONValue {
        .object([
            ("size", .number(summary.size)), ("message_id", Self.optional(summary.messageID)),
            ("sender", Self.optional(summary.sender)), ("recipient", Self.optional(summary.recipient)),
            ("extension", Self.optional(summary.extension)),
        ])
    }

    static func optional(_ value: String?) -> JSONValue { value.map(JSONValue.string) ?? .null }

    static func json(_ event: TraceEvent) -> JSONValue {
        let location = optional(event.location?.description)
        switch event.kind {
        case .test(let description, let outcome):
            var members: [(String, JSONValue)] = [("kind", .string("test")), ("location", location), ("test", .string(description))]
            switch outcome {
            case .matched(let text, let captures):
                members += [("result", .string("matched")), ("matched", optional(text))]
                members.append(("captures", .object(captures.map { ($0.0, .string($0.1)) })))
            case .notMatched: members.append(("result", .string("no match")))
            case .limitExceeded(let reason): members += [("result", .string("limit")), ("reason", .string(reason))]
            }
            return .object(members)
        case .action(let description):
            return .object([("kind", .string("action")), ("location", location), ("action", .string(description))])
        case .note(let text):
            return .object([("kind", .string("note")), ("location", location), ("note", .string(text))])
        }
    }

    private var outcomeJSON: JSONValue {
        let plan = evaluation.plan
        return .object([
            ("disposition", .string(plan.disposition.name)), ("text", Self.optional(plan.disposition.text)),
            ("rule", Self.optional(plan.rule)),
            ("stores", .array(plan.stores.map { store in
                .object([
                    ("folder", .string(store.target.description)), ("path", .string(path(store))),
                    ("flags", .string(store.flags.infoSuffix)), ("rule", Self.optional(store.rule)),
                ])
            })),
            ("programs", .array(plan.programs.map { .array($0.arguments.map(JSONValue.string)) })),
            ("header_edits", .array(plan.headerEdits.map(Self.json))),
        ])
    }

    static func json(_ edit: HeaderEdit) -> JSONValue {
        switch edit {
        case .add(let name, let value):
            .object([("add", .string(name)), ("value", .string(String(decoding: value, as: UTF8.self)))])
        case .remove(let name): .object([("remove", .string(name))])
        }
    }
}
