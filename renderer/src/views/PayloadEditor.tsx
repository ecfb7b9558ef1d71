import { useRef, useState } from 'react';
import type { PayloadPreview, PreviewItem } from '../../../shared/config/payload-preview';
import type { Destination } from '../../../shared/config/destination';
import type { Column } from '../../../shared/config/source';
import type { Payload, Sync } from '../../../shared/config/sync';
import { withNumbersRead } from '../../../shared/config/number-columns';
import { formatTemplate } from '../../../shared/payload/format-template';
import type { TemplateDiagnostic } from '../../../shared/payload/template-diagnostics';
import { useSession } from '../api/context';
import { useDestinations } from '../api/queries';
import { AskToLeave } from '../components/DiscardDialog';
import { ErrorBanner } from '../components/ErrorBanner';
import { useLeaveGuard } from '../components/use-leave-guard';
import type { TemplateEditorHandle } from '../editor/lazy';
import { FieldMapper, JsonColumnPicker, OtherProblems, TemplatePane } from './payload/EditorPane';
import { messagePropsMissing } from './payload/message-props';
import { payloadMissing } from './payload/payload-missing';
import { MessageProperties } from './payload/MessageProperties';
import { DraftNotice, PayloadToolbar, SaveConfirm, StartOverConfirm } from './payload/PayloadBanners';
import { PreviewPane } from './payload/PreviewPane';
import { RoutingPreview } from './payload/RoutingPreview';
import { SendTestRecord } from './payload/SendTestRecord';
import { TemplateTests } from './payload/TemplateTests';
import { PayloadSplit } from './payload/PayloadSplit';
import { usePayloadDraft } from './payload/use-payload-draft';
import { usePayloadPreview } from './payload/use-payload-preview';
import { usePayloadSave } from './payload/use-payload-save';
import { uiKind } from '../destinations/kinds/registry';
import { useTemplateDiagnostics } from './payload/use-template-diagnostics';
import { useModelColumns } from './payload/use-model-columns';
import './payload/payload-editor.css';

/** The payload editor: a Liquid template in Monaco, one JSON column, or a field mapper, with a live preview on real rows. */
export function PayloadEditor({ sync, onSaved }: { sync: Sync; onSaved: (sync: Sync) => void }) {
  // Each sync gets its own editor (text, undo history, draft).
  return <SyncPayloadEditor key={sync.name} sync={sync} onSaved={onSaved} />;
}

/** Format: the template laid out through the editor (one edit Undo takes back), or why not. */
function useFormat(template: string) {
  const editor = useRef<TemplateEditorHandle | null>(null);
  const [formatNote, setFormatNote] = useState<string | null>(null);
  const format = () => {
    const result = formatTemplate(template);
    if (!result.ok) setFormatNote(result.reason);
    else if (result.text === template) setFormatNote('Already formatted.');
    else {
      // Through the editor: one edit Undo takes back, and the change comes up as typing does.
      editor.current?.replaceText(result.text);
      setFormatNote(null);
    }
    editor.current?.focus();
  };
  return { editor, formatNote, format };
}

type Draft = ReturnType<typeof usePayloadDraft>;

/** What Save waits for the user's yes on: previewed rows that do not render, a save that starts the sync over. */
function SaveQuestions({
  s,
  initialSync,
  destination,
}: {
  s: ReturnType<typeof usePayloadSave>;
  initialSync: Sync['initialSync'];
  destination: Destination | undefined;
}) {
  return (
    <>
      {s.confirm && <SaveConfirm failing={s.confirm.failing} total={s.confirm.total} onSave={() => void s.save(true)} onKeep={s.dismiss} />}
      {s.startOver && (
        <StartOverConfirm
          preview={s.startOver.preview}
          initialSync={initialSync}
          elsewhere={destination ? uiKind(destination.kind).syncSettings?.elsewhere : undefined}
          onSave={() => void s.save(true, true)}
          onKeep={s.dismiss}
        />
      )}
    </>
  );
}

