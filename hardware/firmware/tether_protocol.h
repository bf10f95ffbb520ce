/*
 * Tether wire protocol v1: reference encoder/decoder for firmware (C99, no allocation, no libc
 * beyond memcpy/memset/strlen). docs/protocol.md is the normative spec; this file follows it and is
 * tested against the runtime's TypeScript implementation (test/hardware/firmware.test.ts).
 *
 * All multi-byte fields are little-endian and written byte by byte, so the code is independent of
 * the MCU's endianness and alignment. Streamed values are IEEE-754 binary32; hello limits binary64.
 */
#ifndef TETHER_PROTOCOL_H
#define TETHER_PROTOCOL_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define TETHER_PROTOCOL_VERSION 1u
#define TETHER_HEADER_SIZE 16u
#define TETHER_MAX_MESSAGE 4096u
#define TETHER_CRC_SIZE 4u
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
  TETHER_REQUEST = 8
};

enum tether_mode { TETHER_MODE_TORQUE = 0, TETHER_MODE_POSITION = 1, TETHER_MODE_VELOCITY = 2 };
enum tether_feature { TETHER_FEATURE_IMU = 1, TETHER_FEATURE_ESTOP = 2, TETHER_FEATURE_PD_GAINS = 4, TETHER_FEATURE_WATCHDOG = 8 };
enum tether_state_flag { TETHER_STATE_ESTOP = 1, TETHER_STATE_FAULT = 2, TETHER_STATE_ACTIVE = 4 };
enum tether_request_op { TETHER_REQ_HELLO = 1, TETHER_REQ_ACTIVATE = 2, TETHER_REQ_DEACTIVATE = 3, TETHER_REQ_RECOVER = 4 };
enum tether_estop_source { TETHER_ESTOP_HOST = 0, TETHER_ESTOP_OPERATOR = 1, TETHER_ESTOP_RIG = 2 };
enum tether_fault_code { TETHER_FAULT_WATCHDOG = 1, TETHER_FAULT_SENSOR = 2, TETHER_FAULT_LIMIT = 3, TETHER_FAULT_INTERNAL = 4, TETHER_FAULT_PROTOCOL = 5 };
enum tether_ack_status { TETHER_ACK_OK = 0, TETHER_ACK_REFUSED = 1, TETHER_ACK_UNSUPPORTED = 2 };

/* Negative results of the decoders. */
enum tether_error {
  TETHER_ERR_TOO_SHORT = -1,
  TETHER_ERR_BAD_VERSION = -2,
  TETHER_ERR_UNKNOWN_TYPE = -3,
  TETHER_ERR_TRUNCATED = -4,
  TETHER_ERR_TRAILING = -5,
  TETHER_ERR_BAD_COUNT = -6,
  TETHER_ERR_BAD_STRING = -7,
  TETHER_ERR_BAD_VALUE = -8
};

typedef struct {
  uint8_t type;
  uint32_t seq;
  uint64_t time_us;
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

/* ---- Messages. Encoders write from out[0] and return the message length (0 if it does not fit). ---- */
int tether_decode_header(const uint8_t *message, size_t length, tether_header *header);

/* values: positions[n_joints], velocities[n_joints], torques[n_joints], imu[10] if has_imu, sensors[n_sensors] */
size_t tether_encode_state(uint8_t *out, size_t capacity, uint32_t seq, uint64_t time_us, uint32_t command_seq,
                           uint32_t flags, uint8_t n_joints, uint8_t has_imu, uint8_t n_sensors, const float *values);
/* Returns TETHER_COMMAND or a negative tether_error. */
int tether_decode_command(const uint8_t *message, size_t length, tether_command *command);
/* Returns the request op (1..4) or a negative tether_error; *seq receives the request's sequence number. */
int tether_decode_request(const uint8_t *message, size_t length, uint32_t *seq);
/* Returns the e-stop source or a negative tether_error. */
int tether_decode_estop(const uint8_t *message, size_t length);
size_t tether_encode_heartbeat(uint8_t *out, uint32_t seq, uint64_t time_us, uint8_t role, uint8_t lifecycle);
size_t tether_encode_estop(uint8_t *out, size_t capacity, uint32_t seq, uint64_t time_us, uint8_t source, const char *reason);
size_t tether_encode_fault(uint8_t *out, size_t capacity, uint32_t seq, uint64_t time_us, uint16_t code, const char *message);
size_t tether_encode_ack(uint8_t *out, uint32_t seq, uint64_t time_us, uint8_t acked_type, uint8_t status, uint32_t acked_seq);

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
/* Returns the hello's length, or 0 if it overflowed `capacity`. */
size_t tether_hello_end(tether_writer *w);

#ifdef __cplusplus
}
#endif

#endif /* TETHER_PROTOCOL_H */
