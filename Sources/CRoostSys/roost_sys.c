#define _GNU_SOURCE
#include <stdio.h>
#include <fcntl.h>
#include "roost_sys.h"

int roost_renameat2(int olddirfd, const char *oldpath, int newdirfd, const char *newpath, unsigned int flags) {
    return renameat2(olddirfd, oldpath, newdirfd, newpath, flags);
}

#include <syslog.h>

void roost_syslog(int priority, const char *line) {
    static int opened = 0;
    if (!opened) {
        /* ident must outlive openlog: a string literal does. No LOG_NDELAY: connect on first use. */
        openlog("roost", LOG_PID, LOG_MAIL);
        opened = 1;
    }
    syslog(priority, "%s", line);
}

#include <unistd.h>
#include <spawn.h>

int roost_pipe2(int fds[2], int flags) {
    return pipe2(fds, flags);
}

int roost_spawn_file_actions_addclosefrom(void *actions, int from) {
    return posix_spawn_file_actions_addclosefrom_np((posix_spawn_file_actions_t *)actions, from);
}
