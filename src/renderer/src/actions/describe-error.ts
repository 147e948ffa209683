import type { CommandError } from '../../../engine/contract/index';

/** Returns the toast text of a command's typed error, with the schema's findings when there are any. */
export function describeError(error: CommandError): string {
  const issues = error.issues?.map((i) => `${i.path}: ${i.message}`).join('; ');
  return issues && !error.message.includes(issues) ? `${error.message} (${issues})` : error.message;
}
