// `cnarch/eventsourcing`: an embeddable event store with EventStoreDB's semantics, as a
// module of its own (see docs/eventsourcing.md). Times are milliseconds since the Unix epoch.

/** Plain JSON data. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** An event to append; bytes go as base64 text under `dataBase64` / `metadataBase64`. */
export interface EventInput {
  id: string;
  type: string;
  data?: Json;
  dataBase64?: string;
  metadata?: Json;
  metadataBase64?: string;
  isJson?: boolean;
}

/** An event as the store holds it. */
export interface RecordedEvent {
  stream: string;
  revision: number;
  position: number;
  id: string;
  type: string;
  isJson: boolean;
  created: number;
  data: Json;
  dataBase64?: string;
  metadata: Json;
  metadataBase64?: string;
}

/** `"any"`, `"noStream"`, `"streamExists"` or a revision. */
export type ExpectedRevision = "any" | "noStream" | "streamExists" | number;

/** A stream name, or the global log (`null`, or a filter). */
export type Source = string | null | { streamPrefixes?: string[]; eventTypePrefixes?: string[] };

export interface AppendResult {
  nextExpectedRevision: number | null;
  position: number | null;
  written: boolean;
}

export class EventStore {
  constructor();
  append(stream: string, events: EventInput[], expected?: ExpectedRevision | null, now?: number): AppendResult;
  readStream(
    stream: string,
    options?: { direction?: "forwards" | "backwards"; fromRevision?: number; maxCount?: number; now?: number },
  ): RecordedEvent[];
  readAll(options?: {
    direction?: "forwards" | "backwards";
    fromPosition?: number;
    maxCount?: number;
    streamPrefixes?: string[];
    eventTypePrefixes?: string[];
  }): RecordedEvent[];
  delete(stream: string, expected?: ExpectedRevision | null): void;
  tombstone(stream: string, expected?: ExpectedRevision | null): void;
  setMetadata(stream: string, metadata: { maxCount?: number; maxAge?: number; truncateBefore?: number }): void;
  metadata(stream: string): { maxCount: number | null; maxAge: number | null; truncateBefore: number | null } | null;
  revision(stream: string): number | undefined;
  readonly length: number;
  scavenge(now: number): number;
  toJsonLines(): string;
  toBytes(): Uint8Array;
  static fromJsonLines(text: string): EventStore;
  static fromBytes(bytes: Uint8Array): EventStore;
  free(): void;
}

export class CatchUpSubscription {
  constructor(source?: Source, options?: { checkpoint?: number | null; batchSize?: number });
  poll(store: EventStore, now: number): { events: RecordedEvent[]; checkpoint: number | null; caughtUp: boolean };
  ack(checkpoint: number | null): void;
  rewind(): void;
  readonly checkpoint: number | undefined;
  readonly live: boolean;
  free(): void;
}

export class PersistentSubscription {
  constructor(
    source?: Source,
    options?: { startAfter?: number; maxRetryCount?: number; messageTimeout?: number; bufferSize?: number },
  );
  poll(store: EventStore, now: number): { event: RecordedEvent; retryCount: number }[];
  ack(position: number): void;
  nack(position: number, action?: "retry" | "park" | "skip"): void;
  readonly parked: { position: number; reason: "maxRetries" | "byClient" }[];
  replayParked(store: EventStore): void;
  readonly checkpoint: number | undefined;
  readonly outstanding: number;
  free(): void;
}

export type Fold<S> = (state: S, event: RecordedEvent) => S;

export class Projection<S = unknown> {
  constructor(
    handlers: Fold<S> | { [eventType: string]: Fold<S> },
    options?: { source?: Source; partition?: string | null; initial?: S; batchSize?: number },
  );
  run(store: EventStore, now?: number): { folded: number; passedOver: number; checkpoint: number | null };
  readonly states: { [key: string]: S };
  readonly checkpoint: number | undefined;
  reset(): void;
  free(): void;
}

export class Snapshots<S = unknown> {
  constructor(options?: { everyEvents?: number; every?: number; retention?: number });
  offer(stream: string, revision: number, now: number, state: S): boolean;
  load(
    store: EventStore,
    stream: string,
    fold: Fold<S>,
    initial: S,
    now?: number,
  ): { state: S; revision: number | null; snapshot: number | null; eventsRead: number };
  list(stream: string): { revision: number; taken: number; state: S }[];
  free(): void;
}

export class Replay {
  constructor(
    store: EventStore,
    options?: {
      fromPosition?: number;
      fromTime?: number;
      toPosition?: number;
      toTime?: number;
      streamPrefixes?: string[];
      eventTypePrefixes?: string[];
      batchSize?: number;
    },
  );
  nextBatch(store: EventStore): RecordedEvent[] | null;
  readonly progress: { done: number; total: number; position: number | null };
  free(): void;
}
