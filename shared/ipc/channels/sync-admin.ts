/**
 * Channels for creating, editing, renaming, resetting and deleting syncs from the app (issue #14).
 * Spread into the one contract in shared/ipc/contract.ts.
 */
export const syncAdminChannels = {} as const;
