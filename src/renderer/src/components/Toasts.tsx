import { useEffect } from 'react';
import { useStore } from 'zustand';
import { useCockpit } from '../context';
import { dismissToast, type Toast } from '../store/ui-store';

const TOAST_MS = 8_000;

function ToastItem({ toast }: { toast: Toast }) {
  const { ui } = useCockpit();
  useEffect(() => {
    const t = setTimeout(() => dismissToast(ui, toast.id), TOAST_MS);
    return () => clearTimeout(t);
  }, [ui, toast.id]);
  return (
    <div className={`toast ${toast.tone}`} role={toast.tone === 'error' ? 'alert' : 'status'} data-testid="toast">
      <div className="toast-text">
        <strong>{toast.title}</strong>
        <span>{toast.message}</span>
      </div>
      <button type="button" className="toast-close" aria-label="Dismiss" onClick={() => dismissToast(ui, toast.id)}>
        ×
      </button>
    </div>
  );
}

/** Commands the engine refused, with their typed errors. */
export function Toasts() {
  const { ui } = useCockpit();
  const toasts = useStore(ui, (s) => s.toasts);
  return (
    <div className="toasts" aria-live="polite">
      {toasts.map((t) => (
        <ToastItem key={t.id} toast={t} />
      ))}
    </div>
  );
}
