#define _GNU_SOURCE
#include <stdio.h>
#include <fcntl.h>
#include "roost_sys.h"

int roost_renameat2(int olddirfd, const char *oldpath, int newdirfd, const char *newpath, unsigned int flags) {
    return renameat2(olddirfd, oldpath, newdirfd, newpath, flags);
}
