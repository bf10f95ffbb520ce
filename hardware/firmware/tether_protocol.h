/*
 * Tether wire protocol v3: reference encoder/decoder and rig-side session for firmware (C99, no
 * allocation, no libc beyond memcpy/memset/strlen). docs/protocol.md is the normative spec; this file
 * follows it and passes the same conformance vectors as the runtime's TypeScript implementation
 * (hardware/firmware/conformance.txt, test/hardware/firmware.test.ts).
 *
 * All multi-byte fields are little-endian and written byte by byte, so the code is independent of
 * the MCU's endianness and alignment. Streamed values are IEEE-754 binary32; hello limits binary64.
 * Every frame is authenticated (HMAC-SHA-256, truncated to 128 bits) with the device key or the
 * session's key for its direction, and carries a counter that must increase (§4 of the spec).
 */
#ifndef TETHER_PROTOCOL_H
#define TETHER_PROTOCOL_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define TETHER_PROTOCOL_VERSION 3u
#define TETHER_HEADER_SIZE 16u
#define TETHER_MAX_MESSAGE 4096u
#define TETHER_CRC_SIZE 4u
/* u32 session + u64 counter + 16-byte tag, after the body (covered by the CRC). */
#define TETHER_TRAILER_SIZE 28u
#define TETHER_MAC_SIZE 16u
#define TETHER_NONCE_SIZE 16u
/* A counter up to this far below the newest accepted is accepted once (reordering on MQTT). */
#define TETHER_REPLAY_WINDOW 64u
/* Header flags bits 0-1: which key sealed the message. Other bits must be 0. */
#define TETHER_AUTH_NONE 0u
#define TETHER_AUTH_DEVICE 1u
#define TETHER_AUTH_SESSION 2u
#define TETHER_AUTH_MASK 3u
/* COBS worst case for a message plus its CRC, plus the 0x00 delimiter. */
#define TETHER_MAX_FRAME (TETHER_MAX_MESSAGE + TETHER_CRC_SIZE + (TETHER_MAX_MESSAGE + TETHER_CRC_SIZE) / 254u + 2u)
#define TETHER_MAX_COMMAND_VALUES 160u

enum tether_type {
  TETHER_HELLO = 1,
  TETHER_STATE = 2,
  TETHER_COMMAND = 3,
  TETHER_HEARTBEAT = 4,
  TETHER_ESTOP = 5,
  TETHER_FAULT = 6,
  TETHER_ACK = 7,
  TETHER_REQUEST = 8,
  TETHER_SESSION = 9,
  TETHER_NOTICE = 10,
  TETHER_OPERATOR_HELLO = 11,
  TETHER_OPERATOR = 12,
  TETHER_OPERATOR_REPLY = 13,
  TETHER_STATUS = 14
};
#define TETHER_LAST_TYPE 14

/* Cartesian: targets are the end-effector pose x, y, z (m), rx, ry, rz (rotation vector, rad). */
enum tether_mode { TETHER_MODE_TORQUE = 0, TETHER_MODE_POSITION = 1, TETHER_MODE_VELOCITY = 2, TETHER_MODE_CARTESIAN = 3 };
enum tether_feature { TETHER_FEATURE_IMU = 1, TETHER_FEATURE_ESTOP = 2, TETHER_FEATURE_PD_GAINS = 4, TETHER_FEATURE_WATCHDOG = 8 };
enum tether_state_flag { TETHER_STATE_ESTOP = 1, TETHER_STATE_FAULT = 2, TETHER_STATE_ACTIVE = 4 };
enum tether_request_op { TETHER_REQ_HELLO = 1, TETHER_REQ_ACTIVATE = 2, TETHER_REQ_DEACTIVATE = 3, TETHER_REQ_RECOVER = 4, TETHER_REQ_RELEASE = 5, TETHER_REQ_STATUS = 6 };
/* `state` in STATUS: what the rig does with commands now. */
enum tether_rig_state { TETHER_RIG_IDLE = 0, TETHER_RIG_ACTIVE = 1, TETHER_RIG_LATCHED = 2 };
enum tether_estop_source { TETHER_ESTOP_HOST = 0, TETHER_ESTOP_OPERATOR = 1, TETHER_ESTOP_RIG = 2 };
enum tether_fault_code { TETHER_FAULT_WATCHDOG = 1, TETHER_FAULT_SENSOR = 2, TETHER_FAULT_LIMIT = 3, TETHER_FAULT_INTERNAL = 4, TETHER_FAULT_PROTOCOL = 5 };
enum tether_ack_status {
  TETHER_ACK_OK = 0,
  TETHER_ACK_REFUSED = 1,
  TETHER_ACK_UNSUPPORTED = 2,
  TETHER_ACK_BUSY = 3,           /* another session owns the rig; the ack's u16 = ms left on its lease */
  TETHER_ACK_STALE = 4,          /* the open named an old rig nonce or an unknown session */
  TETHER_ACK_UNAUTHENTICATED = 5 /* the open's tag did not verify (this ack is sent unauthenticated) */
};
enum tether_notice_code {
  TETHER_NOTICE_OWNERSHIP_REFUSED = 1,
  TETHER_NOTICE_FORGED = 2,
  TETHER_NOTICE_REPLAYED = 3,
  TETHER_NOTICE_FOREIGN_SESSION = 4,
  TETHER_NOTICE_UNAUTHENTICATED = 5,
  TETHER_NOTICE_MALFORMED_COMMAND = 6
};

