/*
 * The layer's own memory. Hooks run inside whatever the program is doing, including inside its
 * allocator: jemalloc reads /etc/malloc.conf with readlink while it holds its init lock, tcmalloc and
 * mimalloc open /proc and /sys files while they set up. A hook that called malloc there would re-enter
 * the allocator and deadlock before main(). So request and reply buffers, the fd table and every other
 * allocation the layer makes for itself come from mmap, which no allocator intercepts.
 *
 * Blocks up to POOL_BLOCK are recycled through a small pool so the request path costs no mmap in the
 * steady state; the pool lock is only ever tried, never waited for, so a fork or a signal arriving
 * while another thread holds it cannot leave anyone stuck (they map a fresh block instead).
 */
#include "layer.h"
#include <string.h>
#include <sys/mman.h>

#define HEADER 16u
#define POOL_BLOCK (64u * 1024u)
#define POOL_SLOTS 16

static void *pool[POOL_SLOTS];
static int pool_lock;

static size_t round_up(size_t n) {
    size_t page = 4096;
    return (n + page - 1) & ~(page - 1);
}

static void *map_block(size_t total) {
    void *p = mmap(NULL, total, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    return p == MAP_FAILED ? NULL : p;
}

static void *pool_take(void) {
    if (__atomic_exchange_n(&pool_lock, 1, __ATOMIC_ACQUIRE)) return NULL;
    void *p = NULL;
    for (int i = 0; i < POOL_SLOTS && !p; i++) {
        if (pool[i]) { p = pool[i]; pool[i] = NULL; }
    }
    __atomic_store_n(&pool_lock, 0, __ATOMIC_RELEASE);
    return p;
}

static int pool_give(void *block) {
    if (__atomic_exchange_n(&pool_lock, 1, __ATOMIC_ACQUIRE)) return 0;
    int kept = 0;
    for (int i = 0; i < POOL_SLOTS && !kept; i++) {
        if (!pool[i]) { pool[i] = block; kept = 1; }
    }
    __atomic_store_n(&pool_lock, 0, __ATOMIC_RELEASE);
    return kept;
}

static void *alloc_total(size_t total) {
    void *block = total == POOL_BLOCK ? pool_take() : NULL;
    if (!block) block = map_block(total);
    if (!block) { errno = ENOMEM; return NULL; }
    *(size_t *)block = total;
    return (uint8_t *)block + HEADER;
}

void *ml_alloc(size_t n) {
    return alloc_total(n + HEADER <= POOL_BLOCK ? POOL_BLOCK : round_up(n + HEADER));
}

/* Long-lived objects (fd table entries) take only the pages they need. */
void *ml_alloc_fit(size_t n) { return alloc_total(round_up(n + HEADER)); }

static size_t capacity(void *p) { return *(size_t *)((uint8_t *)p - HEADER) - HEADER; }

void ml_free(void *p) {
    if (!p) return;
    int saved = errno;
    void *block = (uint8_t *)p - HEADER;
    size_t total = *(size_t *)block;
    if (total != POOL_BLOCK || !pool_give(block)) munmap(block, total);
    errno = saved;
}

void *ml_realloc(void *p, size_t n) {
    if (!p) return ml_alloc(n);
    size_t have = capacity(p);
    if (n <= have) return p;
    void *q = ml_alloc(n);
    if (!q) return NULL;
    memcpy(q, p, have);
    ml_free(p);
    return q;
}
