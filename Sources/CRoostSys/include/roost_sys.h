#ifndef ROOST_SYS_H
#define ROOST_SYS_H

#include <stddef.h>

/* GNU extensions that Swift's Glibc module does not show without _GNU_SOURCE (PLATFORM.md §7). */

#define ROOST_RENAME_NOREPLACE 1u

/* renameat2(2): the fallback publish step where link(2) is not supported; never replaces. */
int roost_renameat2(int olddirfd, const char *oldpath, int newdirfd, const char *newpath, unsigned int flags);

/* syslog(3) is variadic, which Swift cannot call; this passes one preformatted line, as ident roost,
   facility mail (SPEC §7), opening the log on first use. */
void roost_syslog(int priority, const char *line);

/* pipe2(2): both ends O_CLOEXEC atomically, so a program spawned meanwhile inherits neither. */
int roost_pipe2(int fds[2], int flags);

/* posix_spawn_file_actions_addclosefrom_np(3) (glibc 2.34): the child closes every descriptor from `from` on, so a
   descriptor roost inherited without FD_CLOEXEC never reaches a program. The type is passed as void * because its
   header needs _GNU_SOURCE for this call only. */
int roost_spawn_file_actions_addclosefrom(void *actions, int from);

/* The executable's GNU build ID (its NT_GNU_BUILD_ID note), copied into `out`; returns its length, 0 if there is
   none. Read from memory: /proc/self/exe is unreadable once roost has dropped root privileges. */
size_t roost_build_id(unsigned char *out, size_t capacity);

#endif
