/// The SMTP envelope as roost learns it: who sent the message, to whom, and the address extension (SPEC §1).
public struct Envelope: Sendable, Equatable {
    /// The envelope sender; empty for the null sender `<>` of bounces; nil when nothing told us.
    public var sender: String?
    /// The recipient address (`$RECIPIENT`), or nil.
    public var recipient: String?
    /// The recipient's address extension (`user+EXT@`), or nil.
    public var `extension`: String?

    /// Creates an envelope from known values.
    public init(sender: String?, recipient: String?, extension: String?) {
        self.sender = sender
        self.recipient = recipient
        self.extension = `extension`
    }

    /// The sender by SPEC §1's precedence: `-f`, else `$SENDER` (present and empty means `<>`), else the From_
    /// line, else the `Return-Path:` header's address.
    public static func sender(option: String?, environment: String?, fromLine: String?, returnPath: [UInt8]?) -> String? {
        if let option { return option }
        if let environment { return environment }
        if let fromLine { return fromLine }
        guard let returnPath else { return nil }
        let text = String(decoding: returnPath, as: UTF8.self).trimmingWhitespace
        let inner = text.hasPrefix("<") && text.hasSuffix(">") ? String(text.dropFirst().dropLast()) : text
        return inner
    }
}

extension String {
    fileprivate var trimmingWhitespace: String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        return String(drop(while: isSpace).reversed().drop(while: isSpace).reversed())
    }
}
