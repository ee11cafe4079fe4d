import { itemsOf, num, tuple, type CallArgs, type DataOrigin, type PyValue } from './py-values.js';

/**
 * The shapes of Keras's data sets and of the NumPy arrays made from them, as far as a model's
 * input shape (`x_train.shape[1:]`) and its training data (`fit(x_train, …)`) need them.
 */

type Shape = readonly (number | null)[];

const datasets: Readonly<Record<string, { readonly train: readonly [Shape, Shape]; readonly test: readonly [Shape, Shape] }>> = {
  mnist: { train: [[60000, 28, 28], [60000]], test: [[10000, 28, 28], [10000]] },
  fashion_mnist: { train: [[60000, 28, 28], [60000]], test: [[10000, 28, 28], [10000]] },
  cifar10: { train: [[50000, 32, 32, 3], [50000, 1]], test: [[10000, 32, 32, 3], [10000, 1]] },
  cifar100: { train: [[50000, 32, 32, 3], [50000, 1]], test: [[10000, 32, 32, 3], [10000, 1]] },
  imdb: { train: [[25000], [25000]], test: [[25000], [25000]] },
  reuters: { train: [[8982], [8982]], test: [[2246], [2246]] },
  boston_housing: { train: [[404, 13], [404]], test: [[102, 13], [102]] },
  california_housing: { train: [[16512, 8], [16512]], test: [[4128, 8], [4128]] },
};

/** `keras.datasets.<name>.load_data()`: `((x_train, y_train), (x_test, y_test))`, or undefined for another data set. */
export function loadData(name: string): PyValue | undefined {
  const info = datasets[name];
  if (!info) return undefined;
  const array = (shape: Shape, split: DataOrigin['split'], part: DataOrigin['part']): PyValue => ({ kind: 'array', shape, dataset: { name, split, part } });
  return tuple([tuple([array(info.train[0], 'train', 'x'), array(info.train[1], 'train', 'y')]), tuple([array(info.test[0], 'test', 'x'), array(info.test[1], 'test', 'y')])]);
}

function size(shape: Shape): number | undefined {
  let n = 1;
  for (const d of shape) {
    if (d === null) return undefined;
    n *= d;
  }
  return n;
}

function withShape(array: Extract<PyValue, { kind: 'array' }>, shape: Shape | undefined): PyValue {
  return { kind: 'array', ...(shape ? { shape } : {}), ...(array.dataset ? { dataset: array.dataset } : {}) };
}

/** `a.reshape(...)`, `np.reshape(a, shape)`: `-1` takes what is left. */
export function reshape(array: Extract<PyValue, { kind: 'array' }>, target: readonly PyValue[]): PyValue {
  const dims = target.length === 1 && itemsOf(target[0] ?? { kind: 'none' }) ? (itemsOf(target[0] ?? { kind: 'none' }) ?? []) : target;
  const shape: (number | null)[] = [];
  let free = -1;
  for (const [i, d] of dims.entries()) {
    if (d.kind !== 'number') return withShape(array, undefined);
    if (d.value === -1) free = i;
    shape.push(d.value);
  }
  if (free >= 0) {
    const total = array.shape ? size(array.shape) : undefined;
    const known = shape.filter((_, i) => i !== free).reduce<number>((a, b) => a * (b ?? 1), 1);
    shape[free] = total === undefined || known === 0 ? null : total / known;
  }
  return withShape(array, shape);
}

/** `np.expand_dims(a, axis)`. */
export function expandDims(array: Extract<PyValue, { kind: 'array' }>, axis: number): PyValue {
  if (!array.shape) return array;
  const shape = [...array.shape];
  const at = axis < 0 ? shape.length + 1 + axis : axis;
  shape.splice(at, 0, 1);
  return withShape(array, shape);
}

/** `a[lo:hi]` on the first axis. */
export function sliceRows(array: Extract<PyValue, { kind: 'array' }>, lower: number | undefined, upper: number | undefined): PyValue {
  if (!array.shape) return array;
  const n = array.shape[0];
  if (n === null || n === undefined) return array;
  const norm = (i: number): number => (i < 0 ? Math.max(0, n + i) : Math.min(i, n));
  const rows = Math.max(0, norm(upper ?? n) - norm(lower ?? 0));
  return withShape(array, [rows, ...array.shape.slice(1)]);
}

/** `a[i]`, `a[..., None]`, `a[:, :, np.newaxis]`. */
export function index(array: Extract<PyValue, { kind: 'array' }>, at: PyValue): PyValue {
  if (!array.shape) return withShape(array, undefined);
  if (at.kind === 'number') return withShape(array, array.shape.slice(1));
  if (at.kind === 'tuple' && at.items[at.items.length - 1]?.kind === 'none' && at.items.slice(0, -1).every((i) => i.kind === 'unknown')) return withShape(array, [...array.shape, 1]);
  return withShape(array, undefined);
}

/** `keras.utils.to_categorical(y, num_classes)`. */
export function toCategorical(args: CallArgs): PyValue {
  const y = args.positional[0];
  const classes = args.positional[1] ?? args.keywords.get('num_classes');
  if (y?.kind !== 'array') return { kind: 'array' };
  const rows = y.shape?.[0];
  return { kind: 'array', ...(rows !== undefined && classes?.kind === 'number' ? { shape: [rows, classes.value] } : {}), ...(y.dataset ? { dataset: y.dataset } : {}) };
}

/** `pad_sequences(x, maxlen=N)`. */
export function padSequences(args: CallArgs): PyValue {
  const x = args.positional[0];
  const maxlen = args.keywords.get('maxlen') ?? args.positional[1];
  if (x?.kind !== 'array') return { kind: 'array' };
  const rows = x.shape?.[0];
  return { kind: 'array', ...(rows !== undefined && maxlen?.kind === 'number' ? { shape: [rows, maxlen.value] } : {}), ...(x.dataset ? { dataset: x.dataset } : {}) };
}

export function shapeTuple(array: Extract<PyValue, { kind: 'array' }>): PyValue | undefined {
  return array.shape ? tuple(array.shape.map((d) => (d === null ? { kind: 'none' } : num(d, true)))) : undefined;
}

export function sameArray(array: Extract<PyValue, { kind: 'array' }>): PyValue {
  return array;
}
