extension HeaderEdit {
    /// The stored header after the rules' edits, from the header as received (SPEC §4: the stored bytes are the
    /// message plus the rules' header edits). Fields stay byte for byte as written, folding included; `add`
    /// prepends `Name: value`, `remove` drops every field of that name (its continuation lines with it).
    public static func apply(_ edits: [HeaderEdit], to header: [UInt8]) -> [UInt8] {
        var fields = Self.fields(of: header)
        let hasSeparator = fields.last == [UInt8(ascii: "\n")]
        if hasSeparator { fields.removeLast() }
        for edit in edits {
            switch edit {
            case .add(let name, let value): fields.insert(Array(name.utf8) + Array(": ".utf8) + value + [10], at: 0)
            case .remove(let name): fields.removeAll { Self.name(of: $0) == name.lowercased() }
            }
        }
        return fields.flatMap { $0 } + (hasSeparator ? [10] : [])
    }

    /// The header split into fields, each with its continuation lines and line ends; the empty line that ends the
    /// header is a field of its own.
    static func fields(of header: [UInt8]) -> [[UInt8]] {
        var fields: [[UInt8]] = []
        var start = 0
        while start < header.count {
            var end = header[start...].firstIndex(of: 10).map { $0 + 1 } ?? header.count
            let isSeparator = end - start == 1
            while !isSeparator, end < header.count, header[end] == 32 || header[end] == 9 {
                end = header[end...].firstIndex(of: 10).map { $0 + 1 } ?? header.count
            }
            fields.append(Array(header[start..<end]))
            start = end
        }
        return fields
    }

    /// The lower-cased name of a field (`Subject` of `Subject: x`), nil for a line without a colon.
    static func name(of field: [UInt8]) -> String? {
        guard let colon = field.firstIndex(of: UInt8(ascii: ":")) else { return nil }
        let name = field[..<colon].reversed().drop { $0 == 32 || $0 == 9 }.reversed()
        return String(decoding: name, as: UTF8.self).lowercased()
    }
}
