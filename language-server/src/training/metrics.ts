/** Test-set figures computed from predicted and true classes, in plain JavaScript (no backend kernels needed). */
export interface ClassReport {
  readonly confusion: number[][];
  readonly precision: number[];
  readonly recall: number[];
  /** Per class: the share of that class's samples classified correctly (equals recall). */
  readonly accuracy: number[];
  readonly misclassified: number[];
}

export function classReport(truth: ArrayLike<number>, predicted: ArrayLike<number>, classes: number): ClassReport {
  const confusion = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  const misclassified: number[] = [];
  for (let i = 0; i < truth.length; i++) {
    const t = truth[i] ?? 0;
    const p = predicted[i] ?? 0;
    const row = confusion[t];
    if (row) row[p] = (row[p] ?? 0) + 1;
    if (t !== p) misclassified.push(i);
  }
  const precision: number[] = [];
  const recall: number[] = [];
  for (let c = 0; c < classes; c++) {
    const correct = confusion[c]?.[c] ?? 0;
    const predictedAs = confusion.reduce((n, row) => n + (row[c] ?? 0), 0);
    const actual = (confusion[c] ?? []).reduce((a, b) => a + b, 0);
    precision.push(predictedAs ? correct / predictedAs : 0);
    recall.push(actual ? correct / actual : 0);
  }
  return { confusion, precision, recall, accuracy: [...recall], misclassified };
}
