import Foundation
import TestSupport
import Testing

/// One `# expect samples/<file> [args…] -> <result>` line of a Rules/ example.
struct Expectation: CustomTestStringConvertible, Sendable {
    let rules: String
    let sample: String
    let arguments: [String]
    let result: String
    var testDescription: String { "\(rules): \(sample) \(arguments.joined(separator: " ")) -> \(result)" }
}

extension Repository {
    static var expectations: [Expectation] {
        ruleFiles.flatMap { file -> [Expectation] in
            let text = (try? String(contentsOfFile: root + "/Rules/" + file, encoding: .utf8)) ?? ""
            return text.split(separator: "\n").compactMap { line -> Expectation? in
                guard line.hasPrefix("# expect "), let arrow = line.range(of: " -> ") else { return nil }
                let words = line[line.index(line.startIndex, offsetBy: 9)..<arrow.lowerBound].split(separator: " ").map(String.init)
                guard let sample = words.first else { return nil }
                return Expectation(rules: file, sample: sample, arguments: Array(words.dropFirst()),
                                   result: String(line[arrow.upperBound...]).trimmingCharacters(in: .whitespaces))
            }
        }
    }
}

@Suite("Every example in Rules/ is clean and files its samples where it says (STYLE.md §11)")
struct ExampleRulesTests {
    @Test("each example passes roost check without a diagnostic", arguments: Repository.ruleFiles)
    func clean(_ file: String) throws {
        let result = try RoostProcess.run(["check", Repository.root + "/Rules/" + file])
        #expect(result.status == 0)
        #expect(result.stdout.isEmpty, "\(result.stdout)")
    }

    @Test("the examples have expectations", arguments: Repository.ruleFiles)
    func hasExpectations(_ file: String) {
        #expect(Repository.expectations.contains { $0.rules == file })
    }

    @Test("each # expect line holds in a dry run", arguments: Repository.expectations)
    func expectation(_ expectation: Expectation) throws {
        let maildir = TemporaryDirectory("roost-examples")
        let arguments = ["--dry-run", "--format", "json", "-r", Repository.root + "/Rules/" + expectation.rules,
                         "-m", maildir.appending("Maildir")] + expectation.arguments
        let result = try RoostProcess.run(
            arguments, input: Repository.root + "/Rules/" + expectation.sample,
            environment: ["HOME": maildir.path, "PATH": "/usr/bin:/bin"])
        #expect(result.status == 0)
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        let outcome = object?["outcome"] as? [String: Any]
        let disposition = outcome?["disposition"] as? String
        let stores = outcome?["stores"] as? [[String: Any]] ?? []
        let landed = disposition == "store" ? stores.last?["folder"] as? String : disposition
        #expect(landed == expectation.result, "\(result.stdout)")
        #expect((object?["problems"] as? [String])?.isEmpty == true)
    }
}
