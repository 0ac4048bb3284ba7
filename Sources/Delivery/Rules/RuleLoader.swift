import Glibc
import PatternMatching
import RuleEngine
import RuleLanguage

/// What the loader found: the rules to evaluate, the compiled regexes, and the problems to log.
public struct LoadedRules {
    /// The files that passed every check, with their includes; a file with any error is left out whole.
    public var rules: RuleSet
    /// Every regex of the used files, compiled once (evaluation reuses them).
    public var patterns: PatternCache
    /// One log line per problem: `file:line:col: error: …`, or why a file was ignored.
    public var problems: [String]
}

/// Reads the system and user rule files and their includes (SPEC §5.6): ownership and mode checks on each, include
/// cycles refused, every regex compiled so that an error anywhere voids the file it is in (SPEC §3).
public struct RuleLoader {
    let userReader: RuleFileReader
    let systemReader: RuleFileReader
    let compiledForms: CompiledRuleStore?

    /// Creates a loader trusting files of `user` and root (the system file: root alone).
    /// - Parameter keepingCompiledForms: read each file's compiled form beside it when it is current, and write it
    ///   when it is not (deliveries); dry runs and `roost test` parse the text every time and write nothing.
    public init(system: System, user: uid_t, keepingCompiledForms: Bool = false) {
        userReader = RuleFileReader(system: system, user: user)
        systemReader = RuleFileReader(system: system, user: nil)
        compiledForms = keepingCompiledForms ? CompiledRuleStore(system: system) : nil
    }

    /// Loads the system file (if any), then the user's; a missing file is simply no rules.
    public func load(system systemPath: String?, user userPath: String) -> LoadedRules {
        var state = LoadState()
        for (path, reader) in [(systemPath, systemReader), (userPath, userReader)] {
            guard let path else { continue }
            if let index = loadFile(path, reader: reader, chain: [], state: &state) { state.roots.append(index) }
        }
        return LoadedRules(rules: RuleSet(units: state.units, roots: state.roots), patterns: state.patterns, problems: state.problems)
    }

    private struct LoadState {
        var units: [RuleSet.Unit] = []
        var roots: [Int] = []
        var patterns = PatternCache()
        var problems: [String] = []
    }

    /// Loads one file and, recursively, what it includes; nil when the file is missing, unsafe or has errors.
    private func loadFile(_ path: String, reader: RuleFileReader, chain: [String], state: inout LoadState) -> Int? {
        let contents: RuleFileContents
        do {
            contents = try reader.contents(of: path)
        } catch .missing where chain.isEmpty {
            return nil
        } catch {
            state.problems.append("\(path): rule file not used: \(error)")
            return nil
        }
        let source = SourceFile(path: path, bytes: contents.bytes)
        var diagnostics: [Diagnostic] = []
        let compiled: CompiledRuleFile
        if let known = compiledForms?.load(beside: path, for: contents) {
            compiled = known
        } else {
            let (file, parseDiagnostics) = parse(source)
            diagnostics = parseDiagnostics.filter { $0.severity == .error }
            let (patterns, regexDiagnostics) = compileAll(file, state: &state)
            diagnostics += regexDiagnostics
            compiled = CompiledRuleFile(
                file: file, traits: RuleSet.Traits(of: file),
                patterns: .compiled(offsets: patterns.map(\.offset), patterns: patterns.map(\.pattern)))
            if !diagnostics.containsErrors { compiledForms?.save(compiled, beside: path, for: contents) }
        }
        var includes: [Int: Int] = [:]
        if compiled.traits.contains(.includes) {
            for (offset, literal) in compiled.file.includeStatements where !diagnostics.containsErrors {
                switch resolveInclude(literal, from: path, reader: reader, chain: chain + [path], state: &state) {
                case .loaded(let index): includes[offset] = index
                case .failed(let diagnostic): diagnostics.append(diagnostic)
                }
            }
        }
        guard !diagnostics.containsErrors else {
            state.problems += diagnostics.sorted { $0.location < $1.location }.map { "\($0.render(source: source).firstLine) (rule file ignored)" }
            return nil
        }
        state.units.append(
            RuleSet.Unit(
                name: Self.displayName(path), file: compiled.file, source: contents.bytes, includes: includes,
                traits: compiled.traits, compiledStatements: compiled.compiledStatements))
        let index = state.units.count - 1
        state.patterns.place(compiled.patterns, unit: index)
        return index
    }

    /// A regex error anywhere voids the file (SPEC §3), so every regex is compiled before any is used.
    private func compileAll(
        _ file: RuleFile, state: inout LoadState
    ) -> ([(offset: Int, pattern: Pattern)], [Diagnostic]) {
        var patterns: [(offset: Int, pattern: Pattern)] = []
        var diagnostics: [Diagnostic] = []
        for (regex, multiline) in file.matchRegexes {
            let flags = multiline ? regex.flags.union(.multiline) : regex.flags
            switch state.patterns.pattern(source: regex.source, flags: flags) {
            case .success(let pattern): patterns.append((regex.range.start.offset, pattern))
            case .failure(let error): diagnostics.append(regex.diagnostic(for: error))
            }
        }
        return (patterns, diagnostics)
    }

    private enum Inclusion {
        case loaded(Int)
        case failed(Diagnostic)
    }

    private func resolveInclude(
        _ literal: StringLiteral, from path: String, reader: RuleFileReader, chain: [String], state: inout LoadState
    ) -> Inclusion {
        guard let name = literal.plainValue else {
            return .failed(Diagnostic(.error, "an include path cannot interpolate values", at: literal.range))
        }
        let target = name.hasPrefix("/") ? name : Self.directory(of: path) + name
        if chain.contains(target) {
            return .failed(Diagnostic(.error, "include cycle: \((chain + [target]).joined(separator: " → "))", at: literal.range))
        }
        guard chain.count < RuleSet.maximumIncludeDepth, let index = loadFile(target, reader: reader, chain: chain, state: &state) else {
            return .failed(Diagnostic(.error, "included file '\(name)' cannot be used (see the line above)", at: literal.range))
        }
        return .loaded(index)
    }

    static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "" }
        return String(path[...slash])
    }

    /// `/home/bob/.roostrc` → `.roostrc`: what log lines and traces call a rule file.
    static func displayName(_ path: String) -> String {
        path.lastIndex(of: "/").map { String(path[path.index(after: $0)...]) } ?? path
    }
}

extension String {
    fileprivate var firstLine: Substring { prefix { $0 != "\n" } }
}
