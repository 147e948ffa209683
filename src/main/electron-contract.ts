import { contentSecurityPolicy } from './csp';

/** The IPC channel for commands (window → engine host). */
export const IPC_INVOKE = 'cockpit:invoke';
/** The IPC channel for event batches (engine host → window). */
export const IPC_EVENTS = 'cockpit:events';
/** The global "kill all" shortcut, active even when the cockpit is not focused. */
export const KILL_ALL_ACCELERATOR = 'CommandOrControl+Shift+K';

/** The Content-Security-Policy sent with every response the window loads. */
export const CONTENT_SECURITY_POLICY = contentSecurityPolicy();
