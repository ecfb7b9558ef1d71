import { expect, it } from 'vitest';
import { describeData } from './record-data';

it("a record read back shows its pretty JSON with numbers as they are in its bytes (a parse rounded them), from any producer's layout", () => {
  const sent = Buffer.from(' { "id" : 9007199254740995, "x": [1.000000000000000000001, {}],\n "s": "a  b" } \n');
  expect(describeData(sent).prettyJson).toBe('{\n  "id": 9007199254740995,\n  "x": [\n    1.000000000000000000001,\n    {}\n  ],\n  "s": "a  b"\n}');
  expect(describeData(Buffer.from('not json')).prettyJson).toBeNull();
  expect(describeData(Buffer.from('{"a":1,}')).prettyJson).toBeNull();
});
