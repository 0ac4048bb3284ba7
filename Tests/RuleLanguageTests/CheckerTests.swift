import PatternMatching
import Testing

@testable import RuleLanguage

@Test("regex errors carry PCRE2's message and point into the rule file", arguments: [
    ("if subject ~ /a1️⃣)/ { stop }", "unmatched closing parenthesis in regular expression"),
    ("if subject ~ /(abc1️⃣/ { stop }", "missing closing parenthesis in regular expression"),
    ("if subject ~ /1️⃣*a/ { stop }", "quantifier does not follow a repeatable item in regular expression"),
    ("if subject ~ /März1️⃣)/ { stop }", "unmatched closing parenthesis in regular expression"),
    ("if subject ~ /a{2,11️⃣}/ { stop }", "numbers out of order in {} quantifier in regular expression"),
    ("if subject ~ /a\\/(1️⃣/ { stop }", "missing closing parenthesis in regular expression"),
    ("if subject ~ /(?x) a  b 1️⃣)/x { stop }", "unmatched closing parenthesis in regular expression"),
    ("if header \"X-A\", \"X-B\" exists and body ~ /[😀-1️⃣é]/ { stop }",
        "range out of order in character class in regular expression"),
])
func regexErrors(text: String, message: String) {
    expectDiagnostics(text, ["1️⃣": message])
}

@Test("a regex error is found in a branch evaluation might never reach, and in every branch")
func regexErrorsEverywhere() {
    expectDiagnostics(
        """
        if duplicate { discard }
        if subject ~ /ok/ {
            if body ~ /(1️⃣/ { stop }
        } else if from ~ /[2️⃣/ { stop }
        """,
        [
            "1️⃣": "missing closing parenthesis in regular expression",
            "2️⃣": "missing terminating ] for character class in regular expression",
        ])
}

@Test("a regex error made lazily, at delivery, gets the same position as in check")
func lazyRegexDiagnostic() throws {
    let (text, markers) = stripMarkers("if subject ~ /Grüße(1️⃣/ { stop }")
    let (file, _) = parse(SourceFile(path: "t", text: text))
    let regex = try #require(file.regexes.first)
    guard case .failure(let error) = PatternCache().pattern(source: regex.source, flags: regex.flags) else {
        Issue.record("the regex compiled")
        return
    }
    #expect(regex.diagnostic(for: error).location.description == markers["1️⃣"])
}

@Test("statements after an unconditional final action are never reached")
func unreachableStatements() {
    expectDiagnostics(
        """
        if subject ~ /a/ {
            deliver "A"
            1️⃣log "never"
            stop
        }
        if subject ~ /b/ { copy "B"; log "fine"; filter "spamc"; flag seen }
        if subject ~ /c/ { stop } else if subject ~ /d/ { reject "no" } else { discard }
        2️⃣deliver "D"
        """,
        ["1️⃣": "statement is never reached", "2️⃣": "statement is never reached"])
}

@Test("an if without else, or with a branch that goes on, does not end the evaluation")
func reachableAfterIf() {
    expectDiagnostics("if duplicate { discard }\nif subject ~ /x/ { stop } else { log \"x\" }\ndeliver \"A\"", [:])
}

@Test("the unreachable warning says why")
func unreachableHint() {
    let (_, diagnostics) = check(SourceFile(path: "t", text: "stop\nlog \"x\"\nif duplicate {} else {}"))
    #expect(diagnostics.map(\.hint) == ["'stop' on line 1 always ends the evaluation"])
}

@Test("variables: captures of the enclosing if, set names, settings and the environment are known")
func knownVariables() {
    expectDiagnostics(
        """
        set spam = "Junk"
        if header "List-Id" ~ /<(?<list>[a-z]+)\\./ {
            if subject ~ /(?<tag>\\w+)/ { deliver "Lists/${list}/${tag}/$1" }
            log "${spam} ${default} $HOME ${ORIGINAL_RECIPIENT} ${WHATEVER_POSTFIX_SETS}"
        }
        """, [:])
}

@Test("variables nothing defines are warned about, with a suggestion when one is close")
func unknownVariables() {
    expectDiagnostics(
        """
        if header "List-Id" ~ /<(?<list>[a-z]+)\\./ {
            deliver "Lists/1️⃣${lsit}"
        }
        copy "Lists/2️⃣$list"
        log "3️⃣${logfil}"
        """,
        [
            "1️⃣": "unknown variable 'lsit'; did you mean 'list'?",
            "2️⃣": "unknown variable 'list'",
            "3️⃣": "unknown variable 'logfil'; did you mean 'logfile'?",
        ])
}

@Test("numbered captures need a regex with that many groups in scope")
func numberedCaptures() {
    expectDiagnostics(
        """
        log "1️⃣$0"
        if subject ~ /(a)(b)/ or size > 5 { log "$0 $1 $2 2️⃣$3" }
        if duplicate { log "3️⃣$1" }
        """,
        [
            "1️⃣": "'$0' is always empty here",
            "2️⃣": "'$3' is always empty here: the regular expressions in scope have 2 groups",
            "3️⃣": "'$1' is always empty here",
        ])
}

@Test("a broken regex in scope silences capture warnings rather than guessing")
func brokenRegexSilencesCaptures() {
    expectDiagnostics("if subject ~ /(?<a>x1️⃣/ { log \"${a} ${b} $7\" }", ["1️⃣": "missing closing parenthesis in regular expression"])
}

@Test("a set that looks like a misspelt setting and is never used is warned about")
func misspeltSettings() {
    expectDiagnostics(
        """
        set 1️⃣logfle = "~/.roost.log"
        set spam = "Junk"
        set defualt = "INBOX"
        log "${defualt}"
        """,
        ["1️⃣": "variable 'logfle' is set but never used; did you mean 'logfile'?"])
}

@Test("folder names that cannot exist are warned about", arguments: [
    #"deliver 1️⃣"Lists//swift""#, #"copy 1️⃣"Lists/""#, #"deliver 1️⃣"../etc""#, #"deliver 1️⃣"a/./b""#,
    #"deliver 1️⃣"a\tb""#, #"deliver 1️⃣"""#, #"set default = 1️⃣"a//b""#,
    #"if subject ~ /(?<x>.)/ { deliver 1️⃣"${x}/" }"#, #"deliver 1️⃣"a..b""#, #"deliver 1️⃣"Lists.swift""#,
])
func impossibleFolders(text: String) {
    let (_, diagnostics) = check(SourceFile(path: "t", text: stripMarkers(text).0))
    #expect(diagnostics.count == 1)
    #expect(diagnostics.first?.severity == .warning)
    #expect(diagnostics.first?.message.hasPrefix("folder name") == true)
    #expect(diagnostics.first?.location.description == stripMarkers(text).1["1️⃣"])
}

@Test("ordinary folders, other Maildirs and interpolated levels are fine", arguments: [
    #"deliver "INBOX""#, #"deliver "Rechnungen/März""#, #"deliver "/var/mail/shared/""#, #"deliver "~/Other/""#,
    #"if extension ~ /(?<ext>.+)/ { deliver "Plus/${ext}" }"#,
])
func possibleFolders(text: String) {
    #expect(check(SourceFile(path: "t", text: text)).1 == [])
}
