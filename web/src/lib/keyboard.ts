import type { KeyboardEvent } from 'react';

/**
 * For a helper control inside a form (a preview's facility number, a dry run's date): Enter there
 * must not submit — and so save — the form around it, as a browser does for any input of a form.
 * The control itself has seen the key already (a date picker takes the typed date on it).
 */
export function keepEnterFromForm(event: KeyboardEvent): void {
  if (event.key === 'Enter') event.preventDefault();
}
