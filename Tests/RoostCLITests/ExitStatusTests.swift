import Foundation
import TestSupport
import Testing

@Suite("The binary's exit statuses and output (SPEC §2)")
struct ExitStatusTests {
    let sample = message("From: Alice <alice@example.org>", "Subject: hello", "Message-ID: <a1@example.org>", "", "Hi.", "")

    @Test("a delivery exits 0 and prints nothing")
    func delivered() throws {
        let home = MailHome()
        let result = try home.deliver(sample)
        #expect(result.status == 0)
        #expect(result.stdout.isEmpty && result.stderr.isEmpty)
        #expect(home.files("new").count == 1)
        #expect(home.contents("new", home.files("new")[0]) == sample)
    }

    @Test("a bad option in a delivery is 75 with a 4.x.x line, in a dry run 64", arguments: ["--bogus", "-x", "stray"])
    func badOption(_ option: String) throws {
        let home = MailHome()
        let delivery = try home.deliver(sample, arguments: [option])
        #expect(delivery.status == 75)
        #expect(delivery.stdout.hasPrefix("4.3.5 roost: "))
        let dryRun = try home.deliver(sample, arguments: ["--dry-run", option])
        #expect(dryRun.status == 64)
        #expect(dryRun.stderr.contains("roost: "))
        #expect(home.files("new").isEmpty)
    }

    @Test("--user naming nobody is 67 (EX_NOUSER)", .enabled(if: RoostProcess.isRoot))
    func noUser() throws {
        let result = try RoostProcess.run(["--user", "no-such-user-xyz"], environment: ["HOME": "/tmp"])
        #expect(result.status == 67)
        #expect(result.stdout.hasPrefix("5.1.1 "))
    }

    @Test("as root without --user nothing is written and the status is 75", .enabled(if: RoostProcess.isRoot))
    func rootWithoutUser() throws {
        let home = MailHome()
        let input = home.directory.write(sample, to: "in.eml")
        let result = try RoostProcess.run(["--maildir", home.maildir], input: input, environment: home.environment)
        #expect(result.status == 75)
        #expect(result.stdout.hasPrefix("4.3.5 roost: refusing to deliver as root"))
        #expect(!FileManager.default.fileExists(atPath: home.maildir))
    }

    @Test("deliveries under --user belong to that user, files 0600", .enabled(if: RoostProcess.isRoot))
    func ownership() throws {
        let home = MailHome()
        #expect(try home.deliver(sample).status == 0)
        let attributes = try FileManager.default.attributesOfItem(atPath: home.maildir + "/new/" + home.files("new")[0])
        #expect(attributes[.ownerAccountName] as? String == TestUser.name)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
    }

    @Test("no HOME in a real delivery is 75, not a crash")
    func noHome() throws {
        let result = try RoostProcess.run(TestUser.arguments.isEmpty ? [] : ["--user", TestUser.name], environment: [:])
        // Under --user the home comes from the password database (the test user's is /nonexistent): still 75.
        #expect(result.status == 75)
        #expect(result.stdout.hasPrefix("4."))
    }

    @Test("--help and --version exit 0 and print to stdout")
    func help() throws {
        let help = try RoostProcess.run(["--help"])
        #expect(help.status == 0)
        #expect(help.stdout.contains("USAGE: roost"))
        for option in ["--rules", "--maildir", "--from", "--extension", "--user", "--dry-run", "--format", "--verbose"] {
            #expect(help.stdout.contains(option))
        }
        let version = try RoostProcess.run(["--version"])
        #expect(version.status == 0 && version.stdout.hasPrefix("roost "))
    }

    @Test("an empty message stores nothing and exits 0")
    func empty() throws {
        let home = MailHome()
        let result = try home.deliver([])
        #expect(result.status == 0)
        #expect(home.files("new").isEmpty && home.files("tmp").isEmpty)
    }
}
