/** Test-set figures computed from predicted and true classes, in plain JavaScript (no backend kernels needed). */
export interface ClassReport {
  readonly confusion: number[][];
  readonly precision: number[];
  readonly recall: number[];
  /**
   * Per class, one-vs-rest: the share of all samples classified rightly as that
   * class or as not that class, (TP + TN) / N. (The share of the class's own
   * samples classified correctly is its recall.)
   */
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
  const accuracy: number[] = [];
  const total = confusion.reduce((n, row) => n + row.reduce((a, b) => a + b, 0), 0);
  for (let c = 0; c < classes; c++) {
    const correct = confusion[c]?.[c] ?? 0;
    const predictedAs = confusion.reduce((n, row) => n + (row[c] ?? 0), 0);
    const actual = (confusion[c] ?? []).reduce((a, b) => a + b, 0);
    precision.push(predictedAs ? correct / predictedAs : 0);
    recall.push(actual ? correct / actual : 0);
    // Wrong about c: its samples predicted as another class, and other samples predicted as c.
    accuracy.push(total ? (total - (actual - correct) - (predictedAs - correct)) / total : 0);
  }
  return { confusion, precision, recall, accuracy, misclassified };
}
