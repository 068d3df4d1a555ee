/*
 * Per-process memory of paths the proxy said are local. Policy decisions never change during a
 * session, so a repeated open/stat of the same local path costs no round trip. Reads and writes are
 * remembered separately (read_only patterns answer them differently).
 */
#include "layer.h"
#include <pthread.h>
#include <string.h>

#define SLOTS 4096
/* Paths are kept inline (no allocation: hooks may run inside the program's allocator); longer
 * paths are simply not remembered and keep asking the proxy. */
#define CACHED_PATH 256

static char slot_path[SLOTS][CACHED_PATH];
static unsigned char slot_kind[SLOTS]; /* bit 0: local for reads, bit 1: local for writes */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

void ml_cache_lock(void) { pthread_mutex_lock(&lock); }
void ml_cache_unlock(void) { pthread_mutex_unlock(&lock); }
void ml_cache_reinit(void) { pthread_mutex_t fresh = PTHREAD_MUTEX_INITIALIZER; lock = fresh; }

static unsigned hash(const char *s) {
    unsigned h = 2166136261u;
    while (*s) { h ^= (unsigned char)*s++; h *= 16777619u; }
    return h % SLOTS;
}

int ml_local_cached(const char *path, int write) {
    unsigned h = hash(path);
    int hit = 0;
    pthread_mutex_lock(&lock);
    if (slot_path[h][0] && !strcmp(slot_path[h], path)) hit = (slot_kind[h] >> (write ? 1 : 0)) & 1;
    pthread_mutex_unlock(&lock);
    return hit;
}

void ml_local_remember(const char *path, int write) {
    size_t len = strlen(path);
    if (len >= CACHED_PATH) return;
    unsigned h = hash(path);
    unsigned char bit = (unsigned char)(write ? 2 : 1);
    pthread_mutex_lock(&lock);
    if (slot_path[h][0] && !strcmp(slot_path[h], path)) {
        slot_kind[h] |= bit;
    } else {
        memcpy(slot_path[h], path, len + 1);
        slot_kind[h] = bit;
    }
    pthread_mutex_unlock(&lock);
}
