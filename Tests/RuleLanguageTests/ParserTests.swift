import Testing

@testable import RuleLanguage

/// The AST of `text` as a dump; records an issue for any diagnostic.
private func ast(_ text: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) -> String {
    let (dumped, diagnostics) = dumpParsing(text)
    #expect(diagnostics.isEmpty, "\(diagnostics.map(\.message))", sourceLocation: sourceLocation)
    return dumped
}

@Test("not binds tighter than and, and tighter than or")
func precedence() {
    #expect(
        ast("if not subject ~ /a/ and from ~ /b/ or to ~ /c/ and not (duplicate or size > 5K) { stop }")
            == "if (or (and (not subject ~ /a/) from ~ /b/) (and to ~ /c/ (not (or duplicate size > 5120)))) { stop }")
}

@Test("and and or collect all their operands in one node; parentheses group")
func naryOperators() {
    #expect(ast("if duplicate and duplicate and duplicate {}") == "if (and duplicate duplicate duplicate) {}")
    #expect(ast("if (duplicate or duplicate) and duplicate {}") == "if (and (or duplicate duplicate) duplicate) {}")
    #expect(ast("if not not duplicate {}") == "if (not (not duplicate)) {}")
    #expect(ast("if ((duplicate)) {}") == "if duplicate {}")
}

@Test("else if chains, with else on the closing brace's line or on the next one")
func elseIfChains() {
    let text = """
        if subject ~ /a/ { deliver "A" } else if subject ~ /b/ { deliver "B" }
        else if subject ~ /c/ {
        } else {
            discard
        }
        stop
        """
    #expect(
        ast(text)
            == #"if subject ~ /a/ { deliver "A" } else if subject ~ /b/ { deliver "B" } else if subject ~ /c/ {} else { discard }; stop"#)
}

@Test("a condition may continue on the next line after and, or, not, '(' and ','; '{' may stand on its own line")
func multiLineConditions() {
    let text = """
        if header "To",
               "Cc" ~ /me/ or
           not (
             duplicate
           )
        {
            stop
        }
        """
    #expect(ast(text) == #"if (or header "To","Cc" ~ /me/ (not duplicate)) { stop }"#)
}

