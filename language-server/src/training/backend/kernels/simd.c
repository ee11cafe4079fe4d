// Training kernels in WebAssembly SIMD for the wasm backend, where XNNPACK has none that
// fits (see ../simd-kernels.ts, which runs them on the backend's heap and threads).
//
// conv2d_filter_grad: the kernel gradient of a 2-D convolution (NHWC). As a convolution,
// XNNPACK repacks dy or x as the filter on every call, at about 15 GFLOP/s on two threads.
//
//   dw[a][b][ci][co] += sum over n in [n0, n1), i < OH, j < OW of
//                       x[n][i*sh + a*dh - pt][j*sw + b*dwl - pl][ci] * dy[n][i][j][co]
//
// Positions outside x are the padding (zeros) and skipped. 4 input × 8 output channels
// stay in 8 registers over all positions of one sample, whose x and dy are in L2.
// Requires cout % 8 == 0 (input channels left over from blocks of 4 go one at a time). No stack, no data: it only touches the
// memory it is given pointers into (the backend's heap, imported).
//
// Built by scripts/build-kernels.mjs (clang, wasm32, SIMD128); the result is committed
// as simd-wasm.ts.
#include <wasm_simd128.h>

__attribute__((export_name("conv2d_filter_grad")))
void conv2d_filter_grad(const float* x, const float* dy, float* dw, int n0, int n1, int H, int W, int cin, int OH, int OW, int cout,
                        int KH, int KW, int sh, int sw, int dh, int dwl, int pt, int pl) {
  for (int n = n0; n < n1; n++) {
    const float* xImage = x + (long)n * H * W * cin;
    const float* dyImage = dy + (long)n * OH * OW * cout;
    for (int a = 0; a < KH; a++) {
      // Output rows i whose input row i*sh + a*dh - pt is inside x.
      int rowOff = a * dh - pt;
      int ilo = rowOff >= 0 ? 0 : (-rowOff + sh - 1) / sh;
      int ihi = (H - 1 - rowOff) < 0 ? 0 : (H - 1 - rowOff) / sh + 1;
      if (ihi > OH) ihi = OH;
      if (ilo >= ihi) continue;
      for (int b = 0; b < KW; b++) {
        int colOff = b * dwl - pl;
        int jlo = colOff >= 0 ? 0 : (-colOff + sw - 1) / sw;
        int jhi = (W - 1 - colOff) < 0 ? 0 : (W - 1 - colOff) / sw + 1;
        if (jhi > OW) jhi = OW;
        if (jlo >= jhi) continue;
        float* dwAB = dw + ((long)(a * KW + b) * cin) * cout;
        int ci = 0;
        for (; ci + 4 <= cin; ci += 4) {
          for (int co = 0; co < cout; co += 8) {
            // 4 input × 8 output channels in registers over every position of this sample.
            float* d0 = dwAB + (long)ci * cout + co;
            v128_t a00 = wasm_v128_load(d0), a01 = wasm_v128_load(d0 + 4);
            v128_t a10 = wasm_v128_load(d0 + cout), a11 = wasm_v128_load(d0 + cout + 4);
            v128_t a20 = wasm_v128_load(d0 + 2 * cout), a21 = wasm_v128_load(d0 + 2 * cout + 4);
            v128_t a30 = wasm_v128_load(d0 + 3 * cout), a31 = wasm_v128_load(d0 + 3 * cout + 4);
            for (int i = ilo; i < ihi; i++) {
              const float* dp = dyImage + ((long)i * OW + jlo) * cout + co;
              const float* xp = xImage + ((long)(i * sh + rowOff) * W + jlo * sw + colOff) * cin + ci;
              for (int j = jlo; j < jhi; j++) {
                v128_t g0 = wasm_v128_load(dp), g1 = wasm_v128_load(dp + 4);
                v128_t xv = wasm_v128_load(xp);
                v128_t x0 = wasm_i32x4_shuffle(xv, xv, 0, 0, 0, 0);
                v128_t x1 = wasm_i32x4_shuffle(xv, xv, 1, 1, 1, 1);
                v128_t x2 = wasm_i32x4_shuffle(xv, xv, 2, 2, 2, 2);
                v128_t x3 = wasm_i32x4_shuffle(xv, xv, 3, 3, 3, 3);
                a00 = wasm_f32x4_add(a00, wasm_f32x4_mul(x0, g0)); a01 = wasm_f32x4_add(a01, wasm_f32x4_mul(x0, g1));
                a10 = wasm_f32x4_add(a10, wasm_f32x4_mul(x1, g0)); a11 = wasm_f32x4_add(a11, wasm_f32x4_mul(x1, g1));
                a20 = wasm_f32x4_add(a20, wasm_f32x4_mul(x2, g0)); a21 = wasm_f32x4_add(a21, wasm_f32x4_mul(x2, g1));
                a30 = wasm_f32x4_add(a30, wasm_f32x4_mul(x3, g0)); a31 = wasm_f32x4_add(a31, wasm_f32x4_mul(x3, g1));
                dp += cout;
                xp += sw * cin;
              }
            }
            wasm_v128_store(d0, a00); wasm_v128_store(d0 + 4, a01);
            wasm_v128_store(d0 + cout, a10); wasm_v128_store(d0 + cout + 4, a11);
            wasm_v128_store(d0 + 2 * cout, a20); wasm_v128_store(d0 + 2 * cout + 4, a21);
            wasm_v128_store(d0 + 3 * cout, a30); wasm_v128_store(d0 + 3 * cout + 4, a31);
          }
        }
        // The input channels left over (all of them for 1 or 3: grayscale and colour images), one at a time.
        for (; ci < cin; ci++) {
          for (int co = 0; co < cout; co += 8) {
            float* d0 = dwAB + (long)ci * cout + co;
            v128_t a00 = wasm_v128_load(d0), a01 = wasm_v128_load(d0 + 4);
            for (int i = ilo; i < ihi; i++) {
              const float* dp = dyImage + ((long)i * OW + jlo) * cout + co;
              const float* xp = xImage + ((long)(i * sh + rowOff) * W + jlo * sw + colOff) * cin + ci;
              for (int j = jlo; j < jhi; j++) {
                v128_t x0 = wasm_f32x4_splat(*xp);
                a00 = wasm_f32x4_add(a00, wasm_f32x4_mul(x0, wasm_v128_load(dp)));
                a01 = wasm_f32x4_add(a01, wasm_f32x4_mul(x0, wasm_v128_load(dp + 4)));
                dp += cout;
                xp += sw * cin;
              }
            }
            wasm_v128_store(d0, a00); wasm_v128_store(d0 + 4, a01);
          }
        }
      }
    }
  }
}

