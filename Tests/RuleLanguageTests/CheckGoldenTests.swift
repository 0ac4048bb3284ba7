import Testing

@testable import RuleLanguage

// Golden tests of `roost check`'s rendered output (STYLE §3, §10): the exact text for broken rule
// files. Kept as string literals until the test target has resources for Golden/check/*.out.

/// The rendered diagnostics of `check` for `text`, as `roost check .roostrc` prints them.
private func checkOutput(_ text: String) -> String {
    let source = SourceFile(path: ".roostrc", text: text)
    return Diagnostic.render(check(source).1, source: source)
}

@Test("the example of STYLE §3: a regex error at PCRE2's offset and a misspelt action")
func styleGuideExample() {
    let text = #"""
        set logfile = "~/.roost.log"
        if header "List-Id" ~ /<(?<list>[a-z0-9-]+\./i {
            deliver "Lists/${list}"
        }
        if subject ~ /^\[SPAM\]/ { delivr "Junk" }

        """#
    #expect(
        checkOutput(text) == #"""
            .roostrc:2:45: error: missing closing parenthesis in regular expression
            if header "List-Id" ~ /<(?<list>[a-z0-9-]+\./i {
                                                        ^
            .roostrc:5:28: error: unknown action 'delivr'; did you mean 'deliver'?
            if subject ~ /^\[SPAM\]/ { delivr "Junk" }
                                       ^

            """#)
}

@Test("carets stay under the right character on lines with multi-byte UTF-8 and tabs")
func multiByteAndTabs() {
    let text = """
        # Rechnungen für März
        if subject ~ /Rechnung (?<monat>März|April/ {
        \tdeliver "Rechnungen/${monat}"\t; flag sen
        }
        \tif from ~ /ü(/ { deliver "Grüße/Ü" }

        """
    #expect(
        checkOutput(text) == """
            .roostrc:2:43: error: missing closing parenthesis in regular expression
            if subject ~ /Rechnung (?<monat>März|April/ {
                                                      ^
            .roostrc:3:39: error: unknown flag 'sen'; did you mean 'seen'?
            \tdeliver "Rechnungen/${monat}"\t; flag sen
            \t                             \t       ^
            .roostrc:5:15: error: missing closing parenthesis in regular expression
            \tif from ~ /ü(/ { deliver "Grüße/Ü" }
            \t             ^

            """)
}

@Test("errors and warnings of every stage in one file, in file order, with hints")
func everyStage() {
    let text = #"""
        set timeout = "soon"
        set logfle = "x"
        if subjet ~ /x/ { stop }
        deliver "Junk
        if header "X-Spam" ~ /yes/g { deliver "Junk" }
        log "cost: 5 $ each"
        deliver "Lists//x"
        stop
        log "after"

        """#
    #expect(
        checkOutput(text) == #"""
            .roostrc:1:15: error: 'timeout' must be a whole number
            set timeout = "soon"
                          ^
            hint: seconds, e.g. "60"
            .roostrc:2:5: warning: variable 'logfle' is set but never used; did you mean 'logfile'?
            set logfle = "x"
                ^
            .roostrc:3:4: error: unknown test 'subjet'; did you mean 'subject'?
            if subjet ~ /x/ { stop }
               ^
            .roostrc:4:9: error: unterminated string
            deliver "Junk
                    ^
            hint: end it with '"' on the same line; write '\n' for a line break
            .roostrc:5:1: warning: statement is never reached
            if header "X-Spam" ~ /yes/g { deliver "Junk" }
            ^
            hint: 'deliver' on line 4 always ends the evaluation
            .roostrc:5:27: error: unknown regular expression flag 'g'
            if header "X-Spam" ~ /yes/g { deliver "Junk" }
                                      ^
            hint: the flags are i, m, s and x
            .roostrc:6:14: error: '$' must start $name, ${name} or $1
            log "cost: 5 $ each"
                         ^
            hint: write '$$' for a dollar sign
            .roostrc:7:9: warning: folder name cannot exist: a folder name has an empty level (leading, trailing or double '/')
            deliver "Lists//x"
                    ^
            hint: no such folder can exist, so the message would go to the default folder
            .roostrc:8:1: warning: statement is never reached
            stop
            ^
            hint: 'deliver' on line 7 always ends the evaluation

            """#)
}

@Test("a problem at the end of a line or of the file puts the caret just past the last character")
func caretAtLineEnd() {
    #expect(
        checkOutput("deliver\r\nstop") == """
            .roostrc:1:8: error: expected a string after 'deliver', found end of line
            deliver
                   ^

            """)
    #expect(
        checkOutput("if duplicate {") == """
            .roostrc:1:14: error: '{' is never closed
            if duplicate {
                         ^
            hint: add '}' to end the block

            """)
}

@Test("a clean file renders to nothing")
func cleanFile() {
    #expect(checkOutput("if duplicate { discard }\ndeliver \"INBOX\"\n") == "")
}

@Test("a rule file that is not UTF-8 still renders")
func invalidUTF8Rendering() {
    let source = SourceFile(path: "r", bytes: Array("log \"caf".utf8) + [0xE9] + Array("\" x".utf8))
    #expect(
        Diagnostic.render(check(source).1, source: source) == """
            r:1:5: error: string is not valid UTF-8
            log "caf\u{FFFD}" x
                ^
            r:1:12: error: expected the end of the statement, found 'x'
            log "caf\u{FFFD}" x
                       ^
            hint: put each statement on a line of its own, or separate them with ';'

            """)
}
