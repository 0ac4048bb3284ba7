/// The addr-specs of an address header (RFC 5322 §3.4 and the obsolete forms of §4.4), for `address ~ /re/`.
public enum AddressList {
    /// Each addr-spec in a raw (undecoded, RFC 2047 §5) value, in order, written `local@domain`: no display name,
    /// comments or white space, a quoted local part with its quotes, a domain literal with its brackets, case
    /// as in the message. Groups give their members (`undisclosed-recipients:;` gives none), an obsolete route
    /// (`<@a,@b:user@host>`) is dropped. An element without `@` that is a single atom or dot-atom (`To: root`)
    /// is given as it is, a local address; other garbage between addresses is skipped. Several addr-specs in one
    /// element (a missing comma) are each given. Invalid UTF-8 is repaired to U+FFFD.
    public static func addrSpecs(in rawValue: [UInt8]) -> [String] {
        elements(of: AddressToken.tokens(of: rawValue))
            .flatMap(specs(inElement:))
            .map { String(decoding: $0, as: UTF8.self) }
    }

    /// Splits the tokens at the commas and semicolons between addresses. A colon outside angle brackets starts
    /// a group, and its display name is dropped; inside an obsolete route commas and colons belong to the route.
    static func elements(of tokens: [AddressToken]) -> [ArraySlice<AddressToken>] {
        var elements: [ArraySlice<AddressToken>] = []
        var start = 0
        var isInAngle = false
        var isRouteAhead = false  // just after `<`, where a route may start
        var isInRoute = false
        for (index, token) in tokens.enumerated() {
            switch token {
            case .open:
                (isInAngle, isRouteAhead, isInRoute) = (true, true, false)
            case .close:
                (isInAngle, isRouteAhead, isInRoute) = (false, false, false)
            case .at where isRouteAhead:
                (isRouteAhead, isInRoute) = (false, true)
            case .colon where isInAngle, .comma where isInRoute:
                if token == .colon { isInRoute = false }
            case .comma, .semicolon:
                elements.append(tokens[start..<index])
                start = index + 1
                (isInAngle, isRouteAhead, isInRoute) = (false, false, false)
            case .colon:
                start = index + 1
            case .gap:
                break
            case .word, .dot, .at:
                isRouteAhead = false
            }
        }
        elements.append(tokens[start...])
        return elements
    }

    /// The addr-specs of one element: those in its angle brackets if it has any, else those around each `@`.
    static func specs(inElement element: ArraySlice<AddressToken>) -> [[UInt8]] {
        guard var open = element.firstIndex(of: .open) else { return specs(in: element) }
        var found: [[UInt8]] = []
        while true {
            let close = element[(open + 1)...].firstIndex(of: .close) ?? element.endIndex
            found += specs(in: droppingRoute(element[(open + 1)..<close]))
            guard let next = element[close...].firstIndex(of: .open) else { return found }
            open = next
        }
    }

    /// Without an obsolete route: `@a,@b:user@host` → `user@host`.
    private static func droppingRoute(_ content: ArraySlice<AddressToken>) -> ArraySlice<AddressToken> {
        guard content.first(where: { $0 != .gap }) == .at, let colon = content.firstIndex(of: .colon) else {
            return content
        }
        return content[(colon + 1)...]
    }

    /// `local@domain` around each `@`, each local part being the words joined by dots right before it; without
    /// any `@`, the element's single run of words, if that is all it holds.
    private static func specs(in tokens: ArraySlice<AddressToken>) -> [[UInt8]] {
        var found: [[UInt8]] = []
        var floor = tokens.startIndex
        var at = tokens.startIndex
        while let next = tokens[at...].firstIndex(of: .at) {
            let local = run(endingBefore: next, in: tokens, floor: floor)
            let domain = run(startingAt: next + 1, in: tokens)
            if !local.bytes.isEmpty { found.append(local.bytes + [UInt8(ascii: "@")] + domain.bytes) }
            floor = max(floor, domain.end)
            at = max(next + 1, domain.end)
        }
        guard found.isEmpty, !tokens.contains(.at) else { return found }
        let bare = run(endingBefore: tokens.endIndex, in: tokens, floor: tokens.startIndex)
        let isAlone = !tokens[tokens.startIndex..<bare.start].contains(where: \.isWord)
        // Only atoms: a lone quoted string or literal is a display name or junk, not a local address.
        let isAtoms = !bare.bytes.contains(.quote) && !bare.bytes.contains(UInt8(ascii: "["))
        return isAlone && isAtoms && !bare.bytes.isEmpty ? [bare.bytes] : []
    }

    /// The words and dots right before `end` (white space and comments skipped, RFC 5322 §4.4 obs-local-part),
    /// back to where two words meet without a dot between them.
    private static func run(endingBefore end: Int, in tokens: ArraySlice<AddressToken>, floor: Int)
        -> (start: Int, bytes: [UInt8])
    {
        var pieces: [ArraySlice<UInt8>] = []
        var index = end
        var start = end
        var lastWasWord = false
        scan: while index > floor {
            index -= 1
            switch tokens[index] {
            case .gap: continue
            case .dot:
                pieces.append([UInt8(ascii: ".")])
                lastWasWord = false
            case .word(let text) where !lastWasWord:
                pieces.append(text)
                lastWasWord = true
            default: break scan
            }
            start = index
        }
        return (start, Array(pieces.reversed().joined()))
    }

    /// The words and dots from `start` on (obs-domain), up to where two words meet without a dot between them;
    /// `end` is the first token not taken.
    private static func run(startingAt start: Int, in tokens: ArraySlice<AddressToken>) -> (end: Int, bytes: [UInt8]) {
        var bytes: [UInt8] = []
        var index = start
        var end = start
        var lastWasWord = false
        scan: while index < tokens.endIndex {
            switch tokens[index] {
            case .gap: break
            case .dot:
                bytes.append(UInt8(ascii: "."))
                lastWasWord = false
            case .word(let text) where !lastWasWord:
                bytes += text
                lastWasWord = true
            default: break scan
            }
            index += 1
            if tokens[index - 1] != .gap { end = index }
        }
        return (end, bytes)
    }
}
