import Foundation
import TestSupport

/// A Maildir owned by the delivery user, and Postfix's way of running roost into it.
final class MailHome {
    let directory = TemporaryDirectory("roost-cli")
    var maildir: String { directory.appending("Maildir") }

    init() { TestUser.own(directory.path) }

    /// Postfix's environment (POSTFIX.md), HOME pointing here.
    var environment: [String: String] {
        ["HOME": directory.path, "USER": TestUser.name, "LOGNAME": TestUser.name, "PATH": "/usr/bin:/bin", "LANG": "C",
         "SENDER": "alice@example.org", "RECIPIENT": "\(TestUser.name)@roost.test"]
    }

    /// Delivers `bytes` as Postfix would: From_ line first, message on stdin, cwd not writable.
    func deliver(_ bytes: [UInt8], arguments: [String] = [], fromLine: Bool = true) throws -> RoostResult {
        let prefix = fromLine ? Array("From alice@example.org  Sun Nov 29 03:08:50 2026\n".utf8) : []
        let input = directory.write(prefix + bytes, to: "input-\(UInt64.random(in: 0...UInt64.max)).eml")
        defer { unlink(input) }
        return try RoostProcess.run(deliveryArguments + arguments, input: input, environment: environment)
    }

    /// `--user` when root (whose home is not this directory, so the Maildir is named too).
    var deliveryArguments: [String] { TestUser.arguments + ["--maildir", maildir] }

    /// The stored files of a subdirectory (new/, cur/, tmp/).
    func files(_ subdirectory: String) -> [String] { directory.list("Maildir/\(subdirectory)") }

    func contents(_ subdirectory: String, _ name: String) -> [UInt8] { directory.read("Maildir/\(subdirectory)/\(name)") }
}