/**
 * Whether Save is off and why, in words (shown beside it): a syntax error, what the payload or its properties
 * lack first, or the problems of this payload's preview (`fresh`); and the problems said beside the editor (an
 * earlier payload's are not this one's: none while it lacks something or its preview is asked).
 */
function saveGate(
  payload: Payload | null,
  syntax: TemplateDiagnostic | null,
  missing: string | null,
  fresh: PayloadPreview | null,
): { blocked: boolean; why: string | undefined; otherProblems: PayloadPreview['problems'] } {
  const problems = missing !== null ? [] : (fresh?.problems ?? []);
  const otherProblems = problems.filter((x) => x.where !== 'payload template');
  const why = syntax ? 'Fix the template first' : (missing ?? (problems.length ? 'Fix the template problems first' : undefined));
  return { blocked: !payload || why !== undefined, why, otherProblems };
}

/** The left of the split: the mode's editor (the template pane stays mounted, hidden, to keep its undo history). */
function EditorColumn({
  d,
  columns,
  numberColumns,
  syntax,
  diagnostics,
  otherProblems,
  f,
}: {
  d: Draft;
  columns: Column[];
  /** The model's columns that hold numbers; undefined until known (the template made from the mapping needs them). */
  numberColumns: readonly string[] | undefined;
  syntax: TemplateDiagnostic | null;
  diagnostics: TemplateDiagnostic[];
  otherProblems: PayloadPreview['problems'];
  f: ReturnType<typeof useFormat>;
}) {
  return (
    <div className="editor-pane" data-testid="editor-pane">
      <TemplatePane
        hidden={d.mode !== 'template'}
        syntax={syntax}
        onFormat={f.format}
        formatNote={f.formatNote}
        template={d.template}
        revision={d.revision}
        onTemplateChange={d.onTemplateChange}
        diagnostics={diagnostics}
        editor={f.editor}
      />
      <OtherProblems problems={otherProblems} />
      {d.mode === 'json-column' && <JsonColumnPicker column={d.column} columns={columns} onColumn={d.setColumn} />}
      {d.mode === 'mapping' && (
        <FieldMapper
          fields={d.fields}
          columns={columns}
          onFields={d.setFields}
          canConvert={d.payload !== null && numberColumns !== undefined}
          onConvert={() => d.mappingToLiquid(numberColumns ?? [])}
        />
      )}
    </div>
  );
}

