import MaildirLayout

/// Hands out unique Maildir names from the live clock, pid, host and randomness (SPEC §4).
final class NameGenerator {
    private let system: System
    private let host: String
    private let pid: Int32
    /// Q<n>: names stay unique when one run makes several in the same microsecond.
    private var counter = 0

    init(system: System) {
        self.system = system
        host = system.hostName()
        pid = system.processID()
    }

    /// The next name; never the same twice in one process.
    func next() -> UniqueName {
        counter += 1
        let (seconds, microseconds) = system.now()
        return UniqueName(
            .init(seconds: seconds, microseconds: microseconds, pid: pid, counter: counter,
                  random: system.random(), host: host))
    }
}
