// The Liquid engine templates are parsed and analysed with here (never rendered: the engine renders),
// and the block tags with their closing tags.
import { Liquid } from 'liquidjs';
import { LIQUID_OPTIONS } from './liquid-options';

/** The engine's options (main/sync/payload-renderer.ts `liquidEngine`): the same template parses the same way. */
function engine(): Liquid {
  return new Liquid({ ...LIQUID_OPTIONS, templates: {} });
}

let shared: Liquid | undefined;
export const liquid = (): Liquid => (shared ??= engine());

export const BLOCK_END: Record<string, string> = {
  if: 'endif',
  unless: 'endunless',
  for: 'endfor',
  case: 'endcase',
  capture: 'endcapture',
  comment: 'endcomment',
  raw: 'endraw',
  tablerow: 'endtablerow',
};
export const OPENER_OF: Record<string, string> = {
  else: 'if',
  elsif: 'if',
  when: 'case',
  ...Object.fromEntries(Object.entries(BLOCK_END).map(([open, end]) => [end, open])),
};
