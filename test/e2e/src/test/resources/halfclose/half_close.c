/* Half-close client: connect, optionally wait, send a known payload, shutdown(SHUT_WR), read to
 * EOF. Usage: half_close tcp HOST PORT DELAY_MS SIZE | unix PATH DELAY_MS SIZE */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv) {
  int fd, r;
  if (argc < 5) return 64;
  if (strcmp(argv[1], "tcp") == 0) {
    struct sockaddr_in sin = {0};
    sin.sin_family = AF_INET;
    sin.sin_port = htons((unsigned short)atoi(argv[3]));
    inet_pton(AF_INET, argv[2], &sin.sin_addr);
    fd = socket(AF_INET, SOCK_STREAM, 0);
    if (connect(fd, (struct sockaddr *)&sin, sizeof sin) != 0) { perror("connect"); return 2; }
    r = 4;
  } else {
    struct sockaddr_un sun = {0};
    sun.sun_family = AF_UNIX;
    strncpy(sun.sun_path, argv[2], sizeof sun.sun_path - 1);
    fd = socket(AF_UNIX, SOCK_STREAM, 0);
    if (connect(fd, (struct sockaddr *)&sun, sizeof sun) != 0) { perror("connect"); return 2; }
    r = 3;
  }
  long delay_ms = atol(argv[r]);
  long size = atol(argv[r + 1]);
  unsigned char *payload = malloc(size ? size : 1), *got = malloc(size + 65536);
  for (long i = 0; i < size; i++) payload[i] = (unsigned char)((i * 7 + 3) % 251);
  if (delay_ms) {
    struct timespec ts = {delay_ms / 1000, (delay_ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
  }
  for (long off = 0; off < size;) {
    ssize_t n = write(fd, payload + off, size - off);
    if (n <= 0) { perror("write"); return 3; }
    off += n;
  }
  if (shutdown(fd, SHUT_WR) != 0) { perror("shutdown"); return 4; }
  long have = 0;
  for (;;) {
    if (have > size) break; /* more than sent: stop, the comparison fails */
    ssize_t n = read(fd, got + have, size + 65536 - have);
    if (n < 0) { perror("read"); return 5; }
    if (n == 0) break;
    have += n;
  }
  close(fd);
  printf("sent=%ld got=%ld same=%s\n", size, have,
         have == size && memcmp(got, payload, size) == 0 ? "True" : "False");
  return 0;
}
