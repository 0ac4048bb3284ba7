/// The bytes a delivery stores: the spool as received, then what each `filter` made of it (SPEC §5.3). Every
/// version is kept until the delivery ends, so a copy stored before a filter stores the bytes it was made from.
public final class MessageContent {
    /// Every version: the spool and its header section (exactly the bytes before its body), the received one first.
    private(set) var versions: [(spool: SpoolFile, header: [UInt8])]
    let store: MaildirStore

    init(spool: SpoolFile, header: [UInt8], store: MaildirStore) {
        versions = [(spool, header)]
        self.store = store
    }

    // remove() is idempotent, so the spool the delivery also removes is no trouble.
    deinit { for version in versions { version.spool.remove() } }

    /// The current message.
    public var spool: SpoolFile { versions[versions.count - 1].spool }

    /// A filter's output becomes the message.
    func replace(with spool: SpoolFile, header: [UInt8]) {
        versions.append((spool, header))
    }
}
