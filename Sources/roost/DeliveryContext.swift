import Delivery
import MessageFormat
import RuleEngine

/// Everything a delivery needs to know before it reads the message: paths, limits and the envelope sources.
struct DeliveryContext {
    /// The user's home: the account's under `--user`, else `$HOME`.
    let home: String?
    /// The absolute path of the root Maildir: `-m`, else a top-level `set maildir`, else `~/Maildir`.
    private(set) var maildir: String
    /// The user's rule file.
    let rules: String
    /// What intake keeps: `bodylimit` from the rules, 1M by default.
    private(set) var limits = MessageLimits.standard
    /// `set timeout`: seconds a program may run (SPEC §5.3), 60 by default.
    private(set) var timeout = 60
    /// `set duplicatedays`: how long a Message-ID counts (SPEC §5.2), 7 by default.
    private(set) var duplicateDays = 7
    private let options: CommandLineOptions
    private let environment: ProcessEnvironment

    /// - Throws: `CommandLineError` when no home is known and a path depends on it (75 in a delivery).
    init(options: CommandLineOptions, environment: ProcessEnvironment, account: UserAccount?) throws {
        self.options = options
        self.environment = environment
        home = account?.home ?? environment.home
        maildir = try Self.absolute(options.maildir ?? "Maildir", home: home, what: "the Maildir")
        rules = try Self.absolute(options.rules ?? ".roostrc", home: home, what: "the rule file")
    }

    /// Applies the settings of the rules that shape intake (SPEC §5.5); `-m` wins over `set maildir`.
    mutating func apply(_ rules: RuleSet) throws {
        let settings = rules.settings
        if options.maildir == nil, let path = settings["maildir"] {
            maildir = try Self.absolute(path, home: home, what: "the Maildir")
        }
        if let text = settings["bodylimit"], let size = Self.size(text) { limits.bodyLimit = size }
        if let text = settings["timeout"], let seconds = Int(text), seconds > 0 { timeout = seconds }
        if let text = settings["duplicatedays"], let days = Int(text), days > 0 { duplicateDays = days }
    }

    /// `1048576`, `512K`, `1M`, `1G` (×1024, as in rule files).
    static func size(_ text: String) -> Int? {
        let units: [Character: Int] = ["K": 1 << 10, "k": 1 << 10, "M": 1 << 20, "m": 1 << 20, "G": 1 << 30, "g": 1 << 30]
        let multiplier = text.last.flatMap { units[$0] } ?? 1
        let digits = multiplier == 1 ? Substring(text) : text.dropLast()
        guard let value = Int(digits), value >= 0 else { return nil }
        let (product, overflow) = value.multipliedReportingOverflow(by: multiplier)
        return overflow ? nil : product
    }

    /// The envelope by SPEC §1's precedence, once the message (its From_ line, its Return-Path) is known.
    func envelope(for message: ReceivedMessage) -> Envelope {
        let sender = Envelope.sender(
            option: options.from, environment: environment.sender, fromLine: message.envelopeSender,
            returnPath: message.headerBlock.fields(named: "Return-Path").first?.rawValue)
        return Envelope(
            sender: sender, recipient: environment.recipient,
            extension: ProcessEnvironment.nonEmpty(options.extension) ?? environment.extension)
    }

    /// Relative paths are taken from the home directory, never from the working directory, which under Postfix is
    /// the queue directory (SPEC §1).
    private static func absolute(_ path: String, home: String?, what: String) throws -> String {
        if path.hasPrefix("/") { return path }
        guard let home, home.hasPrefix("/") else {
            throw CommandLineError(message: "HOME is not set (or not absolute), so \(what) cannot be found")
        }
        let relative = path.hasPrefix("~/") ? String(path.dropFirst(2)) : path
        return home.hasSuffix("/") ? home + relative : home + "/" + relative
    }
}
