#ifndef ROOST_SYS_H
#define ROOST_SYS_H

/* GNU extensions that Swift's Glibc module does not show without _GNU_SOURCE (PLATFORM.md §7). */

#define ROOST_RENAME_NOREPLACE 1u

/* renameat2(2): the fallback publish step where link(2) is not supported; never replaces. */
int roost_renameat2(int olddirfd, const char *oldpath, int newdirfd, const char *newpath, unsigned int flags);

/* syslog(3) is variadic, which Swift cannot call; this passes one preformatted line, as ident roost,
   facility mail (SPEC §7), opening the log on first use. */
void roost_syslog(int priority, const char *line);

#endif