/* Negative results of the decoders. */
enum tether_error {
  TETHER_ERR_TOO_SHORT = -1,
  TETHER_ERR_BAD_VERSION = -2,
  TETHER_ERR_UNKNOWN_TYPE = -3,
  TETHER_ERR_TRUNCATED = -4,
  TETHER_ERR_TRAILING = -5,
  TETHER_ERR_BAD_COUNT = -6,
  TETHER_ERR_BAD_STRING = -7,
  TETHER_ERR_BAD_VALUE = -8,
  TETHER_ERR_BAD_FLAGS = -9,
  /* Authentication (tether_link_open). */
  TETHER_ERR_FORGED = -10,
  TETHER_ERR_REPLAYED = -11,
  TETHER_ERR_FOREIGN_SESSION = -12,
  /* Policy (tether_link_check_command and the like): a frame that needed the owner's session. */
  TETHER_ERR_UNAUTHENTICATED = -13,
  /* A command whose count, mode or gains differ from what the rig's hello announced. */
  TETHER_ERR_SHAPE = -14,
  /* A command whose sequence number is not above the last one applied in this session. */
  TETHER_ERR_SEQUENCE = -15
};

typedef struct {
  uint8_t type;
  uint32_t seq;
  uint64_t time_us;
  uint8_t auth;     /* TETHER_AUTH_*: set by tether_link_open */
  uint32_t session; /* the trailer's session id (0 without one) */
} tether_header;

typedef struct {
  tether_header header;
  uint32_t state_seq; /* the state this command answers */
  uint8_t mode;
  uint8_t count;
  uint8_t has_gains;
  float target[TETHER_MAX_COMMAND_VALUES];
  float kp[TETHER_MAX_COMMAND_VALUES];
  float kd[TETHER_MAX_COMMAND_VALUES];
} tether_command;

/* ---- CRC-32/ISO-HDLC (zlib): poly 0xEDB88320 reflected, init and xorout 0xFFFFFFFF. ---- */
uint32_t tether_crc32(const uint8_t *data, size_t length);

/* ---- COBS ---- */
/* Encodes src[0, length) into dst; returns the encoded length (no delimiter). */
size_t tether_cobs_encode(const uint8_t *src, size_t length, uint8_t *dst);
/* Decodes one frame body (delimiter removed); returns the decoded length or -1. dst may equal src. */
long tether_cobs_decode(const uint8_t *src, size_t length, uint8_t *dst);

/*
 * Frames a message for a byte stream: appends its CRC in `message` (which needs 4 spare bytes),
 * COBS-encodes into `frame` (TETHER_MAX_FRAME bytes) and appends the 0x00 delimiter.
 * Returns the number of bytes to put on the wire.
 */
size_t tether_frame(uint8_t *message, size_t length, uint8_t *frame);

/* Incremental frame decoder: feed bytes as the UART delivers them. */
typedef struct {
  uint8_t buffer[TETHER_MAX_FRAME];
  size_t length;
  uint8_t discarding;
  uint32_t frames, crc_errors, cobs_errors, oversize;
} tether_frame_decoder;

void tether_frame_decoder_init(tether_frame_decoder *decoder);
/*
 * Pushes one byte. Returns the length of a verified message (CRC checked and removed) now available
 * at decoder->buffer, or 0 if none completed with this byte. Bad frames are counted and dropped.
 */
