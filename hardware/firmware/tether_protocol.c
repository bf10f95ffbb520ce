/* Tether wire protocol v1: reference implementation for firmware. See tether_protocol.h. */
#include "tether_protocol.h"

#include <string.h>

/* ---- little-endian primitives ---- */

static void put_u8(uint8_t *p, uint8_t v) { p[0] = v; }
static void put_u16(uint8_t *p, uint16_t v) {
  p[0] = (uint8_t)v;
  p[1] = (uint8_t)(v >> 8);
}
static void put_u32(uint8_t *p, uint32_t v) {
  p[0] = (uint8_t)v;
  p[1] = (uint8_t)(v >> 8);
  p[2] = (uint8_t)(v >> 16);
  p[3] = (uint8_t)(v >> 24);
}
static void put_u64(uint8_t *p, uint64_t v) {
  put_u32(p, (uint32_t)v);
  put_u32(p + 4, (uint32_t)(v >> 32));
}
static void put_f32(uint8_t *p, float v) {
  uint32_t bits;
  memcpy(&bits, &v, 4);
  put_u32(p, bits);
}
static void put_f64(uint8_t *p, double v) {
  uint64_t bits;
  memcpy(&bits, &v, 8);
  put_u64(p, bits);
}
static uint32_t get_u32(const uint8_t *p) {
  return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}
static uint64_t get_u64(const uint8_t *p) { return (uint64_t)get_u32(p) | ((uint64_t)get_u32(p + 4) << 32); }
static float get_f32(const uint8_t *p) {
  uint32_t bits = get_u32(p);
  float v;
  memcpy(&v, &bits, 4);
  return v;
}

/* ---- CRC-32 ---- */

uint32_t tether_crc32(const uint8_t *data, size_t length) {
  /* Bitwise form: no 1 KiB table in flash. Use a table (see crc32.ts) where speed matters. */
  uint32_t crc = 0xFFFFFFFFu;
  for (size_t i = 0; i < length; i++) {
    crc ^= data[i];
    for (int k = 0; k < 8; k++) crc = (crc & 1u) ? (0xEDB88320u ^ (crc >> 1)) : (crc >> 1);
  }
  return crc ^ 0xFFFFFFFFu;
}

/* ---- COBS ---- */

size_t tether_cobs_encode(const uint8_t *src, size_t length, uint8_t *dst) {
  size_t code_index = 0, write = 1;
  uint8_t code = 1;
  for (size_t read = 0; read < length; read++) {
    if (src[read] == 0) {
      dst[code_index] = code;
      code_index = write++;
      code = 1;
      continue;
    }
    dst[write++] = src[read];
    if (++code == 0xFF) {
      dst[code_index] = code;
      code_index = write++;
      code = 1;
    }
  }
  dst[code_index] = code;
  return write;
}

long tether_cobs_decode(const uint8_t *src, size_t length, uint8_t *dst) {
  size_t read = 0, write = 0;
  while (read < length) {
    uint8_t code = src[read];
    if (code == 0 || read + code > length) return -1;
    read++;
    for (uint8_t i = 1; i < code; i++) {
      uint8_t byte = src[read++];
      if (byte == 0) return -1;
      dst[write++] = byte;
    }
    if (code != 0xFF && read < length) dst[write++] = 0;
  }
  return (long)write;
}

size_t tether_frame(uint8_t *message, size_t length, uint8_t *frame) {
  put_u32(message + length, tether_crc32(message, length));
  size_t end = tether_cobs_encode(message, length + TETHER_CRC_SIZE, frame);
  frame[end] = 0;
  return end + 1;
}

void tether_frame_decoder_init(tether_frame_decoder *d) { memset(d, 0, sizeof *d); }

size_t tether_frame_push(tether_frame_decoder *d, uint8_t byte) {
  if (byte != 0) {
    if (d->discarding) return 0;
    if (d->length == sizeof d->buffer) {
      d->oversize++;
      d->discarding = 1;
      d->length = 0;
      return 0;
    }
    d->buffer[d->length++] = byte;
    return 0;
  }
  if (d->discarding) {
    d->discarding = 0;
    return 0;
  }
  size_t encoded = d->length;
  d->length = 0;
  if (encoded == 0) return 0;
  long decoded = tether_cobs_decode(d->buffer, encoded, d->buffer);
  if (decoded < (long)TETHER_CRC_SIZE) {
    d->cobs_errors++;
    return 0;
  }
  size_t body = (size_t)decoded - TETHER_CRC_SIZE;
  if (tether_crc32(d->buffer, body) != get_u32(d->buffer + body)) {
    d->crc_errors++;
    return 0;
  }
  d->frames++;
  return body;
}

/* ---- messages ---- */

