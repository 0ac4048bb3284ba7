/// `roost --help` and `--version`, written like a well-made Swift CLI's.
enum HelpText {
    static let version = "roost 0.1.0"

    static let usage = """
        OVERVIEW: roost, a local mail delivery agent: filter with rules, store in Maildir.

        USAGE: roost [<options>]                 deliver the message on standard input
               roost --dry-run [<options>]       show what would happen; write nothing
               roost check <rulefile> ...        validate rule files
               roost test [<options>] <path> ... dry-run over .eml files, Maildirs, mboxes

        OPTIONS:
          -r, --rules <file>      User rule file (default: $HOME/.roostrc)
          -m, --maildir <dir>     Root Maildir, INBOX (default: $HOME/Maildir/)
          -f, --from <address>    Envelope sender (default: $SENDER, the From_ line, Return-Path:)
          -a, --extension <ext>   Recipient address extension, user+EXT@ (default: $EXTENSION)
          -d, --user <name>       Deliver as this user (only when started as root)
          -n, --dry-run           Print the decision trace; write, run and send nothing
          --format <format>       Trace format for --dry-run and test: text or json (default: text)
          -v, --verbose           Trace to standard error during a real delivery
          --version               Show the version.
          -h, --help              Show help information.

        Postfix: mailbox_command = /usr/local/bin/roost -a "$EXTENSION"
        See roost(1) and roostrc(5).

        """
}