size_t tether_frame_push(tether_frame_decoder *decoder, uint8_t byte);

/* ---- SHA-256 and HMAC-SHA-256 (FIPS 180-4, RFC 2104) ---- */
typedef struct {
  uint32_t h[8];
  uint8_t block[64];
  size_t block_length;
  uint64_t total;
} tether_sha256;

void tether_sha256_init(tether_sha256 *s);
void tether_sha256_update(tether_sha256 *s, const uint8_t *data, size_t length);
void tether_sha256_final(tether_sha256 *s, uint8_t digest[32]);

/* An HMAC key with its pads hashed once: a MAC of a short message costs 2-3 block compressions. */
typedef struct {
  uint32_t inner[8];
  uint32_t outer[8];
} tether_hmac_key;

void tether_hmac_init(tether_hmac_key *k, const uint8_t *key, size_t key_length);
/* HMAC of the concatenation of up to three parts (NULL parts are skipped). */
void tether_hmac(const tether_hmac_key *k, const uint8_t *a, size_t a_length, const uint8_t *b, size_t b_length,
                 const uint8_t *c, size_t c_length, uint8_t mac[32]);

/* ---- The rig's end of an authenticated link (docs/protocol.md §4) ---- */
typedef struct {
  tether_hmac_key device;  /* the device key, shared with the runtime that may own the rig */
  tether_hmac_key to_rig;  /* current session: frames from the host */
  tether_hmac_key to_host; /* current session: frames to the host */
  uint32_t session_id;     /* 0 = no owner */
  uint64_t rx_counter, tx_counter, device_counter;
  uint64_t seen[TETHER_REPLAY_WINDOW]; /* counter accepted per slot (counter % window) */
  uint8_t rig_nonce[TETHER_NONCE_SIZE]; /* the next open must echo it */
  uint32_t forged, replayed, foreign_session;
} tether_link;

/* `nonce`: the first rig nonce, from a hardware random source. */
void tether_link_init(tether_link *link, const uint8_t *key, size_t key_length, const uint8_t nonce[TETHER_NONCE_SIZE]);
/* The session keys and id an open with these nonces creates (both ends compute the same). */
void tether_derive_session(const tether_hmac_key *device, const uint8_t rig_nonce[TETHER_NONCE_SIZE],
                           const uint8_t host_nonce[TETHER_NONCE_SIZE], tether_hmac_key *to_rig,
                           tether_hmac_key *to_host, uint32_t *session_id);
/*
 * Seals message[0, length) in place (it needs TETHER_TRAILER_SIZE spare bytes): TETHER_AUTH_SESSION
 * with the current session (falls back to the device key without one), TETHER_AUTH_DEVICE, or
 * TETHER_AUTH_NONE. Returns the sealed length.
 */
size_t tether_link_seal(tether_link *link, uint8_t *message, size_t length, unsigned mode);
/*
 * Verifies an incoming message (CRC already checked): returns its length without the trailer, or a
 * negative tether_error (bad flags, truncated, forged, replayed, foreign session). `header` receives
 * the decoded header with its auth mode and session id.
 */
long tether_link_open(tether_link *link, const uint8_t *message, size_t length, tether_header *header);
/*
 * Handles a SESSION open (payload = tether_link_open's result). `owner_alive`: the current owner was
 * heard within its lease. On success adopts the session, takes `next_nonce` as the rig nonce and
 * returns TETHER_ACK_OK (answer with an ack sealed TETHER_AUTH_SESSION); otherwise returns the ack
 * status to send (busy and stale sealed with the device key, unauthenticated sent bare).
 */
int tether_link_accept_session(tether_link *link, const uint8_t *message, size_t payload_length,
                               const tether_header *header, int owner_alive,
                               const uint8_t next_nonce[TETHER_NONCE_SIZE]);
/* Ends the session (released, or the lease ran out); `next_nonce` becomes the rig nonce. */
void tether_link_drop(tether_link *link, const uint8_t next_nonce[TETHER_NONCE_SIZE]);

/* ---- Messages. Encoders write from out[0] and return the message length (0 if it does not fit). ---- */
int tether_decode_header(const uint8_t *message, size_t length, tether_header *header);

/* values: positions[n_joints], velocities[n_joints], torques[n_joints], imu[10] if has_imu, sensors[n_sensors] */
size_t tether_encode_state(uint8_t *out, size_t capacity, uint32_t seq, uint64_t time_us, uint32_t command_seq,
                           uint32_t flags, uint8_t n_joints, uint8_t has_imu, uint8_t n_sensors, const float *values);
