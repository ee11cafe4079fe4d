import { bool, equal, itemsOf, keyOf, none, num, str, textOf, truthy, tuple, unknown, unknownBecause, type CallArgs, type PyValue } from './py-values.js';

/**
 * Python's built-in functions and the methods of its plain values (str, list, tuple, dict), as
 * far as model-building code uses them; `math` and the NumPy functions that compute numbers.
 */

export type Caller = (callee: PyValue, args: CallArgs, line: number) => PyValue;

function arg(args: CallArgs, index: number, name?: string): PyValue | undefined {
  return args.positional[index] ?? (name ? args.keywords.get(name) : undefined);
}

function numberOf(value: PyValue | undefined): number | undefined {
  if (value?.kind === 'number') return value.value;
  if (value?.kind === 'bool') return value.value ? 1 : 0;
  return undefined;
}

function list(items: PyValue[]): PyValue {
  return { kind: 'list', items };
}

function range(args: CallArgs): PyValue {
  const values = args.positional.map(numberOf);
  if (values.some((v) => v === undefined || !Number.isInteger(v))) return unknownBecause('a `range` whose bounds are not known');
  const [a = 0, b, c = 1] = values as number[];
  const [start, stop] = b === undefined ? [0, a] : [a, b];
  if (c === 0) return unknown;
  const items: PyValue[] = [];
  for (let i = start; c > 0 ? i < stop : i > stop; i += c) {
    items.push(num(i, true));
    if (items.length > 100000) return unknownBecause('a `range` too long to follow');
  }
  return { kind: 'tuple', items };
}

function toInt(value: PyValue | undefined): PyValue {
  if (!value) return num(0, true);
  if (value.kind === 'number') return num(Math.trunc(value.value), true);
  if (value.kind === 'bool') return num(value.value ? 1 : 0, true);
  if (value.kind === 'string' && /^\s*[-+]?\d+\s*$/.test(value.value)) return num(parseInt(value.value, 10), true);
  return unknown;
}

function toFloat(value: PyValue | undefined): PyValue {
  if (!value) return num(0, false);
  if (value.kind === 'number') return num(value.value, false);
  if (value.kind === 'bool') return num(value.value ? 1 : 0, false);
  if (value.kind === 'string' && value.value.trim() !== '' && !Number.isNaN(Number(value.value))) return num(Number(value.value), false);
  return unknown;
}

function minMax(args: CallArgs, pick: (a: number, b: number) => boolean): PyValue {
  const items = args.positional.length === 1 ? itemsOf(args.positional[0] ?? none) : args.positional;
  if (!items || items.length === 0) return unknown;
  let best: PyValue | undefined;
  for (const item of items) {
    const n = numberOf(item);
    if (n === undefined) return unknown;
    if (!best || pick(n, numberOf(best) ?? 0)) best = item;
  }
  return best ?? unknown;
}

/** `isinstance(value, type)` for the built-in types. */
function isInstance(value: PyValue, type: PyValue): boolean | undefined {
  if (type.kind === 'tuple') {
    const results = type.items.map((t) => isInstance(value, t));
    if (results.includes(true)) return true;
    return results.includes(undefined) ? undefined : false;
  }
  if (type.kind !== 'builtin') return undefined;
  if (value.kind === 'unknown') return undefined;
  const kinds: Readonly<Record<string, readonly string[]>> = { int: ['number'], float: ['number'], str: ['string'], list: ['list'], tuple: ['tuple'], dict: ['dict'], bool: ['bool'], set: ['set'] };
  const wanted = kinds[type.name];
  if (!wanted) return undefined;
  if (value.kind === 'number' && type.name !== 'float' && type.name !== 'int') return false;
  if (value.kind === 'number') return type.name === 'int' ? value.integer : !value.integer;
  return wanted.includes(value.kind);
}

