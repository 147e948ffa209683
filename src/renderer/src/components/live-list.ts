/** One cell of a live list row. */
export interface LiveColumn<T> {
  readonly className: string;
  readonly text: (row: T) => string;
  /** Extra class for this cell, e.g. buy or sell. */
  readonly tone?: (row: T) => string;
  /** Whether the full text shows on hover (for text that may be cut). */
  readonly titled?: boolean;
}

interface RowView {
  readonly el: HTMLElement;
  readonly cells: HTMLElement[];
  readonly texts: string[];
  readonly tones: string[];
  odd: boolean | null;
}

/**
 * A list drawn straight into the DOM, without React: only the rows in view exist, from a pool of
 * elements whose cells are written when their text or class changed. Rows have a fixed height; the
 * viewport's size and scroll position are cached from events so that drawing never forces a layout.
 */
export class LiveList<T> {
  private readonly content: HTMLElement;
  private readonly pool: RowView[] = [];
  private readonly resize: ResizeObserver;
  private rows: readonly T[] = [];
  private viewportHeight: number;
  private scrollTop: number;
  private readonly onScroll = (): void => {
    this.scrollTop = this.viewport.scrollTop;
    this.draw();
  };

  constructor(
    private readonly viewport: HTMLElement,
    private readonly columns: readonly LiveColumn<T>[],
    private readonly rowClass = 'live-row',
    private readonly rowHeight = 20,
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

  /** Shows `rows` top to bottom. */
  render(rows: readonly T[]): void {
    this.rows = rows;
    this.draw();
  }

  /** Removes the list from the DOM and stops observing the viewport. */
  dispose(): void {
    this.resize.disconnect();
    this.viewport.removeEventListener('scroll', this.onScroll);
    this.content.remove();
  }

  private draw(): void {
    const h = this.rowHeight;
    const total = this.rows.length;
    const first = Math.max(0, Math.min(Math.floor(this.scrollTop / h), total - 1));
    const count = Math.max(0, Math.min(total - first, Math.ceil(this.viewportHeight / h) + 1));
    const height = total > 0 ? `${total * h}px` : '';
    const padding = `${first * h}px`;
    if (this.content.style.height !== height) this.content.style.height = height;
    if (this.content.style.paddingTop !== padding) this.content.style.paddingTop = padding;
    for (let i = 0; i < count; i++) this.write(this.pool[i] ?? this.addRow(), this.rows[first + i]!, (first + i) % 2 === 1);
    while (this.pool.length > count) this.pool.pop()!.el.remove();
  }

  private write(view: RowView, row: T, odd: boolean): void {
    if (view.odd !== odd) {
      view.odd = odd;
      view.el.className = odd ? `${this.rowClass} odd` : this.rowClass;
    }
    for (let c = 0; c < this.columns.length; c++) {
      const col = this.columns[c]!;
      const cell = view.cells[c]!;
      const text = col.text(row);
      if (view.texts[c] !== text) {
        view.texts[c] = text;
        cell.textContent = text;
        if (col.titled) cell.title = text;
      }
      const tone = col.tone?.(row) ?? '';
      if (view.tones[c] !== tone) {
        view.tones[c] = tone;
        cell.className = tone ? `${col.className} ${tone}` : col.className;
      }
    }
  }

  private addRow(): RowView {
    const el = document.createElement('div');
    el.setAttribute('role', 'row');
    const cells = this.columns.map((col) => {
      const cell = document.createElement('span');
      cell.className = col.className;
      cell.setAttribute('role', 'cell');
      el.appendChild(cell);
      return cell;
    });
    this.content.appendChild(el);
    const view: RowView = { el, cells, texts: this.columns.map(() => ''), tones: this.columns.map(() => ''), odd: null };
    this.pool.push(view);
    return view;
  }
}
