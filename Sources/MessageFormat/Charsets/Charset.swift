/// A charset name from a message (RFC 2047 encoded-word, MIME `charset=`), resolved to how roost decodes it.
enum Charset: Equatable {
    /// UTF-8 and US-ASCII: the bytes are kept as they are, so invalid or 8-bit ones survive for byte matching.
    case passThrough
    /// ISO-8859-1, converted by table (every byte is a character, and iconv would cost a call per chunk).
    case latin1
    /// Anything else, by this name through iconv; nil from the decoder when iconv does not know it.
    case iconv(String)

    /// Longest charset name taken; IANA names are at most 40 characters.
    static let maximumNameLength = 40

    /// Resolves a name in any case, with its aliases; nil when the bytes cannot be a charset name. iconv reads
    /// `/` as the start of `//TRANSLIT`-style options, so names are checked before they get near it.
    init?(name: some Collection<UInt8>) {
        guard (1...Self.maximumNameLength).contains(name.count), name.allSatisfy(Self.isNameByte) else { return nil }
        let lowercased = name.asciiLowercasedString
        self = Self.aliases[lowercased] ?? .iconv(lowercased)
    }

    private static func isNameByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        case .hyphen, UInt8(ascii: "_"), UInt8(ascii: "."), .colon, UInt8(ascii: "+"), UInt8(ascii: "("),
            UInt8(ascii: ")"):
            true
        default: false
        }
    }

    /// Names iconv does not know, or knows as a narrower charset than mail means by them. Like browsers
    /// (WHATWG Encoding), labels of a charset are read as its common superset: mail labelled Shift_JIS, GB2312 or
    /// EUC-KR is mostly written in Windows' extended forms, and decoding as those loses nothing.
    private static let aliases: [String: Charset] = {
        var table: [String: Charset] = [:]
        func add(_ charset: Charset, _ names: String...) {
            for name in names { table[name] = charset }
        }
        add(.passThrough, "utf-8", "utf8", "unicode-1-1-utf-8", "us-ascii", "ascii", "us", "ansi_x3.4-1968", "csascii")
        add(.passThrough, "iso646-us")
        add(.latin1, "iso-8859-1", "iso8859-1", "iso_8859-1", "iso_8859-1:1987", "iso88591", "latin1", "l1")
        add(.latin1, "iso-ir-100", "cp819", "ibm819", "csisolatin1")
        add(.iconv("CP932"), "shift_jis", "shift-jis", "sjis", "x-sjis", "ms_kanji", "csshiftjis", "windows-31j")
        add(.iconv("CP932"), "cp932", "ms932")
        add(.iconv("GB18030"), "gb2312", "gb_2312-80", "csgb2312", "euc-cn", "x-euc-cn", "gbk", "x-gbk", "cp936")
        add(.iconv("GB18030"), "chinese")
        add(.iconv("CP949"), "euc-kr", "ks_c_5601-1987", "ks_c_5601", "ksc5601", "cp949", "windows-949")
        add(.iconv("ISO-8859-8"), "iso-8859-8-i", "iso-8859-8-e")
        add(.iconv("ISO-8859-6"), "iso-8859-6-i", "iso-8859-6-e")
        add(.iconv("EUC-JP"), "x-euc-jp")
        add(.iconv("CP874"), "windows-874")
        add(.iconv("MACINTOSH"), "x-mac-roman", "mac", "macintosh")
        add(.iconv("UTF-7"), "unicode-1-1-utf-7")
        return table
    }()
}
