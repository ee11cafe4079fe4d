/** Where a command writes: standard output and error, or a test's buffers. */
export interface CliIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  /** Standard output without a newline added, for output written in pieces (absent: pieces are joined for `out`). */
  readonly write?: (text: string) => void;
}

export const processIo: CliIo = {
  out: (text) => process.stdout.write(text + '\n'),
  err: (text) => process.stderr.write(text + '\n'),
  write: (text) => process.stdout.write(text),
};