export function builtinFunctions(call: Caller): Map<string, PyValue> {
  const fns: Record<string, (args: CallArgs, line: number) => PyValue> = {
    range,
    len: (args) => {
      const value = arg(args, 0) ?? none;
      if (value.kind === 'array' && value.shape?.[0] !== undefined && value.shape[0] !== null) return num(value.shape[0], true);
      const items = itemsOf(value);
      return items ? num(items.length, true) : unknown;
    },
    int: (args) => toInt(arg(args, 0)),
    float: (args) => toFloat(arg(args, 0)),
    str: (args) => {
      const text = textOf(arg(args, 0) ?? str(''));
      return text === undefined ? unknown : str(text);
    },
    bool: (args) => {
      const t = truthy(arg(args, 0) ?? bool(false));
      return t === undefined ? unknown : bool(t);
    },
    list: (args) => {
      const items = itemsOf(arg(args, 0) ?? list([]));
      return items ? list([...items]) : unknown;
    },
    tuple: (args) => {
      const items = itemsOf(arg(args, 0) ?? tuple([]));
      return items ? tuple(items) : unknown;
    },
    set: (args) => {
      const items = itemsOf(arg(args, 0) ?? list([]));
      return items ? { kind: 'set', items: [...items] } : unknown;
    },
    dict: (args) => {
      const entries = new Map<string, { key: PyValue; value: PyValue }>();
      const source = arg(args, 0);
      if (source?.kind === 'dict') for (const [k, e] of source.entries) entries.set(k, e);
      for (const [k, v] of args.keywords) entries.set(`s:${k}`, { key: str(k), value: v });
      return { kind: 'dict', entries };
    },
    min: (args) => minMax(args, (a, b) => a < b),
    max: (args) => minMax(args, (a, b) => a > b),
    abs: (args) => {
      const value = arg(args, 0);
      return value?.kind === 'number' ? num(Math.abs(value.value), value.integer) : unknown;
    },
    round: (args) => {
      const n = numberOf(arg(args, 0));
      const digits = numberOf(arg(args, 1));
      if (n === undefined) return unknown;
      if (digits === undefined) return num(roundHalfEven(n), true);
      const f = 10 ** digits;
      return num(Math.round(n * f) / f, false);
    },
    sum: (args) => {
      const items = itemsOf(arg(args, 0) ?? list([]));
      if (!items) return unknown;
      let total = numberOf(arg(args, 1)) ?? 0;
      let integer = true;
      for (const item of items) {
        const n = numberOf(item);
        if (n === undefined) return unknown;
        if (item.kind === 'number' && !item.integer) integer = false;
        total += n;
      }
      return num(total, integer);
    },
    enumerate: (args) => {
      const items = itemsOf(arg(args, 0) ?? list([]));
      const start = numberOf(arg(args, 1, 'start')) ?? 0;
      return items ? list(items.map((item, i) => tuple([num(i + start, true), item]))) : unknown;
    },
    zip: (args) => {
      const lists = args.positional.map(itemsOf);
      if (lists.some((l) => !l)) return unknown;
      const length = Math.min(...lists.map((l) => l?.length ?? 0));
      return list(Array.from({ length }, (_, i) => tuple(lists.map((l) => l?.[i] ?? none))));
    },
    reversed: (args) => {
      const items = itemsOf(arg(args, 0) ?? list([]));
      return items ? list([...items].reverse()) : unknown;
    },
    sorted: (args, line) => {
      const items = itemsOf(arg(args, 0) ?? list([]));
      if (!items) return unknown;
      const key = args.keywords.get('key');
      const keyed = items.map((item) => ({ item, key: key ? call(key, { positional: [item], keywords: new Map() }, line) : item }));
      if (keyed.some((k) => numberOf(k.key) === undefined && k.key.kind !== 'string')) return unknown;
      keyed.sort((a, b) => {
        const x = a.key.kind === 'string' ? a.key.value : (numberOf(a.key) ?? 0);
        const y = b.key.kind === 'string' ? b.key.value : (numberOf(b.key) ?? 0);
        return x < y ? -1 : x > y ? 1 : 0;
      });
      const reverse = truthy(args.keywords.get('reverse') ?? bool(false));
      const out = keyed.map((k) => k.item);
      return list(reverse ? out.reverse() : out);
    },
    any: (args) => {
      const items = itemsOf(arg(args, 0) ?? list([]));
      if (!items) return unknown;
      const values = items.map(truthy);
      return values.includes(true) ? bool(true) : values.includes(undefined) ? unknown : bool(false);
    },
    all: (args) => {
      const items = itemsOf(arg(args, 0) ?? list([]));
      if (!items) return unknown;
      const values = items.map(truthy);
      return values.includes(false) ? bool(false) : values.includes(undefined) ? unknown : bool(true);
    },
    map: (args, line) => {
      const fn = arg(args, 0);
      const lists = args.positional.slice(1).map(itemsOf);
      if (!fn || lists.some((l) => !l)) return unknown;
      const length = Math.min(...lists.map((l) => l?.length ?? 0));
      return list(Array.from({ length }, (_, i) => call(fn, { positional: lists.map((l) => l?.[i] ?? none), keywords: new Map() }, line)));
    },
    filter: (args, line) => {
      const fn = arg(args, 0);
      const items = itemsOf(arg(args, 1) ?? list([]));
      if (!fn || !items) return unknown;
      const kept: PyValue[] = [];
      for (const item of items) {
        const keep = fn.kind === 'none' ? truthy(item) : truthy(call(fn, { positional: [item], keywords: new Map() }, line));
        if (keep === undefined) return unknown;
        if (keep) kept.push(item);
      }
      return list(kept);
    },
    isinstance: (args) => {
      const result = isInstance(arg(args, 0) ?? none, arg(args, 1) ?? none);
      return result === undefined ? unknown : bool(result);
    },
    print: () => none,
    divmod: (args) => {
      const a = numberOf(arg(args, 0));
      const b = numberOf(arg(args, 1));
      return a === undefined || b === undefined || b === 0 ? unknown : tuple([num(Math.floor(a / b), true), num(a - Math.floor(a / b) * b)]);
    },
    pow: (args) => {
      const a = numberOf(arg(args, 0));
      const b = numberOf(arg(args, 1));
      return a === undefined || b === undefined ? unknown : num(a ** b);
    },
    callable: (args) => {
      const value = arg(args, 0) ?? none;
      return bool(['function', 'builtin', 'bound-method', 'api', 'layer', 'model', 'class'].includes(value.kind));
    },
    hasattr: () => unknown,
    getattr: (args) => arg(args, 2) ?? unknown,
    setattr: () => none,
    super: () => unknown,
    type: () => unknown,
    id: () => unknown,
    input: () => unknown,
    open: () => unknown,
    iter: (args) => arg(args, 0) ?? unknown,
    next: (args) => {
      const items = itemsOf(arg(args, 0) ?? none);
      return items?.[0] ?? unknown;
    },
    ValueError: () => none,
    TypeError: () => none,
    NotImplementedError: () => none,
    Exception: () => none,
    KeyError: () => none,
    ImportError: () => none,
    RuntimeError: () => none,
  };
  const scope = new Map<string, PyValue>();
  for (const [name, fn] of Object.entries(fns)) scope.set(name, { kind: 'builtin', name, call: fn });
  scope.set('__name__', str('__main__'));
  return scope;
}

