import { AsyncEntry } from '@napi-rs/keyring';
import type { KeychainStatus } from '../../shared/ipc/contract';

/** Where secret values live. SQLite only ever holds the account name that points here. */
export interface SecretBackend {
  readonly kind: 'os' | 'memory';
  set(account: string, value: string): Promise<void>;
  get(account: string): Promise<string | undefined>;
  delete(account: string): Promise<void>;
}

export const KEYCHAIN_SERVICE = 'Sluice';
const PROBE_TIMEOUT_MS = 5000;

/** The OS keychain: macOS Keychain, Windows Credential Manager, or the Secret Service on Linux. */
export class OsKeychain implements SecretBackend {
  readonly kind = 'os' as const;

  async set(account: string, value: string): Promise<void> {
    await new AsyncEntry(KEYCHAIN_SERVICE, account).setPassword(value);
  }
  async get(account: string): Promise<string | undefined> {
    return (await new AsyncEntry(KEYCHAIN_SERVICE, account).getPassword()) ?? undefined;
  }
  async delete(account: string): Promise<void> {
    await new AsyncEntry(KEYCHAIN_SERVICE, account).deleteCredential();
  }
}

/** No keychain: values live in this process only and are gone when Sluice quits. Never on disk. */
export class MemoryKeychain implements SecretBackend {
  readonly kind = 'memory' as const;
  private readonly values = new Map<string, string>();

  async set(account: string, value: string): Promise<void> {
    this.values.set(account, value);
  }
  async get(account: string): Promise<string | undefined> {
    return this.values.get(account);
  }
  async delete(account: string): Promise<void> {
    this.values.delete(account);
  }
}

function howToEnable(platform: NodeJS.Platform): string {
  if (platform === 'linux') {
    return (
      'Install and unlock a Secret Service provider — GNOME Keyring (sudo apt install gnome-keyring) or KWallet — ' +
      'from a desktop session with D-Bus, then restart Sluice. Until then, secrets you enter are kept in memory only ' +
      'and must be entered again after Sluice quits.'
    );
  }
  return 'Make sure your login keychain is unlocked and that Sluice may use it, then restart Sluice.';
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms / 1000} s (is it locked?)`)), ms);
    promise.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}

/**
 * Writes, reads back and deletes a throwaway entry. Only a keychain that does all three is used;
 * otherwise Sluice falls back to memory and says why, in words a person can act on.
 */
export async function chooseSecretBackend(
  probeAccount: string,
  platform: NodeJS.Platform = process.platform,
): Promise<{ backend: SecretBackend; status: KeychainStatus }> {
  const os = new OsKeychain();
  const marker = `probe-${Date.now()}`;
  try {
    await withTimeout(os.set(probeAccount, marker), PROBE_TIMEOUT_MS, 'The OS keychain');
    const read = await withTimeout(os.get(probeAccount), PROBE_TIMEOUT_MS, 'The OS keychain');
    await withTimeout(os.delete(probeAccount), PROBE_TIMEOUT_MS, 'The OS keychain');
    if (read !== marker) throw new Error('it did not return the value just stored');
    return { backend: os, status: { backend: 'os' } };
  } catch (err) {
    let reason = err instanceof Error ? err.message : String(err);
    if (platform === 'linux' && !process.env.DBUS_SESSION_BUS_ADDRESS) reason += ' (there is no D-Bus session: DBUS_SESSION_BUS_ADDRESS is not set)';
    return {
      backend: new MemoryKeychain(),
      status: { backend: 'memory', problem: `The OS keychain is not available: ${reason}`, howToEnable: howToEnable(platform) },
    };
  }
}
