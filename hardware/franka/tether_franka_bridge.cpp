// The bridge a real Franka (FR3 / Panda) needs to be driven by tether: it runs on the robot's control
// PC (real-time kernel, libfranka), owns libfranka's 1 kHz loop, and speaks tether's wire protocol
// (hardware/firmware/tether_protocol.h, the same C reference the emulated rig is tested against) to
// the runtime over a serial link or a pty.
//
//   runtime (tether run, 1 kHz)  --targets + kp/kd per joint-->  bridge  --libfranka torques-->  robot
//                                <--state (q, dq, tau_J, flange)--
//
// What it does, as the emulated arm rig (configs/rig/arm.yaml) does:
//   - announces the arm like `expect: { model: arm }` expects (joint1..7 .pos/.vel, flange.x/y/z and
//     target.x/y/z sensors; actions joint1..7.target in position mode with the pd-gains feature);
//   - opens authenticated sessions with the device key (TETHER_LINK_KEY, hex) and refuses everything
//     else, exactly like the rig;
//   - inside libfranka's torque callback: τ = kp (q_d − q) − kd q̇ + coriolis(q, q̇) (the robot itself
//     compensates gravity), rate-limited with franka::limitRate against the last commanded torques
//     (as libfranka's joint_impedance_control example does); a period without a new target
//     extrapolates the last one with its velocity; kLostLimit periods without one finish the motion
//     (the robot holds on its brakes) and report communication_constraints_violation;
//   - with --cartesian, Cartesian impedance instead (command mode 3, as configs/rig/arm-cartesian.yaml):
//     actions ee.x/y/z (m) and ee.rx/ry/rz (rotation vector, rad) of the flange frame (kFlange, the
//     frame the runtime and the emulated rig command: a hand's F_T_EE lies beyond it)
//     in the base frame, kp/kd per axis; τ = Jᵀ (K e − D J q̇) + (I − Jᵀ (J Jᵀ + λ² I)⁻¹ J)(−d q̇)
//     + coriolis with libfranka's own model (zeroJacobian and pose at kFlange), e = the position error and
//     rotvec(R_target R_EEᵀ), as libfranka's cartesian_impedance_control computes it; a period
//     without a new pose holds the last one (nothing is extrapolated); the same rate limit and
//     lost-target count;
//   - the robot's collision thresholds and libfranka's limits stay active: a reflex ends the control
//     loop with franka::ControlException, which is reported as a fault; a recover request from the
//     owner runs automaticErrorRecovery().
//
// Build where libfranka is installed: see CMakeLists.txt. libfranka >= 0.10 drives a Franka Research 3
// (its joint limits are announced); 0.9.x a Panda (CMakeLists.txt defines TETHER_FRANKA_PANDA). Only
// checked for syntax against libfranka's real headers (check-headers.sh; docs/legged-and-arms.md): not
// linked or run here (no libfranka, no robot), so treat it as a reference to adapt, not as tested code.
//
//   tether_franka_bridge <robot-ip> <serial-device> [--cartesian] [target_x target_y target_z]

#include <franka/exception.h>
#include <franka/model.h>
#include <franka/rate_limiting.h>
#include <franka/robot.h>

#include <fcntl.h>
#include <termios.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <random>
#include <stdexcept>
#include <string>
#include <thread>

#include "tether_protocol.h"

