/* The command line for Swift's CommandLine.arguments, taken from glibc rather than from /proc/self/maps.
 *
 * On Linux the Swift runtime finds argv with a static constructor (stdlib/public/CommandLineSupport/CommandLine.cpp)
 * that reads /proc/self/maps line by line with sscanf to locate the stack, then walks back from environ: 0.12 M
 * instructions and seven system calls before main, on every delivery. glibc passes argc, argv and envp to each of
 * the executable's .init_array functions, so this file keeps them and defines the one function of that runtime
 * object file the standard library calls; linked against the static runtime, the linker then leaves the runtime's
 * object file, and its constructor, out.
 *
 * Only in the release build (scripts/build-release defines ROOST_STATIC_RUNTIME): against the shared runtime of a
 * debug build the runtime keeps calling its own. Should another runtime object need that file, the link fails on
 * the duplicate definition rather than roost misreading its arguments; the integration suite runs the release
 * binary with its arguments. */
#ifdef ROOST_STATIC_RUNTIME

static char **kept_argv;
static int kept_argc;

static void keep_arguments(int argc, char **argv, char **envp) {
    (void)envp;
    kept_argc = argc;
    kept_argv = argv;
}

__attribute__((used, section(".init_array")))
static void (*const roost_keep_arguments)(int, char **, char **) = keep_arguments;

__attribute__((swiftcall)) char **_swift_stdlib_getUnsafeArgvArgc(int *outArgLen);

__attribute__((swiftcall)) char **_swift_stdlib_getUnsafeArgvArgc(int *outArgLen) {
    *outArgLen = kept_argc;
    return kept_argv;
}

#endif
