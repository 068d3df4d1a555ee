/*
 * Process-wide configuration received in the proxy's HELLO reply: feature flags and the fast-path
 * lists of paths the proxy guarantees are local (so hot local paths cost no round trip). The proxy
 * computes these lists from the policy; the layer only matches them.
 */
#include "layer.h"
#include <stdlib.h>
#include <string.h>

#define MAX_RULES 128
#define RULE_LEN 256

static int loaded;
static uint32_t flags;
static int n_prefix, n_suffix;
static char prefixes[MAX_RULES][RULE_LEN];
static size_t prefix_len[MAX_RULES];
static char suffixes[MAX_RULES][RULE_LEN];
static size_t suffix_len[MAX_RULES];

int ml_cfg_loaded(void) { return __atomic_load_n(&loaded, __ATOMIC_ACQUIRE); }
uint32_t ml_cfg_flags(void) { return ml_cfg_loaded() ? flags : 0; }

void ml_cfg_set(rbuf *r) {
    static int setting;
    if (__atomic_exchange_n(&setting, 1, __ATOMIC_ACQ_REL)) return; /* another thread is doing it */
    flags = rb_u32(r);
    uint32_t np = rb_u32(r);
    for (uint32_t i = 0; i < np && !r->bad; i++) {
        char tmp[RULE_LEN];
        long n = rb_str(r, tmp, sizeof tmp);
        if (n < 0 || n_prefix >= MAX_RULES) continue;
        memcpy(prefixes[n_prefix], tmp, (size_t)n + 1);
        prefix_len[n_prefix++] = (size_t)n;
    }
    uint32_t ns = rb_u32(r);
    for (uint32_t i = 0; i < ns && !r->bad; i++) {
        char tmp[RULE_LEN];
        long n = rb_str(r, tmp, sizeof tmp);
        if (n < 0 || n_suffix >= MAX_RULES) continue;
        memcpy(suffixes[n_suffix], tmp, (size_t)n + 1);
        suffix_len[n_suffix++] = (size_t)n;
    }
    if (r->bad) { flags = 0; n_prefix = n_suffix = 0; }
    __atomic_store_n(&loaded, 1, __ATOMIC_RELEASE);
}

int ml_path_fast_local(const char *p) {
    if (!ml_cfg_loaded()) return 0;
    size_t len = strlen(p);
    for (int i = 0; i < n_prefix; i++) {
        size_t pl = prefix_len[i];
        if (len >= pl && memcmp(p, prefixes[i], pl) == 0 &&
            (len == pl || p[pl] == '/' || (pl > 0 && prefixes[i][pl - 1] == '/')))
            return 1;
    }
    for (int i = 0; i < n_suffix; i++) {
        size_t sl = suffix_len[i];
        if (len >= sl && strcasecmp(p + len - sl, suffixes[i]) == 0) return 1;
    }
    return 0;
}
