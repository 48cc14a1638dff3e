// The server-sent-events feed behind `GET /api/events`. One shared timer serves every open
// tab: it collects the 1h health summary once per refresh and writes the same frame to all
// subscribers, and it stops when the last tab goes away.
import type { Request, Response } from 'express';
import type { HealthErrorEvent, HealthSummary } from './api.js';

/** The part of an HTTP response the feed writes to. */
export interface FeedClient {
  write(chunk: string): unknown;
}

export interface LiveFeedOptions {
  load: () => Promise<HealthSummary>;
  refreshMs: number;
  /** comment lines keep proxies and browsers from timing out an idle stream */
  keepAliveMs: number;
  now: () => number;
}

/**
 * Answers a request for an event stream: the headers, and false for HEAD (headers only, and
 * no subscription that would collect for a client that never reads), else true once the
 * headers are sent.
 */
export function openEventStream(req: Request, res: Response): boolean {
  res.status(200).set({
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-store, no-transform',
    Connection: 'keep-alive',
    // Tell buffering reverse proxies (nginx) to pass frames through as they come.
    'X-Accel-Buffering': 'no',
  });
  if (req.method === 'HEAD') {
    res.end();
    return false;
  }
  res.flushHeaders();
  return true;
}

/** One SSE frame. `data` is single-line JSON, so one `data:` line suffices. */
export function sseFrame(event: string, data: unknown, id?: string | number): string {
  return `event: ${event}\n${id === undefined ? '' : `id: ${id}\n`}data: ${JSON.stringify(data)}\n\n`;
}

export class LiveFeed {
  private readonly clients = new Set<FeedClient>();
  private refreshTimer: ReturnType<typeof setInterval> | undefined;
  private keepAliveTimer: ReturnType<typeof setInterval> | undefined;
  private broadcasting = false;

  constructor(private readonly options: LiveFeedOptions) {}

  get size(): number {
    return this.clients.size;
  }

  /** Starts streaming to `client`: the current summary now, then one per refresh. */
  subscribe(client: FeedClient): () => void {
    this.clients.add(client);
    // Browsers reconnect on their own after this many ms when the stream drops.
    client.write('retry: 5000\n\n');
    void this.publish([client]);
    if (this.clients.size === 1) this.start();
    return () => {
      this.clients.delete(client);
      if (this.clients.size === 0) this.stop();
    };
  }

  private start(): void {
    const { refreshMs, keepAliveMs } = this.options;
    this.refreshTimer = setInterval(() => {
      // A collection slower than the refresh interval must not pile up behind itself.
      if (this.broadcasting) return;
      this.broadcasting = true;
      void this.publish(this.clients).finally(() => (this.broadcasting = false));
    }, refreshMs);
    this.keepAliveTimer = setInterval(() => {
      for (const client of this.clients) client.write(': keep-alive\n\n');
    }, keepAliveMs);
  }

  private stop(): void {
    clearInterval(this.refreshTimer);
    clearInterval(this.keepAliveTimer);
    this.refreshTimer = undefined;
    this.keepAliveTimer = undefined;
  }

  private async publish(targets: Iterable<FeedClient>): Promise<void> {
    let frame: string;
    try {
      const summary = await this.options.load();
      frame = sseFrame('health', summary, summary.evaluatedAt);
    } catch (error) {
      const payload: HealthErrorEvent = {
        message: error instanceof Error ? error.message : String(error),
        at: this.options.now(),
      };
      frame = sseFrame('health-error', payload);
    }
    // Only those still connected once the collection finished.
    for (const client of [...targets]) if (this.clients.has(client)) client.write(frame);
  }
}
