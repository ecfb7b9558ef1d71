// Monaco, bundled from the local monaco-editor package (never the CDN loader: it fails offline and in
// Electron), with its worker built by Vite, and a Liquid-in-JSON language with completions.
import * as monaco from './monaco-core';
import { completionColumns } from './completion-columns';
import { completionWanted } from './liquid-completion';
import { formatTemplate } from '../../../shared/payload/format-template';
import EditorWorker from 'monaco-editor/esm/vs/editor/editor.worker?worker';

declare global {
  interface Window {
    MonacoEnvironment?: monaco.Environment;
  }
}

self.MonacoEnvironment = { getWorker: () => new EditorWorker() };

export const LIQUID_JSON = 'liquid-json';

const FILTERS = [
  'json',
  'append',
  'prepend',
  'upcase',
  'downcase',
  'capitalize',
  'strip',
  'default',
  'date',
  'size',
  'join',
  'split',
  'replace',
  'remove',
  'truncate',
  'round',
  'plus',
  'minus',
  'times',
  'divided_by',
  'modulo',
  'escape',
  'url_encode',
  'first',
  'last',
  'map',
  'where',
  'sort',
  'uniq',
  'slice',
  'abs',
  'ceil',
  'floor',
];
const TAGS = [
  'if',
  'elsif',
  'else',
  'endif',
  'unless',
  'endunless',
  'for',
  'endfor',
  'case',
  'when',
  'endcase',
  'assign',
  'capture',
  'endcapture',
  'raw',
  'endraw',
];

/** Liquid-in-JSON's colours: JSON keys, strings, numbers; Liquid's tags, variables and filters. */
const LIQUID_JSON_TOKENS: monaco.languages.IMonarchLanguage = {
  tokenizer: {
    root: [
      [/\{\{-?/, { token: 'delimiter.liquid', next: '@liquid' }],
      [/\{%-?/, { token: 'delimiter.liquid', next: '@liquid' }],
      [/"([^"\\{]|\\.)*"(?=\s*:)/, 'type'],
      [/"/, { token: 'string', next: '@string' }],
      [/-?\d+(\.\d+)?([eE][+-]?\d+)?/, 'number'],
      [/\b(true|false|null)\b/, 'keyword'],
      [/[{}[\],:]/, 'delimiter'],
    ],
    string: [
      [/\{\{-?/, { token: 'delimiter.liquid', next: '@liquid' }],
      [/[^\\"{]+/, 'string'],
      [/\\./, 'string.escape'],
      [/"/, { token: 'string', next: '@pop' }],
      [/\{/, 'string'],
    ],
    liquid: [
      [/-?\}\}/, { token: 'delimiter.liquid', next: '@pop' }],
      [/-?%\}/, { token: 'delimiter.liquid', next: '@pop' }],
      [/\b(if|elsif|else|endif|unless|endunless|for|endfor|in|case|when|endcase|assign|capture|endcapture|and|or|contains)\b/, 'keyword'],
      [/\b(row|previous|event|key|run)\b/, 'variable'],
      [/\|\s*\w+/, 'function'],
      [/"[^"]*"|'[^']*'/, 'string'],
      [/\d+/, 'number'],
      [/[\w.[\]]+/, 'identifier'],
    ],
  },
};

let registered = false;
export function registerLiquidJson(): typeof monaco {
  if (registered) return monaco;
  registered = true;
  monaco.languages.register({ id: LIQUID_JSON });
  monaco.languages.setMonarchTokensProvider(LIQUID_JSON, LIQUID_JSON_TOKENS);
  monaco.languages.setLanguageConfiguration(LIQUID_JSON, {
    brackets: [
      ['{', '}'],
      ['[', ']'],
    ],
    autoClosingPairs: [
      { open: '{', close: '}' },
      { open: '[', close: ']' },
      { open: '"', close: '"' },
    ],
  });
  // Format Document (Shift+Alt+F) lays the template out as the payload editor's Format button does.
  monaco.languages.registerDocumentFormattingEditProvider(LIQUID_JSON, {
    provideDocumentFormattingEdits(model) {
      const result = formatTemplate(model.getValue());
      return result.ok && result.text !== model.getValue() ? [{ range: model.getFullModelRange(), text: result.text }] : [];
    },
  });
  monaco.languages.registerCompletionItemProvider(LIQUID_JSON, {
    triggerCharacters: ['.', '|', ' ', '%'],
    provideCompletionItems: liquidCompletions,
  });
  return monaco;
}

type Model = monaco.editor.ITextModel;

/** Completions where the cursor is: a row's columns, filters, tags, or the variables (see `liquid-completion.ts`). */
function liquidCompletions(model: Model, position: monaco.Position, context: monaco.languages.CompletionContext): monaco.languages.CompletionList {
  const upTo = (fromLine: number) =>
    model.getValueInRange({ startLineNumber: fromLine, startColumn: 1, endLineNumber: position.lineNumber, endColumn: position.column });
  const word = model.getWordUntilPosition(position);
  const range = { startLineNumber: position.lineNumber, endLineNumber: position.lineNumber, startColumn: word.startColumn, endColumn: word.endColumn };
  const K = monaco.languages.CompletionItemKind;
  const typed = context.triggerKind === monaco.languages.CompletionTriggerKind.TriggerCharacter ? (context.triggerCharacter ?? '') : null;
  switch (completionWanted(upTo(position.lineNumber), upTo(Math.max(1, position.lineNumber - 20)), typed)) {
    case 'none':
      return { suggestions: [] };
    case 'columns':
      return { suggestions: completionColumns().map((c) => ({ label: c.name, kind: K.Field, detail: c.type, insertText: c.name, range })) };
    case 'filters':
      return {
        suggestions: FILTERS.map((f) => ({
          label: f,
          kind: K.Function,
          insertText: f,
          range,
          detail: f === 'json' ? 'quotes and escapes a value as JSON' : 'Liquid filter',
        })),
      };
    case 'tags':
      return { suggestions: TAGS.map((t) => ({ label: t, kind: K.Keyword, insertText: t, range })) };
    case 'variables':
      return {
        suggestions: [
          { label: 'row', kind: K.Variable, insertText: 'row', range, detail: 'the row being sent' },
          { label: 'previous', kind: K.Variable, insertText: 'previous', range, detail: 'last delivered values (changed, removed)' },
          { label: 'event', kind: K.Variable, insertText: 'event', range, detail: 'added | changed | removed' },
          { label: 'key', kind: K.Variable, insertText: 'key', range, detail: "the row's primary key" },
          ...completionColumns().map((c) => ({ label: `row.${c.name}`, kind: K.Field, insertText: `{{ row.${c.name} | json }}`, range, detail: c.type })),
        ],
      };
  }
}