/* Returns TETHER_COMMAND or a negative tether_error; NaN or infinite targets, and gains that are
   negative or not finite, are TETHER_ERR_BAD_VALUE: they never reach an actuator. */
int tether_decode_command(const uint8_t *message, size_t length, tether_command *command);
/*
 * The rig's checks on a decoded command before it applies it: sealed by the owner's session, the
 * shape its hello announced (mode, count, gains only with the pd-gains feature), and a sequence
 * number above the last one applied in this session (*last_seq is updated on success).
 * Returns 0 or TETHER_ERR_UNAUTHENTICATED / TETHER_ERR_SHAPE / TETHER_ERR_SEQUENCE.
 */
int tether_check_command(const tether_link *link, const tether_header *header, const tether_command *command,
                         uint8_t mode, uint8_t count, int gains_allowed, uint32_t *last_seq);
/* Returns the request op (any value; 1..6 are defined) or a negative tether_error; *seq receives the request's sequence number. */
int tether_decode_request(const uint8_t *message, size_t length, uint32_t *seq);
/* Returns the e-stop source or a negative tether_error. */
int tether_decode_estop(const uint8_t *message, size_t length);
size_t tether_encode_heartbeat(uint8_t *out, uint32_t seq, uint64_t time_us, uint8_t role, uint8_t lifecycle);
size_t tether_encode_estop(uint8_t *out, size_t capacity, uint32_t seq, uint64_t time_us, uint8_t source, const char *reason);
size_t tether_encode_fault(uint8_t *out, size_t capacity, uint32_t seq, uint64_t time_us, uint16_t code, const char *message);
size_t tether_encode_ack(uint8_t *out, uint32_t seq, uint64_t time_us, uint8_t acked_type, uint8_t status,
                         uint16_t retry_after_ms, uint32_t acked_seq);
size_t tether_encode_notice(uint8_t *out, size_t capacity, uint32_t seq, uint64_t time_us, uint16_t code, uint32_t count,
                            const char *message);
/* STATUS, answering REQUEST status (request_seq): seal it as the request was sealed (the owner's
   session, or the device key for a key holder who does not own the rig); `reason` empty unless latched. */
size_t tether_encode_status(uint8_t *out, size_t capacity, uint32_t seq, uint64_t time_us, uint32_t request_seq,
                            uint8_t state, uint8_t owned, uint32_t flags, uint64_t ticks, uint32_t latches,
                            uint32_t commands_applied, const char *reason);

/* Hello is built field by field (it is variable length), in the order docs/protocol.md gives. */
typedef struct {
  uint8_t *out;
  size_t capacity;
  size_t length;
  int overflow;
} tether_writer;

void tether_hello_begin(tether_writer *w, uint8_t *out, size_t capacity, uint32_t seq, uint64_t time_us,
                        uint16_t state_rate_hz, uint16_t inner_loop_hz, uint16_t min_command_hz, uint16_t max_command_hz,
                        uint8_t command_mode, uint8_t features, uint16_t watchdog_ms, const char *name);
void tether_hello_joints(tether_writer *w, uint8_t count);
void tether_hello_joint(tether_writer *w, const char *name, uint8_t type, double position_lower, double position_upper,
                        double velocity_limit, double effort_limit);
void tether_hello_sensors(tether_writer *w, uint8_t count);
void tether_hello_sensor(tether_writer *w, const char *name, const char *unit);
void tether_hello_observations(tether_writer *w, uint8_t count);
void tether_hello_observation(tether_writer *w, const char *name, const char *unit, double lower, double upper,
                              uint16_t state_index);
void tether_hello_actions(tether_writer *w, uint8_t count);
void tether_hello_action(tether_writer *w, const char *name, const char *unit, double lower, double upper, double safe,
                         double max_delta_per_tick);
/* The session part, last: the rig nonce an open must echo, the owner's session (0 = none), the lease. */
void tether_hello_session(tether_writer *w, const uint8_t rig_nonce[TETHER_NONCE_SIZE], uint32_t owner_session,
                          uint16_t lease_ms);
/* Returns the hello's length, or 0 if it overflowed `capacity` (the trailer must still fit). */
size_t tether_hello_end(tether_writer *w);

#ifdef __cplusplus
}
#endif

#endif /* TETHER_PROTOCOL_H */
