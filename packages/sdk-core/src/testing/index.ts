/**
 * Test doubles for every Tessera SDK's tests: an in-memory store (sync or async), a scripted
 * transport that records what it was sent, a switchable network, instances (tabs) that can
 * die, and `createTestClient`. The clock uses the global timers, so Vitest's fake timers drive it.
 * @example
 *   const { client, platform } = createTestClient({ flushAt: 1 });
 *   platform.transport.reply({ status: 503, retryAfter: '2' });
 *   client.track('Clicked');
 */
import type { BatchItem, BatchRequest } from '@tessera/protocol';
import { createClient } from '../client.ts';
import type { TesseraError } from '../errors.ts';
import type {
  ClientOptions,
  Clock,
  Instances,
  Network,
  Platform,
  Store,
  TesseraClient,
  Transport,
  TransportRequest,
  TransportResponse,
} from '../types.ts';

/** What a fake send answers: a response, a network error, or a function of the request. */
export type FakeReply =
  | { status: number; body?: unknown; retryAfter?: string }
  | 'network-error'
  | ((request: RecordedRequest) => FakeReply | Promise<FakeReply>);

/** A request the fake transport saw. */
export interface RecordedRequest {
  url: string;
  headers: Record<string, string>;
  body: BatchRequest;
  /** Sent through `beacon` (page exit) rather than `send`. */
  beacon: boolean;
  /** The status it was answered with (0 for a network error; 204 for beacons). */
  status?: number;
}

/** A transport that records requests and answers from a script, then with `fallback`. */
export class FakeTransport implements Transport {
  readonly requests: RecordedRequest[] = [];
  private readonly script: FakeReply[] = [];
  /** Answer when the script is empty. Default: 200, every item accepted. */
  fallback: FakeReply = (r) => ({ status: 200, body: { accepted: r.body.batch.length, rejected: [] } });
  /** What `beacon` returns. Default true. */
  beaconAccepts = true;

  /** Scripts the answers to the next sends, in order. */
  reply(...replies: FakeReply[]): this {
    this.script.push(...replies);
    return this;
  }

  async send(request: TransportRequest): Promise<TransportResponse> {
    const recorded: RecordedRequest = {
      url: request.url,
      headers: request.headers,
      body: JSON.parse(request.body) as BatchRequest,
      beacon: false,
    };
    this.requests.push(recorded);
    let reply: FakeReply = this.script.shift() ?? this.fallback;
    while (typeof reply === 'function') reply = await reply(recorded);
    if (reply === 'network-error') {
      recorded.status = 0;
      throw new TypeError('Failed to fetch');
    }
    recorded.status = reply.status;
    return { status: reply.status, body: reply.body, retryAfter: reply.retryAfter ?? null };
  }

  beacon(url: string, body: string): boolean {
    if (this.beaconAccepts)
      this.requests.push({ url, headers: {}, body: JSON.parse(body) as BatchRequest, beacon: true, status: 204 });
    return this.beaconAccepts;
  }

  /** Every item of every request the server accepted (2xx), in order. */
  get delivered(): BatchItem[] {
    return this.requests.filter((r) => (r.status ?? 0) >= 200 && (r.status ?? 0) < 300).flatMap((r) => r.body.batch);
  }
}

/** A Map-backed store; `async: true` makes it answer with promises, like AsyncStorage. */
export class MemoryStore implements Store {
  readonly data = new Map<string, string>();
  constructor(private readonly options: { async?: boolean } = {}) {}
  private answer<T>(value: T): T | Promise<T> {
    return this.options.async ? Promise.resolve(value) : value;
  }
  get(key: string) {
    return this.answer(this.data.get(key) ?? null);
  }
  set(key: string, value: string) {
    this.data.set(key, value);
    return this.answer(undefined);
  }
  remove(key: string) {
    this.data.delete(key);
    return this.answer(undefined);
  }
  keys(prefix: string) {
    return this.answer([...this.data.keys()].filter((k) => k.startsWith(prefix)));
  }
  /** The stored queue items, for assertions. */
  queued(): BatchItem[] {
    return [...this.data.entries()]
      .filter(([k]) => k.startsWith('tessera:q:'))
      .flatMap(([, v]) => (JSON.parse(v) as { i: BatchItem }[]).map((q) => q.i));
  }
}

/** A network that tests switch off and on. */
export class FakeNetwork implements Network {
  private listeners: (() => void)[] = [];
  constructor(public isOnline = true) {}
  online(): boolean {
    return this.isOnline;
  }
  onOnline(listener: () => void): void {
    this.listeners.push(listener);
  }
  set(online: boolean): void {
    this.isOnline = online;
    if (online) for (const l of this.listeners) l();
  }
}

/** Instances (tabs) over one shared store: `alive` holds the ids of those still running. */
export class FakeInstances implements Instances {
  private chain: Promise<unknown> = Promise.resolve();
  constructor(
    readonly id: string,
    readonly alive: Set<string>,
  ) {
    alive.add(id);
  }
  async abandoned(ids: string[]): Promise<string[]> {
    return ids.filter((i) => !this.alive.has(i));
  }
  lock<T>(_name: string, fn: () => Promise<T>): Promise<T> {
    const next = this.chain.then(fn);
    this.chain = next.catch(() => undefined);
    return next;
  }
  /** The tab closes. */
  die(): void {
    this.alive.delete(this.id);
  }
}

type Timers = {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
};

/** The global timers and `Date.now`, looked up at each call so that fake timers installed later apply. */
export const globalClock: Clock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => (globalThis as unknown as Timers).setTimeout(callback, ms),
  clearTimeout: (handle) => (globalThis as unknown as Timers).clearTimeout(handle),
};

export interface FakePlatform extends Platform {
  transport: FakeTransport;
  store: MemoryStore;
  network: FakeNetwork;
}

/** A platform of fakes; pass any port to replace it. */
export function createFakePlatform(overrides: Partial<FakePlatform> = {}): FakePlatform {
  return {
    transport: new FakeTransport(),
    store: new MemoryStore(),
    clock: globalClock,
    network: new FakeNetwork(),
    library: { name: '@tessera/sdk-core', version: 'test' },
    base64: (s) => (globalThis as unknown as { atob(s: string): string }).atob(s),
    ...overrides,
  };
}

export interface TestClient {
  client: TesseraClient;
  platform: FakePlatform;
  /** Everything reported through `onError`. */
  errors: TesseraError[];
}

/**
 * A client on a fake platform, with test-friendly defaults (`pk_test`, `http://tessera.test`).
 * @example
 *   const { client, platform, errors } = createTestClient({ flushAt: 2 });
 */
export function createTestClient(options: Partial<ClientOptions> = {}, platform = createFakePlatform()): TestClient {
  const errors: TesseraError[] = [];
  const client = createClient(
    {
      publicKey: 'pk_test',
      baseUri: 'http://tessera.test',
      onError: (e) => errors.push(e),
      ...options,
    },
    platform,
  );
  return { client, platform, errors };
}