static void put_header(uint8_t *out, uint8_t type, uint32_t seq, uint64_t time_us) {
  put_u8(out, TETHER_PROTOCOL_VERSION);
  put_u8(out + 1, type);
  put_u16(out + 2, 0);
  put_u32(out + 4, seq);
  put_u64(out + 8, time_us);
}

int tether_decode_header(const uint8_t *m, size_t length, tether_header *h) {
  if (length < TETHER_HEADER_SIZE) return TETHER_ERR_TOO_SHORT;
  if (m[0] != TETHER_PROTOCOL_VERSION) return TETHER_ERR_BAD_VERSION;
  if (m[1] < TETHER_HELLO || m[1] > TETHER_REQUEST) return TETHER_ERR_UNKNOWN_TYPE;
  h->type = m[1];
  h->seq = get_u32(m + 4);
  h->time_us = get_u64(m + 8);
  return h->type;
}

size_t tether_encode_state(uint8_t *out, size_t capacity, uint32_t seq, uint64_t time_us, uint32_t command_seq,
                           uint32_t flags, uint8_t n_joints, uint8_t has_imu, uint8_t n_sensors, const float *values) {
  size_t n = 3u * n_joints + (has_imu ? 10u : 0u) + n_sensors;
  size_t length = 28u + 4u * n;
  if (length > capacity) return 0;
  put_header(out, TETHER_STATE, seq, time_us);
  put_u32(out + 16, command_seq);
  put_u32(out + 20, flags);
  out[24] = n_joints;
  out[25] = has_imu ? 1 : 0;
  out[26] = n_sensors;
  out[27] = 0;
  for (size_t i = 0; i < n; i++) put_f32(out + 28 + 4 * i, values[i]);
  return length;
}

int tether_decode_command(const uint8_t *m, size_t length, tether_command *c) {
  int type = tether_decode_header(m, length, &c->header);
  if (type < 0) return type;
  if (type != TETHER_COMMAND) return TETHER_ERR_UNKNOWN_TYPE;
  if (length < 24) return TETHER_ERR_TRUNCATED;
  uint8_t mode = m[20], count = m[21], gains = m[22];
  if (mode > TETHER_MODE_VELOCITY || gains > 1) return TETHER_ERR_BAD_VALUE;
  if (count > TETHER_MAX_COMMAND_VALUES) return TETHER_ERR_BAD_COUNT;
  size_t expected = 24u + 4u * count * (gains ? 3u : 1u);
  if (length < expected) return TETHER_ERR_TRUNCATED;
  if (length > expected) return TETHER_ERR_TRAILING;
  c->state_seq = get_u32(m + 16);
  c->mode = mode;
  c->count = count;
  c->has_gains = gains;
  const uint8_t *p = m + 24;
  for (uint8_t i = 0; i < count; i++, p += 4) c->target[i] = get_f32(p);
  if (gains) {
    for (uint8_t i = 0; i < count; i++, p += 4) c->kp[i] = get_f32(p);
    for (uint8_t i = 0; i < count; i++, p += 4) c->kd[i] = get_f32(p);
  }
  return TETHER_COMMAND;
}

int tether_decode_request(const uint8_t *m, size_t length, uint32_t *seq) {
  tether_header h;
  int type = tether_decode_header(m, length, &h);
  if (type < 0) return type;
  if (type != TETHER_REQUEST) return TETHER_ERR_UNKNOWN_TYPE;
  if (length < 17) return TETHER_ERR_TRUNCATED;
  if (length > 17) return TETHER_ERR_TRAILING;
  *seq = h.seq;
  return m[16];
}

int tether_decode_estop(const uint8_t *m, size_t length) {
  tether_header h;
  int type = tether_decode_header(m, length, &h);
  if (type < 0) return type;
  if (type != TETHER_ESTOP) return TETHER_ERR_UNKNOWN_TYPE;
  if (length < 18) return TETHER_ERR_TRUNCATED;
  if (length != 18u + m[17]) return length < 18u + m[17] ? TETHER_ERR_TRUNCATED : TETHER_ERR_TRAILING;
  return m[16];
}

size_t tether_encode_heartbeat(uint8_t *out, uint32_t seq, uint64_t time_us, uint8_t role, uint8_t lifecycle) {
  put_header(out, TETHER_HEARTBEAT, seq, time_us);
  out[16] = role;
  out[17] = lifecycle;
  put_u16(out + 18, 0);
  return 20;
}

static size_t put_string(uint8_t *p, size_t room, const char *s) {
  size_t n = strlen(s);
  if (n > 255 || n + 1 > room) return 0;
  p[0] = (uint8_t)n;
  memcpy(p + 1, s, n);
  return n + 1;
}

