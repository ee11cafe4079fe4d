/**
 * What to do when the language server's connection closes or fails: restart it,
 * and tell the user once per session; stop restarting after too many crashes in
 * a short time. No VS Code here, so it is unit-tested (test/extension/).
 */

/** The user is told about the first crash of the session only (`restarted`), and whenever restarting stops. */
export type ServerNotice = 'restarted' | 'gave-up' | 'connection-failing';

export interface ServerVerdict {
  /** Start the server again (after a close) or keep the connection (after an error). */
  readonly keep: boolean;
  readonly notice: ServerNotice | undefined;
}

export interface CrashPolicyOptions {
  readonly now?: () => number;
  /** This many closes within `windowMs` and the server is not restarted; vscode-languageclient's default is 5 in 3 minutes. */
  readonly maxCrashes?: number;
  readonly windowMs?: number;
  /** Connection errors tolerated before the connection is shut down (the library's default: 3). */
  readonly maxErrors?: number;
}

export class ServerCrashPolicy {
  private readonly now: () => number;
  private readonly maxCrashes: number;
  private readonly windowMs: number;
  private readonly maxErrors: number;
  private crashes: number[] = [];
  private restartNoticeShown = false;
  private intentionalStops = 0;

  constructor(options: CrashPolicyOptions = {}) {
    this.now = options.now ?? Date.now;
    this.maxCrashes = options.maxCrashes ?? 5;
    this.windowMs = options.windowMs ?? 3 * 60_000;
    this.maxErrors = options.maxErrors ?? 3;
  }

  /** Runs a stop the extension asked for (deactivation, a restart): the close it causes is no crash. */
  async stopping<T>(stop: () => Promise<T>): Promise<T> {
    this.intentionalStops++;
    try {
      return await stop();
    } finally {
      this.intentionalStops--;
    }
  }

  /** The user restarted the server: earlier crashes no longer count against it. */
  restartedByUser(): void {
    this.crashes = [];
  }

  /** The connection to the server closed. */
  closed(): ServerVerdict {
    if (this.intentionalStops > 0) return { keep: false, notice: undefined };
    const at = this.now();
    this.crashes = [...this.crashes.filter((crash) => at - crash < this.windowMs), at];
    if (this.crashes.length >= this.maxCrashes) {
      // Whatever starts the server next (the user, a trust grant) starts afresh.
      this.crashes = [];
      return { keep: false, notice: 'gave-up' };
    }
    if (this.restartNoticeShown) return { keep: true, notice: undefined };
    this.restartNoticeShown = true;
    return { keep: true, notice: 'restarted' };
  }

  /**
   * Writing to the connection failed (`count`: failures so far on this connection;
   * none for a read). A dead server also closes the connection, and `closed`
   * restarts it; a live one whose connection keeps failing is shut down, said once.
   */
  errored(count: number | undefined): ServerVerdict {
    if (this.intentionalStops > 0 || count === undefined || count <= this.maxErrors) return { keep: true, notice: undefined };
    return { keep: false, notice: count === this.maxErrors + 1 ? 'connection-failing' : undefined };
  }
}
