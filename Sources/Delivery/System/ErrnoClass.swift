import SystemPackage

/// The one table from errno to what it means for a delivery. A new errno is one row here and one in its test.
public enum ErrnoClass: String, Sendable, Equatable {
    case noSpace = "disk full"
    case quota = "quota exceeded"
    case fileTooLarge = "file size limit exceeded"
    case ioError = "I/O error"
    case permission = "permission denied"
    case symlink = "refused symbolic link"
    case missing = "no such file or directory"
    case readOnly = "read-only file system"
    case resources = "out of resources"
    case other = "system error"

    /// Classifies an errno; unknown ones are `.other`, which still ends in a temporary failure.
    public init(_ errno: Errno) {
        switch errno {
        case .noSpace: self = .noSpace
        case .diskQuotaExceeded: self = .quota
        case .fileTooLarge: self = .fileTooLarge
        case .ioError, .staleNFSFileHandle: self = .ioError
        case .permissionDenied, .notPermitted: self = .permission
        // O_NOFOLLOW on a symlink gives ELOOP; O_DIRECTORY|O_NOFOLLOW on a symlink to a directory gives ENOTDIR.
        case .tooManySymbolicLinkLevels, .notDirectory: self = .symlink
        case .noSuchFileOrDirectory: self = .missing
        case .readOnlyFileSystem: self = .readOnly
        case .noMemory, .tooManyOpenFiles, .tooManyOpenFilesInSystem, .tooManyLinks: self = .resources
        default: self = .other
        }
    }
}
