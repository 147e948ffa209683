import { useEffect, useRef, useState } from 'react';
import { useStore } from 'zustand';
import { REASON_MAX, reasonSchema } from '../../../engine/contract/define';
import { useCockpit } from '../context';
import type { ReasonRequest } from '../store/ui-store';

/** Asks for the reason behind a human action; the default is prefilled, so Enter confirms. */
export function ReasonPrompt() {
  const { ui } = useCockpit();
  const request = useStore(ui, (s) => s.prompt);
  if (request === null) return null;
  return <PromptDialog key={request.id} request={request} />;
}

function PromptDialog({ request }: { request: ReasonRequest }) {
  const [reason, setReason] = useState(request.defaultReason);
  const input = useRef<HTMLInputElement>(null);
  // The contract's own rule for a reason, so the prompt accepts exactly what the engine will.
  const valid = reasonSchema.safeParse(reason).success;

  useEffect(() => {
    input.current?.focus();
    input.current?.select();
  }, []);

  return (
    <div className="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && request.resolve(null)}>
      <form
        className={`modal ${request.danger ? 'danger' : ''}`}
        role="dialog"
        aria-modal="true"
        aria-labelledby="reason-title"
        onSubmit={(e) => {
          e.preventDefault();
          if (valid) request.resolve(reason);
        }}
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            e.preventDefault();
            request.resolve(null);
          }
        }}
      >
        <h3 id="reason-title">{request.title}</h3>
        <p className="modal-detail">{request.detail}</p>
        <label className="modal-field">
          <span className="label">Reason (recorded with the action)</span>
          <input
            ref={input}
            data-testid="reason-input"
            value={reason}
            maxLength={REASON_MAX}
            onChange={(e) => setReason(e.target.value)}
            spellCheck={false}
            autoComplete="off"
          />
        </label>
        <div className="modal-actions">
          <button type="button" className="btn" onClick={() => request.resolve(null)}>
            Cancel <kbd>Esc</kbd>
          </button>
          <button type="submit" className={`btn ${request.danger ? 'danger solid' : 'primary'}`} data-testid="reason-confirm" disabled={!valid}>
            {request.confirmLabel} <kbd>↵</kbd>
          </button>
        </div>
      </form>
    </div>
  );
}
