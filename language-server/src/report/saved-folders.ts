import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** What a picked folder is: a saved run (or search) itself, a folder of them, or neither. */
export type PickedFolder =
  | { readonly kind: 'saved'; readonly folder: string }
  | { readonly kind: 'parent'; readonly folder: string; readonly children: readonly string[] }
  | { readonly kind: 'neither'; readonly folder: string };

/**
 * Sorts out folders picked in Open Run… (marker `run.json`) or Open Search… (`oracle.json`):
 * picking `.layerlab/runs` itself (the dialog's starting folder, so Enter picks it) is a
 * folder of runs, whose runs are listed newest first (their names start with the time).
 */
export function classifyPicked(folders: readonly string[], marker: string): PickedFolder[] {
  return folders.map((folder) => {
    if (existsSync(join(folder, marker))) return { kind: 'saved', folder };
    let children: string[] = [];
    try {
      children = readdirSync(folder)
        .map((name) => join(folder, name))
        .filter((path) => statSync(path).isDirectory() && existsSync(join(path, marker)))
        .sort()
        .reverse();
    } catch {
      children = [];
    }
    return children.length ? { kind: 'parent', folder, children } : { kind: 'neither', folder };
  });
}
