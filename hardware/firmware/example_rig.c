/*
 * Protocol conformance program (and a sketch of a firmware main loop): the rig's end of a v3 link,
 * driven by a script on stdin, one command per line:
 *
 *   init <key hex> <nonce hex>   boot: device key and first rig nonce (a TRNG gives it on hardware)
 *   next_nonce <hex>             the nonce to take after the next session change
 *   owner_alive 0|1              whether the owner was heard within its lease
 *   hello                        print the hello frame (sealed with the device key)
 *   emit                         print state, fault, notice, heartbeat frames (sealed with the session)
 *   frame <hex>                  bytes from the host, as the UART delivers them; prints a verdict per
 *                                message (and the ack frame a session open gets, the status frame a
 *                                status request gets)
 *   counters                     print framing and authentication counters
 *
 * hardware/firmware/conformance.txt holds a script and the exact output; test/hardware/firmware.test.ts
 * checks this program and the runtime's TypeScript rig against it.
 *
 *   cc -std=c99 -Wall -Wextra -Werror -pedantic -O2 -o example_rig example_rig.c tether_protocol.c
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "tether_protocol.h"

#define RETRY_AFTER_MS 500u /* the conformance vectors' lease remainder */

static uint8_t message[TETHER_MAX_MESSAGE + TETHER_CRC_SIZE];
static uint8_t frame[TETHER_MAX_FRAME];
static tether_link link;
static tether_frame_decoder decoder;
static uint8_t next_nonce[TETHER_NONCE_SIZE];
static int owner_alive = 1;
static uint32_t last_command_seq = 0;
static char line[20000];

static void emit(const char *what, size_t length, unsigned mode) {
  size_t sealed = tether_link_seal(&link, message, length, mode);
  size_t n = tether_frame(message, sealed, frame);
  printf("%s ", what);
  for (size_t i = 0; i < n; i++) printf("%02x", frame[i]);
  printf("\n");
}

