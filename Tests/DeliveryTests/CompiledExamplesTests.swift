import Glibc
import MessageFormat
import RuleEngine
import TestSupport
import Testing

@testable import Delivery

@Suite("Every Rules/ example decides every sample the same from its compiled form as from its text")
struct CompiledExamplesTests {
    @Test("text and compiled form give the same plan for each sample and address extension", arguments: Repository.ruleFiles)
    func samePlans(_ file: String) throws {
        let directory = TemporaryDirectory()
        let path = directory.write(try System.live.readAll(path: Repository.root + "/Rules/" + file), to: file)
        chmod(path, 0o600)
        let loader = RuleLoader(system: .live, user: getuid(), keepingCompiledForms: true)
        let fromText = RuleLoader(system: .live, user: getuid()).load(system: nil, user: path)
        _ = loader.load(system: nil, user: path)
        let fromCompiled = loader.load(system: nil, user: path)
        #expect(fromText.problems.isEmpty && fromCompiled.problems.isEmpty)
        #expect(access(path + ".compiled", F_OK) == 0, "the compiled form was written")
        let deferred = fromCompiled.rules.units.flatMap(\.statements).filter {
            if case .deferred = $0.kind { true } else { false }
        }
        #expect(!deferred.isEmpty || !file.contains("example"), "the main example has screened rules")
        for sample in Repository.samples {
            for extensionPart in [nil, "shopping", "../../etc"] as [String?] {
                let envelope = Envelope(sender: "alice@example.org", recipient: "bob@example.org", extension: extensionPart)
                let expected = try evaluate(fromText, sample: sample, envelope: envelope)
                let actual = try evaluate(fromCompiled, sample: sample, envelope: envelope)
                #expect(actual.plan == expected.plan, "\(file) on \(sample), extension \(extensionPart ?? "none")")
            }
        }
    }

    @Test("screened header names of the same length and prefix are told apart, in any case")
    func similarNames() throws {
        let directory = TemporaryDirectory()
        let rules = """
            if header "X-Spam-Level" ~ /high/ { deliver "Level" }
            if header "X-Spam-Score" ~ /high/ { deliver "Score" }

            """
        let path = directory.write(Array(rules.utf8), to: "similar.roostrc")
        chmod(path, 0o600)
        let message = directory.write(Array("x-spam-score: high\nX-Spam-Level: low\n\nbody\n".utf8), to: "message")
        let loader = RuleLoader(system: .live, user: getuid(), keepingCompiledForms: true)
        _ = loader.load(system: nil, user: path)
        let compiled = loader.load(system: nil, user: path)
        let statements = compiled.rules.units.flatMap(\.statements)
        #expect(statements.allSatisfy { if case .deferred = $0.kind { true } else { false } }, "both rules are screened")
        let envelope = Envelope(sender: "alice@example.org", recipient: "bob@example.org", extension: nil)
        let plan = try evaluate(compiled, path: message, envelope: envelope).plan
        #expect(plan.stores.map(\.target.description) == ["Score"])
    }

    private func evaluate(_ loaded: LoadedRules, sample: String, envelope: Envelope) throws -> Evaluation {
        try evaluate(loaded, path: Repository.root + "/Rules/samples/" + sample, envelope: envelope)
    }

    private func evaluate(_ loaded: LoadedRules, path: String, envelope: Envelope) throws -> Evaluation {
        let fd = open(path, O_RDONLY)
        defer { close(fd) }
        let reader = MessageReader(system: .live, limits: .standard, collectsBodyText: loaded.rules.usesBodyTest)
        let message = try reader.read(fd) { _ in }
        return loaded.evaluate(message, envelope: envelope, environment: ["HOME": "/nonexistent"], tracing: false)
    }
}
