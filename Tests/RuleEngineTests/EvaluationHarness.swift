import MaildirLayout
import MessageFormat
import RuleEngine
import RuleLanguage

/// Evaluates rule text against an in-memory message: no file system, no process.
func evaluate(
    _ rules: String, _ message: [UInt8], body: String = "", size: Int? = nil,
    envelope: Envelope = Envelope(sender: "alice@example.org", recipient: "bob@roost.test", extension: nil),
    environment: [String: String] = ["HOME": "/home/bob", "USER": "bob"]
) -> Evaluation {
    let source = SourceFile(path: ".roostrc", text: rules)
    let (file, diagnostics) = parse(source)
    precondition(!diagnostics.containsErrors, "test rules do not parse: \(diagnostics)")
    let set = RuleSet(units: [RuleSet.Unit(name: ".roostrc", file: file, source: Array(rules.utf8))], roots: [0])
    let header = HeaderBlock(parsing: message, limits: .standard)
    let view = MessageView(
        header: header, bodyText: Array(body.utf8), rawBody: Array(body.utf8), size: size ?? message.count, envelope: envelope)
    return Evaluator(rules: set, message: view, environment: environment, delegate: InertDelegate()).evaluate()
}

/// The folders a plan stores in, in order.
func folders(_ evaluation: Evaluation) -> [String] {
    evaluation.plan.stores.map(\.target.description)
}
