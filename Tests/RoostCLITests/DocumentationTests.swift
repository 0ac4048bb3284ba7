import Foundation
import RuleLanguage
import TestSupport
import Testing

@Suite("The manual pages keep up with the code (STYLE.md §11)")
struct DocumentationTests {
    static func page(_ name: String) -> String {
        (try? String(contentsOfFile: Repository.root + "/man/" + name, encoding: .utf8)) ?? ""
    }

    @Test("every option of roost --help is in roost(1)")
    func options() throws {
        let help = try RoostProcess.run(["--help"]).stdout
        let options = help.split(whereSeparator: { $0 == " " || $0 == "," || $0 == "\n" })
            .filter { $0.hasPrefix("-") && $0.count > 1 }.map(String.init)
        #expect(options.count >= 10)
        let manual = Self.page("roost.1")
        for option in Set(options) {
            // mdoc writes --rules as "Fl \-rules" and -r as "Fl r".
            let name = option.drop { $0 == "-" }
            let marked = option.hasPrefix("--") ? "Fl \\-\(name)" : "Fl \(name)"
            #expect(manual.contains(marked), "roost.1 lacks \(option)")
        }
    }

    @Test("every keyword of the rule language is in roostrc(5)")
    func keywords() {
        // mdoc marks keywords with .Ic; one macro line may carry several (`.Ic seen , flagged`).
        let marked = Set(Self.page("roostrc.5").split(separator: "\n").filter { $0.contains("Ic ") }
            .flatMap { $0.split(separator: " ").map(String.init) })
        for keyword in Keyword.allCases {
            #expect(marked.contains(keyword.rawValue), "roostrc.5 lacks \(keyword.rawValue)")
        }
    }

    @Test("every Rules/ example is in roostrc(5)'s EXAMPLES", arguments: Repository.ruleFiles)
    func examples(_ file: String) {
        #expect(Self.page("roostrc.5").contains("Rules/\(file)"))
    }

    @Test("both pages are clean under mandoc -Tlint", arguments: ["roost.1", "roostrc.5"])
    func lint(_ page: String) throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/mandoc") else { return }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/mandoc")
        process.arguments = ["-Tlint", "-W", "warning", Repository.root + "/man/" + page]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(output.isEmpty, "\(output)")
    }
}
