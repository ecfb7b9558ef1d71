import { useState } from 'react';
import type { Model, Source } from '../../../../shared/config/source';
import type { SourceTest } from '../../../../shared/config/source-admin';
import { useSession } from '../../api/context';
import { inUseWords } from '../../../../shared/config/in-use';
import { renamedNotice, usersOf } from '../../components/catalog-text';

/** The Sources page's actions (test, delete, rename) with what they leave: a notice, an error, a test result. */
export function useSourceActions(models: readonly Model[], onRenamed: () => void) {
  const { api } = useSession();
  const [actionError, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [testing, setTesting] = useState<string | null>(null);
  const [result, setResult] = useState<SourceTest | null>(null);
  const [busy, setBusy] = useState(false);

  const test = async (source: Source) => {
    setTesting(source.name);
    setResult(null);
    try {
      setResult(await api.testSource({ draft: source }));
    } catch (err) {
      setError(err);
    } finally {
      setTesting(null);
    }
  };
  /** The source whose Delete asks (in-app, as a sync's), until deleted or cancelled. */
  const [deleting, setDeleting] = useState<string | null>(null);
  const remove = (name: string) => {
    // In use: said at once, instead of asking to delete what the engine then refuses.
    const users = usersOf(models, 'source', name);
    if (users.length > 0) return setError(new Error(inUseWords({ kind: 'source', name }, { kind: 'model', names: users })));
    setDeleting(name);
  };
  const confirmRemove = async (name: string) => {
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      await api.deleteSource({ name });
      setNotice(`Deleted "${name}".`);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
      setDeleting(null);
    }
  };
  const rename = async (from: string, to: string) => {
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      await api.renameSource({ from, to });
      onRenamed();
      setNotice(renamedNotice(from, to, usersOf(models, 'source', from).length, 'model'));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const deletion = {
    name: deleting,
    confirm: () => {
      if (deleting !== null) void confirmRemove(deleting);
    },
    cancel: () => setDeleting(null),
  };
  return { actionError, setError, notice, setNotice, testing, result, busy, test, remove, deletion, rename };
}
