import Glibc
import SystemPackage

/// Why roost refuses to run as it was started (SPEC §2, §8).
public enum PrivilegeError: Error, Equatable, CustomStringConvertible {
    /// `--user` names nobody: EX_NOUSER, the one configuration error Postfix may bounce.
    case noSuchUser(String)
    /// Started as root without `--user`: roost never delivers as root.
    case rootWithoutUser
    /// Real and effective ids differ: a setuid install, which roost does not support.
    case setuidInstall
    /// `--user` given by someone who is not root and is not that user.
    case cannotSwitch(to: String)
    /// A name the system cannot resolve now (NIS/LDAP down): retry later.
    case lookUpFailed(Errno)
    /// initgroups/setgid/setuid failed, or root could be regained afterwards.
    case dropFailed(String)

    public var description: String {
        switch self {
        case .noSuchUser(let name): "no such user: \(name)"
        case .rootWithoutUser: "refusing to deliver as root; use --user NAME"
        case .setuidInstall: "real and effective ids differ; roost must not be installed setuid or setgid"
        case .cannotSwitch(let name): "--user \(name) needs root"
        case .lookUpFailed(let errno): "user database lookup failed: \(errno)"
        case .dropFailed(let why): "could not drop privileges: \(why)"
        }
    }
}

/// Settles who roost runs as before any file is touched: as root, `--user` is required and privileges are dropped
/// (initgroups, setgid, setuid), then proven gone.
public struct Privileges {
    let system: System

    /// Creates the check over a system seam.
    public init(system: System) { self.system = system }

    /// Drops to `userName` when started as root; returns the account deliveries run as (nil: the caller's own,
    /// when no `--user` was given and roost is not root).
    /// - Throws: `PrivilegeError`; `.noSuchUser` ends in 67, everything else in 75.
    public func establish(userName: String?, allowRoot: Bool) throws(PrivilegeError) -> UserAccount? {
        let ids = system.userID()
        let groups = system.groupID()
        guard ids.real == ids.effective, groups.real == groups.effective else { throw .setuidInstall }
        guard let userName else {
            if ids.effective == 0 && !allowRoot { throw .rootWithoutUser }
            return nil
        }
        let account: UserAccount
        do {
            guard let found = try system.lookUpUser(.name(userName)) else { throw PrivilegeError.noSuchUser(userName) }
            account = found
        } catch let error as PrivilegeError {
            throw error
        } catch {
            throw .lookUpFailed(error as? Errno ?? .ioError)
        }
        if ids.effective != 0 {
            guard account.uid == ids.effective else { throw .cannotSwitch(to: userName) }
            return account
        }
        guard account.uid != 0 else { throw .rootWithoutUser }
        try drop(to: account)
        return account
    }

    private func drop(to account: UserAccount) throws(PrivilegeError) {
        do {
            try system.becomeUser(account)
        } catch {
            throw .dropFailed("\(error)")
        }
        let ids = system.userID()
        guard ids.real == account.uid, ids.effective == account.uid else { throw .dropFailed("ids did not change") }
        // Proof that the saved set-user-ID is gone too: getting root back must fail.
        if (try? system.becomeUser(UserAccount(name: "root", uid: 0, gid: 0, home: "/"))) != nil {
            throw .dropFailed("root could be regained")
        }
    }
}
