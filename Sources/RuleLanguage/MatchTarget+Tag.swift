extension MatchTarget {
    /// Which target, without its header names: how the encodings of a compiled rule file (the syntax tree and the
    /// screens) spell a target, one byte.
    public enum Tag: UInt8, Sendable {
        case header, rawHeader, address, headers, body, rawBody, subject, from, to, sender, recipient, `extension`

        /// Whether targets of this kind name header fields.
        public var takesNames: Bool {
            switch self {
            case .header, .rawHeader, .address: true
            default: false
            }
        }
    }

    /// The target's tag and its header names (none for targets that name no header field).
    public var parts: (tag: Tag, names: [HeaderName]) {
        switch self {
        case .header(let names): (.header, names)
        case .rawHeader(let names): (.rawHeader, names)
        case .address(let names): (.address, names)
        case .headers: (.headers, [])
        case .body: (.body, [])
        case .rawBody: (.rawBody, [])
        case .subject: (.subject, [])
        case .from: (.from, [])
        case .to: (.to, [])
        case .sender: (.sender, [])
        case .recipient: (.recipient, [])
        case .extension: (.extension, [])
        }
    }

    /// The target `parts` took apart; `names` are ignored by a tag that takes none.
    public init(tag: Tag, names: [HeaderName]) {
        switch tag {
        case .header: self = .header(names)
        case .rawHeader: self = .rawHeader(names)
        case .address: self = .address(names)
        case .headers: self = .headers
        case .body: self = .body
        case .rawBody: self = .rawBody
        case .subject: self = .subject
        case .from: self = .from
        case .to: self = .to
        case .sender: self = .sender
        case .recipient: self = .recipient
        case .extension: self = .extension
        }
    }
}
