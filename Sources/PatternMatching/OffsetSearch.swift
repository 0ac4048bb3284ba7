/// Where the pattern of the literal at byte `offset` is, among `count` patterns filed in ascending order of their
/// literals' offsets (`offsetAt`); nil if none stands there. A binary search: a big rule file looks up a thousand.
func index(ofOffset offset: Int, count: Int, offsetAt: (Int) -> Int) -> Int? {
    var low = 0
    var high = count
    while low < high {
        let middle = (low + high) / 2
        if offsetAt(middle) < offset { low = middle + 1 } else { high = middle }
    }
    return low < count && offsetAt(low) == offset ? low : nil
}