function roundHalfEven(n: number): number {
  const floor = Math.floor(n);
  const diff = n - floor;
  if (diff > 0.5) return floor + 1;
  if (diff < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}

/** `math.X` and the NumPy functions on plain numbers and tuples. */
export function numericFunction(module: 'math' | 'numpy', name: string, args: CallArgs): PyValue | undefined {
  const a = numberOf(arg(args, 0));
  const b = numberOf(arg(args, 1));
  const one = (f: (x: number) => number, integer = false): PyValue => (a === undefined ? unknown : num(f(a), integer));
  switch (name) {
    case 'ceil':
      return one(Math.ceil, module === 'math');
    case 'floor':
      return one(Math.floor, module === 'math');
    case 'sqrt':
      return one(Math.sqrt);
    case 'log':
      return a === undefined ? unknown : b === undefined ? num(Math.log(a), false) : num(Math.log(a) / Math.log(b), false);
    case 'log2':
      return one(Math.log2);
    case 'log10':
      return one(Math.log10);
    case 'exp':
      return one(Math.exp);
    case 'pow':
    case 'power':
      return a === undefined || b === undefined ? unknown : num(a ** b);
    case 'trunc':
      return one(Math.trunc, true);
    case 'prod': {
      const items = itemsOf(arg(args, 0) ?? none);
      if (!items) return unknown;
      let total = 1;
      for (const item of items) {
        const n = numberOf(item);
        if (n === undefined) return unknown;
        total *= n;
      }
      return num(total, true);
    }
    case 'gcd':
      if (a === undefined || b === undefined) return unknown;
      return num(gcd(a, b), true);
    case 'isclose':
      return a === undefined || b === undefined ? unknown : bool(Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b)));
    default:
      return undefined;
  }
}

function gcd(a: number, b: number): number {
  return b === 0 ? Math.abs(a) : gcd(b, a % b);
}

