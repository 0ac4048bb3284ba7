/// The command line of SPEC §1, parsed by hand: swift-argument-parser costs about 9 M instructions of start-up per
/// run (PLATFORM.md §9), more than procmail's whole delivery, and roost starts once per message.
struct CommandLineOptions: Equatable {
    enum Subcommand: Equatable { case deliver, check, test, help, version }
    enum TraceFormat: String, Equatable { case text, json }

    var subcommand = Subcommand.deliver
    var rules: String?
    var maildir: String?
    var from: String?
    var `extension`: String?
    var user: String?
    var dryRun = false
    var format = TraceFormat.text
    var verbose = false
    /// Files or directories for `check` and `test`.
    var paths: [String] = []

    /// A mode that writes nothing answers a bad command line with EX_USAGE; a delivery answers it with EX_TEMPFAIL
    /// so that a typo in main.cf keeps mail queued instead of bouncing it (SPEC §2).
    var deliversNothing: Bool { dryRun || subcommand != .deliver }
}

/// A command line roost cannot run.
struct CommandLineError: Error, Equatable, CustomStringConvertible {
    let message: String
    var description: String { message }
}

extension CommandLineOptions {
    /// The options that take a value.
    private enum ValueOption { case rules, maildir, from, `extension`, user }

    private static func valueOption(_ name: String) -> ValueOption? {
        switch name {
        case "-r", "--rules": .rules
        case "-m", "--maildir": .maildir
        case "-f", "--from": .from
        case "-a", "--extension": .extension
        case "-d", "--user": .user
        default: nil
        }
    }

    /// A switch rather than a key path: the first key path a process uses costs 0.1 M instructions of run-time
    /// instantiation, and every delivery parses a command line.
    private mutating func set(_ option: ValueOption, to value: String) {
        switch option {
        case .rules: rules = value
        case .maildir: maildir = value
        case .from: from = value
        case .extension: self.extension = value
        case .user: user = value
        }
    }

    /// Parses `arguments` (without argv[0]). Even on error the result says whether the mode delivers (for the status).
    static func parse(_ arguments: [String]) -> (CommandLineOptions, CommandLineError?) {
        var options = CommandLineOptions()
        var remaining = arguments[...]
        if let first = remaining.first, let subcommand = Self.subcommand(named: first) {
            options.subcommand = subcommand
            remaining = remaining.dropFirst()
        }
        do {
            try options.consume(&remaining)
            try options.validate()
            return (options, nil)
        } catch {
            return (options, error)
        }
    }

    private static func subcommand(named name: String) -> Subcommand? {
        switch name {
        case "check": .check
        case "test": .test
        case "help": .help
        default: nil
        }
    }

    private mutating func consume(_ arguments: inout ArraySlice<String>) throws(CommandLineError) {
        while let argument = arguments.popFirst() {
            if argument == "--" {
                paths += arguments
                return
            }
            guard argument.hasPrefix("-"), argument != "-" else {
                paths.append(argument)
                continue
            }
            try consumeOption(argument, from: &arguments)
        }
    }

    private mutating func consumeOption(_ argument: String, from arguments: inout ArraySlice<String>) throws(CommandLineError) {
        let (name, attached) = Self.split(argument)
        if let option = Self.valueOption(name) {
            guard let value = attached ?? arguments.popFirst() else {
                throw CommandLineError(message: "option '\(name)' needs a value")
            }
            return set(option, to: value)
        }
        if name == "--format" {
            guard let value = attached ?? arguments.popFirst() else {
                throw CommandLineError(message: "option '--format' needs a value")
            }
            return try setFormat(value)
        }
        guard attached == nil else { throw CommandLineError(message: "option '\(name)' takes no value") }
        switch name {
        case "-n", "--dry-run": dryRun = true
        case "-v", "--verbose": verbose = true
        case "-h", "--help": subcommand = .help
        case "--version": subcommand = .version
        default: throw CommandLineError(message: "unknown option '\(name)'")
        }
    }

    private mutating func setFormat(_ value: String) throws(CommandLineError) {
        guard let format = TraceFormat(rawValue: value) else {
            throw CommandLineError(message: "--format must be 'text' or 'json', not '\(value)'")
        }
        self.format = format
    }

    /// `--name=value`, or `-fvalue` for a short option that takes a value; anything else stands alone.
    private static func split(_ argument: String) -> (name: String, value: String?) {
        if argument.hasPrefix("--") {
            guard let equals = argument.firstIndex(of: "=") else { return (argument, nil) }
            return (String(argument[..<equals]), String(argument[argument.index(after: equals)...]))
        }
        let name = String(argument.prefix(2))
        if argument.count > 2 && valueOption(name) != nil { return (name, String(argument.dropFirst(2))) }
        return (argument, nil)
    }

    private mutating func validate() throws(CommandLineError) {
        switch subcommand {
        case .deliver:
            guard paths.isEmpty else { throw CommandLineError(message: "unexpected argument '\(paths[0])'") }
        case .check, .test:
            guard !paths.isEmpty else { throw CommandLineError(message: "'\(subcommand)' needs at least one file") }
        case .help, .version: break
        }
    }
}
