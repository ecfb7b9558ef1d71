// Destination kinds registered at runtime, next to a layer's built-in ones: a kind whose definition, shared
// side and engine side are registered by the code that brings it (a test's throwaway kind, see
// main/destinations/kinds/throwaway-kind.test.ts) instead of being listed in the registries. Built-in kinds
// stay in their registries' typed tables; a registered kind is looked up here when no built-in one answers.

/** One layer's registered kinds (definition schemas, shared sides or engine sides), by kind name. */
export class RegisteredKinds<T extends { readonly kind: string }> {
  private readonly entries = new Map<string, T>();

  /** `what`: what an entry is, in words ("engine side"); `builtIn`: the layer's built-in kinds, which cannot be registered again. */
  constructor(
    private readonly what: string,
    private readonly builtIn: readonly string[],
  ) {}

  /** Adds a kind; returns the function that removes it again. */
  register(entry: T): () => void {
    if (this.builtIn.includes(entry.kind)) throw new Error(`"${entry.kind}" is a built-in destination kind: its ${this.what} cannot be registered again`);
    if (this.entries.has(entry.kind)) throw new Error(`The ${this.what} of the destination kind "${entry.kind}" is registered already`);
    this.entries.set(entry.kind, entry);
    return () => {
      if (this.entries.get(entry.kind) === entry) this.entries.delete(entry.kind);
    };
  }

  find(kind: string): T | undefined {
    return this.entries.get(kind);
  }

  /** The registered entry of a kind that is not built in; throws, naming the kinds there are, when it has none. */
  get(kind: string): T {
    const entry = this.entries.get(kind);
    if (entry) return entry;
    const known = [...this.builtIn, ...this.entries.keys()].map((k) => `"${k}"`).join(', ');
    throw new Error(`The destination kind "${kind}" has no ${this.what}: it is neither built in nor registered (the kinds are ${known})`);
  }

  /** The registered kinds' names, in the order they were registered. */
  names(): string[] {
    return [...this.entries.keys()];
  }
}
