/// The byte classes RFC 5322 and RFC 2045 parsing shares. Header bytes are not text until decoded, so the
/// parsers work on `UInt8` and these names keep them readable.
extension UInt8 {
    static let lineFeed = UInt8(ascii: "\n")
    static let carriageReturn = UInt8(ascii: "\r")
    static let space = UInt8(ascii: " ")
    static let tab = UInt8(ascii: "\t")
    static let colon = UInt8(ascii: ":")
    static let equals = UInt8(ascii: "=")
    static let question = UInt8(ascii: "?")
    static let hyphen = UInt8(ascii: "-")
    static let backslash = UInt8(ascii: "\\")
    static let quote = UInt8(ascii: "\"")

    /// SP or HTAB, the white space of folding (RFC 5322 §2.2.3).
    var isLinearWhitespace: Bool { self == .space || self == .tab }

    /// White space trimmed from the ends of values; CR and LF too, since sloppy line ends leave them behind.
    var isTrimmable: Bool { isLinearWhitespace || self == .carriageReturn || self == .lineFeed }

    /// The byte with ASCII `A`–`Z` folded to `a`–`z`; every other byte unchanged.
    public var asciiLowercased: UInt8 { (0x41...0x5A).contains(self) ? self | 0x20 : self }

    /// The value of a hexadecimal digit in either case, or nil.
    var hexDigitValue: UInt8? {
        switch self {
        case 0x30...0x39: self &- 0x30
        case 0x41...0x46: self &- 0x37
        case 0x61...0x66: self &- 0x57
        default: nil
        }
    }
}

extension BidirectionalCollection<UInt8> {
    /// The bytes without leading and trailing SP, HTAB, CR and LF.
    func trimmingWhitespace() -> SubSequence {
        drop { $0.isTrimmable }.trimmingTrailingWhitespace()
    }

    /// The bytes without trailing SP, HTAB, CR and LF.
    func trimmingTrailingWhitespace() -> SubSequence {
        var end = endIndex
        while end > startIndex {
            let before = index(before: end)
            guard self[before].isTrimmable else { break }
            end = before
        }
        return self[startIndex..<end]
    }
}

extension Collection<UInt8> {
    /// Whether both byte strings are equal once ASCII letters are folded to lower case.
    func equalsIgnoringASCIICase(_ other: some Collection<UInt8>) -> Bool {
        count == other.count && zip(self, other).allSatisfy { $0.asciiLowercased == $1.asciiLowercased }
    }

    /// The bytes with ASCII letters folded to lower case, as a String (for names known to be ASCII).
    var asciiLowercasedString: String { String(decoding: map(\.asciiLowercased), as: UTF8.self) }
}

extension [UInt8] {
    /// The byte at `index`, or nil past either end: the parsers' read that cannot trap.
    func byte(at index: Int) -> UInt8? { indices.contains(index) ? self[index] : nil }

    /// The first position at or after `start` where `first` is followed by `second`.
    func firstIndex(of first: UInt8, followedBy second: UInt8, from start: Int) -> Int? {
        var index = Swift.max(start, 0)
        while index + 1 < count {
            if self[index] == first && self[index + 1] == second { return index }
            index += 1
        }
        return nil
    }
}

extension UnsafeBufferPointer<UInt8> {
    /// The first position at or after `start` holding `byte`. Eight bytes are tested at a time (the classic
    /// "has zero byte" bit trick), since finding line ends is most of the work of skipping an attachment.
    func firstIndex(of byte: UInt8, from start: Int) -> Int? {
        guard let base = baseAddress else { return nil }
        let raw = UnsafeRawPointer(base)
        let pattern = UInt64(byte) &* 0x0101_0101_0101_0101
        var index = Swift.max(start, 0)
        while index &+ 8 <= count {
            let word = raw.loadUnaligned(fromByteOffset: index, as: UInt64.self) ^ pattern
            if (word &- 0x0101_0101_0101_0101) & ~word & 0x8080_8080_8080_8080 != 0 { break }
            index &+= 8
        }
        while index < count {
            if self[index] == byte { return index }
            index &+= 1
        }
        return nil
    }
}
