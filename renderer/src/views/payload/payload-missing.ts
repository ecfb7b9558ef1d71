import type { PayloadDraft } from './drafts';

/**
 * What the draft's payload still lacks before it can be previewed and saved, in words (the preview says
 * it instead of an older answer, and Save shows it); null once its mode's fields are complete.
 */
export function payloadMissing({ mode, template, column, fields }: PayloadDraft): string | null {
  // A template of blanks renders nothing, which is not JSON: as empty as no text at all.
  if (mode === 'template') return template.trim() ? null : 'The template is empty';
  if (mode === 'json-column') return column ? null : 'Choose the column to send';
  const i = fields.findIndex((f) => !f.column || !f.key);
  if (i < 0) return null;
  const field = fields[i]!;
  if (!field.column && !field.key) return `Field ${i + 1} has no column and no key`;
  return field.key ? `Field ${i + 1} has no column` : `Field ${i + 1} has no key`;
}
