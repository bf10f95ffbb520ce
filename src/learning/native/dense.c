/*
 * The three dense products of MLP training, for the native training engine (native-engine.ts):
 *
 *   forward          Y  = X · Wᵀ + b         (rows×out, from X rows×in and W out×in)
 *   backwardInput    dX = Δ · W              (rows×in)
 *   backwardWeights  dW += Δᵀ · X,  db += Σ_rows Δ
 *
 * The engine's arrays are float64 (Adam, Polyak averaging and checkpoints stay engine-independent);
 * the products run in float32, as GPU and PyTorch CPU training do, because float32 SIMD does twice
 * the work per instruction. Each product packs its operands into float32 panels (A in MR-row panels,
 * B in NR-column panels, zero-padded), multiplies whole MR×NR tiles with SIMD accumulators held in
 * registers, and writes each tile's valid part back to float64. Packing and conversion are
 * O(m·k + k·n); the product is O(m·n·k).
 *
 * With OpenMP the packing and the tiles of a large product are shared between threads (one thread
 * until setThreads asks for more); each output is still summed by one thread in the same order, so
 * results are deterministic for a given compiler and machine, whatever the thread count. Compiled on
 * the user's machine with -O3 -march=native by native-engine.ts; plain C with GCC/Clang vector
 * extensions.
 */
#include <math.h>
#ifdef _OPENMP
#include <omp.h>
#endif
#include <node_api.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#if defined(__AVX512F__)
#define VECTOR_BYTES 64
#else
#define VECTOR_BYTES 32
#endif
#define VW (VECTOR_BYTES / 4)
#define MR 8
#define NR (2 * VW)

typedef float vf __attribute__((vector_size(VECTOR_BYTES), aligned(4)));

/* Per-thread packing buffers, grown on demand and kept: no allocation once warm. */
typedef struct {
  float *data;
  size_t capacity;
} Scratch;
static _Thread_local Scratch scratch_a;
static _Thread_local Scratch scratch_b;

static float *scratch_reserve(Scratch *s, size_t floats) {
  if (floats <= s->capacity) return s->data;
  size_t bytes = ((floats * sizeof(float)) + 63) & ~(size_t)63;
  float *grown = aligned_alloc(64, bytes);
  if (grown == NULL) return NULL;
  free(s->data);
  s->data = grown;
  s->capacity = bytes / sizeof(float);
  return grown;
}

/*
 * A (m×k, element (i,p) at src[i*row + p*step]) into MR-row panels: panel t holds k columns of MR
 * (the caller zeroes the rows past m). The loops follow the source's contiguous direction (the panel is small enough
 * for the cache; the source may not be).
 */
static void pack_a(int m, int k, const double *src, long row, long step, float *dst) {
  if (step == 1) {
#pragma omp for schedule(static) nowait
    for (int i = 0; i < m; i++) {
      float *panel = dst + (size_t)(i / MR) * MR * k + i % MR;
      const double *from = src + (long)i * row;
      for (int p = 0; p < k; p++) panel[(size_t)p * MR] = (float)from[p];
    }
  } else {
#pragma omp for schedule(static) nowait
    for (int p = 0; p < k; p++) {
      const double *from = src + (long)p * step;
      for (int i = 0; i < m; i++) dst[(size_t)(i / MR) * MR * k + (size_t)p * MR + i % MR] = (float)from[(long)i * row];
    }
  }
}

/* B (k×n, element (p,j) at src[p*row + j*step]) into NR-column panels: panel q holds k rows of NR. */
static void pack_b(int k, int n, const double *src, long row, long step, float *dst) {
  if (row == 1) {
#pragma omp for schedule(static) nowait
    for (int j = 0; j < n; j++) {
      float *panel = dst + (size_t)(j / NR) * NR * k + j % NR;
      const double *from = src + (long)j * step;
      for (int p = 0; p < k; p++) panel[(size_t)p * NR] = (float)from[p];
    }
  } else {
#pragma omp for schedule(static) nowait
    for (int p = 0; p < k; p++) {
      const double *from = src + (long)p * row;
      for (int j = 0; j < n; j++) dst[(size_t)(j / NR) * NR * k + (size_t)p * NR + j % NR] = (float)from[(long)j * step];
    }
  }
}

