import Delivery

/// The sysexits(3) codes roost ends with; Postfix acts on each one (SPEC §2).
enum ExitStatus: Int32 {
    /// Delivered, discarded or forwarded.
    case ok = 0
    /// `roost check` found an error, or `roost test` could not read a message: read by a person, never by Postfix.
    case checkFailed = 1
    /// A bad command line, only in modes that deliver nothing.
    case usage = 64
    /// `--user` names nobody.
    case noUser = 67
    /// Postfix keeps the message and retries.
    case tempFail = 75
    /// A `reject` rule.
    case noPerm = 77
}

/// An error that knows how the process should end.
protocol Terminating: Error {
    var exitStatus: ExitStatus { get }
}

extension PrivilegeError: Terminating {
    var exitStatus: ExitStatus {
        if case .noSuchUser = self { return .noUser }
        return .tempFail
    }
}

extension DeliveryError: Terminating {
    var exitStatus: ExitStatus { .tempFail }
}
