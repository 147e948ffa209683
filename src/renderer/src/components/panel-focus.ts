/**
 * Keyboard focus between the cockpit's panels: F6 moves to the next panel and Shift+F6 to the one
 * before (the desktop convention for moving between a window's regions), in the order the panels
 * are laid out, wrapping around; hidden panels are skipped.
 */

/** The index of the panel focus moves to from `current` (-1: focus is in none), among `count` panels. */
export function nextPanelIndex(count: number, current: number, backwards: boolean): number {
  if (count <= 0) return -1;
  if (current < 0) return backwards ? count - 1 : 0;
  return (current + (backwards ? count - 1 : 1)) % count;
}

/** Moves focus to the next (or previous) visible panel of `root` and returns it, or null when there is none. */
export function focusNextPanel(root: ParentNode, active: Element | null, backwards: boolean): HTMLElement | null {
  const panels = [...root.querySelectorAll<HTMLElement>('section.panel')].filter((p) => !p.hidden && p.offsetParent !== null);
  const current = active === null ? -1 : panels.findIndex((p) => p.contains(active));
  const target = panels[nextPanelIndex(panels.length, current, backwards)];
  if (target === undefined) return null;
  target.focus();
  return target;
}
