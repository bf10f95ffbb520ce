/* Tether wire protocol v3: reference implementation for firmware. See tether_protocol.h. */
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
/* Finite without libm: an all-ones exponent is infinity or NaN. */
static int f32_finite_at(const uint8_t *p) { return (get_u32(p) & 0x7F800000u) != 0x7F800000u; }
static void put_u32_be(uint8_t *p, uint32_t v) {
  p[0] = (uint8_t)(v >> 24);
  p[1] = (uint8_t)(v >> 16);
  p[2] = (uint8_t)(v >> 8);
  p[3] = (uint8_t)v;
}

/* ---- SHA-256 ---- */

static const uint32_t sha_k[64] = {
    0x428a2f98u, 0x71374491u, 0xb5c0fbcfu, 0xe9b5dba5u, 0x3956c25bu, 0x59f111f1u, 0x923f82a4u, 0xab1c5ed5u,
    0xd807aa98u, 0x12835b01u, 0x243185beu, 0x550c7dc3u, 0x72be5d74u, 0x80deb1feu, 0x9bdc06a7u, 0xc19bf174u,
    0xe49b69c1u, 0xefbe4786u, 0x0fc19dc6u, 0x240ca1ccu, 0x2de92c6fu, 0x4a7484aau, 0x5cb0a9dcu, 0x76f988dau,
    0x983e5152u, 0xa831c66du, 0xb00327c8u, 0xbf597fc7u, 0xc6e00bf3u, 0xd5a79147u, 0x06ca6351u, 0x14292967u,
    0x27b70a85u, 0x2e1b2138u, 0x4d2c6dfcu, 0x53380d13u, 0x650a7354u, 0x766a0abbu, 0x81c2c92eu, 0x92722c85u,
    0xa2bfe8a1u, 0xa81a664bu, 0xc24b8b70u, 0xc76c51a3u, 0xd192e819u, 0xd6990624u, 0xf40e3585u, 0x106aa070u,
    0x19a4c116u, 0x1e376c08u, 0x2748774cu, 0x34b0bcb5u, 0x391c0cb3u, 0x4ed8aa4au, 0x5b9cca4fu, 0x682e6ff3u,
    0x748f82eeu, 0x78a5636fu, 0x84c87814u, 0x8cc70208u, 0x90befffau, 0xa4506cebu, 0xbef9a3f7u, 0xc67178f2u};

#define ROTR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))