/** Methods of strings, lists, tuples and dicts; undefined when the method is not one of them. */
export function plainMethod(self: PyValue, name: string, args: CallArgs, call: Caller, line: number): PyValue | undefined {
  const first = arg(args, 0);
  if (self.kind === 'string') {
    const s = self.value;
    switch (name) {
      case 'format':
        return formatString(s, args);
      case 'lower':
        return str(s.toLowerCase());
      case 'upper':
        return str(s.toUpperCase());
      case 'strip':
        return str(s.trim());
      case 'title':
        return str(s.replace(/\b\w/g, (c) => c.toUpperCase()));
      case 'capitalize':
        return str(s.charAt(0).toUpperCase() + s.slice(1).toLowerCase());
      case 'replace':
        return first?.kind === 'string' && arg(args, 1)?.kind === 'string' ? str(s.split(first.value).join((arg(args, 1) as { value: string }).value)) : unknown;
      case 'startswith':
        return first?.kind === 'string' ? bool(s.startsWith(first.value)) : unknown;
      case 'endswith':
        return first?.kind === 'string' ? bool(s.endsWith(first.value)) : unknown;
      case 'split':
        return first?.kind === 'string' ? list(s.split(first.value).map(str)) : list(s.split(/\s+/).filter(Boolean).map(str));
      case 'join': {
        const items = itemsOf(first ?? none);
        if (!items || items.some((i) => i.kind !== 'string')) return unknown;
        return str(items.map((i) => (i as { value: string }).value).join(s));
      }
      default:
        return unknown;
    }
  }
  if (self.kind === 'list') {
    switch (name) {
      case 'append':
        self.items.push(first ?? none);
        return none;
      case 'extend': {
        const items = itemsOf(first ?? none);
        if (items) self.items.push(...items);
        return none;
      }
      case 'insert': {
        const index = numberOf(first);
        if (index !== undefined) self.items.splice(index < 0 ? Math.max(0, self.items.length + index) : index, 0, arg(args, 1) ?? none);
        return none;
      }
      case 'pop': {
        const index = numberOf(first) ?? -1;
        const at = index < 0 ? self.items.length + index : index;
        return self.items.splice(at, 1)[0] ?? unknown;
      }
      case 'copy':
        return list([...self.items]);
      case 'reverse':
        self.items.reverse();
        return none;
      case 'clear':
        self.items.length = 0;
        return none;
      case 'index': {
        const at = self.items.findIndex((i) => equal(i, first ?? none) === true);
        return at < 0 ? unknown : num(at, true);
      }
      case 'count':
        return num(self.items.filter((i) => equal(i, first ?? none) === true).length, true);
      default:
        return unknown;
    }
  }
  if (self.kind === 'tuple') {
    if (name === 'index') {
      const at = self.items.findIndex((i) => equal(i, first ?? none) === true);
      return at < 0 ? unknown : num(at, true);
    }
    if (name === 'count') return num(self.items.filter((i) => equal(i, first ?? none) === true).length, true);
    return unknown;
  }
  if (self.kind === 'dict') {
    switch (name) {
      case 'get': {
        const key = keyOf(first ?? none);
        if (key === undefined) return unknown;
        return self.entries.get(key)?.value ?? arg(args, 1) ?? none;
      }
      case 'items':
        return list([...self.entries.values()].map((e) => tuple([e.key, e.value])));
      case 'keys':
        return list([...self.entries.values()].map((e) => e.key));
      case 'values':
        return list([...self.entries.values()].map((e) => e.value));
      case 'update': {
        if (first?.kind === 'dict') for (const [k, e] of first.entries) self.entries.set(k, e);
        for (const [k, v] of args.keywords) self.entries.set(`s:${k}`, { key: str(k), value: v });
        return none;
      }
      case 'pop': {
        const key = keyOf(first ?? none);
        if (key === undefined) return unknown;
        const found = self.entries.get(key);
        self.entries.delete(key);
        return found?.value ?? arg(args, 1) ?? unknown;
      }
      case 'setdefault': {
        const key = keyOf(first ?? none);
        if (key === undefined) return unknown;
        const found = self.entries.get(key);
        if (found) return found.value;
        const value = arg(args, 1) ?? none;
        self.entries.set(key, { key: first ?? none, value });
        return value;
      }
      case 'copy':
        return { kind: 'dict', entries: new Map(self.entries) };
      default:
        return unknown;
    }
  }
  void call;
  void line;
  return undefined;
}

/** `'{}_{:02d}'.format(a, b)`: positional and named fields with simple specs. */
function formatString(template: string, args: CallArgs): PyValue {
  let auto = 0;
  let failed = false;
  const text = template.replace(/\{\{|\}\}|\{([^{}:!]*)(?:![rsa])?(?::([^{}]*))?\}/g, (whole, field: string | undefined, spec: string | undefined) => {
    if (whole === '{{') return '{';
    if (whole === '}}') return '}';
    const key = field ?? '';
    const value = key === '' ? args.positional[auto++] : /^\d+$/.test(key) ? args.positional[Number(key)] : args.keywords.get(key);
    const formatted = value ? formatValue(value, spec) : undefined;
    if (formatted === undefined) failed = true;
    return formatted ?? '';
  });
  return failed ? unknown : str(text);
}

/** A value formatted with a format spec (`d`, `02d`, `.2f`, `>4`), or its `str`. */
export function formatValue(value: PyValue, spec: string | undefined): string | undefined {
  if (!spec) return textOf(value);
  const match = /^(0)?(\d+)?(?:\.(\d+))?([dfegs%])?$/.exec(spec);
  if (!match || value.kind !== 'number') return textOf(value);
  const [, zero, width, precision, type] = match;
  let text = type === 'f' || (precision !== undefined && type !== 'g') ? value.value.toFixed(Number(precision ?? 6)) : type === 'e' ? value.value.toExponential(Number(precision ?? 6)) : type === '%' ? `${(value.value * 100).toFixed(Number(precision ?? 6))}%` : String(value.value);
  if (width) text = text.padStart(Number(width), zero ? '0' : ' ');
  return text;
}
