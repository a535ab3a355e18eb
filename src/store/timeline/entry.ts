/**
 * One line of the incident timeline. Kept small (a few numbers and short strings): the timeline holds
 * tens of thousands of them. The text is built once, when the change is recorded.
 */

/** Where the entry comes from: the engine's /events, a task or node change the console saw, the operator's own action, or the console itself. */
export type TimelineSource = 'engine' | 'task' | 'node' | 'operator' | 'console';

export type Severity = 'info' | 'warn' | 'error';

/** What the entry is about (the jump target): a swarm object, or the console itself (markers, connection). */
export type SubjectKind = 'service' | 'node' | 'task' | 'stack' | 'secret' | 'config' | 'network' | 'swarm' | 'console';

export const SEVERITY_RANK: Readonly<Record<Severity, number>> = { info: 0, warn: 1, error: 2 };

/** An entry before it joins a timeline (no sequence number yet). */
export interface EntryDraft {
  /** Epoch ms of the change (the engine's time for events, the time seen for observed changes). */
  at: number;
  source: TimelineSource;
  severity: Severity;
  kind: SubjectKind;
  /** The object's id (the task's id for a task); '' for console entries. */
  objectId: string;
  /** web.3, lab-m3, web: what the operator knows the object by. */
  name: string;
  /** What changed, in words: "availability active → drain", "running → failed". */
  text: string;
  /** What goes after it, when it varies from one entry to the next: "task: non-zero exit (3) · exit code 3 · on lab-w1". */
  detail?: string;
  /** A task's service (where enter goes); '' otherwise. */
  serviceId?: string;
  /** The node the change happened on, by hostname; '' when none. */
  node?: string;
  /** Read back from before the console started (engine history, task records). */
  history?: boolean;
}

/**
 * Heads repeat ("running → failed", "availability active → drain"): one string for all entries that use
 * it. Bounded: past the limit new heads are kept per entry.
 */
const heads = new Map<string, string>();
const MAX_HEADS = 20_000;

function intern(s: string): string {
  const known = heads.get(s);
  if (known !== undefined) return known;
  if (heads.size < MAX_HEADS) heads.set(s, s);
  return s;
}

/**
 * A recorded entry: also a table row (id, name, version, search) so the pane shows entries as they are.
 * Memory is what the ring costs (see `npm run bench`): strings are shared where they repeat (the head,
 * ids and names from the model), the varying detail is kept apart so it stays one byte per character.
 */
export class TimelineEntry {
  readonly id: string;
  readonly serviceId: string;
  readonly node: string;
  readonly history: boolean;
  readonly at: number;
  readonly source: TimelineSource;
  readonly severity: Severity;
  readonly kind: SubjectKind;
  readonly objectId: string;
  readonly name: string;
  private readonly head: string;
  private readonly detail: string;
  /** Built on the first `/` filter only: most entries are never searched. */
  private searchKey: string | undefined;

  constructor(readonly seq: number, d: EntryDraft) {
    this.id = `e${seq}`;
    this.at = d.at;
    this.source = d.source;
    this.severity = d.severity;
    this.kind = d.kind;
    this.objectId = d.objectId;
    this.name = d.name;
    this.head = intern(d.text);
    this.detail = d.detail ?? '';
    this.serviceId = d.serviceId ?? '';
    this.node = d.node ?? '';
    this.history = d.history ?? false;
  }

  get version(): number {
    return 0;
  }

  /** What changed, in words, as shown. */
  get text(): string {
    return this.detail === '' ? this.head : `${this.head}: ${this.detail}`;
  }

  /** Lower-case words a `/` filter matches: source, severity, kind, name, node, text (→ as >: one byte a character). */
  get search(): string {
    this.searchKey ??= `${this.source} ${this.severity} ${this.kind} ${this.name} ${this.node} ${this.text}`.replace(/→/g, '>').toLowerCase();
    return this.searchKey;
  }
}

/** The entry as one JSON object (the bundle's timeline.jsonl). */
export function entryJson(e: TimelineEntry): Record<string, string | number | boolean> {
  return {
    time: new Date(e.at).toISOString(),
    source: e.source,
    severity: e.severity,
    kind: e.kind,
    id: e.objectId,
    name: e.name,
    ...(e.serviceId !== '' ? { serviceId: e.serviceId } : {}),
    ...(e.node !== '' ? { node: e.node } : {}),
    text: e.text,
    ...(e.history ? { history: true } : {}),
  };
}