static int hex_value(int c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

/* Parses hex into out (at most `capacity` bytes); returns the byte count. */
static size_t parse_hex(const char *text, uint8_t *out, size_t capacity) {
  size_t n = 0;
  while (n < capacity) {
    int high = hex_value(text[0]);
    if (high < 0) break;
    int low = hex_value(text[1]);
    if (low < 0) break;
    out[n++] = (uint8_t)(high << 4 | low);
    text += 2;
  }
  return n;
}

static void hello(void) {
  tether_writer w;
  tether_hello_begin(&w, message, sizeof message, 1, 0, 500, 1000, 1, 1000, TETHER_MODE_TORQUE,
                     TETHER_FEATURE_ESTOP | TETHER_FEATURE_WATCHDOG, 200, "cartpole");
  tether_hello_joints(&w, 2);
  tether_hello_joint(&w, "slider", 1, -3, 3, INFINITY, 20);
  tether_hello_joint(&w, "hinge", 0, -INFINITY, INFINITY, INFINITY, 0);
  tether_hello_sensors(&w, 0);
  tether_hello_observations(&w, 4);
  tether_hello_observation(&w, "cart.pos", "m", -3, 3, 0);
  tether_hello_observation(&w, "pole.angle", "rad", -3.141592653589793, 3.141592653589793, 1);
  tether_hello_observation(&w, "cart.vel", "m/s", -INFINITY, INFINITY, 2);
  tether_hello_observation(&w, "pole.angvel", "rad/s", -INFINITY, INFINITY, 3);
  tether_hello_actions(&w, 1);
  tether_hello_action(&w, "cart.force", "N", -20, 20, 0, INFINITY);
  tether_hello_session(&w, link.rig_nonce, link.session_id, 1000);
  emit("hello", tether_hello_end(&w), TETHER_AUTH_DEVICE);
}

static void emit_session(void) {
  const float values[6] = {0.25f, -0.125f, 1.5f, -2.0f, 3.0f, 0.0f};
  emit("state",
       tether_encode_state(message, sizeof message, 42, 5000000000ull, last_command_seq, TETHER_STATE_ACTIVE, 2, 0, 0,
                           values),
       TETHER_AUTH_SESSION);
  emit("fault", tether_encode_fault(message, sizeof message, 3, 7, TETHER_FAULT_WATCHDOG, "no command for 250 ms"),
       TETHER_AUTH_SESSION);
  emit("notice", tether_encode_notice(message, sizeof message, 4, 8, TETHER_NOTICE_FORGED, 1, "forged frame refused"),
       TETHER_AUTH_SESSION);
  emit("heartbeat", tether_encode_heartbeat(message, 5, 9, 1, 2), TETHER_AUTH_SESSION);
}

static void ack(uint8_t status, uint32_t acked_seq, unsigned mode) {
  uint16_t retry = status == TETHER_ACK_BUSY ? RETRY_AFTER_MS : 0;
  emit("ack", tether_encode_ack(message, 2, 0, TETHER_SESSION, status, retry, acked_seq), mode);
}

static int from_owner(const tether_header *h) {
  return h->auth == TETHER_AUTH_SESSION && h->session != 0 && h->session == link.session_id;
}

/* One verified message from the host: what a firmware main loop would do with it. */
static void on_message(uint8_t *m, size_t length) {
  static tether_command command;
  tether_header h;
  long payload = tether_link_open(&link, m, length, &h);
  if (payload < 0) {
    printf("reject %ld type=%u\n", payload, (unsigned)m[1]);
    if (m[1] == TETHER_SESSION && (payload == TETHER_ERR_FORGED || payload == TETHER_ERR_FOREIGN_SESSION)) {
      /* A host re-keying a session we no longer hold, or whose key differs: tell it, bare. */
      ack(payload == TETHER_ERR_FOREIGN_SESSION ? TETHER_ACK_STALE : TETHER_ACK_UNAUTHENTICATED, h.seq,
          TETHER_AUTH_NONE);
    }
    return;
  }
  size_t n = (size_t)payload;
  switch (h.type) {
  case TETHER_SESSION: {
    size_t expected = TETHER_HEADER_SIZE + 1u + 2u * TETHER_NONCE_SIZE;
    if (n != expected) {
      printf("session err %d\n", n < expected ? TETHER_ERR_TRUNCATED : TETHER_ERR_TRAILING);
      return;
    }
    int status = tether_link_accept_session(&link, m, n, &h, owner_alive, next_nonce);
    if (status == TETHER_ACK_OK) last_command_seq = 0;
    printf("session status=%d id=%08x\n", status, (unsigned)link.session_id);
    ack((uint8_t)status, h.seq,
        status == TETHER_ACK_OK ? TETHER_AUTH_SESSION
                                : status == TETHER_ACK_UNAUTHENTICATED ? TETHER_AUTH_NONE : TETHER_AUTH_DEVICE);
    return;
  }
  case TETHER_COMMAND: {
    command.header.auth = h.auth;
    command.header.session = h.session;
    int r = tether_decode_command(m, n, &command);
    if (r < 0) {
      printf("command err %d\n", r);
      return;
    }
    r = tether_check_command(&link, &h, &command, TETHER_MODE_TORQUE, 1, 0, &last_command_seq);
    if (r < 0) {
      printf("command err %d\n", r);
      return;
    }
    printf("command ok seq=%u state_seq=%u count=%u", (unsigned)h.seq, (unsigned)command.state_seq, command.count);
    for (unsigned i = 0; i < command.count; i++) printf(" %.9g", (double)command.target[i]);
    printf("\n");
    return;
  }
  case TETHER_REQUEST: {
    uint32_t seq = 0;
    int op = tether_decode_request(m, n, &seq);
    if (op < 0) {
      printf("request err %d\n", op);
      return;
    }
    /* Status: the owner, or any holder of the device key; it commands nothing. */
    int status_asker = op == TETHER_REQ_STATUS && (from_owner(&h) || h.auth == TETHER_AUTH_DEVICE);
    if (op != TETHER_REQ_HELLO && !status_asker && !from_owner(&h)) {
      printf("request err %d\n", TETHER_ERR_UNAUTHENTICATED);
      return;
    }
    printf("request op=%d seq=%u auth=%u\n", op, (unsigned)seq, (unsigned)h.auth);
    if (status_asker) {
      /* This program keeps no loop state: an idle rig, owned or not, answered in the asker's seal. */
      emit("status",
           tether_encode_status(message, sizeof message, 1, 0, seq, TETHER_RIG_IDLE, link.session_id != 0, 0, 0, 0, 0,
                                ""),
           from_owner(&h) ? TETHER_AUTH_SESSION : TETHER_AUTH_DEVICE);
    }
    return;
  }
  case TETHER_ESTOP: {
    int source = tether_decode_estop(m, n);
    if (source < 0) printf("estop err %d\n", source);
    else printf("estop source=%d auth=%u\n", source, (unsigned)h.auth);
    return;
  }
  case TETHER_HEARTBEAT:
    if (n != 20) printf("heartbeat err %d\n", n < 20 ? TETHER_ERR_TRUNCATED : TETHER_ERR_TRAILING);
    else if (!from_owner(&h)) printf("heartbeat err %d\n", TETHER_ERR_UNAUTHENTICATED);
    else printf("heartbeat ok\n");
    return;
  default:
    printf("other type=%u\n", (unsigned)h.type);
  }
}

int main(void) {
  static uint8_t bytes[sizeof line / 2];
  tether_frame_decoder_init(&decoder);
  while (fgets(line, sizeof line, stdin) != NULL) {
    line[strcspn(line, "\r\n")] = 0;
    if (strncmp(line, "init ", 5) == 0) {
      uint8_t key[64], nonce[TETHER_NONCE_SIZE];
      size_t key_length = parse_hex(line + 5, key, sizeof key);
      const char *space = strchr(line + 5, ' ');
      if (space == NULL || parse_hex(space + 1, nonce, sizeof nonce) != TETHER_NONCE_SIZE) return 2;
      tether_link_init(&link, key, key_length, nonce);
    } else if (strncmp(line, "next_nonce ", 11) == 0) {
      if (parse_hex(line + 11, next_nonce, sizeof next_nonce) != TETHER_NONCE_SIZE) return 2;
    } else if (strncmp(line, "owner_alive ", 12) == 0) {
      owner_alive = line[12] == '1';
    } else if (strcmp(line, "hello") == 0) {
      hello();
    } else if (strcmp(line, "emit") == 0) {
      emit_session();
    } else if (strncmp(line, "frame ", 6) == 0) {
      size_t count = parse_hex(line + 6, bytes, sizeof bytes);
      /* Byte by byte, as a UART interrupt would deliver them. */
      for (size_t i = 0; i < count; i++) {
        size_t length = tether_frame_push(&decoder, bytes[i]);
        if (length > 0) on_message(decoder.buffer, length);
      }
    } else if (strcmp(line, "counters") == 0) {
      printf("counters frames=%u crc=%u cobs=%u oversize=%u forged=%u replayed=%u foreign=%u\n",
             (unsigned)decoder.frames, (unsigned)decoder.crc_errors, (unsigned)decoder.cobs_errors,
             (unsigned)decoder.oversize, (unsigned)link.forged, (unsigned)link.replayed,
             (unsigned)link.foreign_session);
    } else if (line[0] != 0 && line[0] != '#') {
      fprintf(stderr, "unknown line: %s\n", line);
      return 2;
    }
    fflush(stdout);
  }
  return 0;
}
