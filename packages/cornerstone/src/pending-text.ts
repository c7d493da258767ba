/**
 * Text that the arrow and label tools use instead of a `window.prompt` (kept apart from the
 * tools so that setting it never loads their code).
 */
let text = 'Note';

export function setPendingText(value: string): void {
  text = value;
}

export function pendingText(): string {
  return text;
}
