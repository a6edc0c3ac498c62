/**
 * A mistake the user can fix (a bad URL, an unknown provider), addressed to a form field.
 * The IPC layer sends these back to the renderer as values; anything else is reported as an
 * unexpected failure without internals.
 */
export class UserError extends Error {
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'UserError';
  }
}
