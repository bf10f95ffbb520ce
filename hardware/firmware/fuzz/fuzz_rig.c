/*
 * Fuzz harness for the C reference's receive path on the rig: framing (COBS + CRC), the trailer
 * (tether_link_open), the command decoder and tether_check_command. libFuzzer entry point
 * (LLVMFuzzerTestOneInput); fuzz_main.c drives it without libFuzzer, so any C99 compiler can run it.
 *
 * The first input byte picks the mode:
 *   even  raw bytes into the frame decoder, then whatever decodes goes through open/decode/check;
 *         crashes (and sanitizer reports) are the only finding.
 *   odd   structure-aware: a valid command of the rig's current session is built, mutated field by
 *         field as the input bytes say (NaN/inf targets, count, mode, gains, reserved byte, order,
 *         length), sealed (with the session, as a replay, with the device key, unsealed, or with a
 *         byte flipped after sealing), framed, and fed byte by byte. The harness knows from the fields
 *         whether the command is valid; accepting an invalid one, or refusing a valid one, aborts.
 *
 *   clang -fsanitize=fuzzer,address,undefined -I.. fuzz_rig.c ../tether_protocol.c -o fuzz_rig
 *   cc -std=c99 -O2 -fsanitize=address,undefined -I.. fuzz_main.c fuzz_rig.c ../tether_protocol.c -o fuzz_main
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tether_protocol.h"

typedef struct {
  unsigned long long inputs, accepted, refused, accepted_invalid, refused_valid, raw_messages;
} fuzz_stats;

fuzz_stats tether_fuzz_stats;

static tether_link rig;
static tether_hmac_key to_rig;
static uint64_t host_counter;
static uint32_t last_seq;
static int ready;
static tether_frame_decoder decoder;

static void setup(void) {
  uint8_t key[32], rig_nonce[TETHER_NONCE_SIZE], host_nonce[TETHER_NONCE_SIZE], next[TETHER_NONCE_SIZE];
  for (int i = 0; i < 32; i++) key[i] = (uint8_t)(i * 7 + 1);
  memset(rig_nonce, 0x11, sizeof rig_nonce);
  memset(host_nonce, 0xa1, sizeof host_nonce);
  memset(next, 0x22, sizeof next);
  tether_link_init(&rig, key, sizeof key, rig_nonce);
  /* Open a session as a host would: SESSION sealed with the device key, echoing the rig nonce. */
  uint8_t m[TETHER_MAX_MESSAGE];
  memset(m, 0, sizeof m);
  m[0] = TETHER_PROTOCOL_VERSION;
  m[1] = TETHER_SESSION;
  m[4] = 1;
  m[16] = 1;
  memcpy(m + 17, host_nonce, TETHER_NONCE_SIZE);
  memcpy(m + 33, rig_nonce, TETHER_NONCE_SIZE);
  tether_link host;
  tether_link_init(&host, key, sizeof key, rig_nonce);
  size_t n = tether_link_seal(&host, m, 49, TETHER_AUTH_DEVICE);
  tether_header h;
  long payload = tether_link_open(&rig, m, n, &h);
  if (payload < 0 || tether_link_accept_session(&rig, m, (size_t)payload, &h, 0, next) != TETHER_ACK_OK) abort();
  tether_hmac_key to_host;
  uint32_t id;
  tether_derive_session(&rig.device, rig_nonce, host_nonce, &to_rig, &to_host, &id);
  if (id != rig.session_id) abort();
  tether_frame_decoder_init(&decoder);
  ready = 1;
}

typedef struct {
  const uint8_t *data;
  size_t size, at;
} reader;

static uint8_t r8(reader *r) { return r->at < r->size ? r->data[r->at++] : 0; }
static uint32_t r32(reader *r) {
  uint32_t v = r8(r);
  v |= (uint32_t)r8(r) << 8;
  v |= (uint32_t)r8(r) << 16;
  return v | (uint32_t)r8(r) << 24;
}

static void put32(uint8_t *p, uint32_t v) {
  p[0] = (uint8_t)v;
  p[1] = (uint8_t)(v >> 8);
  p[2] = (uint8_t)(v >> 16);
  p[3] = (uint8_t)(v >> 24);
}
static int finite_bits(uint32_t bits) { return (bits & 0x7F800000u) != 0x7F800000u; }

/* Feeds a framed message byte by byte; returns 1 if the rig accepted a command. */
static int process(const uint8_t *frame, size_t n) {
  static tether_command command;
  int accepted = 0;
  for (size_t i = 0; i < n; i++) {
    size_t length = tether_frame_push(&decoder, frame[i]);
    if (length == 0) continue;
    tether_header h;
    long payload = tether_link_open(&rig, decoder.buffer, length, &h);
    if (payload < 0) continue;
    tether_fuzz_stats.raw_messages++;
    if (h.type == TETHER_COMMAND) {
      command.header.auth = h.auth;
      command.header.session = h.session;
      if (tether_decode_command(decoder.buffer, (size_t)payload, &command) == TETHER_COMMAND &&
          tether_check_command(&rig, &h, &command, TETHER_MODE_TORQUE, 1, 0, &last_seq) == 0)
        accepted = 1;
    } else if (h.type == TETHER_REQUEST) {
      uint32_t seq;
      (void)tether_decode_request(decoder.buffer, (size_t)payload, &seq);
    } else if (h.type == TETHER_ESTOP) {
      (void)tether_decode_estop(decoder.buffer, (size_t)payload);
    }
  }
  return accepted;
}

