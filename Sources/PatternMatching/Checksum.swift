/// FNV-1a over 8-byte words, four independent lanes at a time: it finds a torn or damaged file, cheaply enough to
/// run on every delivery over a compiled rule file, and on each pattern decoded from it (it is no defence against
/// forgery: only the rule file's owner can write the compiled file, and could as well write the rules).
public enum Checksum {
    private static let prime: UInt64 = 0x100_0000_01b3

    /// The checksum of `bytes`.
    public static func of(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var lanes: (UInt64, UInt64, UInt64, UInt64) = (0xcbf2_9ce4_8422_2325, 1, 2, 3)
        let chunks = bytes.count / 32
        for chunk in 0..<chunks {
            let base = chunk * 32
            lanes.0 = (lanes.0 ^ bytes.loadUnaligned(fromByteOffset: base, as: UInt64.self)) &* prime
            lanes.1 = (lanes.1 ^ bytes.loadUnaligned(fromByteOffset: base + 8, as: UInt64.self)) &* prime
            lanes.2 = (lanes.2 ^ bytes.loadUnaligned(fromByteOffset: base + 16, as: UInt64.self)) &* prime
            lanes.3 = (lanes.3 ^ bytes.loadUnaligned(fromByteOffset: base + 24, as: UInt64.self)) &* prime
        }
        var hash = lanes.0 &* 31 &+ lanes.1 &* 37 &+ lanes.2 &* 41 &+ lanes.3 &* 43
        for byte in bytes[(chunks * 32)...] { hash = (hash ^ UInt64(byte)) &* prime }
        return hash ^ UInt64(bytes.count)
    }

    /// The checksum of `bytes`.
    public static func of(_ bytes: ArraySlice<UInt8>) -> UInt64 { bytes.withUnsafeBytes { of($0) } }
}
