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

#include <link.h>
#include <string.h>

struct build_id_search {
    unsigned char *out;
    size_t capacity;
    size_t length;
};

/* The first object dl_iterate_phdr reports is the executable itself. */
static int find_build_id(struct dl_phdr_info *info, size_t size, void *data) {
    (void)size;
    struct build_id_search *search = data;
    for (int i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *header = &info->dlpi_phdr[i];
        if (header->p_type != PT_NOTE) continue;
        const unsigned char *note = (const unsigned char *)(info->dlpi_addr + header->p_vaddr);
        const unsigned char *end = note + header->p_memsz;
        while (note + sizeof(ElfW(Nhdr)) <= end) {
            const ElfW(Nhdr) *n = (const ElfW(Nhdr) *)note;
            const unsigned char *name = note + sizeof(ElfW(Nhdr));
            const unsigned char *desc = name + ((n->n_namesz + 3) & ~3u);
            if (desc + n->n_descsz > end) break;
            if (n->n_type == NT_GNU_BUILD_ID && n->n_namesz == 4 && memcmp(name, "GNU", 4) == 0) {
                search->length = n->n_descsz < search->capacity ? n->n_descsz : search->capacity;
                memcpy(search->out, desc, search->length);
                return 1;
            }
            note = desc + ((n->n_descsz + 3) & ~3u);
        }
    }
    return 1;
}

size_t roost_build_id(unsigned char *out, size_t capacity) {
    struct build_id_search search = {out, capacity, 0};
    dl_iterate_phdr(find_build_id, &search);
    return search.length;
}
