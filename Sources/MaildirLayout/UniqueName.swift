/// A Maildir file name, `<sec>.M<usec>P<pid>Q<n>R<hex>.<host>,S=<size>` (SPEC §4), built from injected values so
/// that tests and dry runs are byte-stable.
public struct UniqueName: Sendable, Equatable {
    /// Everything that makes a name unique, supplied by the caller (clock, pid, counter, randomness, host).
    public struct Source: Sendable, Equatable {
        public var seconds: Int
        public var microseconds: Int
        public var pid: Int32
        public var counter: Int
        public var random: UInt64
        public var host: String

        /// Creates a source; `counter` distinguishes names made by one process within one microsecond.
        public init(seconds: Int, microseconds: Int, pid: Int32, counter: Int, random: UInt64, host: String) {
            self.seconds = seconds
            self.microseconds = microseconds
            self.pid = pid
            self.counter = counter
            self.random = random
            self.host = host
        }
    }

    /// The part before `,S=`: what a temporary file in tmp/ is called too.
    public let base: String

    /// Makes the name's base from its source.
    public init(_ source: Source) {
        let hex = String(source.random, radix: 16)
        base = "\(source.seconds).M\(source.microseconds)P\(source.pid)Q\(source.counter)R\(hex)."
            + Self.safeHost(source.host)
    }

    /// The final name in new/ or cur/: `,S=` is the size on disk (Dovecot reads it to skip a stat), then the flags.
    public func finalName(size: Int, flags: MaildirFlags) -> String {
        "\(base),S=\(size)\(flags.infoSuffix)"
    }

    /// maildir(5): `/` and `:` cannot appear in a name's host part, so they are written as octal escapes.
    static func safeHost(_ host: String) -> String {
        var result = ""
        for character in host {
            switch character {
            case "/": result += "\\057"
            case ":": result += "\\072"
            default: result.append(character)
            }
        }
        return result.isEmpty ? "localhost" : result
    }
}
