/// SplitMix64 (Steele, Lea and Flood, 2014), for tests that generate random input. Written out, and drawn from
/// through `below`, because the standard library promises neither its generator nor how `random(in:using:)` maps
/// numbers: a failure found with a seed must come back with that seed on every machine and toolchain.
public struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    /// A generator starting from `seed`.
    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }

    /// A number in `0..<bound`; the modulo bias is far below anything a test could notice.
    public mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
}
