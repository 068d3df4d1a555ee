/*
 * Process model. fork: the child opens its own proxy connection lazily (pid check in conn.c) and the
 * layer's locks are taken around the fork by at-fork handlers so the child never inherits a held
 * lock. vfork runs as
 * fork, because a vfork child shares our memory and must not touch layer state. exec and spawn:
 * the layer survives through the environment, so an explicit envp that lost our variables gets them
 * back.
 */
#include "layer.h"
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

extern char **environ;

DEFINE_REAL(fork); DEFINE_REAL(execve); DEFINE_REAL(execvpe); DEFINE_REAL(posix_spawn); DEFINE_REAL(posix_spawnp);

const char *ml_self_path(void) {
    static char path[4096];
    static int done;
    if (!done) {
        Dl_info info;
        if (dladdr((void *)&ml_self_path, &info) && info.dli_fname) snprintf(path, sizeof path, "%s", info.dli_fname);
        done = 1;
    }
    return path;
}

/*
 * The layer's locks are held across fork by at-fork handlers, not by the fork hook: glibc runs
 * every library's at-fork child handler inside the real fork (libuv closes descriptors there), and
 * those handlers may enter the layer's hooks. Registered when the layer loads, our child handler
 * runs before any registered later, so the child's locks are fresh before anyone else's handler.
 */
void ml_atfork_prepare(void) {
    ml_fdtab_lock();
    ml_dns_lock();
    ml_cache_lock();
}

void ml_atfork_parent(void) {
    ml_cache_unlock();
    ml_dns_unlock();
    ml_fdtab_unlock();
}

void ml_atfork_child(void) {
    ml_fdtab_reinit();
    ml_dns_reinit();
    ml_cache_reinit();
}

/* Hooked only so vfork can become a fork (see above); the at-fork handlers do the locking. */
ML_EXPORT pid_t fork(void) { return REAL(fork)(); }

ML_EXPORT pid_t vfork(void) { return fork(); }

static const char *find(char *const *envp, const char *key) {
    size_t kl = strlen(key);
    for (char *const *e = envp; e && *e; e++) if (!strncmp(*e, key, kl) && (*e)[kl] == '=') return *e + kl + 1;
    return NULL;
}

static const char *KEEP[] = { "MIRRORD_LAYER_SOCK", "MIRRORD_LAYER_TMP", "MIRRORD_SECCOMP_LAUNCHER",
                              "MIRRORD_SECCOMP_SOCK", NULL };

/* Returns envp unchanged when it already carries the layer, else a malloc'd copy that does. */
static char **patch_env(char *const *envp) {
    if (!ml_env_enabled() || !envp) return (char **)envp;
    const char *self = ml_self_path();
    const char *pre = find(envp, "LD_PRELOAD");
    int need_pre = self[0] && (!pre || !strstr(pre, self));
    int missing = 0;
    for (int k = 0; KEEP[k]; k++) if (!find(envp, KEEP[k]) && getenv(KEEP[k])) missing++;
    if (!need_pre && !missing) return (char **)envp;
    size_t n = 0;
    while (envp[n]) n++;
    char **out = calloc(n + 4, sizeof *out);
    if (!out) return (char **)envp;
    size_t o = 0;
    for (size_t i = 0; i < n; i++) if (!need_pre || strncmp(envp[i], "LD_PRELOAD=", 11)) out[o++] = envp[i];
    if (need_pre) {
        size_t len = strlen("LD_PRELOAD=") + (pre ? strlen(pre) + 1 : 0) + strlen(self) + 1;
        char *v = malloc(len);
        if (v) { snprintf(v, len, "LD_PRELOAD=%s%s%s", pre ? pre : "", pre && *pre ? ":" : "", self); out[o++] = v; }
    }
    for (int k = 0; KEEP[k]; k++) {
        const char *val = getenv(KEEP[k]);
        if (find(envp, KEEP[k]) || !val) continue;
        size_t len = strlen(KEEP[k]) + strlen(val) + 2;
        char *v = malloc(len);
        if (v) { snprintf(v, len, "%s=%s", KEEP[k], val); out[o++] = v; }
    }
    out[o] = NULL;
    return out;
}

