import Glibc

/// One iconv(3) conversion descriptor to UTF-8, closed exactly once.
final class IconvConverter {
    private let handle: iconv_t
    private var scratch = [UInt8](repeating: 0, count: 8192)
    /// Longest byte sequence that can make one character (escape sequences included) in any charset iconv has.
    private static let longestSequence = 32

    /// Opens a converter from the named charset; nil when iconv does not know the name.
    init?(from name: String) {
        guard let handle = iconv_open("UTF-8", name), handle != iconv_t(bitPattern: -1) else { return nil }
        self.handle = handle
    }

    deinit { iconv_close(handle) }

    /// Returns to the initial shift state (ISO-2022-JP and other stateful charsets), for a new text.
    func reset() { iconv(handle, nil, nil, nil, nil) }

    /// Converts what it can of `input` and removes that from it; an incomplete multi-byte sequence at the end
    /// waits in `input` for the next chunk, unless `isFinal`. A byte iconv rejects is copied unchanged
    /// (SPEC §5.2: what cannot be decoded is tested as it is).
    func convert(_ input: inout [UInt8], into output: inout [UInt8], isFinal: Bool) {
        let consumed = input.withUnsafeMutableBufferPointer { input in
            var consumed = 0
            while consumed < input.count {
                let step = convertStep(input, from: consumed, into: &output)
                switch step {
                case .converted(let count): consumed = count
                case .incomplete(let count) where input.count - count > Self.longestSequence:
                    // No character is this long: iconv is stuck, not waiting. Pass a byte and go on.
                    output.append(input[count])
                    consumed = count + 1
                case .incomplete(let count):
                    guard isFinal else { return count }
                    output += input[count...]
                    return input.count
                case .invalid(let count):
                    guard count < input.count else { return input.count }
                    output.append(input[count])
                    consumed = count + 1
                }
            }
            return consumed
        }
        input.removeFirst(consumed)
    }

    private enum Step {
        /// Converted up to this offset (possibly stopped by a full scratch buffer).
        case converted(Int)
        /// The bytes from this offset are the start of a sequence that may continue in the next chunk.
        case incomplete(Int)
        /// The byte at this offset cannot be converted.
        case invalid(Int)
    }

    private func convertStep(_ input: UnsafeMutableBufferPointer<UInt8>, from offset: Int, into output: inout [UInt8])
        -> Step
    {
        guard let base = input.baseAddress else { return .converted(input.count) }
        let handle = handle
        return scratch.withUnsafeMutableBufferPointer { scratch in
            guard let scratchBase = scratch.baseAddress else { return .invalid(offset) }
            var inPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(base + offset)
                .assumingMemoryBound(to: CChar.self)
            var inLeft = input.count - offset
            var outPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(scratchBase)
                .assumingMemoryBound(to: CChar.self)
            var outLeft = scratch.count
            let result = iconv(handle, &inPointer, &inLeft, &outPointer, &outLeft)
            let error = errno
            let produced = scratch.count - outLeft
            output += scratch[..<produced]
            let reached = input.count - inLeft
            if result != -1 || error == E2BIG {
                // E2BIG with nothing done cannot happen with an 8 KiB buffer; treat it as a bad byte so the loop ends.
                return reached > offset || produced > 0 ? .converted(reached) : .invalid(offset)
            }
            return error == EINVAL ? .incomplete(reached) : .invalid(reached)
        }
    }
}
