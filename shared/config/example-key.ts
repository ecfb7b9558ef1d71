/** A failure reason's example key in words: "e.g. key 100", and "e.g. an empty key" for an empty one (it read "(e.g. key )"). */
export function exampleKeyWords(key: string): string {
  return key === '' ? 'e.g. an empty key' : `e.g. key ${key}`;
}
