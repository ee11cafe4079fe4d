/**
 * `math.log(x, base)` as CPython computes it on Linux: the correctly rounded
 * natural logarithms of both, divided. V8's Math.log is not always correctly
 * rounded (Math.log(3) is one unit in the last place below glibc's), which
 * changes Keras Tuner's Hyperband bracket sizes: ceil(1 + log(81, 3)) is 5 in
 * Python but 6 with Math.log(81) / Math.log(3).
 */
export function pythonLog(x: number, base: number): number {
  return correctlyRoundedLn(x) / correctlyRoundedLn(base);
}

const bits = 160n;

/** atanh(p / q) · 2^bits, for 0 <= p/q <= 1/3, by its odd power series. */
function atanhFixed(p: bigint, q: bigint): bigint {
  const t = (p << bits) / q;
  const t2 = (t * t) >> bits;
  let term = t;
  let sum = 0n;
  for (let n = 1n; term !== 0n; n += 2n) {
    sum += term / n;
    term = (term * t2) >> bits;
  }
  return sum;
}

const ln2Fixed = 2n * atanhFixed(1n, 3n);

/** ln(x) rounded to the nearest double, for finite x > 0 (normal numbers). */
export function correctlyRoundedLn(x: number): number {
  if (!(x > 0) || !Number.isFinite(x)) return Math.log(x);
  if (x === 1) return 0;
  let k = Math.floor(Math.log2(x));
  let m = x / 2 ** k;
  if (m >= 2) {
    k++;
    m /= 2;
  } else if (m < 1) {
    k--;
    m *= 2;
  }
  // m in [1, 2) is exactly M / 2^52.
  const scale = 2n ** 52n;
  const mantissa = BigInt(m * 2 ** 52);
  // ln m = 2·atanh((m − 1) / (m + 1)), and (m − 1) / (m + 1) < 1/3.
  const lnFixed = BigInt(k) * ln2Fixed + 2n * atanhFixed(mantissa - scale, mantissa + scale);
  // Number(BigInt) rounds to nearest; dividing by a power of two is exact.
  return Number(lnFixed) / 2 ** Number(bits);
}
