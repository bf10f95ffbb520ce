/*
 * Drives fuzz_rig.c without libFuzzer (AFL-style: generate, run, count), so CI's plain C compiler
 * with its sanitizers can run it:
 *
 *   cc -std=c99 -O2 -fsanitize=address,undefined -I.. fuzz_main.c fuzz_rig.c ../tether_protocol.c -o fuzz_main
 *   ./fuzz_main 10000000 1 1000 # cases, seed, hang limit in ms; prints a JSON line of counts
 *
 * Inputs: half structure-aware recipes (odd first byte), half raw bytes in which valid-looking frame
 * pieces (delimiters, COBS codes, a version byte) are planted.
 *
 * Every input is timed (CLOCK_MONOTONIC): one that takes longer than the hang limit is counted as a
 * hang, and the slowest input's time is reported. A true endless loop never returns; whoever runs
 * this bounds the whole run too (bench/link-security.ts does).
 */
#define _POSIX_C_SOURCE 199309L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "tether_protocol.h"

typedef struct {
  unsigned long long inputs, accepted, refused, accepted_invalid, refused_valid, raw_messages;
} fuzz_stats;
extern fuzz_stats tether_fuzz_stats;
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint64_t state;

static uint64_t now_ns(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (uint64_t)t.tv_sec * 1000000000ull + (uint64_t)t.tv_nsec;
}

static uint32_t next(void) {
  state ^= state << 13;
  state ^= state >> 7;
  state ^= state << 17;
  return (uint32_t)(state >> 11);
}

int main(int argc, char **argv) {
  unsigned long long cases = argc > 1 ? strtoull(argv[1], NULL, 10) : 1000000ull;
  state = 0x9e3779b97f4a7c15ull ^ (argc > 2 ? strtoull(argv[2], NULL, 10) : 1ull);
  uint64_t hang_ns = (argc > 3 ? strtoull(argv[3], NULL, 10) : 1000ull) * 1000000ull;
  unsigned long long hangs = 0;
  uint64_t slowest_ns = 0;
  static uint8_t input[4200];
  for (unsigned long long k = 0; k < cases; k++) {
    size_t size;
    if (next() & 1) {
      size = 24;
      for (size_t i = 0; i < size; i++) input[i] = (uint8_t)next();
      input[0] |= 1;
    } else {
      size = 1 + next() % ((next() & 31) == 0 ? 4096 : 96);
      for (size_t i = 0; i < size; i++) {
        uint32_t v = next();
        input[i] = (v & 15) == 0 ? 0 : (v & 15) == 1 ? TETHER_PROTOCOL_VERSION : (uint8_t)(v >> 8);
      }
      input[0] &= 0xfe;
    }
    uint64_t started = now_ns();
    LLVMFuzzerTestOneInput(input, size);
    uint64_t took = now_ns() - started;
    if (took > slowest_ns) slowest_ns = took;
    if (took > hang_ns) hangs++;
  }
  fuzz_stats s = tether_fuzz_stats;
  printf("{\"inputs\":%llu,\"accepted\":%llu,\"refused\":%llu,\"acceptedInvalid\":%llu,\"refusedValid\":%llu,\"rawMessagesVerified\":%llu,\"hangs\":%llu,\"slowestUs\":%.1f}\n",
         s.inputs, s.accepted, s.refused, s.accepted_invalid, s.refused_valid, s.raw_messages, hangs,
         (double)slowest_ns / 1000.0);
  return s.accepted_invalid == 0 && s.refused_valid == 0 && hangs == 0 ? 0 : 1;
}
