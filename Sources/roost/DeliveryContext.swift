import Delivery
import MessageFormat

/// Everything a delivery needs to know before it reads the message: paths, limits and the envelope sources.
struct DeliveryContext {
    /// The user's home: the account's under `--user`, else `$HOME`.
    let home: String?
    /// The absolute path of the root Maildir.
    let maildir: String
    /// The user's rule file.
    let rules: String
    let bodyLimit = 1 << 20
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
