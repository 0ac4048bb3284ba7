import MessageFormat

/// What a program run by the rules gets (SPEC §5.3): a clean environment, the time limit, and nothing else of roost's.
public struct ProgramSettings {
    /// The complete environment: PATH, HOME, USER, LOGNAME, SENDER, RECIPIENT, EXTENSION.
    public var environment: [String: String]
    /// `set timeout`, seconds.
    public var timeoutSeconds: Int

    /// Builds the clean environment from roost's own and the envelope; PATH is Postfix's, never the caller's.
    public init(processEnvironment: [String: String], envelope: Envelope, timeoutSeconds: Int) {
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
