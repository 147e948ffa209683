import type { DecisionExplanation } from '../../../engine/contract/index';
import type { DecisionRow } from '../store/types';

/** Attributions shown per decision, largest first; the rest are summed into one line. */
const MAX_ATTRIBUTIONS = 12;

function node(tag: string, className: string, text?: string): HTMLElement {
  const el = document.createElement(tag);
  el.className = className;
  if (text !== undefined) el.textContent = text;
  return el;
}

/** Formats a feature value compactly: 4 significant digits, no trailing noise. */
export function formatInput(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value)) return String(value);
  const abs = Math.abs(value);
  return abs >= 1000 ? value.toFixed(0) : Number(value.toPrecision(4)).toString();
}

/** Returns the attributions by magnitude, largest first, with the share left over past `max`. */
export function rankAttributions(attributions: Readonly<Record<string, number>>, max = MAX_ATTRIBUTIONS): { readonly top: [string, number][]; readonly rest: number; readonly restCount: number } {
  const all = Object.entries(attributions).filter(([, v]) => Number.isFinite(v));
  all.sort((a, b) => Math.abs(b[1]) - Math.abs(a[1]));
  const top = all.slice(0, max);
  const others = all.slice(max);
  return { top, rest: others.reduce((sum, [, v]) => sum + v, 0), restCount: others.length };
}

function inputsSection(inputs: Readonly<Record<string, number>>): HTMLElement {
  const section = node('div', 'dd-section dd-inputs');
  section.appendChild(node('div', 'label', 'Inputs'));
  const names = Object.keys(inputs);
  if (names.length === 0) {
    section.appendChild(node('div', 'dim', 'none recorded'));
    return section;
  }
  const list = node('div', 'dd-kv');
  for (const name of names) {
    const pair = node('span', 'dd-pair');
    pair.append(node('span', 'dd-key', name), node('span', 'dd-eq', ' = '), node('span', 'dd-val num', formatInput(inputs[name]!)));
    list.appendChild(pair);
  }
  section.appendChild(list);
  return section;
}

function valuesSection(x: DecisionExplanation): HTMLElement {
  const section = node('div', 'dd-section dd-values');
  section.appendChild(node('div', 'label', x.valueKind === 'q' ? 'Action values (Q)' : 'Action probabilities'));
  const finite = x.values.filter((v) => Number.isFinite(v));
  const lo = x.valueKind === 'probability' ? 0 : Math.min(0, ...finite);
  const hi = x.valueKind === 'probability' ? 1 : Math.max(0, ...finite);
  const span = hi - lo || 1;
  x.actions.forEach((action, i) => {
    const v = x.values[i] ?? Number.NaN;
    const row = node('div', i === x.chosen ? 'dd-bar-row chosen' : 'dd-bar-row');
    const track = node('span', 'dd-track');
    const bar = node('span', 'dd-bar');
    bar.style.left = `${((Math.min(0, v) - lo) / span) * 100}%`;
    bar.style.width = `${Number.isFinite(v) ? (Math.abs(v) / span) * 100 : 0}%`;
    track.appendChild(bar);
    const text = x.valueKind === 'probability' ? `${(v * 100).toFixed(1)}%` : formatInput(v);
    row.append(node('span', 'dd-name', `${i === x.chosen ? '▸ ' : ''}${action}`), track, node('span', 'dd-num num', text));
    section.appendChild(row);
  });
  return section;
}

function attributionsSection(x: DecisionExplanation): HTMLElement {
  const section = node('div', 'dd-section dd-attr');
  section.appendChild(node('div', 'label', `Why “${x.actions[x.chosen] ?? '?'}”: feature attributions`));
  const { top, rest, restCount } = rankAttributions(x.attributions);
  const max = Math.max(1e-12, ...top.map(([, v]) => Math.abs(v)));
  for (const [name, v] of top) {
    const row = node('div', 'dd-bar-row signed');
    const track = node('span', 'dd-track signed');
    const bar = node('span', v >= 0 ? 'dd-bar pos' : 'dd-bar neg');
    const w = (Math.abs(v) / max) * 50;
    bar.style.left = v >= 0 ? '50%' : `${50 - w}%`;
    bar.style.width = `${w}%`;
    track.appendChild(bar);
    row.append(node('span', 'dd-name', name), track, node('span', 'dd-num num', `${v > 0 ? '+' : ''}${formatInput(v)}`));
    section.appendChild(row);
  }
  if (restCount > 0) section.appendChild(node('div', 'dim', `${restCount} more features, ${rest >= 0 ? '+' : ''}${formatInput(rest)} together`));
  section.appendChild(node('div', 'dd-baseline dim', `Against ${x.baseline}`));
  return section;
}

/** Fills a decision's detail: its inputs, and a learned policy's action values and attributions. */
export function renderDecisionDetail(row: DecisionRow, el: HTMLElement, priceText: string): void {
  const head = node('div', 'dd-head');
  head.append(node('span', 'dd-action', `${row.action}${row.size > 0 ? ` ${row.size}` : ''}${row.price !== null ? ` @ ${priceText}` : ''}`), node('span', 'dd-reason', row.reason));
  const left = node('div', 'dd-col');
  left.appendChild(inputsSection(row.inputs));
  const x = row.explanation;
  if (x !== null) left.appendChild(valuesSection(x));
  const grid = node('div', x === null ? 'dd-grid single' : 'dd-grid');
  grid.appendChild(left);
  if (x !== null) grid.appendChild(attributionsSection(x));
  el.append(head, grid);
}