function SyncPayloadEditor({ sync, onSaved }: { sync: Sync; onSaved: (sync: Sync) => void }) {
  const { api } = useSession();
  const [error, setError] = useState<unknown>(null);
  const d = usePayloadDraft(sync);
  const { columns, numberColumns } = useModelColumns(api, sync.model, setError);
  const destination = useDestinations().data?.find((x) => x.name === sync.destination);
  const { testsVersion, saveCase } = useSaveCase(api, sync.name, setError);
  // What the payload or its properties lack first: the previews say it instead of an older answer, and so does Save.
  const missing = payloadMissing(d) ?? messagePropsMissing(d.props);
  const propsReady = messagePropsMissing(d.props) === null;
  const p = usePayloadPreview(api, sync, d.payload, d.props, propsReady);
  // With those the previewed rows say hold numbers (a SQLite expression's INTEGER past 2^53), as the mapping sends them.
  const convertNumbers = numberColumns && withNumbersRead(numberColumns, p.preview?.numberColumns);
  const request = { model: sync.model, sync: sync.name, rows: p.rows, event: p.event };
  const { syntax, diagnostics } = useTemplateDiagnostics(api, { mode: d.mode, template: d.template, columns, fresh: p.fresh, request });
  const payload: Payload | null = d.payload;
  const { blocked, why, otherProblems } = saveGate(payload, syntax, missing, p.fresh);
  const s = usePayloadSave({ api, sync, d, p, blocked, onSaved, setError });
  const f = useFormat(d.template);
  const { revert, guard } = useRevert(d, s.dismiss, setError);

  return (
    <div className="payload-editor">
      <PayloadToolbar
        mode={d.mode}
        onMode={d.setMode}
        dirty={d.dirty}
        justSaved={s.justSaved}
        onRevert={revert}
        blocked={blocked}
        blockedWhy={why}
        onSave={() => void s.save(false)}
      />
      {d.draftNotice && d.dirty && <DraftNotice onDiscard={revert} onKeep={() => d.setDraftNotice(false)} />}
      <SaveQuestions s={s} initialSync={sync.initialSync} destination={destination} />
      {/* Save asks for the preview first: its failure is the preview's, shown once. */}
      {error !== null && !sameError(error, p.previewError) && <ErrorBanner error={error} onDismiss={() => setError(null)} />}
      {p.previewError !== null && <ErrorBanner error={p.previewError} onDismiss={p.dismissPreviewError} />}
      <PayloadSplit
        editor={
          <EditorColumn d={d} columns={columns} numberColumns={convertNumbers} syntax={syntax} diagnostics={diagnostics} otherProblems={otherProblems} f={f} />
        }
        preview={
          <PreviewPane
            previews={p.previews}
            onRun={p.run}
            preview={p.preview}
            earlier={p.earlier}
            missing={missing}
            rows={p.rows}
            setRows={p.setRows}
            event={p.event}
            setEvent={p.setEvent}
            onSaveCase={(item) => {
              // Only a row of this very template's answer, and not when the editor holds text not rendered yet.
              if (p.fresh?.items.includes(item) && d.typed() === d.template) void saveCase(item);
            }}
            actions={
              payload && propsReady && !blocked
                ? (item, earlier) => (
                    <SendTestRecord sync={sync.name} destination={sync.destination} payload={payload} props={d.props} item={item} earlier={earlier} />
                  )
                : undefined
            }
          />
        }
      />
      <div className="editor-split">
        <div>
          <MessageProperties destination={destination} columns={columns} value={d.props} onChange={d.setProps} />
          <TemplateTests sync={sync.name} payload={payload} version={testsVersion} />
        </div>
        {destination && <RoutingPreview sync={sync.name} payload={payload} props={d.props} missing={missing} rows={p.rows} />}
      </div>
      <AskToLeave guard={guard} title={`Discard your changes to the payload of “${sync.name}”?`} />
    </div>
  );
}

/** Revert (back to the saved payload), and leaving with changes, which asks first: Discard changes reverts them (and the draft this browser keeps). */
function useRevert(d: Draft, dismissSave: () => void, setError: (err: unknown) => void) {
  const revert = () => {
    d.revert();
    dismissSave();
    setError(null); // an error about the payload reverted from (Save's) is no longer true
  };
  // Its draft is kept in the browser's storage (`payload/drafts.ts`): closing the window loses nothing, so that asks nothing.
  // A keystroke marks the draft changed a render late (a transition): a move right after it asks all the same.
  return { revert, guard: useLeaveGuard(d.dirty, revert, { keptOnClose: true, changedNow: d.changedNow }) };
}

/** A previewed row saved as a template test case (its rendered bytes expected; a tombstone's null), and the tests' version to refresh them. */
function useSaveCase(api: ReturnType<typeof useSession>['api'], sync: string, setError: (err: unknown) => void) {
  const [testsVersion, setTestsVersion] = useState(0);
  const saveCase = async (item: PreviewItem) => {
    if (item.error !== null) return;
    try {
      await api.saveTemplateTest({ sync, key: item.key, event: item.event, expected: item.data ?? 'null' });
      setTestsVersion((v) => v + 1);
    } catch (err) {
      setError(err);
    }
  };
  return { testsVersion, saveCase };
}

/** Two errors that would show the same banner. */
function sameError(a: unknown, b: unknown): boolean {
  return b !== null && a instanceof Error && b instanceof Error && a.message === b.message;
}
