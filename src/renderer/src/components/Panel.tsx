import type { ReactNode } from 'react';

/** A titled region of the cockpit. */
export function Panel(props: { title: string; meta?: ReactNode; className?: string; hidden?: boolean; children: ReactNode }) {
  const id = `panel-${props.title.toLowerCase().replace(/[^a-z]+/g, '-')}`;
  return (
    // Focusable from the keyboard (F6, Shift+F6 move between panels); Tab goes on into its controls.
    <section className={`panel ${props.className ?? ''}`} aria-labelledby={id} hidden={props.hidden} tabIndex={-1}>
      <header className="panel-head">
        <h2 id={id}>{props.title}</h2>
        {props.meta !== undefined && <div className="panel-meta">{props.meta}</div>}
      </header>
      <div className="panel-body">{props.children}</div>
    </section>
  );
}
