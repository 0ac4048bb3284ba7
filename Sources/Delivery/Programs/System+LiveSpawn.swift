import CRoostSys
import Glibc
import SystemPackage

extension System {
    /// The posix_spawn(3) behind `System.live.spawn`: the program gets the three descriptors as 0, 1, 2 and nothing
    /// else, its own process group (so a time limit can kill everything it started), an empty signal mask and every
    /// signal at SIG_DFL. The reset matters: Postfix's local(8) hands roost SIGPIPE and SIGXFSZ ignored, roost keeps
    /// them so, and ignored signals survive exec — a `yes | head` in a user's script would never end otherwise.
    /// - Throws: the errno posix_spawn returned (ENOENT, EACCES, ENOEXEC… when the exec failed), EINVAL for a NUL
    ///   byte in an argument or variable (C would cut the word short silently).
    static func liveSpawn(
        _ path: String, _ arguments: [String], _ environment: [String], _ standardStreams: [CInt]
    ) throws(Errno) -> pid_t {
        guard standardStreams.count == 3, !([path] + arguments + environment).contains(where: { $0.utf8.contains(0) })
        else { throw Errno.invalidArgument }
        var actions = posix_spawn_file_actions_t()
        try check(posix_spawn_file_actions_init(&actions))
        defer { posix_spawn_file_actions_destroy(&actions) }
        for (target, source) in standardStreams.enumerated() {
            // dup2 clears FD_CLOEXEC on the copy, so exactly these three survive the exec.
            try check(posix_spawn_file_actions_adddup2(&actions, source, CInt(target)))
        }
        try check(roost_spawn_file_actions_addclosefrom(&actions, 3))

        var attributes = posix_spawnattr_t()
        try check(posix_spawnattr_init(&attributes))
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        var allSignals = sigset_t()
        sigemptyset(&noSignals)
        sigfillset(&allSignals)
        try check(posix_spawnattr_setsigmask(&attributes, &noSignals))
        try check(posix_spawnattr_setsigdefault(&attributes, &allSignals))
        try check(posix_spawnattr_setpgroup(&attributes, 0))
        let flags = POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF
        try check(posix_spawnattr_setflags(&attributes, Int16(flags)))

        let argv = arguments.map { strdup($0) } + [nil]
        let envp = environment.map { strdup($0) } + [nil]
        defer { for string in argv + envp { free(string) } }
        guard !(argv.dropLast() + envp.dropLast()).contains(where: { $0 == nil }) else { throw Errno.noMemory }
        var pid: pid_t = 0
        try check(posix_spawn(&pid, path, &actions, &attributes, argv, envp))
        return pid
    }
}

/// posix_spawn and its helpers return the errno instead of setting it.
private func check(_ result: CInt) throws(Errno) {
    guard result == 0 else { throw Errno(rawValue: result) }
}
