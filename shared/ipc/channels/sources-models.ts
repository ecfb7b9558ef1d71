/**
 * Channels for adding, editing, testing and deleting sources and models from the app (issue #14).
 * Spread into the one contract in shared/ipc/contract.ts.
 */
export const sourcesModelsChannels = {} as const;
