// Pure (no electron import): which IPC sender the Electron adapter trusts. ipc-adapter.ts gathers
// the facts from the event and the window.
import { isAppUrl } from './origin';

export interface IpcSenderFacts {
  /** The id of the webContents that sent the message. */
  senderId: number;
  /** The id of our main window's webContents, if the window is open. */
  windowId: number | undefined;
  /** The sending frame is that webContents' top frame (not an iframe); false if the frame is gone. */
  isTopFrame: boolean;
  /** The sending frame's URL ('' if unknown). */
  frameUrl: string;
}

/** Trusted: our window's top frame, showing a page of our own `sluice://app/`. Anything else is refused. */
export function isTrustedSender(facts: IpcSenderFacts): boolean {
  return facts.windowId !== undefined && facts.senderId === facts.windowId && facts.isTopFrame && isAppUrl(facts.frameUrl);
}
