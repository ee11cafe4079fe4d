import type { EpochLogs } from '../events.js';

export type MonitorMode = 'min' | 'max';

/** Whether `value` improves on `best` by more than `minDelta` (anything improves on no best yet). */
export function improved(value: number, best: number | undefined, mode: MonitorMode, minDelta: number): boolean {
  if (best === undefined) return true;
  return mode === 'min' ? value < best - minDelta : value > best + minDelta;
}

/** The monitored quantity in an epoch's logs (`acc` and `val_acc` as Keras' old names); NaN when absent. */
export function logValue(logs: EpochLogs, monitor: string): number {
  const value = (logs as unknown as Record<string, number>)[monitor === 'acc' ? 'accuracy' : monitor === 'val_acc' ? 'val_accuracy' : monitor];
  return value ?? Number.NaN;
}
