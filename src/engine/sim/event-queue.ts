/**
 * The simulator's event queue: a binary min-heap keyed by time (integer ns) then insertion
 * sequence, so events at one nanosecond come out in the order they were scheduled and a run is
 * deterministic. Entries live in parallel typed arrays (no allocation per event); each carries a
 * target (who handles it), a kind and an integer argument.
 */
export class EventQueue {
  private time: Float64Array;
  private seq: Float64Array;
  private target: Int32Array;
  private kind: Int32Array;
  private arg: Float64Array;
  private n = 0;
  private nextSeq = 0;

  /** The popped entry's fields, valid until the next `pop`. */
  topTime = 0;
  topTarget = 0;
  topKind = 0;
  topArg = 0;

  constructor(capacity = 1024) {
    const c = Math.max(16, capacity);
    this.time = new Float64Array(c);
    this.seq = new Float64Array(c);
    this.target = new Int32Array(c);
    this.kind = new Int32Array(c);
    this.arg = new Float64Array(c);
  }

  /** Number of queued events. */
  get size(): number {
    return this.n;
  }

  /** Returns the time of the earliest event, or Infinity when the queue is empty. */
  peekTime(): number {
    return this.n > 0 ? this.time[0]! : Infinity;
  }

  /** Schedules an event at `t`. */
  push(t: number, target: number, kind: number, arg: number): void {
    if (this.n === this.time.length) this.grow();
    const time = this.time;
    const seq = this.seq;
    const tg = this.target;
    const kd = this.kind;
    const ag = this.arg;
    const s = this.nextSeq++;
    let i = this.n++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const pt = time[p]!;
      if (pt < t || (pt === t && seq[p]! < s)) break;
      time[i] = pt;
      seq[i] = seq[p]!;
      tg[i] = tg[p]!;
      kd[i] = kd[p]!;
      ag[i] = ag[p]!;
      i = p;
    }
    time[i] = t;
    seq[i] = s;
    tg[i] = target;
    kd[i] = kind;
    ag[i] = arg;
  }

  /** Removes the earliest event into `topTime`, `topTarget`, `topKind`, `topArg`; returns false when empty. */
  pop(): boolean {
    const n = this.n;
    if (n === 0) return false;
    const time = this.time;
    const seq = this.seq;
    const tg = this.target;
    const kd = this.kind;
    const ag = this.arg;
    this.topTime = time[0]!;
    this.topTarget = tg[0]!;
    this.topKind = kd[0]!;
    this.topArg = ag[0]!;
    const last = n - 1;
    this.n = last;
    if (last === 0) return true;
    const t = time[last]!;
    const s = seq[last]!;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= last) break;
      const r = l + 1;
      let c = l;
      if (r < last) {
        const lt = time[l]!;
        const rt = time[r]!;
        if (rt < lt || (rt === lt && seq[r]! < seq[l]!)) c = r;
      }
      const ct = time[c]!;
      if (t < ct || (t === ct && s < seq[c]!)) break;
      time[i] = ct;
      seq[i] = seq[c]!;
      tg[i] = tg[c]!;
      kd[i] = kd[c]!;
      ag[i] = ag[c]!;
      i = c;
    }
    time[i] = t;
    seq[i] = s;
    tg[i] = tg[last]!;
    kd[i] = kd[last]!;
    ag[i] = ag[last]!;
    return true;
  }

  private grow(): void {
    const c = this.time.length * 2;
    const f = (a: Float64Array): Float64Array => {
      const b = new Float64Array(c);
      b.set(a);
      return b;
    };
    const i32 = (a: Int32Array): Int32Array => {
      const b = new Int32Array(c);
      b.set(a);
      return b;
    };
    this.time = f(this.time);
    this.seq = f(this.seq);
    this.target = i32(this.target);
    this.kind = i32(this.kind);
    this.arg = f(this.arg);
  }
}
