import * as elk from 'elkjs/lib/elk.bundled.js';
import type { LayoutEngine } from '../graph/layout.js';

type ElkConstructor = new () => LayoutEngine;

/**
 * ELK, the layout engine of `layerlab graph`: elkjs's bundled build, run in this process (the
 * graph view runs the same build in its page). The build is CommonJS: Node and esbuild hand its
 * constructor over as the namespace's `default`, where its type declarations put a module.
 */
export function layoutEngine(): LayoutEngine {
  const exported: unknown = elk.default;
  const Elk = (typeof exported === 'function' ? exported : (exported as { readonly default: unknown }).default) as ElkConstructor;
  return new Elk();
}
