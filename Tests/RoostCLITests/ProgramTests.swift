import Foundation
import TestSupport
import Testing

/// Test programs: small shell scripts written for one test, run by roost without a shell of its own.
func script(_ body: String, named name: String, in home: MailHome) -> String {
    let path = home.directory.write(Array("#!/bin/sh\n\(body)\n".utf8), to: name)
    chmod(path, 0o755)
    return path
}

@Suite("pipe, filter, forward and their failures (SPEC §3, §5.3)", .serialized)
struct ProgramTests {
    let sample = message(
        "From: Carol <carol@example.net>", "Subject: x; rm -rf / `id` $(id) \"q\" 'a b'", "Message-ID: <p1@example.net>",
        "", "Hi.", "")

    func deliver(_ rules: String, _ home: MailHome, extra: [String] = []) throws -> RoostResult {
        let path = home.directory.write(Array(rules.utf8), to: ".roostrc")
        TestUser.own(path)
        chmod(path, 0o600)
        let outcome = try home.deliver(sample, arguments: ["-r", path, "-v"] + extra)
        return outcome
    }

    @Test("a filter's output replaces the message and later tests see it")
    func filter() throws {
        let home = MailHome()
        let filter = script("echo 'X-Spam-Flag: YES'\ncat", named: "spamc", in: home)
        let result = try deliver("filter \"\(filter)\"\nif header \"X-Spam-Flag\" ~ /yes/i { deliver \"Junk\" }\n", home)
        #expect(result.status == 0)
        let junk = home.directory.list("Maildir/.Junk/new")
        #expect(junk.count == 1)
        #expect(home.directory.read("Maildir/.Junk/new/\(junk.first ?? "")") == Array("X-Spam-Flag: YES\n".utf8) + sample)
        #expect(home.files("tmp").isEmpty)
    }

    @Test("a copy stored before a filter keeps the bytes it was made from")
    func copyBeforeFilter() throws {
        let home = MailHome()
        let filter = script("echo 'X-Filtered: yes'\ncat", named: "filter", in: home)
        #expect(try deliver("copy \"Archive\"\nfilter \"\(filter)\"\n", home).status == 0)
        let archived = home.directory.list("Maildir/.Archive/new")
        #expect(home.directory.read("Maildir/.Archive/new/\(archived.first ?? "")") == sample)
        #expect(home.contents("new", home.files("new").first ?? "") == Array("X-Filtered: yes\n".utf8) + sample)
        #expect(home.files("tmp").isEmpty)
    }

    @Test("a failing filter leaves the message unchanged and says why", arguments: [
        "exit 3", "kill -9 $$", "cat >/dev/null", "sleep 30",
    ])
    func failingFilter(_ body: String) throws {
        let home = MailHome()
        let filter = script(body, named: "filter", in: home)
        let result = try deliver("set timeout = \"1\"\nfilter \"\(filter)\"\n", home)
        #expect(result.status == 0)
        #expect(home.contents("new", home.files("new").first ?? "") == sample)
        #expect(result.stderr.contains("message unchanged"))
        #expect(home.files("tmp").isEmpty)
    }

    @Test("a failing final pipe falls back to the default folder", arguments: [
        "exit 1", "kill -9 $$", "sleep 30", "yes | head -c 50000000; exit 2", "exec 0<&-; exit 4",
    ])
    func failingPipe(_ body: String) throws {
        let home = MailHome()
        let program = script(body, named: "program", in: home)
        let result = try deliver("set timeout = \"1\"\npipe \"\(program)\"\n", home)
        #expect(result.status == 0)
        #expect(home.files("new").count == 1)
        #expect(result.stderr.contains("status=recovered"))
    }

    @Test("a pipe that is not there falls back too; a successful pipe stores nothing")
    func pipes() throws {
        let home = MailHome()
        #expect(try deliver("pipe \"/nonexistent/program\"\n", home).status == 0)
        #expect(home.files("new").count == 1)
        let sink = home.directory.appending("piped")
        let program = script("cat > \(sink)", named: "sink", in: home)
        chmod(home.directory.path, 0o777)
        defer { chmod(home.directory.path, 0o755) }
        #expect(try deliver("pipe \"\(program)\"\n", home).status == 0)
        #expect(home.files("new").count == 1)
        #expect(FileManager.default.contents(atPath: sink).map(Array.init) == sample)
    }