static void sha_compress(uint32_t h[8], const uint8_t *block) {
  uint32_t w[64];
  for (int t = 0; t < 16; t++) {
    const uint8_t *p = block + 4 * t;
    w[t] = ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | (uint32_t)p[3];
  }
  for (int t = 16; t < 64; t++) {
    uint32_t s0 = ROTR(w[t - 15], 7) ^ ROTR(w[t - 15], 18) ^ (w[t - 15] >> 3);
    uint32_t s1 = ROTR(w[t - 2], 17) ^ ROTR(w[t - 2], 19) ^ (w[t - 2] >> 10);
    w[t] = w[t - 16] + s0 + w[t - 7] + s1;
  }
  uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
  for (int t = 0; t < 64; t++) {
    uint32_t t1 = hh + (ROTR(e, 6) ^ ROTR(e, 11) ^ ROTR(e, 25)) + ((e & f) ^ (~e & g)) + sha_k[t] + w[t];
    uint32_t t2 = (ROTR(a, 2) ^ ROTR(a, 13) ^ ROTR(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
    hh = g;
    g = f;
    f = e;
    e = d + t1;
    d = c;
    c = b;
    b = a;
    a = t1 + t2;
  }
  h[0] += a;
  h[1] += b;
  h[2] += c;
  h[3] += d;
  h[4] += e;
  h[5] += f;
  h[6] += g;
  h[7] += hh;
}

void tether_sha256_init(tether_sha256 *s) {
  static const uint32_t initial[8] = {0x6a09e667u, 0xbb67ae85u, 0x3c6ef372u, 0xa54ff53au,
                                      0x510e527fu, 0x9b05688cu, 0x1f83d9abu, 0x5be0cd19u};
  memcpy(s->h, initial, sizeof initial);
  s->block_length = 0;
  s->total = 0;
}

void tether_sha256_update(tether_sha256 *s, const uint8_t *data, size_t length) {
  s->total += length;
  size_t i = 0;
  if (s->block_length > 0) {
    while (i < length && s->block_length < 64) s->block[s->block_length++] = data[i++];
    if (s->block_length < 64) return;
    sha_compress(s->h, s->block);
    s->block_length = 0;
  }
  for (; length - i >= 64; i += 64) sha_compress(s->h, data + i);
  while (i < length) s->block[s->block_length++] = data[i++];
}

void tether_sha256_final(tether_sha256 *s, uint8_t digest[32]) {
  uint64_t bits = s->total * 8u;
  s->block[s->block_length++] = 0x80;
  if (s->block_length > 56) {
    memset(s->block + s->block_length, 0, 64 - s->block_length);
    sha_compress(s->h, s->block);
    s->block_length = 0;
  }
  memset(s->block + s->block_length, 0, 56 - s->block_length);
  put_u32_be(s->block + 56, (uint32_t)(bits >> 32));
  put_u32_be(s->block + 60, (uint32_t)bits);
  sha_compress(s->h, s->block);
  for (int k = 0; k < 8; k++) put_u32_be(digest + 4 * k, s->h[k]);
}

void tether_hmac_init(tether_hmac_key *k, const uint8_t *key, size_t key_length) {
  uint8_t block[64], pad[64];
  tether_sha256 s;
  memset(block, 0, sizeof block);
  if (key_length > 64) {
    tether_sha256_init(&s);
    tether_sha256_update(&s, key, key_length);
    tether_sha256_final(&s, block);
  } else if (key_length > 0) {
    memcpy(block, key, key_length);
  }
  for (int i = 0; i < 64; i++) pad[i] = (uint8_t)(block[i] ^ 0x36);
  tether_sha256_init(&s);
  tether_sha256_update(&s, pad, 64);
  memcpy(k->inner, s.h, sizeof k->inner);
  for (int i = 0; i < 64; i++) pad[i] = (uint8_t)(block[i] ^ 0x5c);
  tether_sha256_init(&s);
  tether_sha256_update(&s, pad, 64);
  memcpy(k->outer, s.h, sizeof k->outer);
}

void tether_hmac(const tether_hmac_key *k, const uint8_t *a, size_t a_length, const uint8_t *b, size_t b_length,
                 const uint8_t *c, size_t c_length, uint8_t mac[32]) {
  tether_sha256 s;
  uint8_t inner[32];
  memcpy(s.h, k->inner, sizeof k->inner);
  s.block_length = 0;
  s.total = 64;
  if (a) tether_sha256_update(&s, a, a_length);
  if (b) tether_sha256_update(&s, b, b_length);
  if (c) tether_sha256_update(&s, c, c_length);
  tether_sha256_final(&s, inner);
  memcpy(s.h, k->outer, sizeof k->outer);
  s.block_length = 0;
  s.total = 64;
  tether_sha256_update(&s, inner, 32);
  tether_sha256_final(&s, mac);
}

/* ---- the rig's end of the link ---- */

static const char label_h2r[] = "tether/2 host->rig";
static const char label_r2h[] = "tether/2 rig->host";
static const char label_id[] = "tether/2 session id";

void tether_derive_session(const tether_hmac_key *device, const uint8_t rig_nonce[TETHER_NONCE_SIZE],
                           const uint8_t host_nonce[TETHER_NONCE_SIZE], tether_hmac_key *to_rig,
                           tether_hmac_key *to_host, uint32_t *session_id) {
  uint8_t out[32];
  tether_hmac(device, (const uint8_t *)label_h2r, sizeof label_h2r - 1, rig_nonce, TETHER_NONCE_SIZE, host_nonce,
              TETHER_NONCE_SIZE, out);
  tether_hmac_init(to_rig, out, 32);
  tether_hmac(device, (const uint8_t *)label_r2h, sizeof label_r2h - 1, rig_nonce, TETHER_NONCE_SIZE, host_nonce,
              TETHER_NONCE_SIZE, out);
  tether_hmac_init(to_host, out, 32);
  tether_hmac(device, (const uint8_t *)label_id, sizeof label_id - 1, rig_nonce, TETHER_NONCE_SIZE, host_nonce,
              TETHER_NONCE_SIZE, out);
  uint32_t id = get_u32(out);
  *session_id = id == 0 ? 1u : id;
}

void tether_link_init(tether_link *link, const uint8_t *key, size_t key_length, const uint8_t nonce[TETHER_NONCE_SIZE]) {
  memset(link, 0, sizeof *link);
  tether_hmac_init(&link->device, key, key_length);
  memcpy(link->rig_nonce, nonce, TETHER_NONCE_SIZE);
}

/* Anti-replay window: a counter above the newest is new; one up to the window below it is
   accepted once; anything older, or seen before, is a replay. */
static int accept_counter(tether_link *link, uint64_t counter) {
  if (counter == 0) return 0;
  uint64_t *slot = &link->seen[counter % TETHER_REPLAY_WINDOW];
  if (counter > link->rx_counter) {
    link->rx_counter = counter;
    *slot = counter;
    return 1;
  }
  if (link->rx_counter - counter >= TETHER_REPLAY_WINDOW || *slot == counter) return 0;
  *slot = counter;
  return 1;
}

void tether_link_drop(tether_link *link, const uint8_t next_nonce[TETHER_NONCE_SIZE]) {
  link->session_id = 0;
  link->rx_counter = 0;
  link->tx_counter = 0;
  memset(link->seen, 0, sizeof link->seen);
  memcpy(link->rig_nonce, next_nonce, TETHER_NONCE_SIZE);
}

/* Constant time: how many bytes differ is not revealed through timing. */
static int equal_bytes(const uint8_t *a, const uint8_t *b, size_t n) {
  uint8_t diff = 0;
  for (size_t i = 0; i < n; i++) diff |= (uint8_t)(a[i] ^ b[i]);
  return diff == 0;
}

size_t tether_link_seal(tether_link *link, uint8_t *message, size_t length, unsigned mode) {
  uint8_t mac[32];
  message[2] = (uint8_t)(message[2] & ~TETHER_AUTH_MASK);
  if (mode == TETHER_AUTH_NONE) return length;
  const tether_hmac_key *key;
  uint32_t session;
  uint64_t counter;
  if (mode == TETHER_AUTH_SESSION && link->session_id != 0) {
    key = &link->to_host;
    session = link->session_id;
    counter = ++link->tx_counter;
  } else {
    mode = TETHER_AUTH_DEVICE;
    key = &link->device;
    session = 0;
    counter = ++link->device_counter;
  }
  message[2] = (uint8_t)(message[2] | mode);
  put_u32(message + length, session);
  put_u64(message + length + 4, counter);
  tether_hmac(key, message, length + 12u, NULL, 0, NULL, 0, mac);
  memcpy(message + length + 12u, mac, TETHER_MAC_SIZE);
  return length + TETHER_TRAILER_SIZE;
}

long tether_link_open(tether_link *link, const uint8_t *message, size_t length, tether_header *header) {
  uint8_t mac[32];
  int type = tether_decode_header(message, length, header);
  header->auth = TETHER_AUTH_NONE;
  header->session = 0;
  if (type < 0) return type;
  unsigned mode = message[2] & TETHER_AUTH_MASK;
  header->auth = (uint8_t)mode;
  if (mode == TETHER_AUTH_NONE) return (long)length;
  if (mode != TETHER_AUTH_DEVICE && mode != TETHER_AUTH_SESSION) return TETHER_ERR_BAD_FLAGS;
  if (length < TETHER_HEADER_SIZE + TETHER_TRAILER_SIZE) return TETHER_ERR_TRUNCATED;
  size_t body = length - TETHER_TRAILER_SIZE;
  uint32_t session = get_u32(message + body);
  uint64_t counter = get_u64(message + body + 4);
  header->session = session;
  if (mode == TETHER_AUTH_DEVICE) {
    tether_hmac(&link->device, message, body + 12u, NULL, 0, NULL, 0, mac);
    if (!equal_bytes(mac, message + body + 12u, TETHER_MAC_SIZE)) {
      link->forged++;
      return TETHER_ERR_FORGED;
    }
    return (long)body;
  }
  if (link->session_id == 0 || session != link->session_id) {
    link->foreign_session++;
    return TETHER_ERR_FOREIGN_SESSION;
  }
  tether_hmac(&link->to_rig, message, body + 12u, NULL, 0, NULL, 0, mac);
  if (!equal_bytes(mac, message + body + 12u, TETHER_MAC_SIZE)) {
    link->forged++;
    return TETHER_ERR_FORGED;
  }
  if (!accept_counter(link, counter)) {
    link->replayed++;
    return TETHER_ERR_REPLAYED;
  }
  return (long)body;
}

int tether_link_accept_session(tether_link *link, const uint8_t *message, size_t payload_length,
                               const tether_header *header, int owner_alive,
                               const uint8_t next_nonce[TETHER_NONCE_SIZE]) {
  if (header->auth == TETHER_AUTH_NONE) return TETHER_ACK_UNAUTHENTICATED;
  if (payload_length != TETHER_HEADER_SIZE + 1u + 2u * TETHER_NONCE_SIZE) return TETHER_ACK_REFUSED;
  if (message[16] != 1) return TETHER_ACK_UNSUPPORTED;
  const uint8_t *host_nonce = message + 17;
  const uint8_t *echoed = message + 17 + TETHER_NONCE_SIZE;
  if (!equal_bytes(echoed, link->rig_nonce, TETHER_NONCE_SIZE)) return TETHER_ACK_STALE;
  int rekey = link->session_id != 0 && header->auth == TETHER_AUTH_SESSION && header->session == link->session_id;
  if (link->session_id != 0 && !rekey && owner_alive) return TETHER_ACK_BUSY;
  tether_derive_session(&link->device, link->rig_nonce, host_nonce, &link->to_rig, &link->to_host, &link->session_id);
  link->rx_counter = 0;
  link->tx_counter = 0;
  memset(link->seen, 0, sizeof link->seen);
  memcpy(link->rig_nonce, next_nonce, TETHER_NONCE_SIZE);
  return TETHER_ACK_OK;
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
  if (m[1] < TETHER_HELLO || m[1] > TETHER_LAST_TYPE) return TETHER_ERR_UNKNOWN_TYPE;
  if ((m[2] & ~TETHER_AUTH_MASK) != 0 || m[3] != 0) return TETHER_ERR_BAD_FLAGS;
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
  uint8_t auth = c->header.auth;
  uint32_t session = c->header.session;
  int type = tether_decode_header(m, length, &c->header);
  c->header.auth = auth;
  c->header.session = session;
  if (type < 0) return type;
  if (type != TETHER_COMMAND) return TETHER_ERR_UNKNOWN_TYPE;
  if (length < 24) return TETHER_ERR_TRUNCATED;
  uint8_t mode = m[20], count = m[21], gains = m[22];
  if (mode > TETHER_MODE_CARTESIAN || gains > 1 || m[23] != 0) return TETHER_ERR_BAD_VALUE;
  if (count > TETHER_MAX_COMMAND_VALUES) return TETHER_ERR_BAD_COUNT;
  size_t expected = 24u + 4u * count * (gains ? 3u : 1u);
  if (length < expected) return TETHER_ERR_TRUNCATED;
  if (length > expected) return TETHER_ERR_TRAILING;
  /* A NaN or infinite target must never reach an actuator; gains must be finite and >= 0. */
  for (size_t i = 0; i < count; i++)
    if (!f32_finite_at(m + 24 + 4 * i)) return TETHER_ERR_BAD_VALUE;
  if (gains) {
    for (size_t i = count; i < 3u * count; i++)
      if (!f32_finite_at(m + 24 + 4 * i) || !(get_f32(m + 24 + 4 * i) >= 0.0f)) return TETHER_ERR_BAD_VALUE;
  }
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

int tether_check_command(const tether_link *link, const tether_header *header, const tether_command *command,
                         uint8_t mode, uint8_t count, int gains_allowed, uint32_t *last_seq) {
  if (header->auth != TETHER_AUTH_SESSION || link->session_id == 0 || header->session != link->session_id)
    return TETHER_ERR_UNAUTHENTICATED;
  if (command->mode != mode || command->count != count || (command->has_gains && !gains_allowed))
    return TETHER_ERR_SHAPE;
  if (command->header.seq <= *last_seq) return TETHER_ERR_SEQUENCE;
  *last_seq = command->header.seq;
  return 0;
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

size_t tether_encode_ack(uint8_t *out, uint32_t seq, uint64_t time_us, uint8_t acked_type, uint8_t status,
                         uint16_t retry_after_ms, uint32_t acked_seq) {
  put_header(out, TETHER_ACK, seq, time_us);
  out[16] = acked_type;
  out[17] = status;
  put_u16(out + 18, retry_after_ms);
  put_u32(out + 20, acked_seq);
  return 24;
}

size_t tether_encode_notice(uint8_t *out, size_t capacity, uint32_t seq, uint64_t time_us, uint16_t code, uint32_t count,
                            const char *message) {
  if (capacity < 22) return 0;
  put_header(out, TETHER_NOTICE, seq, time_us);
  put_u16(out + 16, code);
  put_u32(out + 18, count);
  size_t n = put_string(out + 22, capacity - 22, message);
  return n == 0 ? 0 : 22 + n;
}

size_t tether_encode_status(uint8_t *out, size_t capacity, uint32_t seq, uint64_t time_us, uint32_t request_seq,
                            uint8_t state, uint8_t owned, uint32_t flags, uint64_t ticks, uint32_t latches,
                            uint32_t commands_applied, const char *reason) {
  if (capacity < 44) return 0;
  put_header(out, TETHER_STATUS, seq, time_us);
  put_u32(out + 16, request_seq);
  put_u8(out + 20, state);
  put_u8(out + 21, owned);
  put_u16(out + 22, 0);
  put_u32(out + 24, flags);
  put_u64(out + 28, ticks);
  put_u32(out + 36, latches);
  put_u32(out + 40, commands_applied);
  size_t n = put_string(out + 44, capacity - 44, reason);
  return n == 0 ? 0 : 44 + n;
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

void tether_hello_session(tether_writer *w, const uint8_t rig_nonce[TETHER_NONCE_SIZE], uint32_t owner_session,
                          uint16_t lease_ms) {
  uint8_t *p = reserve(w, TETHER_NONCE_SIZE + 6u);
  if (!p) return;
  memcpy(p, rig_nonce, TETHER_NONCE_SIZE);
  put_u32(p + TETHER_NONCE_SIZE, owner_session);
  put_u16(p + TETHER_NONCE_SIZE + 4, lease_ms);
}

size_t tether_hello_end(tether_writer *w) {
  if (w->overflow || w->length + TETHER_TRAILER_SIZE > TETHER_MAX_MESSAGE) return 0;
  return w->length;
}
