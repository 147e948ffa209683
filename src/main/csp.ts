/**
 * The Content-Security-Policy sent as a header with every page the window loads, by the Electron
 * host and by browser mode alike. The renderer's index.html carries the same policy as a meta tag
 * (the browser applies both; a page opened without either host still has it).
 *
 * style-src needs 'unsafe-inline': AG Grid's theming API and the chart's attribution logo inject
 * <style> elements, and AG Grid positions rows with style attributes. Nothing needs eval.
 */
const DIRECTIVES: readonly string[] = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "worker-src 'none'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
];

/**
 * The policy. `websocket` is the one socket origin browser mode connects to (ws://host:port); the
 * Electron window talks over IPC and connects to nothing but itself.
 */
export function contentSecurityPolicy(websocket?: string): string {
  const connect = websocket === undefined ? "connect-src 'self'" : `connect-src 'self' ${websocket}`;
  return [...DIRECTIVES, connect].join('; ');
}
