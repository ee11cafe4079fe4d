import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeText } from '../../language-server/src/analysis/analyze-file.js';
import { modelGraph } from '../../language-server/src/features/model-graph.js';
import type { HostToGraphView, ModelGraph } from '../../language-server/src/protocol/graph.js';
import { repoRoot } from '../view/browser.js';

/** The graph of a model of a .model text, as the server sends it. */
export function graphOfText(text: string, name?: string): ModelGraph {
  const analysis = analyzeText(text);
  const model = name === undefined ? analysis.models[0] : analysis.models.find((m) => m.name === name);
  assert.ok(model, `no model ${name ?? ''}`);
  const graph = modelGraph(analysis, model);
  assert.ok(graph);
  return graph;
}

export function fixtureText(path: string): string {
  return readFileSync(join(repoRoot, path), 'utf8');
}

/** The host's `graph` message for a model of a file of the repository. */
export function graphMessage(path: string, name?: string): HostToGraphView {
  const text = fixtureText(path);
  const graph = graphOfText(text, name);
  return { type: 'graph', file: path, models: analyzeText(text).models.map((m) => m.name), graph };
}

/** A deep residual model: `blocks` repetitions of 7 layers (two Conv2D, BatchNormalization and ReLU each, and the Add of the shortcut) between a stem and a classifier. */
export function deepModel(blocks: number): string {
  return `model deep {
  input (32, 32, 16)
  Conv2D(16, 3, padding=same)
  repeat ${blocks} {
    x = ReLU()
    Conv2D(16, 3, padding=same)
    BatchNormalization()
    ReLU()
    Conv2D(16, 3, padding=same)
    BatchNormalization()
    Add(x)
  }
  GlobalAveragePooling2D()
  Dense(10, activation=softmax)
}
`;
}
