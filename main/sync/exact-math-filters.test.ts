import { Liquid } from 'liquidjs';
import { describe, expect, it } from 'vitest';
import { liquidEngine } from './liquid-engine';

const sluice = liquidEngine();
const plain = new Liquid();
const render = (liquid: Liquid, template: string, n: unknown) => liquid.parseAndRenderSync(template, { row: { n } });

describe('Liquid math filters on integers past 2^53', () => {
  it('compute every digit and write the result unquoted, as {{ row.n }} writes it (liquidjs rounded: …993 + 1 gave …992)', () => {
    const cases: [string, unknown, string][] = [
      ['plus: 1', '9007199254740993', '9007199254740994'],
      ['plus: 1', '-9223372036854775808', '-9223372036854775807'],
      ['minus: 0', '9007199254740993', '9007199254740993'],
      ['times: 1', '9007199254740993', '9007199254740993'],
      ['times: 2', 4503599627370497, '9007199254740994'],
      ['minus: 9007199254740990', '9007199254740993', '3'],
      ['divided_by: 10', '90071992547409930', '9007199254740993'],
      ['divided_by: 7, true', '-9007199254740993', '-1286742750677285'],
      ['modulo: 10', '9007199254740993', '3'],
      ['abs', '-9223372036854775808', '9223372036854775808'],
      ['ceil', '9007199254740993', '9007199254740993'],
      ['floor', '9007199254740993', '9007199254740993'],
      ['round', '9007199254740993', '9007199254740993'],
      ['round: -2', '9007199254740951', '9007199254741000'],
      ['at_least: 5', '9007199254740993', '9007199254740993'],
      ['at_most: 5', '-9007199254740993', '-9007199254740993'],
      ['times: 3', 9007199254740991, '27021597764222973'],
      ['plus: 1 | times: 10', '9007199254740993', '90071992547409940'],
      ['round: -30', '9007199254740993', '0'],
      ['round: -1000000000', '-9007199254740993', '0'],
    ];
    for (const [filters, n, out] of cases) expect([filters, render(sluice, `{{ row.n | ${filters} }}`, n)]).toEqual([filters, out]);
    // As `{{ row.n | json }}` writes a text past 2^53: a JSON string.
    expect(render(sluice, '{{ row.n | plus: 1 | json }}', '9007199254740993')).toBe('"9007199254740994"');
    expect(render(sluice, '{{ row.n | minus: 9007199254740990 | json }}', '9007199254740993')).toBe('3');
    // Grown past 1,000 digits, a value is liquidjs' again (Infinity), rather than taking the memory a loop could give it.
    const squared = '{% assign x = row.n %}{% for i in (1..12) %}{% assign x = x | times: x %}{% endfor %}{{ x }}';
    expect(render(sluice, squared, '9007199254740993')).toBe('Infinity');
  });

  it('leave everything else as liquidjs computes it: integers within 2^53 (and results within it), floats (a number past 2^53 is one), text that is not a number, a division with a remainder', () => {
    const filters = [
      'plus: 1',
      'minus: 2',
      'times: 3',
      'divided_by: 7',
      'divided_by: 2, true',
      'modulo: 3',
      'abs',
      'ceil',
      'floor',
      'round',
      'round: 2',
      'at_least: 4',
      'at_most: 4',
      'plus: 1.5',
      'divided_by: 0',
    ];
    const values = [5, -5, 2.5, '7', '-7.25', 'abc', null, '', true, '9007199254740993.5', '1e400', 900719925474, 1e20, '9007199254740993'];
    for (const f of filters) {
      for (const n of values) {
        const template = `{{ row.n | ${f} }}`;
        // A text past 2^53 differs only where liquidjs rounded it (and not for a float operand or a remainder).
        if (n === '9007199254740993' && !['plus: 1.5', 'divided_by: 7', 'divided_by: 0'].includes(f)) continue;
        expect([template, n, render(sluice, template, n)]).toEqual([template, n, render(plain, template, n)]);
      }
    }
  });
});