namespace {

constexpr int kJoints = 7;
constexpr unsigned kLostLimit = 20;  // periods without a target before the motion is finished
constexpr uint16_t kLeaseMs = 1000;
#ifdef TETHER_FRANKA_PANDA
// Panda joint limits (Franka's datasheet; the same values as sim/models/arm.xml). libfranka <= 0.9.x.
constexpr std::array<double, kJoints> kQMin{{-2.8973, -1.7628, -2.8973, -3.0718, -2.8973, -0.0175, -2.8973}};
constexpr std::array<double, kJoints> kQMax{{2.8973, 1.7628, 2.8973, -0.0698, 2.8973, 3.7525, 2.8973}};
constexpr std::array<double, kJoints> kDqMax{{2.175, 2.175, 2.175, 2.175, 2.61, 2.61, 2.61}};
#else
// Franka Research 3 joint limits, libfranka >= 0.10 (libfranka's test/fr3.urdf; the velocity maxima
// are the caps of franka::computeUpperLimitsJointVelocity, which narrows them near the position limits).
constexpr std::array<double, kJoints> kQMin{{-2.7437, -1.7837, -2.9007, -3.0421, -2.8065, 0.5445, -3.0159}};
constexpr std::array<double, kJoints> kQMax{{2.7437, 1.7837, 2.9007, -0.1518, 2.8065, 4.5169, 3.0159}};
constexpr std::array<double, kJoints> kDqMax{{2.62, 2.62, 2.62, 2.62, 5.26, 4.18, 5.26}};
#endif
constexpr std::array<double, kJoints> kTauMax{{87, 87, 87, 87, 12, 12, 12}};
// libfranka's example collision thresholds (N*m per joint, N / N*m Cartesian).
constexpr std::array<double, kJoints> kCollisionTorque{{20, 20, 18, 18, 16, 14, 12}};
constexpr std::array<double, 6> kCollisionForce{{20, 20, 20, 25, 25, 25}};
// Cartesian mode: the workspace announced for ee.x/y/z (the arm's reach above its base), m; the
// nullspace joint damping, N*m*s/rad; λ² of the projector's damped inverse.
constexpr std::array<double, 3> kWorkspaceMin{{-0.855, -0.855, 0.0}};
constexpr std::array<double, 3> kWorkspaceMax{{0.855, 0.855, 1.19}};
constexpr double kNullspaceDamping = 1.0;
constexpr double kLambda2 = 1e-6;
constexpr int kAxes = 6;
// Gains that hold the arm until the first command brings its own (the emulated rig's kp/kd):
// libfranka's joint impedance example, and its Cartesian impedance example (150 N/m, 10 N*m/rad,
// D = 2 sqrt K).
constexpr std::array<double, kJoints> kHoldKp{{600, 600, 600, 600, 250, 150, 50}};
constexpr std::array<double, kJoints> kHoldKd{{50, 50, 50, 20, 20, 20, 10}};
constexpr std::array<double, kAxes> kHoldCartesianKp{{150, 150, 150, 10, 10, 10}};
constexpr std::array<double, kAxes> kHoldCartesianKd{{24.49, 24.49, 24.49, 6.32, 6.32, 6.32}};

/** The newest accepted command, handed from the link thread to the 1 kHz callback. */
struct Command {
  std::array<double, kJoints> target{};
  std::array<double, kJoints> kp{};
  std::array<double, kJoints> kd{};
  uint32_t seq = 0;
};

/** The newest robot state, handed from the callback to the link thread. */
struct Snapshot {
  std::array<double, kJoints> q{}, dq{}, tau{};
  std::array<double, 3> flange{};
  uint64_t time_us = 0;
  uint32_t applied_seq = 0;
};

std::mutex command_mutex, state_mutex;
Command command;
Snapshot snapshot;
std::atomic<bool> active{false}, latched{false}, recover_requested{false}, running{true};
std::array<double, 3> reach_target{{0.45, 0.0, 0.45}};
bool cartesian = false;  // --cartesian: command mode 3 (Cartesian impedance) instead of 1

tether_link link_state;
tether_frame_decoder decoder;
uint8_t message[TETHER_MAX_MESSAGE + TETHER_CRC_SIZE];
uint8_t frame[TETHER_MAX_FRAME];
uint32_t tx_seq = 1, last_command_seq = 0;
std::chrono::steady_clock::time_point owner_heard;
int port = -1;
std::mutex tx_mutex;

void random_nonce(uint8_t out[TETHER_NONCE_SIZE]) {
  std::random_device rd;  // the OS entropy source on Linux
  for (unsigned i = 0; i < TETHER_NONCE_SIZE; i++) out[i] = static_cast<uint8_t>(rd());
}

void send(size_t length, unsigned mode) {
  std::lock_guard<std::mutex> lock(tx_mutex);
  size_t sealed = tether_link_seal(&link_state, message, length, mode);
  size_t n = tether_frame(message, sealed, frame);
  if (::write(port, frame, n) < 0) std::perror("write");
}

uint64_t now_us() {
  using namespace std::chrono;
  return duration_cast<microseconds>(steady_clock::now().time_since_epoch()).count();
}

void send_hello(unsigned mode) {
  tether_writer w;
  tether_hello_begin(&w, message, sizeof message, tx_seq++, now_us(), 1000, 1000, 1, 1000,
                     cartesian ? TETHER_MODE_CARTESIAN : TETHER_MODE_POSITION,
                     TETHER_FEATURE_ESTOP | TETHER_FEATURE_WATCHDOG | TETHER_FEATURE_PD_GAINS, 100, "arm");
  char name[32], unit_name[32];
  tether_hello_joints(&w, kJoints);
  for (int i = 0; i < kJoints; i++) {
    std::snprintf(name, sizeof name, "joint%d", i + 1);
    tether_hello_joint(&w, name, 0, kQMin[i], kQMax[i], kDqMax[i], kTauMax[i]);
  }
  // State values: q[7], dq[7], tau[7], then the sensors: flange.x/y/z, target.x/y/z.
  const char *sensors[6] = {"flange.x", "flange.y", "flange.z", "target.x", "target.y", "target.z"};
  tether_hello_sensors(&w, 6);
  for (auto *s : sensors) tether_hello_sensor(&w, s, "m");
  tether_hello_observations(&w, 2 * kJoints + 6);
  for (int i = 0; i < kJoints; i++) {
    std::snprintf(name, sizeof name, "joint%d.pos", i + 1);
    tether_hello_observation(&w, name, "rad", kQMin[i], kQMax[i], static_cast<uint16_t>(i));
  }
  for (int i = 0; i < kJoints; i++) {
    std::snprintf(name, sizeof name, "joint%d.vel", i + 1);
    tether_hello_observation(&w, name, "rad/s", -kDqMax[i], kDqMax[i], static_cast<uint16_t>(kJoints + i));
  }
  for (int k = 0; k < 6; k++)
    tether_hello_observation(&w, sensors[k], "m", -INFINITY, INFINITY, static_cast<uint16_t>(3 * kJoints + k));
  if (cartesian) {
    // The end-effector pose (docs/protocol.md §3.3.1); the safe values only have to be valid targets.
    const char *axes[kAxes] = {"ee.x", "ee.y", "ee.z", "ee.rx", "ee.ry", "ee.rz"};
    tether_hello_actions(&w, kAxes);
    for (int k = 0; k < 3; k++)
      tether_hello_action(&w, axes[k], "m", kWorkspaceMin[k], kWorkspaceMax[k],
                          std::fmin(std::fmax(0.0, kWorkspaceMin[k]), kWorkspaceMax[k]), INFINITY);
    for (int k = 3; k < kAxes; k++) tether_hello_action(&w, axes[k], "rad", -M_PI, M_PI, 0.0, INFINITY);
  } else {
    tether_hello_actions(&w, kJoints);
    for (int i = 0; i < kJoints; i++) {
      std::snprintf(unit_name, sizeof unit_name, "joint%d.target", i + 1);
      double safe = std::fmin(std::fmax(0.0, kQMin[i]), kQMax[i]);
      tether_hello_action(&w, unit_name, "rad", kQMin[i], kQMax[i], safe, INFINITY);
    }
  }
  tether_hello_session(&w, link_state.rig_nonce, link_state.session_id, kLeaseMs);
  send(tether_hello_end(&w), mode);
}

void send_fault(uint16_t code, const char *what) {
  send(tether_encode_fault(message, sizeof message, tx_seq++, now_us(), code, what), TETHER_AUTH_SESSION);
}

void send_ack(uint8_t type, uint8_t status, uint32_t acked_seq, unsigned mode) {
  send(tether_encode_ack(message, tx_seq++, now_us(), type, status, 0, acked_seq), mode);
}

bool from_owner(const tether_header &h) {
  return h.auth == TETHER_AUTH_SESSION && h.session != 0 && h.session == link_state.session_id;
}

/** One message from the runtime, verified by the link; what the emulated rig does with it. */
void on_message(uint8_t *m, size_t length) {
  static tether_command c;
  tether_header h;
  long payload = tether_link_open(&link_state, m, length, &h);
  if (payload < 0) return;  // forged, replayed, foreign: counted by the link, never applied
  auto n = static_cast<size_t>(payload);
  switch (h.type) {
    case TETHER_SESSION: {
      uint8_t next[TETHER_NONCE_SIZE];
      random_nonce(next);
      bool owner_alive = std::chrono::steady_clock::now() - owner_heard < std::chrono::milliseconds(kLeaseMs);
      int status = tether_link_accept_session(&link_state, m, n, &h, owner_alive, next);
      if (status == TETHER_ACK_OK) {
        last_command_seq = 0;
        owner_heard = std::chrono::steady_clock::now();
      }
      send_ack(TETHER_SESSION, static_cast<uint8_t>(status), h.seq,
               status == TETHER_ACK_OK ? TETHER_AUTH_SESSION
               : status == TETHER_ACK_UNAUTHENTICATED ? TETHER_AUTH_NONE
                                                      : TETHER_AUTH_DEVICE);
      return;
    }
    case TETHER_COMMAND: {
      c.header = h;
      if (tether_decode_command(m, n, &c) < 0) return;
      // The announced mode and count only: a command of the other mode is refused as the wrong shape.
      uint8_t mode = cartesian ? TETHER_MODE_CARTESIAN : TETHER_MODE_POSITION;
      uint8_t count = cartesian ? kAxes : kJoints;
      if (tether_check_command(&link_state, &h, &c, mode, count, 1, &last_command_seq) < 0) return;
      owner_heard = std::chrono::steady_clock::now();
      if (!active.load() || latched.load()) return;  // inactive or latched: ignored, not saved
      std::lock_guard<std::mutex> lock(command_mutex);
      for (int i = 0; i < count; i++) {
        command.target[i] = c.target[i];
        if (c.has_gains) {
          command.kp[i] = c.kp[i];
          command.kd[i] = c.kd[i];
        }
      }
      command.seq = h.seq;
      return;
    }
    case TETHER_REQUEST: {
      uint32_t seq = 0;
      int op = tether_decode_request(m, n, &seq);
      if (op == TETHER_REQ_HELLO) {
        send_hello(from_owner(h) ? TETHER_AUTH_SESSION : TETHER_AUTH_DEVICE);
        return;
      }
      if (op < 0 || !from_owner(h)) return;
      owner_heard = std::chrono::steady_clock::now();
      uint8_t status = TETHER_ACK_OK;
      if (op == TETHER_REQ_ACTIVATE) {
        if (latched.load()) status = TETHER_ACK_REFUSED;
        else {
          // A new activation starts from no target (the callback holds where the arm is) with the
          // hold gains: never the last run's target, say the pose a reflex stopped it short of.
          std::lock_guard<std::mutex> lock(command_mutex);
          command = Command{};
          for (int i = 0; i < kJoints; i++) {
            command.kp[i] = cartesian ? (i < kAxes ? kHoldCartesianKp[i] : 0.0) : kHoldKp[i];
            command.kd[i] = cartesian ? (i < kAxes ? kHoldCartesianKd[i] : 0.0) : kHoldKd[i];
          }
          active = true;
        }
      } else if (op == TETHER_REQ_DEACTIVATE || op == TETHER_REQ_RELEASE) {
        active = false;
      } else if (op == TETHER_REQ_RECOVER) {
        recover_requested = true;  // the control thread runs automaticErrorRecovery()
      }
      send_ack(TETHER_REQUEST, status, seq, TETHER_AUTH_SESSION);
      if (op == TETHER_REQ_RELEASE) {
        uint8_t next[TETHER_NONCE_SIZE];
        random_nonce(next);
        tether_link_drop(&link_state, next);
      }
      return;
    }
    case TETHER_ESTOP:
      // Anyone may stop.
      if (tether_decode_estop(m, n) >= 0) latched = true;
      return;
    case TETHER_HEARTBEAT:
      if (from_owner(h)) owner_heard = std::chrono::steady_clock::now();
      return;
    default:
      return;
  }
}

/** The link thread: reads frames, streams states at 1 kHz from the newest snapshot. */
void link_loop() {
  uint8_t bytes[512];
  auto next_state = std::chrono::steady_clock::now();
  uint32_t state_seq = 1;
  while (running.load()) {
    ssize_t got = ::read(port, bytes, sizeof bytes);  // the port is non-blocking
    for (ssize_t i = 0; i < got; i++) {
      size_t length = tether_frame_push(&decoder, bytes[i]);
      if (length > 0) on_message(decoder.buffer, length);
    }
    auto now = std::chrono::steady_clock::now();
    if (now >= next_state && link_state.session_id != 0) {
      next_state += std::chrono::milliseconds(1);
      Snapshot s;
      {
        std::lock_guard<std::mutex> lock(state_mutex);
        s = snapshot;
      }
      float values[3 * kJoints + 6];
      for (int i = 0; i < kJoints; i++) {
        values[i] = static_cast<float>(s.q[i]);
        values[kJoints + i] = static_cast<float>(s.dq[i]);
        values[2 * kJoints + i] = static_cast<float>(s.tau[i]);
      }
      for (int k = 0; k < 3; k++) {
        values[3 * kJoints + k] = static_cast<float>(s.flange[k]);
        values[3 * kJoints + 3 + k] = static_cast<float>(reach_target[k]);
      }
      uint32_t flags = (latched.load() ? TETHER_STATE_FAULT : 0) | (active.load() && !latched.load() ? TETHER_STATE_ACTIVE : 0);
      send(tether_encode_state(message, sizeof message, state_seq++, s.time_us, s.applied_seq, flags, kJoints, 0, 6, values),
           TETHER_AUTH_SESSION);
    }
    std::this_thread::sleep_for(std::chrono::microseconds(100));
  }
}

/** Rodrigues: the rotation matrix (row-major) of rotation vector v. */
std::array<double, 9> rotation_from_vector(double x, double y, double z) {
  double angle = std::sqrt(x * x + y * y + z * z);
  double s = angle < 1e-8 ? 1.0 : std::sin(angle) / angle;
  double c = angle < 1e-8 ? 0.5 : (1.0 - std::cos(angle)) / (angle * angle);
  return {{1 - c * (y * y + z * z), c * x * y - s * z, c * x * z + s * y,  //
           c * x * y + s * z, 1 - c * (x * x + z * z), c * y * z - s * x,  //
           c * x * z - s * y, c * y * z + s * x, 1 - c * (x * x + y * y)}};
}

/** The rotation vector (angle in [0, π]) of a row-major rotation matrix (Shepperd's quaternion). */
std::array<double, 3> vector_from_rotation(const std::array<double, 9> &r) {
  double w, x, y, z, trace = r[0] + r[4] + r[8];
  if (trace > 0) {
    double s = 2 * std::sqrt(trace + 1);
    w = 0.25 * s, x = (r[7] - r[5]) / s, y = (r[2] - r[6]) / s, z = (r[3] - r[1]) / s;
  } else if (r[0] > r[4] && r[0] > r[8]) {
    double s = 2 * std::sqrt(1 + r[0] - r[4] - r[8]);
    w = (r[7] - r[5]) / s, x = 0.25 * s, y = (r[1] + r[3]) / s, z = (r[2] + r[6]) / s;
  } else if (r[4] > r[8]) {
    double s = 2 * std::sqrt(1 + r[4] - r[0] - r[8]);
    w = (r[2] - r[6]) / s, x = (r[1] + r[3]) / s, y = 0.25 * s, z = (r[5] + r[7]) / s;
  } else {
    double s = 2 * std::sqrt(1 + r[8] - r[0] - r[4]);
    w = (r[3] - r[1]) / s, x = (r[2] + r[6]) / s, y = (r[5] + r[7]) / s, z = 0.25 * s;
  }
  if (w < 0) w = -w, x = -x, y = -y, z = -z;
  double n = std::sqrt(x * x + y * y + z * z);
  double scale = n < 1e-12 ? 2.0 : 2.0 * std::atan2(n, w) / n;
  return {{scale * x, scale * y, scale * z}};
}

/** A frame's pose (x, y, z, rotation vector) from its column-major 4x4 transform, base frame. */
std::array<double, kAxes> pose_of(const std::array<double, 16> &t) {
  std::array<double, 9> r{};
  for (int i = 0; i < 3; i++)
    for (int j = 0; j < 3; j++) r[3 * i + j] = t[4 * j + i];
  std::array<double, 3> v = vector_from_rotation(r);
  return {{t[12], t[13], t[14], v[0], v[1], v[2]}};
}

/**
 * Cartesian impedance for pose target x_d with per-axis gains: Jᵀ (K e − D J q̇) plus joint damping in
 * the nullspace, (I − Jᵀ (J Jᵀ + λ² I)⁻¹ J)(−d q̇); J = zeroJacobian(kFlange), column-major 6×7
 * (rows: linear velocity, then angular velocity, base frame). Gravity is the robot's; coriolis is added
 * by the caller.
 */
std::array<double, kJoints> cartesian_torque(const franka::RobotState &state, const franka::Model &model,
                                             const std::array<double, 16> &t,
                                             const std::array<double, kAxes> &x_d, const Command &c) {
  std::array<double, 42> jac = model.zeroJacobian(franka::Frame::kFlange, state);
  auto J = [&](int r, int i) { return jac[6 * i + r]; };
  std::array<double, kAxes> e{};
  for (int k = 0; k < 3; k++) e[k] = x_d[k] - t[12 + k];
  std::array<double, 9> r_d = rotation_from_vector(x_d[3], x_d[4], x_d[5]), r_err{};
  // R_d R_flangeᵀ; R_flange(i, j) = t[4 j + i].
  for (int i = 0; i < 3; i++)
    for (int j = 0; j < 3; j++) {
      double sum = 0;
      for (int k = 0; k < 3; k++) sum += r_d[3 * i + k] * t[4 * k + j];
      r_err[3 * i + j] = sum;
    }
  std::array<double, 3> rot = vector_from_rotation(r_err);
  for (int k = 0; k < 3; k++) e[3 + k] = rot[k];
  std::array<double, kAxes> wrench{}, w{}, z{};
  std::array<double, kJoints> y{}, tau{};
  for (int i = 0; i < kJoints; i++) y[i] = -kNullspaceDamping * state.dq[i];
  std::array<double, kAxes * kAxes> a{};
  for (int r = 0; r < kAxes; r++) {
    double v = 0, projected = 0;
    for (int i = 0; i < kJoints; i++) {
      v += J(r, i) * state.dq[i];
      projected += J(r, i) * y[i];
    }
    wrench[r] = c.kp[r] * e[r] - c.kd[r] * v;
    w[r] = projected;
    for (int col = 0; col < kAxes; col++) {
      double sum = r == col ? kLambda2 : 0.0;
      for (int i = 0; i < kJoints; i++) sum += J(r, i) * J(col, i);
      a[kAxes * r + col] = sum;
    }
  }
  // Cholesky of J Jᵀ + λ² I (lower triangle), then L Lᵀ z = w.
  for (int j = 0; j < kAxes; j++) {
    double d = a[kAxes * j + j];
    for (int k = 0; k < j; k++) d -= a[kAxes * j + k] * a[kAxes * j + k];
    double l = std::sqrt(std::fmax(d, 1e-300));
    a[kAxes * j + j] = l;
    for (int i = j + 1; i < kAxes; i++) {
      double sum = a[kAxes * i + j];
      for (int k = 0; k < j; k++) sum -= a[kAxes * i + k] * a[kAxes * j + k];
      a[kAxes * i + j] = sum / l;
    }
  }
  for (int i = 0; i < kAxes; i++) {
    double sum = w[i];
    for (int k = 0; k < i; k++) sum -= a[kAxes * i + k] * z[k];
    z[i] = sum / a[kAxes * i + i];
  }
  for (int i = kAxes - 1; i >= 0; i--) {
    double sum = z[i];
    for (int k = i + 1; k < kAxes; k++) sum -= a[kAxes * k + i] * z[k];
    z[i] = sum / a[kAxes * i + i];
  }
  for (int i = 0; i < kJoints; i++) {
    double sum = y[i];
    for (int r = 0; r < kAxes; r++) sum += J(r, i) * (wrench[r] - z[r]);
    tau[i] = sum;
  }
  return tau;
}

/** libfranka's 1 kHz loop: joint impedance on the newest targets, until latched or deactivated. */
void control(franka::Robot &robot, franka::Model &model) {
  std::array<double, kJoints> q_d{}, v_d{}, last_target{};
  std::array<double, kAxes> x_d{};  // cartesian: the pose target
  uint32_t last_seq = 0;
  unsigned lost = 0;
  uint64_t time_us = 0;
  Command c;
  robot.control(
      [&](const franka::RobotState &state, franka::Duration period) -> franka::Torques {
        time_us += period.toMSec() * 1000u;
        // Never block the 1 kHz callback on the link thread: while it holds the lock, this period
        // keeps the command it had (libfranka's examples share data with the callback the same way).
        if (command_mutex.try_lock()) {
          c = command;
          command_mutex.unlock();
        }
        // The flange's pose: what the runtime and the emulated rig command and observe (O_T_EE is a
        // hand's frame, F_T_EE beyond it).
        const std::array<double, 16> flange = model.pose(franka::Frame::kFlange, state);
        if (last_seq == 0 && c.seq == 0) {  // hold where the arm is until the first target
          q_d = state.q;
          x_d = pose_of(flange);
        }
        double dt = period.toSec() > 0 ? period.toSec() : 0.001;
        if (c.seq != last_seq && cartesian) {
          for (int k = 0; k < kAxes; k++) x_d[k] = c.target[k];
          last_seq = c.seq;
          lost = 0;
        } else if (c.seq != last_seq) {
          for (int i = 0; i < kJoints; i++) {
            v_d[i] = last_seq == 0 ? 0.0 : (c.target[i] - last_target[i]) / dt;
            q_d[i] = c.target[i];
          }
          last_target = c.target;
          last_seq = c.seq;
          lost = 0;
        } else if (last_seq != 0) {
          // A lost target: continue the motion, as Franka's own motion generators are extrapolated;
          // a lost pose target is held.
          if (!cartesian)
            for (int i = 0; i < kJoints; i++) q_d[i] += v_d[i] * dt;
          // A period longer than 1 ms (packets the robot lost) counts every millisecond it spans.
          lost += period.toMSec() > 0 ? static_cast<unsigned>(period.toMSec()) : 1u;
          if (lost >= kLostLimit) {
            latched = true;
            send_fault(TETHER_FAULT_WATCHDOG, "communication_constraints_violation: 20 periods without a target");
          }
        }
        std::array<double, kJoints> coriolis = model.coriolis(state);
        std::array<double, kJoints> tau{};
        if (cartesian) {
          tau = cartesian_torque(state, model, flange, x_d, c);
          for (int i = 0; i < kJoints; i++) tau[i] += coriolis[i];
        } else {
          for (int i = 0; i < kJoints; i++)
            tau[i] = c.kp[i] * (q_d[i] - state.q[i]) - c.kd[i] * state.dq[i] + coriolis[i];
        }
        // libfranka's torque-rate limit against the last commanded torques.
        tau = franka::limitRate(franka::kMaxTorqueRate, tau, state.tau_J_d);
        // The link thread streams the newest snapshot; a period whose lock is taken skips one.
        if (state_mutex.try_lock()) {
          snapshot.q = state.q;
          snapshot.dq = state.dq;
          snapshot.tau = state.tau_J;
          // A column-major 4x4 pose: the translation is elements 12..14.
          snapshot.flange = {flange[12], flange[13], flange[14]};
          snapshot.time_us = time_us;
          snapshot.applied_seq = last_seq;
          state_mutex.unlock();
        }
        franka::Torques out(tau);
        // Latched or deactivated: finish the motion; the robot holds on its brakes.
        if (latched.load() || !active.load()) return franka::MotionFinished(out);
        return out;
      },
      // limit_rate off: the callback applies franka::limitRate itself (libfranka's default since
      // 0.10, on before it); libfranka's default first-order low-pass filter on the torques stays.
      false, franka::kDefaultCutoffFrequency);
}

}  // namespace