static void structured(reader *r) {
  static uint8_t m[TETHER_MAX_MESSAGE + TETHER_CRC_SIZE];
  static uint8_t frame[TETHER_MAX_FRAME];
  /* Before the command sequence could wrap the host opens a new session, which starts it at 0. */
  if (last_seq > 0x7fffffffu) last_seq = 0;
  uint32_t seq = last_seq + 1 + r8(r) % 3;
  uint8_t count = 1, mode = 0, gains = 0, reserved = 0;
  uint32_t target_bits[3] = {0};
  uint32_t gain_bits = 0x3f800000u; /* 1.0 */
  {
    float f = (float)((int8_t)r8(r)) / 10.0f;
    memcpy(&target_bits[0], &f, 4);
    target_bits[1] = target_bits[2] = 0x3f800000u;
  }
  size_t trim = 0;
  unsigned mutations = r8(r) % 4;
  for (unsigned k = 0; k < mutations; k++) {
    switch (r8(r) % 8) {
    case 0: {
      static const uint32_t specials[3] = {0x7fc00000u, 0x7f800000u, 0xff800000u};
      target_bits[r8(r) % 3] = specials[r8(r) % 3];
      break;
    }
    case 1:
      target_bits[0] = r32(r);
      break;
    case 2:
      count = r8(r) % 4;
      break;
    case 3:
      mode = r8(r) % 5; /* 0-3 decode (3: cartesian, refused by this torque rig), 4 does not */
      break;
    case 4:
      gains = 1;
      gain_bits = r32(r);
      break;
    case 5: /* not above the last one: an old or repeated command */
      seq = last_seq >= 2 ? last_seq - r8(r) % 3 : last_seq;
      break;
    case 6:
      reserved = r8(r);
      break;
    default:
      trim = 1 + r8(r) % 8;
    }
  }
  memset(m, 0, 24);
  m[0] = TETHER_PROTOCOL_VERSION;
  m[1] = TETHER_COMMAND;
  put32(m + 4, seq);
  m[20] = mode;
  m[21] = count;
  m[22] = gains;
  m[23] = reserved;
  size_t n = 24;
  for (unsigned i = 0; i < count; i++, n += 4) put32(m + n, target_bits[i]);
  if (gains)
    for (unsigned i = 0; i < 2u * count; i++, n += 4) put32(m + n, gain_bits);
  n = trim < n ? n - trim : 0;
  int valid = count == 1 && mode == 0 && !gains && reserved == 0 && trim == 0 && seq > last_seq &&
              finite_bits(target_bits[0]);
  /* Sealing. */
  unsigned sealing = r8(r) % 10;
  if (sealing == 6 && rig.rx_counter == 0) sealing = 0;
  uint8_t mac[32];
  uint64_t counter = 0;
  if (sealing <= 5 || sealing == 9) counter = ++host_counter;
  else if (sealing == 6) counter = rig.rx_counter; /* the newest accepted counter, again */
  if (sealing <= 6 || sealing == 9) {
    m[2] = TETHER_AUTH_SESSION;
    put32(m + n, rig.session_id);
    put32(m + n + 4, (uint32_t)counter);
    put32(m + n + 8, (uint32_t)(counter >> 32));
    tether_hmac(&to_rig, m, n + 12, NULL, 0, NULL, 0, mac);
    memcpy(m + n + 12, mac, TETHER_MAC_SIZE);
    n += TETHER_TRAILER_SIZE;
    if (sealing == 9) {
      size_t at = r8(r) % n;
      m[at] = (uint8_t)(m[at] ^ (1 + r8(r) % 255));
    }
  } else if (sealing == 7) {
    static tether_link device_only;
    device_only.device = rig.device;
    n = tether_link_seal(&device_only, m, n, TETHER_AUTH_DEVICE);
  }
  if (sealing > 5) valid = 0;
  size_t f = tether_frame(m, n, frame);
  int accepted = process(frame, f);
  tether_fuzz_stats.inputs++;
  if (accepted) tether_fuzz_stats.accepted++;
  else tether_fuzz_stats.refused++;
  if (accepted && !valid) {
    tether_fuzz_stats.accepted_invalid++;
    if (getenv("TETHER_FUZZ_CONTINUE") == NULL) abort();
  }
  if (!accepted && valid) {
    tether_fuzz_stats.refused_valid++;
    if (getenv("TETHER_FUZZ_CONTINUE") == NULL) abort();
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (!ready) setup();
  if (size == 0) return 0;
  reader r = {data, size, 1};
  if (data[0] & 1) {
    structured(&r);
  } else {
    tether_fuzz_stats.inputs++;
    (void)process(data + 1, size - 1);
    /* A raw input may leave a partial frame: the next one starts clean, as after a delimiter. */
    (void)tether_frame_push(&decoder, 0);
  }
  return 0;
}