/* A failed exec returns: what the launch rewrite allocated is freed then (on success the image is gone). */
static void free_launch(struct ml_launch *l) {
    free((char *)l->argv[4]); /* the resolved program path */
    free(l->argv);
    free(l->envp);
}

static int exec_file(const char *path, char *const argv[], char *const envp[]) {
    struct ml_launch l;
    if (ml_static_launch(path, 0, argv, envp, &l)) {
        int rc = REAL(execve)(l.path, l.argv, l.envp);
        free_launch(&l);
        return rc;
    }
    return REAL(execve)(path, argv, patch_env(envp));
}
ML_EXPORT int execve(const char *path, char *const argv[], char *const envp[]) {
    return exec_file(path, argv, envp);
}
ML_EXPORT int execv(const char *path, char *const argv[]) {
    return exec_file(path, argv, environ);
}

static int exec_search(const char *file, char *const argv[], char *const envp[]) {
    struct ml_launch l;
    if (ml_static_launch(file, 1, argv, envp, &l)) {
        int rc = REAL(execve)(l.path, l.argv, l.envp);
        free_launch(&l);
        return rc;
    }
    return REAL(execvpe)(file, argv, patch_env(envp));
}
ML_EXPORT int execvpe(const char *file, char *const argv[], char *const envp[]) {
    return exec_search(file, argv, envp);
}
ML_EXPORT int execvp(const char *file, char *const argv[]) {
    return exec_search(file, argv, environ);
}

/* The variadic exec forms collect their arguments and reuse the vector forms above. */
#define COLLECT_ARGS(first, ap, argv, with_env, envp) do { \
    size_t n_ = 1; va_list c_; va_copy(c_, ap); while (va_arg(c_, char *)) n_++; va_end(c_); \
    argv = alloca((n_ + 1) * sizeof(char *)); argv[0] = (char *)(first); \
    for (size_t i_ = 1; i_ <= n_; i_++) argv[i_] = va_arg(ap, char *); \
    if (with_env) { envp = va_arg(ap, char **); } (void)envp; } while (0)

ML_EXPORT int execl(const char *path, const char *arg, ...) {
    char **argv, **envp = NULL; va_list ap; va_start(ap, arg);
    COLLECT_ARGS(arg, ap, argv, 0, envp); va_end(ap);
    return execv(path, argv);
}
ML_EXPORT int execlp(const char *file, const char *arg, ...) {
    char **argv, **envp = NULL; va_list ap; va_start(ap, arg);
    COLLECT_ARGS(arg, ap, argv, 0, envp); va_end(ap);
    return execvp(file, argv);
}
ML_EXPORT int execle(const char *path, const char *arg, ...) {
    char **argv, **envp = NULL; va_list ap; va_start(ap, arg);
    COLLECT_ARGS(arg, ap, argv, 1, envp); va_end(ap);
    return execve(path, argv, envp);
}

static int spawn(pid_t *pid, const char *file, int search, const posix_spawn_file_actions_t *fa,
                 const posix_spawnattr_t *attr, char *const argv[], char *const envp[]) {
    struct ml_launch l;
    if (ml_static_launch(file, search, argv, envp, &l)) {
        int rc = REAL(posix_spawn)(pid, l.path, fa, attr, l.argv, l.envp);
        free_launch(&l);
        return rc;
    }
    char **env = patch_env(envp);
    int rc = search ? REAL(posix_spawnp)(pid, file, fa, attr, argv, env) : REAL(posix_spawn)(pid, file, fa, attr, argv, env);
    if (env != envp) free(env); /* the strings we added are small and kept; the vector is ours */
    return rc;
}

ML_EXPORT int posix_spawn(pid_t *pid, const char *path, const posix_spawn_file_actions_t *fa,
                          const posix_spawnattr_t *attr, char *const argv[], char *const envp[]) {
    return spawn(pid, path, 0, fa, attr, argv, envp);
}
ML_EXPORT int posix_spawnp(pid_t *pid, const char *file, const posix_spawn_file_actions_t *fa,
                           const posix_spawnattr_t *attr, char *const argv[], char *const envp[]) {
    return spawn(pid, file, 1, fa, attr, argv, envp);
}
