/** Converts between offsets and 0-based line/character positions (UTF-16 units, as in LSP). */
export interface Position {
  readonly line: number;
  readonly character: number;
}

export class LineIndex {
  private readonly lineStarts: number[];

  constructor(private readonly text: string) {
    const starts = [0];
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      if (code === 10) starts.push(i + 1);
      else if (code === 13) {
        if (text.charCodeAt(i + 1) === 10) i++;
        starts.push(i + 1);
      }
    }
    this.lineStarts = starts;
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }

  positionAt(offset: number): Position {
    const clamped = Math.max(0, Math.min(whole(offset), this.text.length));
    let low = 0;
    let high = this.lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((this.lineStarts[mid] ?? 0) <= clamped) low = mid;
      else high = mid - 1;
    }
    return { line: low, character: clamped - (this.lineStarts[low] ?? 0) };
  }

  /** Always a whole offset within the text, whatever a client sent: a fraction is cut, a non-number counts as 0. */
  offsetAt(position: Position): number {
    const line = whole(position.line);
    const character = whole(position.character);
    if (line < 0) return 0;
    if (line >= this.lineStarts.length) return this.text.length;
    const start = this.lineStarts[line] ?? 0;
    const nextStart = this.lineStarts[line + 1] ?? this.text.length;
    return Math.max(start, Math.min(start + character, nextStart));
  }

  lineStart(line: number): number {
    return this.lineStarts[Math.max(0, Math.min(line, this.lineStarts.length - 1))] ?? 0;
  }
}

/** Positions come from clients: `{ line: [1], character: 1.5 }` must not become a NaN offset. */
function whole(n: unknown): number {
  return typeof n === 'number' && !Number.isNaN(n) ? Math.trunc(n) : 0;
}