    @Test("message values reach argv as single words, never as shell syntax")
    func argv() throws {
        let home = MailHome()
        let out = home.directory.appending("argv.out")
        let program = script("printf '%s\\n' \"$@\" > \(out); env | sort >> \(out)", named: "argv", in: home)
        chmod(home.directory.path, 0o777)
        defer { chmod(home.directory.path, 0o755) }
        #expect(try deliver("if subject ~ /^(?<s>.*)$/ { copy pipe \"\(program) one '${s}' ${s}\" }\n", home).status == 0)
        let lines = (try? String(contentsOfFile: out, encoding: .utf8))?.split(separator: "\n").map(String.init) ?? []
        let subject = "x; rm -rf / `id` $(id) \"q\" 'a b'"
        #expect(Array(lines.prefix(3)) == ["one", subject, subject])
        let environment = Set(lines.dropFirst(3).compactMap { $0.split(separator: "=").first.map(String.init) })
        #expect(environment.isSubset(of: ["PATH", "HOME", "USER", "LOGNAME", "SENDER", "RECIPIENT", "EXTENSION", "PWD", "SHLVL", "_"]))
    }

    @Test("forward runs $sendmail -oi -f SENDER -- ADDR with a loop header; a looped message is stored instead")
    func forward() throws {
        let home = MailHome()
        let out = home.directory.appending("sendmail.out")
        let sendmail = script("printf '%s\\n' \"$@\" > \(out); cat >> \(out)", named: "sendmail", in: home)
        chmod(home.directory.path, 0o777)
        defer { chmod(home.directory.path, 0o755) }
        let rules = "set sendmail = \"\(sendmail)\"\nforward \"dest@example.org\"\n"
        #expect(try deliver(rules, home).status == 0)
        let text = (try? String(contentsOfFile: out, encoding: .utf8)) ?? ""
        #expect(text.hasPrefix("-oi\n-f\nalice@example.org\n--\ndest@example.org\nX-Roost-Loop: roost-test@roost.test\n"))
        #expect(home.files("new").isEmpty)
        let looped = message("X-Roost-Loop: roost-test@roost.test", "") + sample
        let path = home.directory.appending(".roostrc")
        let result = try home.deliver(looped, arguments: ["-r", path, "-v"])
        #expect(result.status == 0 && home.files("new").count == 1)
        #expect(result.stderr.contains("forward loop"))
    }
}

@Suite("duplicate: recorded only after a durable delivery (SPEC §5.2)", .serialized, .enabled(if: RoostProcess.isRoot))
struct DuplicateTests {
    @Test("the second delivery of a Message-ID is a duplicate; a failed first one is not")
    func duplicates() throws {
        TestUser.ensureWithHome()
        let maildir = TestUser.home + "/Maildir"
        let rules = TestUser.home + "/.roostrc"
        _ = FileManager.default.createFile(atPath: rules, contents: Data("if duplicate { discard }\n".utf8))
        if let entry = getpwnam(TestUser.homeName) { chown(rules, entry.pointee.pw_uid, entry.pointee.pw_gid) }
        chmod(rules, 0o600)
        let directory = TemporaryDirectory()
        let input = directory.write(message("Message-ID: <dup@example.org>", "Subject: once", "", "x", ""), to: "m.eml")
        let arguments = ["--user", TestUser.homeName]
        // The first attempt fails (the Maildir is a file): exit 75, and nothing recorded.
        _ = FileManager.default.createFile(atPath: maildir, contents: Data())
        #expect(try RoostProcess.run(arguments, input: input).status == 75)
        try FileManager.default.removeItem(atPath: maildir)
        // The MTA's retry is not a duplicate of the failed attempt.
        #expect(try RoostProcess.run(arguments, input: input).status == 0)
        #expect((try? FileManager.default.contentsOfDirectory(atPath: maildir + "/new"))?.count == 1)
        // A second copy is.
        #expect(try RoostProcess.run(arguments, input: input).status == 0)
        #expect((try? FileManager.default.contentsOfDirectory(atPath: maildir + "/new"))?.count == 1)
    }
}