// dx of a 2-D max pooling (NHWC) for samples [n0, n1): each dy goes to the first maximum
// (row-major, strictly greater) of its window among the input positions inside x, as
// TensorFlow routes it. dx of those samples is zeroed first. 4 channels at a time.
// Requires c % 4 == 0.
__attribute__((export_name("max_pool_grad")))
void max_pool_grad(const float* x, const float* dy, float* dx, int n0, int n1, int H, int W, int c, int OH, int OW,
                   int KH, int KW, int sh, int sw, int pt, int pl) {
  const v128_t zero = wasm_f32x4_splat(0.0f);
  for (long k = (long)n0 * H * W * c; k < (long)n1 * H * W * c; k += 4) wasm_v128_store(dx + k, zero);
  const v128_t lanes = wasm_i32x4_make(0, 1, 2, 3);
  for (int n = n0; n < n1; n++) {
    const long image = (long)n * H * W * c;
    for (int i = 0; i < OH; i++) {
      int y0 = i * sh - pt, y1 = y0 + KH;
      if (y0 < 0) y0 = 0;
      if (y1 > H) y1 = H;
      for (int j = 0; j < OW; j++) {
        int x0 = j * sw - pl, x1 = x0 + KW;
        if (x0 < 0) x0 = 0;
        if (x1 > W) x1 = W;
        const float* g = dy + (((long)n * OH + i) * OW + j) * c;
        for (int ch = 0; ch < c; ch += 4) {
          v128_t best = wasm_f32x4_splat(-__builtin_inff());
          v128_t where = wasm_i32x4_splat(-1);
          for (int y = y0; y < y1; y++) {
            for (int xx = x0; xx < x1; xx++) {
              int at = (int)(image + ((long)y * W + xx) * c + ch);
              v128_t v = wasm_v128_load(x + at);
              v128_t greater = wasm_f32x4_gt(v, best);
              best = wasm_v128_bitselect(v, best, greater);
              where = wasm_v128_bitselect(wasm_i32x4_add(wasm_i32x4_splat(at), lanes), where, greater);
            }
          }
          int w0 = wasm_i32x4_extract_lane(where, 0), w1 = wasm_i32x4_extract_lane(where, 1);
          int w2 = wasm_i32x4_extract_lane(where, 2), w3 = wasm_i32x4_extract_lane(where, 3);
          if (w0 >= 0) dx[w0] += g[ch];
          if (w1 >= 0) dx[w1] += g[ch + 1];
          if (w2 >= 0) dx[w2] += g[ch + 2];
          if (w3 >= 0) dx[w3] += g[ch + 3];
        }
      }
    }
  }
}
