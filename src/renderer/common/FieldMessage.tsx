/** The error shown under a form field, announced to screen readers. */
export function FieldMessage({ error, id }: { error?: string; id?: string }) {
  if (!error) return null;
  return (
    <p className="field-error" role="alert" id={id}>
      {error}
    </p>
  );
}
