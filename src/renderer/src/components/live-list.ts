import { writeText } from './dom-text';

/** One cell of a live list row. */
export interface LiveColumn<T> {
  readonly className: string;
  readonly text: (row: T) => string;
  /** Extra class for this cell, e.g. buy or sell. */
  readonly tone?: (row: T) => string;
  /** Whether the full text shows on hover (for text that may be cut). */
  readonly titled?: boolean;
}

/** How rows open to show more: one row at a time, with a detail of fixed height below it. */
export interface LiveExpand<T> {
  /** A key that stays with the row while newer rows arrive. */
  readonly key: (row: T) => string;
  /** Height of the detail in pixels; it scrolls inside when its content is taller. */
  readonly height: number;
  /** Fills the (empty) detail element for `row`; called once each time the row opens or is drawn anew. */
  readonly render: (row: T, el: HTMLElement) => void;
}

interface RowView {
  readonly item: HTMLElement;
  readonly el: HTMLElement;
  readonly cells: HTMLElement[];
  readonly texts: string[];
  readonly tones: string[];
  className: string;
  index: number;
  detail: HTMLElement | null;
  detailKey: string | null;
}

/**
 * A list drawn straight into the DOM, without React: only the rows in view exist, from a pool of
 * elements whose cells are written when their text or class changed. Rows have a fixed height (an
 * open row adds its detail's fixed height); the viewport's size and scroll position are cached from
 * events so that drawing never forces a layout.
 */
export class LiveList<T> {
  private readonly content: HTMLElement;
  private readonly pool: RowView[] = [];
  private readonly resize: ResizeObserver;
  private rows: readonly T[] = [];
  private viewportHeight: number;
  private scrollTop: number;
  private openKey: string | null = null;
  private cursorKey: string | null = null;
  private readonly onScroll = (): void => {
    this.scrollTop = this.viewport.scrollTop;
    this.draw();
  };

  constructor(
    private readonly viewport: HTMLElement,
    private readonly columns: readonly LiveColumn<T>[],
    private readonly rowClass = 'live-row',
    private readonly rowHeight = 20,
    private readonly expand: LiveExpand<T> | null = null,
  ) {
    this.content = document.createElement('div');
    this.content.className = 'live-content';
    viewport.appendChild(this.content);
    this.viewportHeight = viewport.clientHeight;
    this.scrollTop = viewport.scrollTop;
    viewport.addEventListener('scroll', this.onScroll, { passive: true });
    this.resize = new ResizeObserver((entries) => {
      const h = entries[entries.length - 1]?.contentRect.height;
      if (h !== undefined && h !== this.viewportHeight) {
        this.viewportHeight = h;
        this.draw();
      }
    });
    this.resize.observe(viewport);
  }

  /** Shows `rows` top to bottom. An open row keeps its place on screen while rows arrive above it. */
  render(rows: readonly T[]): void {
    const before = this.openIndex();
    this.rows = rows;
    const after = this.openIndex();
    if (after < 0) this.openKey = null;
    if (this.cursorKey !== null && this.indexOf(this.cursorKey) < 0) this.cursorKey = null;
    this.draw();
    if (before >= 0 && after > before) this.scrollTo(this.scrollTop + (after - before) * this.rowHeight);
  }

  /** Returns the row drawn in the element `target` is part of, or null. */
  rowAt(target: EventTarget | null): T | null {
    const el = target instanceof Element ? target.closest<HTMLElement>('[data-index]') : null;
    if (el === null || !this.content.contains(el)) return null;
    return this.rows[Number(el.dataset.index)] ?? null;
  }

  /** Opens `row`'s detail, or closes it when it is open; it also becomes the cursor row. */
  toggle(row: T): void {
    if (this.expand === null) return;
    const key = this.expand.key(row);
    this.cursorKey = key;
    this.openKey = this.openKey === key ? null : key;
    this.draw();
    this.reveal(this.indexOf(key));
  }

  /** Closes the open row, if any. */
  collapse(): void {
    if (this.openKey === null) return;
    this.openKey = null;
    this.draw();
  }

  /** Returns the cursor row (the one Enter opens), or null. */
  cursor(): T | null {
    const i = this.cursorKey === null ? -1 : this.indexOf(this.cursorKey);
    return i < 0 ? null : (this.rows[i] ?? null);
  }

  /** Moves the cursor by `delta` rows (from the first row in view when there is none) and scrolls to it. */
  moveCursor(delta: number): void {
    if (this.expand === null || this.rows.length === 0) return;
    const current = this.cursorKey === null ? -1 : this.indexOf(this.cursorKey);
    const from = current < 0 ? this.firstVisible() - (delta > 0 ? 1 : 0) : current;
    const next = Math.max(0, Math.min(this.rows.length - 1, from + delta));
    this.cursorKey = this.expand.key(this.rows[next]!);
    this.draw();
    this.reveal(next);
  }

