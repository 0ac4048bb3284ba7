import Delivery

// The whole program: parse, run the mode, end in Termination (the only exit).
Deadline.ignoreFatalSignals()
let (options, commandLineError) = CommandLineOptions.parse(Array(CommandLine.arguments.dropFirst()))
if let commandLineError {
    Termination.exit(.failed(commandLineError), options: options)
}
Deadline.arm(seconds: Deadline.defaultSeconds, line: "4.3.0 roost: internal time limit reached\n")
switch options.subcommand {
case .help: Termination.exit(.printed(HelpText.usage, .ok), options: options)
case .version: Termination.exit(.printed(HelpText.version + "\n", .ok), options: options)
case .check: Termination.exit(CheckCommand(paths: options.paths, system: .live).run(), options: options)
case .test: Termination.exit(TestCommand(options: options, environment: .current(), system: .live).run(), options: options)
case .deliver:
    var command = DeliverCommand(options: options, environment: .current(), system: .live)
    Termination.exit(command.run(), options: options)
}