int main(int argc, char **argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s <robot-ip> <serial-device> [--cartesian] [target_x target_y target_z]\n",
                 argv[0]);
    return 2;
  }
  int first = 3;
  if (argc > 3 && std::strcmp(argv[3], "--cartesian") == 0) {
    cartesian = true;
    first = 4;
  }
  if (argc >= first + 3)
    reach_target = {std::atof(argv[first]), std::atof(argv[first + 1]), std::atof(argv[first + 2])};
  const char *key_hex = std::getenv("TETHER_LINK_KEY");
  if (key_hex == nullptr) {
    std::fprintf(stderr, "TETHER_LINK_KEY (hex) is not set\n");
    return 2;
  }
  uint8_t key[64];
  size_t key_length = std::strlen(key_hex) / 2;
  if (key_length == 0 || key_length > sizeof key) return 2;
  for (size_t i = 0; i < key_length; i++) key[i] = static_cast<uint8_t>(std::stoul(std::string(key_hex + 2 * i, 2), nullptr, 16));
  uint8_t nonce[TETHER_NONCE_SIZE];
  random_nonce(nonce);
  tether_link_init(&link_state, key, key_length, nonce);
  tether_frame_decoder_init(&decoder);

  port = ::open(argv[2], O_RDWR | O_NOCTTY | O_NONBLOCK);
  if (port < 0) {
    std::perror(argv[2]);
    return 1;
  }
  termios tio{};
  tcgetattr(port, &tio);
  cfmakeraw(&tio);
  tcsetattr(port, TCSANOW, &tio);
  send_hello(TETHER_AUTH_DEVICE);
  std::thread link(link_loop);

  try {
    franka::Robot robot(argv[1]);
    robot.setCollisionBehavior(kCollisionTorque, kCollisionTorque, kCollisionForce, kCollisionForce);
    franka::Model model = robot.loadModel();
    while (running.load()) {
      if (recover_requested.exchange(false)) {
        robot.automaticErrorRecovery();
        latched = false;
        active = false;
      }
      if (!active.load() || latched.load()) {
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
        continue;
      }
      try {
        control(robot, model);
      } catch (const franka::ControlException &e) {
        // A reflex or a limit: the robot stopped. Report it; the owner must recover.
        latched = true;
        send_fault(TETHER_FAULT_LIMIT, e.what());
      } catch (const std::invalid_argument &e) {
        // libfranka refuses non-finite torques (and limitRate non-finite input): stop, report.
        latched = true;
        send_fault(TETHER_FAULT_LIMIT, e.what());
      }
    }
  } catch (const franka::Exception &e) {
    std::fprintf(stderr, "%s\n", e.what());
    running = false;
  }
  link.join();
  return 0;
}
