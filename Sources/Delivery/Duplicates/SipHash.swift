/// SipHash-2-4 (Aumasson and Bernstein, 2012) of a byte string under a 128-bit key: 64 bits that nobody without the
/// key can aim at. Message-IDs are chosen by senders; with an unkeyed hash such as FNV-1a, a sender who can guess the
/// Message-ID of a message still to come could send one with a colliding ID first and have the real one discarded
/// as a duplicate.
struct SipHash {
    /// The two 64-bit halves of the key, little-endian as in the reference implementation.
    let key: (UInt64, UInt64)

    /// The 64-bit SipHash-2-4 of `bytes`.
    func hash(_ bytes: [UInt8]) -> UInt64 {
        var state = State(key: key)
        let wholeWords = bytes.count & ~7
        for start in stride(from: 0, to: wholeWords, by: 8) {
            state.absorb(Self.word(bytes[start..<start + 8]))
        }
        // The last word carries the length's low byte at the top and the 0–7 remaining bytes below it.
        state.absorb(Self.word(bytes[wholeWords...]) | UInt64(truncatingIfNeeded: bytes.count) << 56)
        return state.finish()
    }

    /// Up to 8 bytes read as a little-endian integer.
    private static func word(_ bytes: ArraySlice<UInt8>) -> UInt64 {
        var value: UInt64 = 0
        for (index, byte) in bytes.enumerated() { value |= UInt64(byte) << (8 * index) }
        return value
    }

    /// v0…v3 and the SipRound that mixes them.
    private struct State {
        var v0: UInt64, v1: UInt64, v2: UInt64, v3: UInt64

        init(key: (UInt64, UInt64)) {
            // "somepseudorandomlygeneratedbytes", as the reference code spells the initial state.
            v0 = 0x736f_6d65_7073_6575 ^ key.0
            v1 = 0x646f_7261_6e64_6f6d ^ key.1
            v2 = 0x6c79_6765_6e65_7261 ^ key.0
            v3 = 0x7465_6462_7974_6573 ^ key.1
        }

        mutating func absorb(_ word: UInt64) {
            v3 ^= word
            round()
            round()
            v0 ^= word
        }

        mutating func finish() -> UInt64 {
            v2 ^= 0xff
            for _ in 0..<4 { round() }
            return v0 ^ v1 ^ v2 ^ v3
        }

        private mutating func round() {
            v0 &+= v1
            v1 = v1.rotatedLeft(13) ^ v0
            v0 = v0.rotatedLeft(32)
            v2 &+= v3
            v3 = v3.rotatedLeft(16) ^ v2
            v0 &+= v3
            v3 = v3.rotatedLeft(21) ^ v0
            v2 &+= v1
            v1 = v1.rotatedLeft(17) ^ v2
            v2 = v2.rotatedLeft(32)
        }
    }
}

extension UInt64 {
    /// The bits rotated left by `count` (0 < count < 64).
    fileprivate func rotatedLeft(_ count: UInt64) -> UInt64 {
        self << count | self >> (64 - count)
    }
}