@Test("every test of SPEC §5.2", arguments: [
    (#"header "List-Id" ~ /x/i"#, #"header "List-Id" ~ /x/i"#),
    (#"header "X-A", "X-B" !~ /x/"#, #"header "X-A","X-B" !~ /x/"#),
    (#"raw header "Subject" ~ /=\?utf-8\?/"#, #"raw header "Subject" ~ /=\?utf-8\?/"#),
    (#"header "X-Spam-Flag" exists"#, #"header "X-Spam-Flag" exists"#),
    (#"header "A", "B" exists"#, #"header "A","B" exists"#),
    (#"address "From", "Sender" ~ /@example\.com$/"#, #"address "From","Sender" ~ /@example\.com$/"#),
    ("headers ~ /^Received:/m", "headers ~ /^Received:/m"),
    ("body ~ /unsubscribe/s", "body ~ /unsubscribe/s"),
    ("raw body ~ /=3D/x", "raw body ~ /=3D/x"),
    ("subject ~ /a/", "subject ~ /a/"), ("from ~ /a/", "from ~ /a/"), ("to !~ /a/", "to !~ /a/"),
    ("sender ~ /a/", "sender ~ /a/"), ("recipient ~ /a/", "recipient ~ /a/"), ("extension ~ /a/", "extension ~ /a/"),
    ("size < 5M", "size < 5242880"), ("size <= 10", "size <= 10"), ("size > 1G", "size > 1073741824"),
    ("size >= 2k", "size >= 2048"), ("duplicate", "duplicate"),
])
func everyTest(test: String, dumped: String) {
    #expect(ast("if \(test) { stop }") == "if \(dumped) { stop }")
}

@Test("every action of SPEC §5.3", arguments: [
    (#"deliver "Junk""#, #"deliver "Junk""#),
    (#"copy "Archive/Bills""#, #"copy "Archive/Bills""#),
    (#"copy deliver "Archive""#, #"copy "Archive""#),
    ("discard", "discard"),
    (#"forward "a@example.com", "b@example.com""#, #"forward "a@example.com","b@example.com""#),
    (#"copy forward "a@example.com""#, #"copy forward "a@example.com""#),
    (#"pipe "/usr/bin/formail -A 'X-Seen: yes'""#, "pipe [/usr/bin/formail|-A|X-Seen: yes]"),
    (#"copy pipe "logger -t roost""#, "copy pipe [logger|-t|roost]"),
    (#"filter "spamc""#, "filter [spamc]"),
    (#"reject "5.7.1 go away""#, #"reject "5.7.1 go away""#),
    (#"defer "busy""#, #"defer "busy""#),
    (#"add header "X-Roost" "seen $1""#, #"add header "X-Roost" "seen {cap:1}""#),
    (#"remove header "X-Spam""#, #"remove header "X-Spam""#),
    ("flag seen", "flag seen"), ("flag flagged", "flag flagged"), ("flag answered", "flag answered"),
    ("flag draft", "flag draft"),
    (#"log "hello ${USER}""#, #"log "hello {var:USER}""#),
    ("stop", "stop"),
])
func everyAction(action: String, dumped: String) {
    #expect(ast(action) == dumped)
}

@Test("final actions end the evaluation; copies, filters and edits do not", arguments: [
    ("deliver \"x\"", true), ("copy \"x\"", false), ("discard", true), ("forward \"a\"", true),
    ("copy forward \"a\"", false), ("pipe \"p\"", true), ("copy pipe \"p\"", false), ("filter \"p\"", false),
    ("reject \"r\"", true), ("defer \"d\"", true), ("add header \"A\" \"b\"", false), ("remove header \"A\"", false),
    ("flag seen", false), ("log \"l\"", false), ("stop", true),
])
func finalActions(action: String, isFinal: Bool) {
    let (file, _) = parse(SourceFile(path: "t", text: action))
    guard case .action(let parsed)? = file.statements.first?.kind else {
        Issue.record("no action")
        return
    }
    #expect(parsed.isFinal == isFinal)
}

@Test("set and include")
func setAndInclude() {
    #expect(ast(#"set logfile = "~/.roost.log"; include "${HOME}/common.roostrc""#)
        == #"set logfile = "~/.roost.log"; include "{var:HOME}/common.roostrc""#)
    #expect(ast(#"set if = "a keyword as a name""#) == #"set if = "a keyword as a name""#)
}

@Test("';' separates statements on one line; blank lines and comments separate nothing")
func separators() {
    #expect(ast("flag seen; deliver \"X\" ;\n\n# done\n;;stop # end") == #"flag seen; deliver "X"; stop"#)
    #expect(ast("if duplicate { discard; }") == "if duplicate { discard }")
    #expect(ast("") == "")
}

@Test("interpolations stay parts of the folder name")
func interpolatedFolder() {
    #expect(ast(#"if extension ~ /^(?<ext>.+)$/ { deliver "Plus/${ext}.$1" }"#)
        == #"if extension ~ /^(?<ext>.+)$/ { deliver "Plus/{var:ext}.{cap:1}" }"#)
}

@Test("the example of SPEC §5 parses cleanly")
func specExample() {
    let text = """
        # ~/.roostrc
        set logfile = "~/.roost.log"

        if header "List-Id" ~ /<(?<list>[a-z0-9-]+)\\./i {
            deliver "Lists/${list}"
        }

        if header "X-Spam-Flag" ~ /^yes$/i or subject ~ /^\\[SPAM\\]/ {
            flag seen
            deliver "Junk"
        }

        if address "From" ~ /@(billing|invoices)\\.example\\.com$/i and size < 5M {
            copy "Archive/Bills"          # a copy; evaluation goes on
        }

        if duplicate { discard }

        if extension ~ /^(?<ext>.+)$/ { deliver "Plus/${ext}" }
        else if body ~ /\\bunsubscribe\\b/i { deliver "Bulk" }
        """
    #expect(
        ast(text) == #"set logfile = "~/.roost.log"; "#
            + #"if header "List-Id" ~ /<(?<list>[a-z0-9-]+)\./i { deliver "Lists/{var:list}" }; "#
            + #"if (or header "X-Spam-Flag" ~ /^yes$/i subject ~ /^\[SPAM\]/) { flag seen; deliver "Junk" }; "#
            + #"if (and address "From" ~ /@(billing|invoices)\.example\.com$/i size < 5242880) { copy "Archive/Bills" }; "#
            + #"if duplicate { discard }; "#
            + #"if extension ~ /^(?<ext>.+)$/ { deliver "Plus/{var:ext}" } else if body ~ /\bunsubscribe\b/i { deliver "Bulk" }"#)
}

@Test("nodes carry their ranges")
func ranges() {
    let (file, _) = parse(SourceFile(path: "t", text: "\n  deliver \"Jünk\"\n"))
    let folder = StringLiteral(
        parts: [.literal("Jünk")],
        range: SourceRange(SourceLocation(offset: 11, line: 2, column: 11), SourceLocation(offset: 18, line: 2, column: 17)))
    let range = SourceRange(SourceLocation(offset: 3, line: 2, column: 3), SourceLocation(offset: 18, line: 2, column: 17))
    let action = Action(kind: .deliver(folder: folder, isCopy: false), range: range)
    #expect(file == RuleFile(statements: [Statement(kind: .action(action), range: range)]))
}

@Test("an if statement's range runs to its last closing brace")
func ifRange() {
    let (file, _) = parse(SourceFile(path: "t", text: "if duplicate {\n} else {\n  stop\n}\nstop"))
    #expect(file.statements.first?.range.start.description == "1:1")
    #expect(file.statements.first?.range.end.description == "4:2")
    #expect(file.statements.count == 2)
}

@Test("the traversals list regexes and assigned names, and find duplicate tests")
func traversals() {
    let text = "set a = \"1\"\nif subject ~ /x/ { if body ~ /y/ or duplicate { set b = \"2\" } } else { set c = \"3\" }"
    let (file, _) = parse(SourceFile(path: "t", text: text))
    #expect(file.regexes.map(\.text) == ["/x/", "/y/"])
    #expect(file.assignedNames == ["a", "b", "c"])
    #expect(file.usesDuplicateTest)
    #expect(!parse(SourceFile(path: "t", text: "stop")).0.usesDuplicateTest)
}
