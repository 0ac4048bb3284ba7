/// The bytes a delivery stores: the spool as received, or what the last `filter` made of it (SPEC §5.3).
public final class MessageContent {
    /// The current message.
    public private(set) var spool: SpoolFile
    /// Its header section, exactly the bytes before its body.
    public private(set) var header: [UInt8]
    let store: MaildirStore
    /// Spools replaced by a filter's output, removed with this content.
    private var replaced: [SpoolFile] = []

    init(spool: SpoolFile, header: [UInt8], store: MaildirStore) {
        self.spool = spool
        self.header = header
        self.store = store
    }

    // remove() is idempotent, so the spool the delivery also removes is no trouble.
    deinit { for spool in replaced + [spool] { spool.remove() } }

    /// A filter's output becomes the message.
    func replace(with spool: SpoolFile, header: [UInt8]) {
        replaced.append(self.spool)
        self.spool = spool
        self.header = header
    }
}
