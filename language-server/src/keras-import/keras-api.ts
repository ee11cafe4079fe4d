/**
 * Where a dotted name points in the Keras API, whatever the import style: `tf.keras.layers.Dense`,
 * `keras.layers.Dense`, `tensorflow.keras.layers.Dense`, `keras.src.layers.core.dense.Dense` and
 * `tf.keras.layers.experimental.preprocessing.Rescaling` are all `keras.layers.<class>`.
 */

const kerasRoots = [
  'tensorflow.compat.v1.keras',
  'tensorflow.compat.v2.keras',
  'tensorflow.python.keras',
  'tensorflow.keras',
  'tf_keras',
  'keras.api._v2.keras',
  'keras.api',
  'keras.src',
];

const packageAliases: Readonly<Record<string, string>> = {
  kerastuner: 'keras_tuner',
  'tensorflow.python.keras': 'keras',
};

/** Keras modules whose classes are re-exported one level up (`keras.layers.core.Dense` → `keras.layers.Dense`). */
const flattened = ['keras.layers', 'keras.optimizers', 'keras.losses', 'keras.metrics', 'keras.callbacks', 'keras.regularizers', 'keras.initializers', 'keras.activations', 'keras.constraints', 'keras_tuner'];

/** The canonical form of a dotted path. */
export function canonicalPath(path: string): string {
  let p = path;
  for (const [from, to] of Object.entries(packageAliases)) if (p === from || p.startsWith(`${from}.`)) p = to + p.slice(from.length);
  for (const root of kerasRoots) {
    if (p === root || p.startsWith(`${root}.`)) {
      p = `keras${p.slice(root.length)}`;
      break;
    }
  }
  // keras.models.Sequential, keras.engine.training.Model, keras.src.models.functional.Functional → keras.X
  const modelMatch = /^keras\.(?:models|engine|model|src\.models)(?:\.[a-z_]+)*\.(Sequential|Model|Functional|Input|InputLayer|load_model|clone_model)$/.exec(p);
  if (modelMatch) return modelMatch[1] === 'InputLayer' ? 'keras.layers.InputLayer' : `keras.${modelMatch[1]}`;
  if (/^keras\.engine(\.[a-z_]+)*\.Input$/.test(p)) return 'keras.Input';
  for (const prefix of flattened) {
    if (p.startsWith(`${prefix}.`)) {
      const rest = p.slice(prefix.length + 1).split('.');
      const last = rest[rest.length - 1] ?? '';
      // Keep module-like paths (schedules, legacy) only when the last part is a module name.
      if (rest.length > 1 && /^[A-Z]/.test(last)) return `${prefix}.${last}`;
      if (rest.length > 1 && prefix === 'keras.layers') return `${prefix}.${last}`;
      if (rest.length > 1 && (prefix === 'keras.activations' || prefix === 'keras.losses' || prefix === 'keras.regularizers')) return `${prefix}.${last}`;
      if (prefix === 'keras.optimizers' && rest[0] === 'legacy' && rest.length === 2) return `${prefix}.${last}`;
      if (prefix === 'keras_tuner' && rest.length > 1) return `${prefix}.${last}`;
    }
  }
  if (p === 'keras.backend' || p.startsWith('keras.backend.')) return p;
  if (p.startsWith('keras.applications.') && p.split('.').length > 3) {
    // keras.applications.vgg16.VGG16 → keras.applications.VGG16 (the module functions keep their module)
    const parts = p.split('.');
    const last = parts[parts.length - 1] ?? '';
    if (/^[A-Z]/.test(last)) return `keras.applications.${last}`;
  }
  return p;
}

/** The layer class a path names (`Dense` for `keras.layers.Dense`), or undefined. */
export function layerClassOf(path: string): string | undefined {
  const match = /^keras\.layers\.([A-Z]\w*)$/.exec(path);
  return match?.[1];
}

/** Functions of `keras.layers` that build and apply a merge layer in one call (`layers.add([a, b])`). */
export const mergeFunctions: Readonly<Record<string, string>> = {
  add: 'Add',
  subtract: 'Subtract',
  multiply: 'Multiply',
  average: 'Average',
  maximum: 'Maximum',
  minimum: 'Minimum',
  concatenate: 'Concatenate',
  dot: 'Dot',
};

/** The last part of a dotted path. */
export function lastPart(path: string): string {
  const parts = path.split('.');
  return parts[parts.length - 1] ?? path;
}

/** The parent module of a dotted path. */
export function parentPath(path: string): string {
  const at = path.lastIndexOf('.');
  return at < 0 ? '' : path.slice(0, at);
}

/** Keras activation functions, by the names `keras.activations` and `tf.nn` give them. */
export function activationName(path: string): string | undefined {
  const parent = parentPath(path);
  const name = lastPart(path);
  if (parent === 'keras.activations' || parent === 'tensorflow.nn' || parent === 'keras.ops' || parent === 'tensorflow.math' || parent === 'tensorflow') {
    const aliases: Readonly<Record<string, string>> = { relu: 'relu', relu6: 'relu6', sigmoid: 'sigmoid', tanh: 'tanh', softmax: 'softmax', elu: 'elu', selu: 'selu', gelu: 'gelu', swish: 'swish', silu: 'silu', softplus: 'softplus', softsign: 'softsign', leaky_relu: 'leaky_relu', hard_sigmoid: 'hard_sigmoid', exponential: 'exponential', linear: 'linear', mish: 'mish', log_softmax: 'log_softmax', hard_swish: 'hard_swish', hard_silu: 'hard_silu' };
    return aliases[name];
  }
  return undefined;
}
