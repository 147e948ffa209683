/**
 * Writes `text` into `el`. An element holding one text node has that node's data changed in place:
 * no node is removed or inserted, so the layout only measures the new text again. Hot panels write
 * dozens of cells a frame this way.
 */
export function writeText(el: Element, text: string): void {
  const node = el.firstChild;
  if (node !== null && node === el.lastChild && node.nodeType === Node.TEXT_NODE) {
    const t = node as Text;
    if (t.data !== text) t.data = text;
  } else if (el.textContent !== text) {
    el.textContent = text;
  }
}
