import MessageFormat
import Testing

@testable import Delivery

@Suite("Programs get a clean environment and a time limit inside roost's own deadline (SPEC §5.3)")
struct ProgramSettingsTests {
    let envelope = Envelope(sender: "", recipient: "bob@roost.test", extension: nil)

    @Test("only PATH, HOME, USER, LOGNAME, SENDER, RECIPIENT, EXTENSION; PATH is Postfix's")
    func environment() {
        let settings = ProgramSettings(
            processEnvironment: ["HOME": "/home/bob", "USER": "bob", "LD_PRELOAD": "/evil.so", "PATH": "/tmp"],
            envelope: envelope, timeoutSeconds: 60)
        #expect(settings.environment == ["PATH": "/usr/bin:/bin", "HOME": "/home/bob", "USER": "bob", "SENDER": "",
                                         "RECIPIENT": "bob@roost.test"])
    }

    @Test("the limit is set timeout, capped at 150 s, and shrinks to what is left; none left means not run")
    func limits() {
        #expect(ProgramSettings(processEnvironment: [:], envelope: envelope, timeoutSeconds: 1000).timeoutSeconds == 150)
        let settings = ProgramSettings(processEnvironment: [:], envelope: envelope, timeoutSeconds: 60, mustFinishBy: 100_000)
        #expect(settings.timeLimit(now: 0) == 60)
        #expect(settings.timeLimit(now: 90_000) == 10)
        #expect(settings.timeLimit(now: 99_500) == nil)
    }
}
