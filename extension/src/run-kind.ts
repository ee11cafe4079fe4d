import * as vscode from 'vscode';
import { QUICK } from '../../language-server/src/host/index.js';

export type RunKind = 'quick' | 'full';

interface RunKindItem extends vscode.QuickPickItem {
  readonly run: RunKind;
}

const lastChoiceKey = (what: 'train' | 'tune') => `layerlab.lastRunKind.${what}`;

/**
 * Quick or full, asked when Train or Tune is started from a lens or the palette.
 * The last choice comes first, so Enter repeats it; Escape starts nothing.
 */
export async function askRunKind(context: vscode.ExtensionContext, what: 'train' | 'tune', subject: string): Promise<RunKind | undefined> {
  const quick: RunKindItem =
    what === 'train'
      ? { run: 'quick', label: 'Quick run', description: `${QUICK.epochs} epoch on at most ${QUICK.limit.toLocaleString('en-US')} images`, detail: 'A smoke test: see that the model trains and how fast, in seconds.' }
      : { run: 'quick', label: 'Quick search', description: `${QUICK.trials} random trials of ${QUICK.epochs} epoch on at most ${QUICK.limit.toLocaleString('en-US')} images`, detail: 'A smoke test of the space, saved apart from the full search.' };
  const full: RunKindItem =
    what === 'train'
      ? { run: 'full', label: 'Full run', description: 'as the train block says', detail: 'Every epoch, every image (or the block’s `limit`).' }
      : { run: 'full', label: 'Full search', description: 'as the tune block says', detail: 'The block’s strategy and budget (`max_trials`, `max_time`); a stopped search resumes.' };
  const last = context.globalState.get<RunKind>(lastChoiceKey(what), 'quick');
  const items = last === 'full' ? [full, quick] : [quick, full];
  const picked = await vscode.window.showQuickPick(items, { title: `Layerlab: ${what === 'train' ? 'train' : 'tune'} ${subject}`, placeHolder: 'Quick or full?' });
  if (picked) await context.globalState.update(lastChoiceKey(what), picked.run);
  return picked?.run;
}