/* tile = A panel (MR×k) · B panel (k×NR). */
static void tile_product(int k, const float *a, const float *b, float tile[MR][NR]) {
  vf sum[MR][2];
  for (int r = 0; r < MR; r++) {
    sum[r][0] = (vf){0};
    sum[r][1] = (vf){0};
  }
  for (int p = 0; p < k; p++) {
    vf b0, b1;
    memcpy(&b0, b, sizeof b0);
    memcpy(&b1, b + VW, sizeof b1);
    for (int r = 0; r < MR; r++) {
      float ar = a[r];
      sum[r][0] += ar * b0;
      sum[r][1] += ar * b1;
    }
    a += MR;
    b += NR;
  }
  for (int r = 0; r < MR; r++) {
    memcpy(&tile[r][0], &sum[r][0], sizeof sum[r][0]);
    memcpy(&tile[r][VW], &sum[r][1], sizeof sum[r][1]);
  }
}

/* How a product's tile is written back: the layer's activation (forward) or its derivative (backward). */
enum { IDENTITY = 0, RELU = 1, TANH = 2 };

typedef struct {
  const double *bias;      /* forward: added before the activation */
  int accumulate;          /* C += A·B (weight gradients) */
  int activation;          /* forward: apply it; backward: multiply by its derivative */
  double slope;            /* ReLU's slope below zero (0: plain ReLU) */
  const double *activated; /* backward: the activation's output, read for its derivative */
} Epilogue;

/*
 * Forward: y = σ(z) with z = tile + bias. A plain ReLU writes 0 rather than 0·z (no −0).
 * Backward: dL/dz = g·σ'(z), read from a = σ(z): for a positive slope a ≤ 0 exactly when z ≤ 0,
 * where the subgradient is the slope; tanh' = 1 − a². Same rules as the TypeScript kernels.
 */
static void write_row(const float *restrict tile, int cols, double *restrict out,
                      const double *restrict activated, const Epilogue *e, int j0) {
  /* Every branch on the data is a select the compiler can vectorise: a ReLU's sign is a coin flip
   * per element, which as a jump costs more than the product it follows. */
  const double slope = e->slope;
  if (e->accumulate) {
    for (int t = 0; t < cols; t++) out[t] += tile[t];
  } else if (e->bias != NULL) {
    const double *restrict bias = e->bias + j0;
    if (e->activation == RELU && slope == 0) {
      for (int t = 0; t < cols; t++) {
        double v = tile[t] + bias[t];
        out[t] = v < 0 ? 0.0 : v; /* NaN passes through */
      }
    } else if (e->activation == RELU) {
      for (int t = 0; t < cols; t++) {
        double v = tile[t] + bias[t];
        out[t] = v < 0 ? v * slope : v;
      }
    } else if (e->activation == TANH) {
      for (int t = 0; t < cols; t++) out[t] = tanh(tile[t] + bias[t]);
    } else {
      for (int t = 0; t < cols; t++) out[t] = tile[t] + bias[t];
    }
  } else if (activated != NULL && e->activation == RELU) {
    /* σ' is the slope where a ≤ 0 and 1 elsewhere (NaN included), as a factor rather than a jump.
     * (Only an infinite gradient behind a closed ReLU differs from the TypeScript kernels: NaN, not 0.) */
    for (int t = 0; t < cols; t++) {
      double closed = activated[t] <= 0;
      out[t] = tile[t] * (closed * slope + (1 - closed));
    }
  } else if (activated != NULL && e->activation == TANH) {
    for (int t = 0; t < cols; t++) out[t] = tile[t] * (1 - activated[t] * activated[t]);
  } else {
    for (int t = 0; t < cols; t++) out[t] = tile[t];
  }
}

/* C (m×n, row-major float64) from the packed A and B, written through the epilogue; tiles apart. */
static void product(int m, int n, int k, const float *a, const float *b, double *c, const Epilogue *e) {
  const int row_panels = (m + MR - 1) / MR;
  const int tiles = row_panels * ((n + NR - 1) / NR);
#pragma omp for schedule(static)
  for (int t = 0; t < tiles; t++) {
    /* Column panel outer: a thread's consecutive tiles share one panel of B. */
    int j0 = (t / row_panels) * NR;
    int i0 = (t % row_panels) * MR;
    float tile[MR][NR];
    tile_product(k, a + (long)(i0 / MR) * k * MR, b + (long)(j0 / NR) * k * NR, tile);
    int cols = n - j0 < NR ? n - j0 : NR;
    int rows = m - i0 < MR ? m - i0 : MR;
    for (int r = 0; r < rows; r++) {
      long at = (long)(i0 + r) * n + j0;
      const double *activated = e->bias == NULL && e->activation != IDENTITY ? e->activated + at : NULL;
      write_row(tile[r], cols, c + at, activated, e, j0);
    }
  }
}