  /** Removes the list from the DOM and stops observing the viewport. */
  dispose(): void {
    this.resize.disconnect();
    this.viewport.removeEventListener('scroll', this.onScroll);
    this.content.remove();
  }

  private indexOf(key: string): number {
    const expand = this.expand;
    if (expand === null) return -1;
    for (let i = 0; i < this.rows.length; i++) if (expand.key(this.rows[i]!) === key) return i;
    return -1;
  }

  private openIndex(): number {
    return this.openKey === null ? -1 : this.indexOf(this.openKey);
  }

  /** Returns the top of row `i` in pixels. */
  private top(i: number, open: number): number {
    return i * this.rowHeight + (open >= 0 && i > open ? (this.expand?.height ?? 0) : 0);
  }

  private firstVisible(open = this.openIndex()): number {
    const h = this.rowHeight;
    const y = this.scrollTop;
    const extra = this.expand?.height ?? 0;
    let first: number;
    if (open < 0 || y < (open + 1) * h) first = Math.floor(y / h);
    else if (y < (open + 1) * h + extra) first = open;
    else first = Math.floor((y - extra) / h);
    return Math.max(0, Math.min(first, this.rows.length - 1));
  }

  private reveal(i: number): void {
    if (i < 0) return;
    const open = this.openIndex();
    const top = this.top(i, open);
    const bottom = top + this.rowHeight + (i === open ? (this.expand?.height ?? 0) : 0);
    if (top < this.scrollTop) this.scrollTo(top);
    else if (bottom > this.scrollTop + this.viewportHeight) this.scrollTo(Math.min(top, bottom - this.viewportHeight));
  }

  private scrollTo(y: number): void {
    this.scrollTop = Math.max(0, y);
    this.viewport.scrollTop = this.scrollTop;
    this.draw();
  }

  private draw(): void {
    const total = this.rows.length;
    const open = this.openIndex();
    const first = this.firstVisible(open);
    const bottom = this.scrollTop + this.viewportHeight;
    let count = 0;
    while (first + count < total && this.top(first + count, open) < bottom) count++;
    if (total > 0 && count === 0) count = Math.min(1, total - first);
    const height = total > 0 ? `${this.top(total, open)}px` : '';
    const padding = total > 0 ? `${this.top(first, open)}px` : '0px';
    if (this.content.style.height !== height) this.content.style.height = height;
    if (this.content.style.paddingTop !== padding) this.content.style.paddingTop = padding;
    for (let i = 0; i < count; i++) this.write(this.pool[i] ?? this.addRow(), this.rows[first + i]!, first + i);
    while (this.pool.length > count) this.pool.pop()!.item.remove();
  }

  private write(view: RowView, row: T, index: number): void {
    const expand = this.expand;
    const key = expand?.key(row) ?? null;
    const isOpen = key !== null && key === this.openKey;
    let className = index % 2 === 1 ? `${this.rowClass} odd` : this.rowClass;
    if (key !== null && key === this.cursorKey) className += ' cursor';
    if (isOpen) className += ' open';
    if (view.className !== className) {
      view.className = className;
      view.el.className = className;
      if (expand !== null) view.el.setAttribute('aria-expanded', String(isOpen));
    }
    if (view.index !== index) {
      view.index = index;
      view.el.dataset.index = String(index);
    }
    for (let c = 0; c < this.columns.length; c++) {
      const col = this.columns[c]!;
      const cell = view.cells[c]!;
      const text = col.text(row);
      if (view.texts[c] !== text) {
        view.texts[c] = text;
        writeText(cell, text);
        if (col.titled) cell.title = text;
      }
      const tone = col.tone?.(row) ?? '';
      if (view.tones[c] !== tone) {
        view.tones[c] = tone;
        cell.className = tone ? `${col.className} ${tone}` : col.className;
      }
    }
    if (expand === null) return;
    if (isOpen) {
      if (view.detail === null) {
        view.detail = document.createElement('div');
        view.detail.className = 'live-detail';
        view.detail.style.height = `${expand.height}px`;
        view.item.appendChild(view.detail);
      }
      if (view.detailKey !== key) {
        view.detailKey = key;
        view.detail.replaceChildren();
        expand.render(row, view.detail);
      }
    } else if (view.detail !== null) {
      view.detail.remove();
      view.detail = null;
      view.detailKey = null;
    }
  }

  private addRow(): RowView {
    const item = document.createElement('div');
    const el = document.createElement('div');
    el.setAttribute('role', 'row');
    item.appendChild(el);
    const cells = this.columns.map((col) => {
      const cell = document.createElement('span');
      cell.className = col.className;
      cell.setAttribute('role', 'cell');
      el.appendChild(cell);
      return cell;
    });
    this.content.appendChild(item);
    const view: RowView = { item, el, cells, texts: this.columns.map(() => ''), tones: this.columns.map(() => ''), className: '', index: -1, detail: null, detailKey: null };
    this.pool.push(view);
    return view;
  }
}
