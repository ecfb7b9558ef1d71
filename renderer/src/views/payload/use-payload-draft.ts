import { startTransition, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { Payload, Sync } from '../../../../shared/config/sync';
import { mappingToTemplate } from '../../../../shared/payload/mapping-template';
import { clearDraft, differsFromSaved, draftOf, readDraft, writeDraft, type PayloadDraft } from './drafts';
import type { MessageProps } from './message-props';

type Mode = Payload['mode'];

export const propsOf = (sync: Sync): MessageProps => ({
  partitionKey: sync.partitionKey,
  explicitHashKey: sync.explicitHashKey,
  kafka: sync.kafka,
  firehose: sync.firehose,
});

/** JSON with object keys sorted and undefined left out: two equal values give the same text. */
function stableJson(value: unknown): string {
  return JSON.stringify(value, (_, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b))) : v,
  );
}

/** The payload the draft makes: none until its mode's fields are complete. */
function payloadOf({ mode, template, column, fields }: PayloadDraft): Payload | null {
  if (mode === 'template') return template.trim() ? { mode, template } : null;
  if (mode === 'json-column') return column ? { mode, column } : null;
  return fields.every((f) => f.column && f.key) ? { mode, fields } : null;
}

/** The draft restored from this browser, when it differs from what is saved. */
function useRestored(sync: Sync) {
  const [restored] = useState(() => {
    const draft = readDraft(sync);
    return draft && differsFromSaved(draft, sync.payload) ? draft : null;
  });
  return restored;
}

/**
 * What the payload editor edits: the payload of each mode and the message properties, against what is
 * saved (what "unsaved" compares with and Revert goes back to). Unsaved edits are kept in this browser.
 */
export function usePayloadDraft(sync: Sync) {
  const [saved, setSaved] = useState<Sync>(sync);
  const restored = useRestored(sync);
  const initial = restored ?? draftOf(sync.payload);
  const [mode, setMode] = useState<Mode>(initial.mode);
  const [template, setTemplate] = useState(initial.template);
  const [column, setColumn] = useState(initial.column);
  const [fields, setFields] = useState(initial.fields);
  /** Bumped when the template changes from outside the editor (Revert, Discard, the mapper). */
  const [revision, setRevision] = useState(0);
  const [draftNotice, setDraftNotice] = useState(restored !== null);
  const [props, setProps] = useState<MessageProps>(() => propsOf(sync));

  const draft: PayloadDraft = useMemo(() => ({ mode, template, column, fields }), [mode, template, column, fields]);
  const payloadDirty = differsFromSaved(draft, saved.payload);
  const propsDirty = stableJson(props) !== stableJson(propsOf(saved));
  const dirty = payloadDirty || propsDirty;

  /** The text the template editor last gave, before its render (a transition) shows it; null: the state's. */
  const typedText = useRef<string | null>(null);
  const apply = useCallback((next: PayloadDraft, nextProps: MessageProps) => {
    typedText.current = null;
    setMode(next.mode);
    setTemplate(next.template);
    setColumn(next.column);
    setFields(next.fields);
    setProps(nextProps);
    setRevision((r) => r + 1);
  }, []);

  // Typing renders the rest of the editor (preview, tests, draft) at a lower priority than the keys.
  const onTemplateChange = useCallback((text: string) => {
    typedText.current = text;
    startTransition(() => setTemplate(text));
  }, []);
  /** For event handlers: the template as last typed, which may be ahead of `template` (rendered). */
  const typed = () => typedText.current ?? template;
  /** For event handlers: whether the draft differs from what is saved with the template as last typed (`dirty` may be a render behind). */
  const changedNow = () => propsDirty || differsFromSaved({ ...draft, template: typed() }, saved.payload);

  const revert = () => {
    apply(draftOf(saved.payload), propsOf(saved));
    clearDraft(sync.name);
    setDraftNotice(false);
  };

  // The sync changed from outside (saved elsewhere, config applied): a new baseline; the text follows
  // it unless there are unsaved edits, which are kept.
  const latest = useRef({ saved, dirty });
  useEffect(() => {
    latest.current = { saved, dirty };
  });
  useEffect(() => {
    const before = latest.current;
    if (stableJson([before.saved.payload, propsOf(before.saved)]) === stableJson([sync.payload, propsOf(sync)])) return;
    setSaved(sync);
    if (!before.dirty) apply(draftOf(sync.payload), propsOf(sync));
  }, [sync, apply]);

  // Unsaved edits are kept in this browser until saved or discarded.
  useEffect(() => {
    if (payloadDirty) writeDraft(sync.name, draft);
    else clearDraft(sync.name);
  }, [sync.name, draft, payloadDirty]);

  /**
   * The field mapper's fields as a Liquid template, edited from there on: given the model's columns that
   * hold numbers (`numberColumns`), it sends the bytes the mapping sends (an integer past 2^53 as the number).
   */
  const mappingToLiquid = (numberColumns: readonly string[]) => {
    typedText.current = null;
    setTemplate(mappingToTemplate(fields, numberColumns));
    setRevision((r) => r + 1);
    setMode('template');
  };

  const edit = { mode, setMode, template, onTemplateChange, column, setColumn, fields, setFields, revision, props, setProps, mappingToLiquid };
  return { ...edit, typed, changedNow, payload: payloadOf(draft), dirty, setSaved, revert, draftNotice, setDraftNotice };
}
