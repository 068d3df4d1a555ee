/*
 * A static or Go program exec'd by a program under this layer would never see it: a static binary
 * loads no LD_PRELOAD, and Go makes its own system calls. When `run` offers the seccomp layer to
 * the tree (MIRRORD_SECCOMP_LAUNCHER and MIRRORD_SECCOMP_SOCK), such an exec goes through the
 * launcher instead, so the child runs under the seccomp filter with the supervisor in `run`.
 *
 * Everything here reads the program with raw system calls: the path is a local executable (exec is
 * always local), and the layer's own file hooks must not see these reads.
 */
#include "layer.h"
#include <elf.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#define MAX_SECTIONS 4096
#define MAX_NAMES (1 << 20)

static int raw_open(const char *path) { return (int)syscall(SYS_openat, AT_FDCWD, path, O_RDONLY | O_CLOEXEC); }
static void raw_close(int fd) { syscall(SYS_close, fd); }
static int raw_pread(int fd, void *buf, size_t n, off_t at) {
    size_t got = 0;
    while (got < n) {
        long r = syscall(SYS_pread64, fd, (char *)buf + got, n - got, at + (off_t)got);
        if (r <= 0) return -1;
        got += (size_t)r;
    }
    return 0;
}

/* A 64-bit little-endian ELF (the only kind the layer runs in) with a section named .go.buildinfo. */
static int has_go_buildinfo(int fd, const Elf64_Ehdr *h) {
    if (!h->e_shoff || !h->e_shnum || h->e_shnum > MAX_SECTIONS || h->e_shstrndx >= h->e_shnum ||
        h->e_shentsize < sizeof(Elf64_Shdr)) return 0;
    size_t table_size = (size_t)h->e_shnum * h->e_shentsize;
    char *table = malloc(table_size);
    if (!table) return 0;
    int go = 0;
    if (raw_pread(fd, table, table_size, (off_t)h->e_shoff) == 0) {
        const Elf64_Shdr *names = (const Elf64_Shdr *)(table + (size_t)h->e_shstrndx * h->e_shentsize);
        if (names->sh_size > 0 && names->sh_size <= MAX_NAMES) {
            char *strings = malloc(names->sh_size);
            if (strings && raw_pread(fd, strings, names->sh_size, (off_t)names->sh_offset) == 0) {
                for (unsigned i = 0; i < h->e_shnum && !go; i++) {
                    const Elf64_Shdr *s = (const Elf64_Shdr *)(table + (size_t)i * h->e_shentsize);
                    if (s->sh_name < names->sh_size &&
                        strncmp(strings + s->sh_name, ".go.buildinfo", names->sh_size - s->sh_name) == 0) go = 1;
                }
            }
            free(strings);
        }
    }
    free(table);
    return go;
}

static int needs_seccomp(const char *path, int depth) {
    int fd = raw_open(path);
    if (fd < 0) return 0;
    unsigned char head[sizeof(Elf64_Ehdr)];
    memset(head, 0, sizeof head);
    long n = syscall(SYS_pread64, fd, head, sizeof head, 0);
    int verdict = 0;
    if (n >= 2 && head[0] == '#' && head[1] == '!' && depth == 0) {
        /* a script runs under its interpreter: that is the program that matters */
        char line[256];
        long m = syscall(SYS_pread64, fd, line, sizeof line - 1, 2);
        if (m > 0) {
            line[m] = 0;
            char *p = line;
            while (*p == ' ' || *p == '\t') p++;
            char *end = p;
            while (*end && *end != ' ' && *end != '\t' && *end != '\n') end++;
            *end = 0;
            if (*p == '/') verdict = needs_seccomp(p, depth + 1);
        }
    } else if (n == (long)sizeof head && !memcmp(head, ELFMAG, SELFMAG) && head[EI_CLASS] == ELFCLASS64) {
        const Elf64_Ehdr *h = (const Elf64_Ehdr *)head;
        int interp = 0;
        for (unsigned i = 0; i < h->e_phnum && i < MAX_SECTIONS; i++) {
            Elf64_Phdr ph;
            if (raw_pread(fd, &ph, sizeof ph, (off_t)(h->e_phoff + (Elf64_Off)i * h->e_phentsize)) != 0) break;
            if (ph.p_type == PT_INTERP) { interp = 1; break; }
        }
        verdict = !interp || has_go_buildinfo(fd, h);
    }
    raw_close(fd);
    return verdict;
}

