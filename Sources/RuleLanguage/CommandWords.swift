/// A program and its arguments for `pipe` and `filter`, split into words when the rule file is parsed,
/// before anything is interpolated, so a value from a message can never become a second word (SPEC §5.3, §8).
public struct Command: Equatable, Sendable {
    /// The program, then its arguments.
    public var words: [CommandWord]
    /// The string as written, for traces and messages.
    public var literal: StringLiteral
}

/// One word of a command. Its interpolations are filled in at run time and stay inside this word,
/// whatever spaces or quotes their values hold.
public struct CommandWord: Equatable, Sendable {
    /// The word's text and interpolations, quotes removed.
    public var parts: [StringPart]
}

/// Splits a command string into words, as a shell would for the simple cases, and never runs a shell.
///
/// Rules, chosen to be few: space, tab and line break separate words; `'…'` and `"…"` (the latter
/// written `\"…\"` inside the rule's string) group text with spaces into one word, and the other
/// kind of quote inside them is literal; a backslash is an ordinary character, so a regex argument
/// like `grep -E '\d+'` needs no doubling; an interpolation is always part of the word it stands in.
enum CommandWords {
    /// Why a command could not be split.
    enum Problem: Error, Equatable {
        case unclosedQuote(Character)
        case empty
    }

    /// The words of `literal`, or the problem that prevents splitting it.
    static func split(_ literal: StringLiteral) -> Result<[CommandWord], Problem> {
        var splitter = Splitter()
        for part in literal.parts {
            switch part {
            // Bytes, not Characters: every separator and quote is ASCII, which never occurs inside a
            // multi-byte UTF-8 character, and bytes spare the grapheme breaking.
            case .literal(let text): text.utf8.forEach { splitter.take($0) }
            case .capture, .variable: splitter.take(part)
            }
        }
        if let quote = splitter.openQuote { return .failure(.unclosedQuote(Character(Unicode.Scalar(quote)))) }
        let words = splitter.finish()
        return words.isEmpty ? .failure(.empty) : .success(words)
    }

    private struct Splitter {
        private var words: [CommandWord] = []
        private var parts: [StringPart] = []
        private var text: [UInt8] = []
        private var isInWord = false
        private(set) var openQuote: UInt8?

        /// Takes one byte of literal text.
        mutating func take(_ byte: UInt8) {
            if let quote = openQuote {
                if byte == quote { openQuote = nil } else { text.append(byte) }
            } else if byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\n") {
                endWord()
            } else if byte == UInt8(ascii: "'") || byte == UInt8(ascii: "\"") {
                openQuote = byte
                isInWord = true  // '' is an empty argument, not nothing
            } else {
                text.append(byte)
                isInWord = true
            }
        }

        /// Takes an interpolation into the current word.
        mutating func take(_ interpolation: StringPart) {
            flushText()
            parts.append(interpolation)
            isInWord = true
        }

        /// The words, the last one ended.
        mutating func finish() -> [CommandWord] {
            endWord()
            return words
        }

        private mutating func flushText() {
            guard !text.isEmpty else { return }
            parts.append(.literal(String(decoding: text, as: UTF8.self)))
            text.removeAll(keepingCapacity: true)
        }

        private mutating func endWord() {
            flushText()
            if isInWord { words.append(CommandWord(parts: parts)) }
            parts = []
            isInWord = false
        }
    }
}
