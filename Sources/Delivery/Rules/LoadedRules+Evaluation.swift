import MessageFormat
import RuleEngine

extension LoadedRules {
    /// The rules' decision for a message as intake read it: what a delivery carries out, and what `--dry-run` and
    /// `roost test` print, from one function so that they cannot disagree (STYLE.md §2).
    /// - Parameters:
    ///   - environment: the variables `${NAME}` may read.
    ///   - delegate: answers `filter` and `duplicate`; the default runs nothing and has seen nothing.
    ///   - tracing: whether to record the trace (it costs most of an evaluation's time).
    public func evaluate(
        _ message: ReceivedMessage, envelope: Envelope, environment: [String: String],
        delegate: any EvaluationDelegate = InertDelegate(), tracing: Bool
    ) -> Evaluation {
        let view = MessageView(
            header: message.headerBlock, bodyText: message.bodyText, rawBody: message.bodyPrefix, size: message.size,
            envelope: envelope)
        return Evaluator(
            rules: rules, message: view, environment: environment, delegate: delegate, patterns: patterns,
            tracing: tracing
        ).evaluate()
    }
}