size_t tether_encode_estop(uint8_t *out, size_t capacity, uint32_t seq, uint64_t time_us, uint8_t source, const char *reason) {
  if (capacity < 17) return 0;
  put_header(out, TETHER_ESTOP, seq, time_us);
  out[16] = source;
  size_t n = put_string(out + 17, capacity - 17, reason);
  return n == 0 ? 0 : 17 + n;
}

size_t tether_encode_fault(uint8_t *out, size_t capacity, uint32_t seq, uint64_t time_us, uint16_t code, const char *message) {
  if (capacity < 18) return 0;
  put_header(out, TETHER_FAULT, seq, time_us);
  put_u16(out + 16, code);
  size_t n = put_string(out + 18, capacity - 18, message);
  return n == 0 ? 0 : 18 + n;
}

size_t tether_encode_ack(uint8_t *out, uint32_t seq, uint64_t time_us, uint8_t acked_type, uint8_t status, uint32_t acked_seq) {
  put_header(out, TETHER_ACK, seq, time_us);
  out[16] = acked_type;
  out[17] = status;
  put_u16(out + 18, 0);
  put_u32(out + 20, acked_seq);
  return 24;
}

/* ---- hello ---- */

static uint8_t *reserve(tether_writer *w, size_t n) {
  if (w->overflow || w->length + n > w->capacity) {
    w->overflow = 1;
    return NULL;
  }
  uint8_t *p = w->out + w->length;
  w->length += n;
  return p;
}
static void w_u8(tether_writer *w, uint8_t v) {
  uint8_t *p = reserve(w, 1);
  if (p) p[0] = v;
}
static void w_u16(tether_writer *w, uint16_t v) {
  uint8_t *p = reserve(w, 2);
  if (p) put_u16(p, v);
}
static void w_f64(tether_writer *w, double v) {
  uint8_t *p = reserve(w, 8);
  if (p) put_f64(p, v);
}
static void w_str(tether_writer *w, const char *s) {
  size_t n = strlen(s);
  if (n > 255) {
    w->overflow = 1;
    return;
  }
  w_u8(w, (uint8_t)n);
  uint8_t *p = reserve(w, n);
  if (p) memcpy(p, s, n);
}

void tether_hello_begin(tether_writer *w, uint8_t *out, size_t capacity, uint32_t seq, uint64_t time_us,
                        uint16_t state_rate_hz, uint16_t inner_loop_hz, uint16_t min_command_hz, uint16_t max_command_hz,
                        uint8_t command_mode, uint8_t features, uint16_t watchdog_ms, const char *name) {
  w->out = out;
  w->capacity = capacity < TETHER_MAX_MESSAGE ? capacity : TETHER_MAX_MESSAGE;
  w->length = 0;
  w->overflow = 0;
  uint8_t *header = reserve(w, TETHER_HEADER_SIZE);
  if (header) put_header(header, TETHER_HELLO, seq, time_us);
  w_u16(w, state_rate_hz);
  w_u16(w, inner_loop_hz);
  w_u16(w, min_command_hz);
  w_u16(w, max_command_hz);
  w_u8(w, command_mode);
  w_u8(w, features);
  w_u16(w, watchdog_ms);
  w_str(w, name);
}

void tether_hello_joints(tether_writer *w, uint8_t count) { w_u8(w, count); }

void tether_hello_joint(tether_writer *w, const char *name, uint8_t type, double position_lower, double position_upper,
                        double velocity_limit, double effort_limit) {
  w_str(w, name);
  w_u8(w, type);
  w_f64(w, position_lower);
  w_f64(w, position_upper);
  w_f64(w, velocity_limit);
  w_f64(w, effort_limit);
}

void tether_hello_sensors(tether_writer *w, uint8_t count) { w_u8(w, count); }

void tether_hello_sensor(tether_writer *w, const char *name, const char *unit) {
  w_str(w, name);
  w_str(w, unit);
}

void tether_hello_observations(tether_writer *w, uint8_t count) { w_u8(w, count); }

void tether_hello_observation(tether_writer *w, const char *name, const char *unit, double lower, double upper,
                              uint16_t state_index) {
  w_str(w, name);
  w_str(w, unit);
  w_f64(w, lower);
  w_f64(w, upper);
  w_u16(w, state_index);
}

void tether_hello_actions(tether_writer *w, uint8_t count) { w_u8(w, count); }

void tether_hello_action(tether_writer *w, const char *name, const char *unit, double lower, double upper, double safe,
                         double max_delta_per_tick) {
  w_str(w, name);
  w_str(w, unit);
  w_f64(w, lower);
  w_f64(w, upper);
  w_f64(w, safe);
  w_f64(w, max_delta_per_tick);
}

size_t tether_hello_end(tether_writer *w) { return w->overflow ? 0 : w->length; }
