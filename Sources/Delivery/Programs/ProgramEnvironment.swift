import MessageFormat

/// What a program run by the rules gets (SPEC §5.3): a clean environment, the time limit, and nothing else of roost's.
public struct ProgramSettings {
    /// The complete environment: PATH, HOME, USER, LOGNAME, SENDER, RECIPIENT, EXTENSION.
    public var environment: [String: String]
    /// `set timeout`, seconds.
    public var timeoutSeconds: Int
    /// When programs must be done (monotonic milliseconds): well before roost's own deadline, so that no program is
    /// left running when the deadline ends roost with 75.
    public var mustFinishBy: Int?

    /// Builds the clean environment from roost's own and the envelope; PATH is Postfix's, never the caller's.
    public init(processEnvironment: [String: String], envelope: Envelope, timeoutSeconds: Int, mustFinishBy: Int? = nil) {
        self.mustFinishBy = mustFinishBy
        var environment = ["PATH": "/usr/bin:/bin"]
        for name in ["HOME", "USER", "LOGNAME"] { environment[name] = processEnvironment[name] }
        environment["SENDER"] = envelope.sender ?? ""
        environment["RECIPIENT"] = envelope.recipient
        environment["EXTENSION"] = envelope.extension
        self.environment = environment
        // A program must end before roost's own deadline does: else roost exits 75 and leaves it running.
        self.timeoutSeconds = min(timeoutSeconds, Int(Deadline.defaultSeconds) / 2)
    }
}

extension ProgramSettings {
    /// The time limit for the next program: `set timeout`, shortened to what is left before `mustFinishBy`; nil when
    /// nothing is left (the program is not started and counts as failed, so the default folder takes the message).
    func timeLimit(now: Int) -> Int? {
        guard let mustFinishBy else { return timeoutSeconds }
        let left = (mustFinishBy - now) / 1000
        return left >= 1 ? min(timeoutSeconds, left) : nil
    }
}
