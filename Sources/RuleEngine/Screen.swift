import PatternMatching
import RuleLanguage

/// A deferred statement's screen (`Statement.screen`) in the compact form a compiled rule file keeps: per test,
/// its target, the index of its pattern among the file's patterns, and the header names it reads. The evaluator
/// reads it in place, allocating nothing: a 1000-rule file screens a thousand statements per delivery.
///
/// Per test: target (1 byte), pattern index (4 bytes, little-endian), the pattern's required text (`RequiredText`:
/// length and caseless flag, 1 byte each, then the bytes; length 0 for none), name count (1 byte), then each name
/// as its length (1 byte) and bytes.
enum Screen {
    /// The screen of `tests`; nil if one cannot be written this way (a pattern without an index, a header name
    /// longer than 255 bytes, more than 255 names): the statement is then kept whole.
    static func encode(_ tests: [Test], patternIndex: (RegexLiteral) -> Int?) -> [UInt8]? {
        var bytes: [UInt8] = []
        for test in tests {
            guard case .match(let target, let regex, isNegated: false) = test.kind, let index = patternIndex(regex),
                let index = UInt32(exactly: index)
            else { return nil }
            let (tag, names) = target.parts
            guard names.count <= 255, names.allSatisfy({ $0.name.utf8.count <= 255 }) else { return nil }
            bytes.append(tag.rawValue)
            withUnsafeBytes(of: index.littleEndian) { bytes += $0 }
            let required = RequiredText(source: regex.source, flags: regex.flags)
            bytes.append(UInt8(required?.bytes.count ?? 0))
            bytes.append(required?.caseless == true ? 1 : 0)
            bytes += required?.bytes ?? []
            bytes.append(UInt8(names.count))
            for name in names {
                bytes.append(UInt8(name.name.utf8.count))
                bytes += name.name.utf8
            }
        }
        return bytes
    }

    /// One test of a screen, read in place.
    struct Probe {
        let target: MatchTarget.Tag
        let pattern: Int
        /// Text every match contains (empty: none known), lower-cased when `caseless`.
        let required: UnsafeRawBufferPointer
        let caseless: Bool
        /// Each name as its length byte and its bytes.
        let names: UnsafeRawBufferPointer

        /// The target of a test that names no headers.
        var namelessTarget: MatchTarget? { target.takesNames ? nil : MatchTarget(tag: target, names: []) }

        /// Calls `body` with each name until it returns false.
        func forEachName(_ body: (UnsafeRawBufferPointer) -> Bool) {
            var offset = 0
            while offset < names.count {
                let length = Int(names[offset])
                let name = UnsafeRawBufferPointer(rebasing: names[(offset + 1)..<(offset + 1 + length)])
                guard body(name) else { return }
                offset += 1 + length
            }
        }
    }

    /// Calls `body` with each test of `screen` until it returns false; false if the bytes are not a screen.
    static func forEachTest(in screen: UnsafeRawBufferPointer, _ body: (Probe) -> Bool) -> Bool {
        var offset = 0
        while offset < screen.count {
            guard screen.count - offset >= 7, let target = MatchTarget.Tag(rawValue: screen[offset]) else { return false }
            let pattern = Int(UInt32(littleEndian: screen.loadUnaligned(fromByteOffset: offset + 1, as: UInt32.self)))
            let requiredStart = offset + 7
            let requiredEnd = requiredStart + Int(screen[offset + 5])
            guard requiredEnd < screen.count else { return false }
            let caseless = screen[offset + 6] != 0
            let count = Int(screen[requiredEnd])
            let namesStart = requiredEnd + 1
            var end = namesStart
            for _ in 0..<count {
                guard end < screen.count, end + 1 + Int(screen[end]) <= screen.count else { return false }
                end += 1 + Int(screen[end])
            }
            let probe = Probe(
                target: target, pattern: pattern,
                required: UnsafeRawBufferPointer(rebasing: screen[requiredStart..<requiredEnd]), caseless: caseless,
                names: UnsafeRawBufferPointer(rebasing: screen[namesStart..<end]))
            guard body(probe) else { return true }
            offset = end
        }
        return true
    }
}
