/*
 * Protocol conformance program (and a sketch of a firmware main loop): prints, one per line as hex,
 * the frames a cartpole rig sends (hello, state, fault, ack, heartbeat), then reads hex frames from
 * stdin (what a host sends) and prints what it decoded. test/hardware/firmware.test.ts runs it
 * against the TypeScript implementation.
 *
 *   cc -std=c99 -Wall -Wextra -Werror -O2 -o example_rig example_rig.c tether_protocol.c -lm
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "tether_protocol.h"

static uint8_t message[TETHER_MAX_MESSAGE + TETHER_CRC_SIZE];
static uint8_t frame[TETHER_MAX_FRAME];

static void emit(const char *what, size_t length) {
  size_t n = tether_frame(message, length, frame);
  printf("%s ", what);
  for (size_t i = 0; i < n; i++) printf("%02x", frame[i]);
  printf("\n");
}

static int hex_value(int c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

int main(void) {
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
  emit("hello", tether_hello_end(&w));

  const float values[6] = {0.25f, -0.125f, 1.5f, -2.0f, 3.0f, 0.0f};
  emit("state", tether_encode_state(message, sizeof message, 42, 5000000000ull, 41, TETHER_STATE_ACTIVE, 2, 0, 0, values));
  emit("fault", tether_encode_fault(message, sizeof message, 3, 7, TETHER_FAULT_WATCHDOG, "no command for 250 ms"));
  emit("ack", tether_encode_ack(message, 4, 8, TETHER_REQUEST, TETHER_ACK_OK, 17));
  emit("heartbeat", tether_encode_heartbeat(message, 5, 9, 1, 2));
  fflush(stdout);

  /* Host -> rig: decode whatever frames arrive, as the UART interrupt would, byte by byte. */
  static tether_frame_decoder decoder;
  tether_frame_decoder_init(&decoder);
  int high = -1, c;
  while ((c = getchar()) != EOF) {
    int v = hex_value(c);
    if (v < 0) continue;
    if (high < 0) {
      high = v;
      continue;
    }
    uint8_t byte = (uint8_t)(high << 4 | v);
    high = -1;
    size_t length = tether_frame_push(&decoder, byte);
    if (length == 0) continue;
    tether_header h;
    int type = tether_decode_header(decoder.buffer, length, &h);
    if (type == TETHER_COMMAND) {
      static tether_command command;
      int r = tether_decode_command(decoder.buffer, length, &command);
      if (r < 0) {
        printf("command error %d\n", r);
        continue;
      }
      printf("command seq=%u state_seq=%u mode=%u count=%u gains=%u", (unsigned)h.seq, (unsigned)command.state_seq,
             command.mode, command.count, command.has_gains);
      for (unsigned i = 0; i < command.count; i++) printf(" %g", (double)command.target[i]);
      if (command.has_gains) printf(" kp=%g kd=%g", (double)command.kp[0], (double)command.kd[0]);
      printf("\n");
    } else if (type == TETHER_REQUEST) {
      uint32_t seq = 0;
      int op = tether_decode_request(decoder.buffer, length, &seq);
      printf("request op=%d seq=%u\n", op, (unsigned)seq);
    } else if (type == TETHER_ESTOP) {
      printf("estop source=%d\n", tether_decode_estop(decoder.buffer, length));
    } else {
      printf("other type=%d\n", type);
    }
  }
  printf("counters frames=%u crc=%u cobs=%u oversize=%u\n", (unsigned)decoder.frames, (unsigned)decoder.crc_errors,
         (unsigned)decoder.cobs_errors, (unsigned)decoder.oversize);
  return 0;
}
