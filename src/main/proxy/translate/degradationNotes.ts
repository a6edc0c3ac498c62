/**
 * Human notes, for the request log, on everything a translation dropped or changed. Repeated
 * drops of one kind are counted into a single note so a long history does not flood the log.
 */
export class DegradationNotes {
  private readonly notes: string[] = [];
  private readonly dropCounts = new Map<string, number>();

  add(note: string): void {
    if (!this.notes.includes(note)) this.notes.push(note);
  }

  /** Counts one dropped item; `what` is singular, e.g. "thinking block". */
  dropped(what: string): void {
    this.dropCounts.set(what, (this.dropCounts.get(what) ?? 0) + 1);
  }

  list(): string[] {
    const drops = [...this.dropCounts].map(([what, n]) => `dropped ${n} ${pluralize(what, n)}`);
    return [...drops, ...this.notes];
  }
}

/** "document block (PDF)" → "document blocks (PDF)": the count applies to the head noun. */
function pluralize(what: string, n: number): string {
  if (n === 1) return what;
  const paren = what.indexOf(' (');
  return paren === -1 ? `${what}s` : `${what.slice(0, paren)}s${what.slice(paren)}`;
}
