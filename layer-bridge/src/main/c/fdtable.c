/*
 * Which application fds the layer manages: remote files (memfds), remote directory copies and
 * redirected sockets. Indexed by fd; one mutex, taken around fork by the fork hook.
 */
#include "layer.h"
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define MAX_FD 65536

static ml_fdent *table[MAX_FD];
static int tracked;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

void ml_fdtab_lock(void) { pthread_mutex_lock(&lock); }
void ml_fdtab_unlock(void) { pthread_mutex_unlock(&lock); }
void ml_fdtab_reinit(void) { pthread_mutex_t fresh = PTHREAD_MUTEX_INITIALIZER; lock = fresh; }

int ml_fd_any(void) { return __atomic_load_n(&tracked, __ATOMIC_RELAXED) > 0; }

int ml_fd_get(int fd, ml_fdent *out) {
    if (fd < 0 || fd >= MAX_FD || !ml_fd_any()) return FD_NONE;
    int kind = FD_NONE;
    pthread_mutex_lock(&lock);
    if (table[fd]) {
        if (out) *out = *table[fd];
        kind = table[fd]->kind;
    }
    pthread_mutex_unlock(&lock);
    return kind;
}

void ml_fd_set(int fd, const ml_fdent *e) {
    if (fd < 0 || fd >= MAX_FD) return;
    ml_fdent *copy = ml_alloc_fit(sizeof *copy);
    if (!copy) return;
    *copy = *e;
    pthread_mutex_lock(&lock);
    if (!table[fd]) tracked++;
    ml_free(table[fd]);
    table[fd] = copy;
    pthread_mutex_unlock(&lock);
}

void ml_fd_clear(int fd) {
    if (fd < 0 || fd >= MAX_FD || !ml_fd_any()) return;
    pthread_mutex_lock(&lock);
    if (table[fd]) { ml_free(table[fd]); table[fd] = NULL; tracked--; }
    pthread_mutex_unlock(&lock);
}

void ml_fd_copy(int from, int to) {
    if (from == to) return;
    ml_fdent e;
    if (ml_fd_get(from, &e) != FD_NONE) ml_fd_set(to, &e);
    else ml_fd_clear(to);
}

int ml_fd_count_copy(const char *copy) {
    int n = 0;
    pthread_mutex_lock(&lock);
    for (int fd = 0; fd < MAX_FD; fd++) {
        if (table[fd] && table[fd]->kind == FD_RDIR && !strcmp(table[fd]->copy, copy)) n++;
    }
    pthread_mutex_unlock(&lock);
    return n;
}

/* incoming: fds (dups included) still referring to a listener bound to e's address */
int ml_fd_count_listen(const ml_fdent *e) {
    int n = 0;
    pthread_mutex_lock(&lock);
    for (int fd = 0; fd < MAX_FD; fd++) {
        if (table[fd] && table[fd]->kind == FD_LISTEN && table[fd]->remote_len == e->remote_len
                && !memcmp(&table[fd]->remote, &e->remote, e->remote_len)) n++;
    }
    pthread_mutex_unlock(&lock);
    return n;
}
