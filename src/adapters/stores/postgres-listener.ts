import pg from "pg";

/**
 * One connection that `LISTEN`s on a channel and calls every subscriber on each notification.
 * When the connection drops it reconnects (backing off up to 30 s) and then calls the subscribers
 * once, since notifications sent meanwhile are lost; the worker's slow poll covers the gap.
 */
export class PostgresListener {
  private readonly listeners = new Set<() => void>();
  private client: pg.Client | undefined;
  private connecting: Promise<void> | undefined;
  private retry: NodeJS.Timeout | undefined;
  private failures = 0;
  private closed = false;

  constructor(
    private readonly config: () => Promise<pg.ClientConfig>,
    private readonly channel: string,
  ) {}

  /** Calls `listener` on every notification until the returned function is called. */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    this.connecting ??= this.connect();
    return () => this.listeners.delete(listener);
  }

  /** Resolves once the connection listens (tests: a notification sent after this arrives). */
  async listening(): Promise<void> {
    await this.connecting;
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.retry) clearTimeout(this.retry);
    await this.connecting;
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => {});
  }

  private async connect(): Promise<void> {
    if (this.closed) return;
    let client: pg.Client | undefined;
    try {
      client = new pg.Client(await this.config());
      const self = client;
      client.on("notification", () => this.notify());
      client.on("error", () => this.lost(self));
      client.on("end", () => this.lost(self));
      await client.connect();
      await client.query(`LISTEN "${this.channel.replace(/"/g, '""')}"`);
      if (this.closed) {
        await client.end();
        return;
      }
      this.client = client;
      if (this.failures > 0) this.notify(); // what was sent while we were away is lost: look now
      this.failures = 0;
    } catch {
      this.lost(client);
    }
  }

  private lost(client: pg.Client | undefined): void {
    if (this.client !== undefined && this.client !== client) return;
    this.client = undefined;
    client?.end().catch(() => {});
    if (this.closed || this.retry) return;
    const wait = Math.min(30_000, 250 * 2 ** this.failures++);
    this.retry = setTimeout(() => {
      this.retry = undefined;
      this.connecting = this.connect();
    }, wait);
    this.retry.unref();
  }

  private notify(): void {
    for (const listener of this.listeners) listener();
  }
}
