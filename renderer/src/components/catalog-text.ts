import { fmt } from '../../../shared/format/format';

/** The notice after a rename: how many users (syncs of a model, models of a source) followed it. */
export function renamedNotice(from: string, to: string, users: number, noun: string, kept = ''): string {
  return `Renamed "${from}" to "${to}"${users ? ` (${fmt.count(users, noun)} updated${kept})` : ''}.`;
}

/** The names of the items that use `name` through `field` (the syncs of a model, the models of a source). */
export function usersOf<K extends string>(items: readonly ({ name: string } & Record<K, string>)[], field: K, name: string): string[] {
  return items.filter((i) => i[field] === name).map((i) => i.name);
}