/* execvp's search: names with a '/' are used as given; else the first executable on PATH. */
static int resolve(const char *file, int search, char *out, size_t size) {
    if (!search || strchr(file, '/')) {
        if (strlen(file) >= size) return -1;
        strcpy(out, file);
        return 0;
    }
    const char *path = getenv("PATH");
    if (!path) path = "/bin:/usr/bin";
    while (*path) {
        const char *colon = strchrnul(path, ':');
        size_t dl = (size_t)(colon - path);
        if (dl + 1 + strlen(file) < size) {
            if (dl == 0) strcpy(out, file);
            else { memcpy(out, path, dl); out[dl] = '/'; strcpy(out + dl + 1, file); }
            if (syscall(SYS_faccessat, AT_FDCWD, out, X_OK) == 0) return 0;
        }
        path = *colon ? colon + 1 : colon;
    }
    return -1;
}

/* The environment without this layer in LD_PRELOAD: under the filter the supervisor serves every
 * call, and a dynamic grandchild must not be served twice. A user's own preloads stay. */
static char **without_layer(char *const *envp) {
    size_t n = 0;
    while (envp && envp[n]) n++;
    char **out = calloc(n + 1, sizeof *out);
    if (!out) return NULL;
    const char *self = ml_self_path();
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        if (strncmp(envp[i], "LD_PRELOAD=", 11) || !self[0] || !strstr(envp[i], self)) { out[o++] = envp[i]; continue; }
        const char *v = envp[i] + 11;
        char *kept = malloc(strlen(envp[i]) + 1);
        if (!kept) continue;
        strcpy(kept, "LD_PRELOAD=");
        size_t k = 11;
        while (*v) {
            size_t len = strcspn(v, ": ");
            if (len && !(len == strlen(self) && !strncmp(v, self, len))) {
                if (k > 11) kept[k++] = ':';
                memcpy(kept + k, v, len);
                k += len;
            }
            v += len;
            if (*v) v++;
        }
        kept[k] = 0;
        if (k > 11) out[o++] = kept;
        else free(kept);
    }
    out[o] = NULL;
    return out;
}

int ml_static_launch(const char *file, int search, char *const argv[], char *const envp[],
                     struct ml_launch *out) {
    const char *launcher = getenv("MIRRORD_SECCOMP_LAUNCHER");
    const char *sock = getenv("MIRRORD_SECCOMP_SOCK");
    if (!launcher || !*launcher || !sock || !*sock || !file) return 0;
    char *path = malloc(4096);
    if (!path) return 0;
    if (resolve(file, search, path, 4096) != 0 || !needs_seccomp(path, 0)) { free(path); return 0; }
    size_t argc = 0;
    while (argv && argv[argc]) argc++;
    /* launcher --argv0 NAME SOCKET PROGRAM ARGS... */
    char **args = calloc(argc + 6, sizeof *args);
    char **env = without_layer(envp);
    if (!args || !env) { free(path); free(args); free(env); return 0; }
    size_t a = 0;
    args[a++] = (char *)launcher;
    args[a++] = "--argv0";
    args[a++] = argc ? argv[0] : path;
    args[a++] = (char *)sock;
    args[a++] = path;
    for (size_t i = 1; i < argc; i++) args[a++] = argv[i];
    args[a] = NULL;
    out->path = launcher;
    out->argv = args;
    out->envp = env;
    return 1;
}
