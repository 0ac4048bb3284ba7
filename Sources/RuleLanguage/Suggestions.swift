/// "Did you mean …?" for a misspelt word: the closest candidate by edit distance, if it is close enough.
enum Suggestions {
    /// The candidate nearest to `word`, allowing one edit in words up to four characters and two in
    /// longer ones; nil when nothing is that close, so a wild guess is never offered. Words under three
    /// characters get no suggestion: one edit away from "go" are both "to" and "or".
    static func closest(to word: String, among candidates: some Sequence<String>) -> String? {
        let word = Array(word.lowercased().unicodeScalars)
        guard word.count >= 3 else { return nil }
        let allowed = word.count <= 4 ? 1 : 2
        var best: (candidate: String, distance: Int)?
        for candidate in candidates {
            let distance = editDistance(word, Array(candidate.unicodeScalars))
            guard distance <= allowed, distance < word.count else { continue }
            if best.map({ distance < $0.distance }) ?? true { best = (candidate, distance) }
        }
        return best?.candidate
    }

    /// "; did you mean 'x'?" for a message, or nothing.
    static func didYouMean(_ word: String, among candidates: some Sequence<String>) -> String {
        closest(to: word, among: candidates).map { "; did you mean '\($0)'?" } ?? ""
    }

    /// Optimal string alignment distance: insertions, deletions, substitutions and swaps of two
    /// neighbours each cost one, so "delivr" and "sotp" are both one edit away.
    static func editDistance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var previous2 = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    current[j] = min(current[j], previous2[j - 2] + 1)
                }
            }
            (previous2, previous, current) = (previous, current, previous2)
        }
        return previous[b.count]
    }
}