/*
 * A product with a side of a few elements (a critic's single output, the gradient into it): the
 * panels would be mostly padding, so each output is summed straight from the float64 operands, in
 * float32 like the panels, and written through the same epilogue.
 */
static void thin_product(int m, int n, int k, const double *a, long a_row, long a_step, const double *b,
                         long b_row, long b_step, double *c, const Epilogue *e) {
  float row[NR];
  for (int i = 0; i < m; i++) {
    for (int j0 = 0; j0 < n; j0 += NR) {
      int cols = n - j0 < NR ? n - j0 : NR;
      /* Along B's contiguous side; either way each output is summed over p in order, as in the panels. */
      if (b_row == 1) {
        for (int t = 0; t < cols; t++) {
          const double *bp = b + (long)(j0 + t) * b_step;
          float sum = 0;
          for (int p = 0; p < k; p++) sum += (float)a[(long)i * a_row + (long)p * a_step] * (float)bp[p];
          row[t] = sum;
        }
      } else {
        for (int t = 0; t < cols; t++) row[t] = 0;
        for (int p = 0; p < k; p++) {
          float av = (float)a[(long)i * a_row + (long)p * a_step];
          const double *bp = b + (long)p * b_row + (long)j0 * b_step;
          for (int t = 0; t < cols; t++) row[t] += av * (float)bp[(long)t * b_step];
        }
      }
      long at = (long)i * n + j0;
      const double *activated = e->bias == NULL && e->activation != IDENTITY ? e->activated + at : NULL;
      write_row(row, cols, c + at, activated, e, j0);
    }
  }
}

static int is_thin(int m, int n, int k) { return m < 4 || n < 4 || k < 4; }

/*
 * One product with its operands packed: A (m×k) at a[i*a_row + p*a_step], B (k×n) at
 * b[p*b_row + j*b_step]. With OpenMP the packing and the tiles are shared by the threads of one
 * parallel region, when the product is big enough to pay for waking them.
 */
static void packed_product(int m, int n, int k, const double *a, long a_row, long a_step, const double *b,
                           long b_row, long b_step, float *pa, float *pb, double *c, const Epilogue *e) {
  if (is_thin(m, n, k)) {
    thin_product(m, n, k, a, a_row, a_step, b, b_row, b_step, c, e);
    return;
  }
  /* The padding of the last partial panels is zeroed first, so the packing threads write apart. */
  if (m % MR != 0) memset(pa + (size_t)(m / MR) * MR * k, 0, (size_t)MR * k * sizeof(float));
  if (n % NR != 0) memset(pb + (size_t)(n / NR) * NR * k, 0, (size_t)NR * k * sizeof(float));
  const double work = (double)m * n * k;
  (void)work;
#pragma omp parallel if (work >= 65536.0)
  {
    pack_a(m, k, a, a_row, a_step, pa);
    pack_b(k, n, b, b_row, b_step, pb);
#pragma omp barrier
    product(m, n, k, pa, pb, c, e);
  }
}

static size_t panels(int size, int width) { return (size_t)((size + width - 1) / width) * width; }

/* ---- N-API glue: argument checks, so a wrong call throws instead of touching foreign memory ---- */

typedef struct {
  double *data;
  size_t length;
} F64;

static int read_f64(napi_env env, napi_value value, const char *name, F64 *out) {
  napi_typedarray_type type;
  size_t length;
  void *data;
  napi_value buffer;
  size_t offset;
  bool is_typed = false;
  napi_is_typedarray(env, value, &is_typed);
  if (!is_typed || napi_get_typedarray_info(env, value, &type, &length, &data, &buffer, &offset) != napi_ok ||
      type != napi_float64_array) {
    napi_throw_type_error(env, NULL, name);
    return 0;
  }
  out->data = data;
  out->length = length;
  return 1;
}

