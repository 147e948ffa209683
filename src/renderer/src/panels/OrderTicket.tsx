import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useStore } from 'zustand';
import type { CommandRequest } from '../../../engine/contract/index';
import { useCockpit, useCockpitState } from '../context';
import { formatPrice } from '../format/format';

/** What the ticket holds, as typed. */
export interface TicketForm {
  readonly side: 'buy' | 'sell';
  readonly quantity: string;
  readonly type: 'limit' | 'market';
  /** In the instrument's currency, as the quote board shows prices. */
  readonly price: string;
  readonly tif: 'day' | 'ioc' | 'fok';
  readonly postOnly: boolean;
}

export const EMPTY_TICKET: TicketForm = { side: 'buy', quantity: '', type: 'limit', price: '', tif: 'day', postOnly: false };

/** Returns the PlaceOrder request of a ticket (without its reason), or what is wrong with it; `tickSize`: currency per price unit. */
export function ticketRequest(f: TicketForm, tickSize: number): { readonly order: Omit<CommandRequest<'PlaceOrder'>, 'reason'> } | { readonly error: string } {
  const q = f.quantity.trim().replace(/,/g, '');
  if (!/^\d+$/.test(q) || Number(q) < 1) return { error: 'Quantity: a whole number of lots, at least 1.' };
  const quantity = Number(q);
  if (f.type === 'market') {
    if (f.tif === 'day') return { error: 'A market order never rests: choose IOC or FOK.' };
    if (f.postOnly) return { error: 'Post-only is for a day limit order.' };
    return { order: { side: f.side, quantity, type: 'market', tif: f.tif, postOnly: false } };
  }
  const p = Number(f.price.trim().replace(/,/g, ''));
  if (f.price.trim() === '' || !Number.isFinite(p) || p <= 0) return { error: 'Price: a positive number, in the instrument’s currency.' };
  const units = Math.round(p / tickSize);
  if (Math.abs(units * tickSize - p) > tickSize / 1000) return { error: `Price: ${f.price.trim()} is not a multiple of ${formatPrice(1, tickSize)}.` };
  if (f.postOnly && f.tif !== 'day') return { error: 'Post-only is for a day limit order, which rests instead of trading.' };
  return { order: { side: f.side, quantity, type: 'limit', price: units, tif: f.tif, postOnly: f.postOnly } };
}

/**
 * The trader's order ticket: side, quantity, limit or market, time in force, post-only. It checks
 * each field and says what it refuses; the order goes through the same risk gate as the agents'
 * (asking the reason), and the gate's answer comes back in a toast and in the blotter. When a
 * working order of the trader's is being modified, it sends the change instead.
 */
export function OrderTicket() {
  const { actions, ui } = useCockpit();
  const tickSize = useCockpitState((s) => s.session?.tickSize ?? 0.01);
  const modifying = useStore(ui, (s) => s.modifying);
  const focus = useStore(ui, (s) => s.ticketFocus);
  const shown = useStore(ui, (s) => s.view === 'orders');
  const [f, setF] = useState<TicketForm>(EMPTY_TICKET);
  // The touch on the ticket's side, as a hint in the price field: followed only while the ticket is in view (the quote changes every frame).
  const touch = useCockpitState((s) => (shown && s.quote ? formatPrice(f.side === 'buy' ? s.quote.bid : s.quote.ask, tickSize) : ''));
  const [error, setError] = useState<string | null>(null);
  const quantity = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (focus > 0) quantity.current?.focus();
  }, [focus]);
  useEffect(() => {
    if (modifying !== null) setF((x) => ({ ...x, side: modifying.side, type: 'limit', tif: 'day', postOnly: false, quantity: String(modifying.remaining), price: formatPrice(modifying.price, tickSize) }));
  }, [modifying, tickSize]);

  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    const req = ticketRequest(f, tickSize);
    if ('error' in req) return setError(req.error);
    setError(null);
    if (modifying !== null) {
      const price = req.order.type === 'limit' ? req.order.price : undefined;
      const done = await actions.modifyOrder(modifying.orderId, price, req.order.quantity);
      if (done.status === 'done') ui.setState({ modifying: null });
      return;
    }
    await actions.placeOrder(req.order);
  };
  const set = (patch: Partial<TicketForm>): void => setF((x) => ({ ...x, ...patch }));

  return (
    <form className="ticket" onSubmit={(e) => void submit(e)} noValidate aria-label="Order ticket" data-testid="ticket">
      <strong>{modifying === null ? 'Order ticket' : `Modify ${modifying.orderId}`}</strong>
      <span role="group" aria-label="Side" className="ticket-side">
        <button type="button" className={`btn tiny ${f.side === 'buy' ? 'on buy' : ''}`} aria-pressed={f.side === 'buy'} onClick={() => set({ side: 'buy' })} disabled={modifying !== null} data-testid="ticket-buy">
          Buy
        </button>
        <button type="button" className={`btn tiny ${f.side === 'sell' ? 'on sell' : ''}`} aria-pressed={f.side === 'sell'} onClick={() => set({ side: 'sell' })} disabled={modifying !== null} data-testid="ticket-sell">
          Sell
        </button>
      </span>
      <label>
        <span className="label">Qty</span>{' '}
        <input ref={quantity} className="num" inputMode="numeric" size={8} value={f.quantity} onChange={(e) => set({ quantity: e.target.value })} data-testid="ticket-qty" />
      </label>
      <label>
        <span className="label">Type</span>{' '}
        <select value={f.type} onChange={(e) => set({ type: e.target.value as TicketForm['type'], tif: e.target.value === 'market' ? 'ioc' : f.tif })} disabled={modifying !== null} data-testid="ticket-type">
          <option value="limit">limit</option>
          <option value="market">market</option>
        </select>
      </label>
      <label>
        <span className="label">Price</span>{' '}
        <input className="num" inputMode="decimal" size={9} value={f.price} onChange={(e) => set({ price: e.target.value })} disabled={f.type === 'market'} placeholder={touch} data-testid="ticket-price" />
      </label>
      <label>
        <span className="label">TIF</span>{' '}
        <select value={f.tif} onChange={(e) => set({ tif: e.target.value as TicketForm['tif'] })} disabled={modifying !== null} data-testid="ticket-tif">
          <option value="day">day</option>
          <option value="ioc">IOC</option>
          <option value="fok">FOK</option>
        </select>
      </label>
      <label>
        <input type="checkbox" checked={f.postOnly} onChange={(e) => set({ postOnly: e.target.checked })} disabled={modifying !== null} data-testid="ticket-post-only" /> post-only
      </label>
      <button type="submit" className={`btn tiny ${f.side}`} data-testid="ticket-send">
        {modifying === null ? `${f.side === 'buy' ? 'Buy' : 'Sell'}…` : 'Send change…'}
      </button>
      {modifying !== null && (
        <button type="button" className="btn tiny" onClick={() => ui.setState({ modifying: null })}>
          Cancel modify
        </button>
      )}
      {error !== null && (
        <span className="bad" role="alert" data-testid="ticket-error">
          {error}
        </span>
      )}
    </form>
  );
}