/* A layer width (at least 1), or a row count (rows: at least 0). */
static int read_count(napi_env env, napi_value value, const char *name, int minimum, int *out) {
  int32_t v;
  if (napi_get_value_int32(env, value, &v) != napi_ok || v < minimum) {
    napi_throw_range_error(env, NULL, name);
    return 0;
  }
  *out = v;
  return 1;
}

static int holds(napi_env env, const F64 *array, size_t needed, const char *message) {
  if (array->length >= needed) return 1;
  napi_throw_range_error(env, NULL, message);
  return 0;
}

static int reserve(napi_env env, int m, int n, int k, float **a, float **b) {
  *a = scratch_reserve(&scratch_a, panels(m, MR) * (size_t)k);
  *b = scratch_reserve(&scratch_b, panels(n, NR) * (size_t)k);
  if (*a != NULL && *b != NULL) return 1;
  napi_throw_error(env, NULL, "native dense: out of memory for packing buffers");
  return 0;
}

#define ARGS(count)                                                  \
  size_t argc = count;                                               \
  napi_value argv[count];                                            \
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc != count) { \
    napi_throw_error(env, NULL, "native dense: expected " #count " arguments"); \
    return NULL;                                                     \
  }

/* The activation code (0 identity, 1 ReLU, 2 tanh) and ReLU's slope below zero. */
static int read_activation(napi_env env, napi_value code, napi_value slope, Epilogue *e) {
  int32_t c;
  if (napi_get_value_int32(env, code, &c) != napi_ok || c < IDENTITY || c > TANH ||
      napi_get_value_double(env, slope, &e->slope) != napi_ok) {
    napi_throw_range_error(env, NULL, "activation must be 0 (identity), 1 (relu) or 2 (tanh) with a slope");
    return 0;
  }
  e->activation = c;
  return 1;
}

/* forward(x, rows, inSize, w, b, outSize, y, activation, slope): y = σ(x·Wᵀ + b). */
static napi_value forward(napi_env env, napi_callback_info info) {
  ARGS(9)
  F64 x, w, b, y;
  int rows, in, out;
  Epilogue e = {0};
  if (!read_f64(env, argv[0], "x must be a Float64Array", &x) ||
      !read_count(env, argv[1], "rows must be a count", 0, &rows) ||
      !read_count(env, argv[2], "inSize must be a positive integer", 1, &in) ||
      !read_f64(env, argv[3], "w must be a Float64Array", &w) ||
      !read_f64(env, argv[4], "b must be a Float64Array", &b) ||
      !read_count(env, argv[5], "outSize must be a positive integer", 1, &out) ||
      !read_f64(env, argv[6], "y must be a Float64Array", &y) || !read_activation(env, argv[7], argv[8], &e))
    return NULL;
  if (!holds(env, &x, (size_t)rows * in, "x is shorter than rows×inSize") ||
      !holds(env, &w, (size_t)out * in, "w is shorter than outSize×inSize") ||
      !holds(env, &b, (size_t)out, "b is shorter than outSize") ||
      !holds(env, &y, (size_t)rows * out, "y is shorter than rows×outSize"))
    return NULL;
  float *pa, *pb;
  if (rows == 0 || !reserve(env, rows, out, in, &pa, &pb)) return NULL;
  e.bias = b.data;
  /* B = Wᵀ: element (p, j) = W[j][p] */
  packed_product(rows, out, in, x.data, in, 1, w.data, 1, in, pa, pb, y.data, &e);
  return NULL;
}

/*
 * backwardInput(delta, rows, outSize, w, inSize, dx, activated, activation, slope):
 * dx = (delta·W) ⊙ σ'(activated), where `activated` (rows×inSize) is σ's output for this layer's
 * input; activation 0 (identity) leaves the product as it is and does not read `activated`.
 */
static napi_value backward_input(napi_env env, napi_callback_info info) {
  ARGS(9)
  F64 delta, w, dx, activated;
  int rows, out, in;
  Epilogue e = {0};
  if (!read_f64(env, argv[0], "delta must be a Float64Array", &delta) ||
      !read_count(env, argv[1], "rows must be a count", 0, &rows) ||
      !read_count(env, argv[2], "outSize must be a positive integer", 1, &out) ||
      !read_f64(env, argv[3], "w must be a Float64Array", &w) ||
      !read_count(env, argv[4], "inSize must be a positive integer", 1, &in) ||
      !read_f64(env, argv[5], "dx must be a Float64Array", &dx) ||
      !read_f64(env, argv[6], "activated must be a Float64Array", &activated) ||
      !read_activation(env, argv[7], argv[8], &e))
    return NULL;
  if (!holds(env, &delta, (size_t)rows * out, "delta is shorter than rows×outSize") ||
      !holds(env, &w, (size_t)out * in, "w is shorter than outSize×inSize") ||
      !holds(env, &dx, (size_t)rows * in, "dx is shorter than rows×inSize") ||
      (e.activation != IDENTITY &&
       !holds(env, &activated, (size_t)rows * in, "activated is shorter than rows×inSize")))
    return NULL;
  float *pa, *pb;
  if (rows == 0 || !reserve(env, rows, in, out, &pa, &pb)) return NULL;
  e.activated = activated.data;
  packed_product(rows, in, out, delta.data, out, 1, w.data, in, 1, pa, pb, dx.data, &e);
  return NULL;
}

/* backwardWeights(delta, rows, outSize, x, inSize, gw, gb): gw += deltaᵀ·x, gb += Σ delta. */
static napi_value backward_weights(napi_env env, napi_callback_info info) {
  ARGS(7)
  F64 delta, x, gw, gb;
  int rows, out, in;
  if (!read_f64(env, argv[0], "delta must be a Float64Array", &delta) ||
      !read_count(env, argv[1], "rows must be a count", 0, &rows) ||
      !read_count(env, argv[2], "outSize must be a positive integer", 1, &out) ||
      !read_f64(env, argv[3], "x must be a Float64Array", &x) ||
      !read_count(env, argv[4], "inSize must be a positive integer", 1, &in) ||
      !read_f64(env, argv[5], "gw must be a Float64Array", &gw) ||
      !read_f64(env, argv[6], "gb must be a Float64Array", &gb))
    return NULL;
  if (!holds(env, &delta, (size_t)rows * out, "delta is shorter than rows×outSize") ||
      !holds(env, &x, (size_t)rows * in, "x is shorter than rows×inSize") ||
      !holds(env, &gw, (size_t)out * in, "gw is shorter than outSize×inSize") ||
      !holds(env, &gb, (size_t)out, "gb is shorter than outSize"))
    return NULL;
  float *pa, *pb;
  if (rows == 0 || !reserve(env, out, in, rows, &pa, &pb)) return NULL;
  Epilogue e = {.accumulate = 1};
  /* A = deltaᵀ: element (j, r) = delta[r][j] */
  packed_product(out, in, rows, delta.data, 1, out, x.data, in, 1, pa, pb, gw.data, &e);
  for (int r = 0; r < rows; r++) {
    const double *d = delta.data + (long)r * out;
    for (int j = 0; j < out; j++) gb.data[j] += d[j];
  }
  return NULL;
}

/* setThreads(n): threads for the products that follow (1 without OpenMP); returns the count in use. */
static napi_value set_threads(napi_env env, napi_callback_info info) {
  ARGS(1)
  int threads;
  if (!read_count(env, argv[0], "threads must be a positive integer", 1, &threads)) return NULL;
#ifdef _OPENMP
  omp_set_num_threads(threads);
  threads = omp_get_max_threads();
#else
  threads = 1;
#endif
  napi_value result;
  napi_create_int32(env, threads, &result);
  return result;
}

static napi_value init(napi_env env, napi_value exports) {
#ifdef _OPENMP
  /* One thread until asked for more (setThreads): see NativeEngineOptions.threads. */
  omp_set_num_threads(1);
#endif
  napi_property_descriptor properties[] = {
      {"forward", NULL, forward, NULL, NULL, NULL, napi_default, NULL},
      {"backwardInput", NULL, backward_input, NULL, NULL, NULL, napi_default, NULL},
      {"backwardWeights", NULL, backward_weights, NULL, NULL, NULL, napi_default, NULL},
      {"setThreads", NULL, set_threads, NULL, NULL, NULL, napi_default, NULL},
  };
  napi_define_properties(env, exports, sizeof properties / sizeof properties[0], properties);
  napi_value width;
  napi_create_int32(env, VECTOR_BYTES * 8, &width);
  napi_set_named_property(env, exports, "vectorBits", width);
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
